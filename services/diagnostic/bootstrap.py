"""Composition root of the diagnostic service."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from fastapi import FastAPI

from services.diagnostic.handlers import DiagnosticHandlers
from services.diagnostic.market_data import latest_import, load_market_data
from services.diagnostic.repository import INDEXES
from services.diagnostic.routes import router
from services.diagnostic.settings import DiagnosticSettings
from services.diagnostic.state import DiagnosticRuntime, DiagnosticState
from shared.consumer import Subscription
from shared.contracts.profile import ProfileUpdated, UserErased
from shared.service import ServiceDefinition, create_service_app
from shared.store import StoreUnavailableError

log = logging.getLogger(__name__)


def subscriptions(runtime: DiagnosticRuntime) -> dict[str, Subscription[Any]]:
    handlers = DiagnosticHandlers(runtime.state.loaded_market)
    return {
        ProfileUpdated.topic: Subscription(ProfileUpdated, handlers.on_profile_updated),
        UserErased.topic: Subscription(UserErased, handlers.on_user_erased),
    }


async def load_market(runtime: DiagnosticRuntime) -> None:
    """Load the market data once, before the consumer starts."""
    settings = runtime.settings
    runtime.state.market = await load_market_data(runtime.store, settings.data_dir)


async def watch_imports(runtime: DiagnosticRuntime) -> None:
    """Reload the market data when a new import lands (``make data`` while the service runs)."""
    settings = runtime.settings
    interval = settings.market_reload_interval_s if isinstance(settings, DiagnosticSettings) else 30.0
    if interval <= 0:
        return
    while True:
        await asyncio.sleep(interval)
        with contextlib.suppress(StoreUnavailableError):
            latest = await latest_import(runtime.store)
            current = runtime.state.market
            stamp = None if latest is None else str(latest.get("stamp"))
            if stamp is not None and (current is None or current.stamp != stamp):
                log.info("new market import %s: reloading", stamp)
                runtime.state.market = await load_market_data(runtime.store, settings.data_dir)


def create_app(settings: DiagnosticSettings | None = None) -> FastAPI:
    """Return the diagnostic service app."""
    return create_service_app(
        ServiceDefinition(
            settings=settings or DiagnosticSettings(),
            indexes=INDEXES,
            subscriptions=subscriptions,
            routers=[router],
            background=[watch_imports],
            on_startup=load_market,
            state=DiagnosticState,
            title="diagnostic service (internal API)",
        )
    )
