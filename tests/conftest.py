"""Fixtures shared by the integration and browser tests: one broker and one whole system per session.

A system costs about 28 s of CPU to start (seven Python services importing their frameworks and
loading reference data), so tests that isolate themselves by their own people share
``shared_system``. A test that kills, pauses or reconfigures services, counts events or emails of
the whole system, or matches volunteers starts a system of its own (``start_system``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from tests.support.system import Broker, System, start_broker, start_system


@pytest.fixture(scope="session")
def broker() -> Iterator[Broker]:
    """One real tansu broker for the whole test session (systems isolate themselves by topic prefix)."""
    running = start_broker()
    yield running
    running.stop()


@pytest.fixture(scope="session")
async def shared_system(broker: Broker, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[System]:
    """The whole system (every service and the gateway), started once for the tests that can share it."""
    running = await start_system(
        broker,
        tmp_path_factory.mktemp("shared") / "var",
        # Volunteers are matched every half second, so a volunteer journey does not wait.
        extra_env={"VOLUNTEERS_UPKEEP_INTERVAL_S": "0.5"},
    )
    yield running
    running.stop()
