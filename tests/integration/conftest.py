from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.support.system import Broker, System, start_broker, start_system


@pytest.fixture(scope="session")
def broker() -> Iterator[Broker]:
    """One real tansu broker for the whole test session (tests isolate themselves by topic prefix)."""
    running = start_broker()
    yield running
    running.stop()


@pytest.fixture
async def system(broker: Broker, tmp_path: Path) -> AsyncIterator[System]:
    """The whole system (every service and the gateway) on the session broker."""
    running = await start_system(broker, tmp_path / "var")
    yield running
    running.stop()
