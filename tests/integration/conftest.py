from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from tests.support.system import Broker, System, start_system


@pytest.fixture
def system(shared_system: System) -> System:
    """The whole system of the session (tests/conftest.py): a test here uses its own people only.

    A module whose tests kill or reconfigure services defines its own ``system`` fixture.
    """
    return shared_system


@pytest.fixture(scope="session")
async def accounts_system(broker: Broker, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[System]:
    """Profile, notifications and the gateway, five failed logins per address and account a minute; once."""
    running = await start_system(
        broker,
        tmp_path_factory.mktemp("accounts") / "var",
        services=["profile", "notifications", "gateway"],
        extra_env={
            "GATEWAY_RATE_LIMIT_LOGIN": '{"per_address": "1000/minute", "per_address_account": "5/minute"}',
        },
    )
    yield running
    running.stop()


@pytest.fixture
async def client(accounts_system: System) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=accounts_system.url("gateway"), timeout=10) as http:
        yield http
