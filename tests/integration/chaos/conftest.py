"""Fault scenarios on the real broker, stores and service processes.

In ``make test`` they run at sizes that fit the CI budget; ``make chaos`` sets
``CHAOS_FULL=1`` for the issue's sizes (and the load scenario), then writes
the figures of the last run into docs/RELIABILITY.md.
"""

from __future__ import annotations

import pytest

from tests.integration.chaos.report import full_scale, write_page


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if full_scale():
        write_page()
