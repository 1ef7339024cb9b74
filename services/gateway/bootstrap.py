"""Composition root of the gateway: the public API under /v1 and the web client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from services.gateway import problems, upstream
from services.gateway.routes import auth, health, me
from services.gateway.settings import GatewaySettings
from services.gateway.upstream import Services
from shared.telemetry import setup_logging, setup_tracing


def create_app(settings: GatewaySettings | None = None, transport: httpx.AsyncBaseTransport | None = None) -> FastAPI:
    """Return the gateway app."""
    settings = settings or GatewaySettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        setup_logging("gateway", settings.log_level)
        provider = setup_tracing("gateway", var_dir=settings.var_dir, otlp_endpoint=settings.otlp_endpoint)
        app.state.services = Services(settings, transport)
        try:
            yield
        finally:
            await app.state.services.close()
            provider.shutdown()

    app = FastAPI(
        title="Coach emploi — API",
        version="1.0.0",
        description="The public API of the job-search coach, used by the web client and any mobile app.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    problems.install(app)
    upstream.install(app)
    for router in (health.router, auth.router, me.router):
        app.include_router(router)
    return app
