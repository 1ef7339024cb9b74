from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.volunteers.references import Reference, load_reference
from shared.settings import default_data_dir

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def reference() -> Reference:
    """The real ROME, mobility links and communes (loaded once: about half a second)."""
    return load_reference(default_data_dir())
