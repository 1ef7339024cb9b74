"""Composition root of the gateway: the public API under /v1, live events, and the web client."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from services.gateway import forwarded, problems, upstream
from services.gateway.autocomplete import communes_index, job_titles_index
from services.gateway.live import LiveHub, follow
from services.gateway.metrics import GatewayMetrics, RequestMetrics
from services.gateway.middleware import BodySizeLimit, SecurityHeaders
from services.gateway.ratelimit import RateLimits
from services.gateway.routes import (
    advice,
    auth,
    counsellor,
    dashboard,
    emails,
    events,
    health,
    market,
    me,
    reference,
    volunteers,
    web,
)
from services.gateway.settings import GatewaySettings
from services.gateway.upstream import Services
from shared.broker import create_broker
from shared.process import release_free_memory, release_free_memory_when_settled
from shared.reference.geo import load_geo
from shared.reference.rome import load_rome
from shared.telemetry import instrument_app, instrument_client, new_metrics_registry, setup_logging, setup_tracing

log = logging.getLogger(__name__)
ROUTERS = (
    health.router,
    auth.router,
    me.router,
    dashboard.router,
    events.router,
    counsellor.router,
    reference.router,
    advice.router,
    market.router,
    emails.router,
    volunteers.router,
    web.router,  # last: the web client's pages never shadow an API route
)
OPENAPI_TAGS = [
    {"name": "auth", "description": "Sign up, log in, sessions. / Inscription, connexion, sessions."},
    {"name": "me", "description": "The current person's data. / Les données de la personne connectée."},
    {"name": "live", "description": "Server-sent events. / Événements en direct."},
    {"name": "counsellor", "description": "Read-only follow-up, with consent. / Suivi en lecture seule, avec accord."},
    {"name": "reference", "description": "Autocomplete over real ROME and geography. / Autocomplétion."},
    {"name": "advice", "description": "Advice and the action plan. / Conseils et plan d'action."},
    {"name": "market", "description": "Local labour market, with sources. / Marché local, avec ses sources."},
]


def create_app(settings: GatewaySettings | None = None, transport: httpx.AsyncBaseTransport | None = None) -> FastAPI:
    """Return the gateway app."""
    settings = settings or GatewaySettings()
    provider = setup_tracing("gateway", var_dir=settings.var_dir, otlp_endpoint=settings.otlp_endpoint)
    hub = LiveHub()
    gateway_metrics = GatewayMetrics(new_metrics_registry(), hub)
    broker = create_broker(settings, registry=gateway_metrics.registry, tracer_provider=provider)
    live_pace = follow(broker, hub, settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        setup_logging("gateway", settings.log_level)
        app.state.services = Services(settings, transport)
        for client in app.state.services.clients.values():
            instrument_client(client, provider)
            gateway_metrics.measure_upstream(client, settings.service_urls())
        rome, geo = await asyncio.gather(
            asyncio.to_thread(load_rome, settings.data_dir), asyncio.to_thread(load_geo, settings.data_dir)
        )
        app.state.job_titles, app.state.communes = await asyncio.gather(
            asyncio.to_thread(job_titles_index, rome), asyncio.to_thread(communes_index, geo)
        )
        release_free_memory()  # what building the indexes freed
        starter = asyncio.create_task(_start_broker(app))
        settler = asyncio.create_task(release_free_memory_when_settled())
        log.info("gateway started on %s", settings.public_url)
        try:
            yield
        finally:
            starter.cancel()
            settler.cancel()
            with contextlib.suppress(Exception):
                await broker.stop()
            await app.state.services.close()
            provider.shutdown()
            log.info("gateway stopped cleanly")

    async def _start_broker(app: FastAPI) -> None:
        delay = 0.5
        while True:
            try:
                await broker.start()
                app.state.broker_started = True
                break
            except Exception:
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5)
        await live_pace.run()  # until the starter is cancelled at shutdown

    app = FastAPI(
        title="Coach emploi — API",
        version="1.0.0",
        description=(
            "The public API of the job-search coach, used by the web client and any mobile app. "
            "Errors are `application/problem+json` in French (default) or English (`Accept-Language: en`)."
        ),
        openapi_tags=OPENAPI_TAGS,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.live = hub
    app.state.metrics = gateway_metrics
    app.state.broker = broker
    app.state.broker_started = False
    app.state.rate_limits = RateLimits(
        settings.rate_rules(), storage=settings.rate_limit_storage, trusted_proxies=settings.trusted_proxies
    )
    problems.install(app)
    upstream.install(app)
    forwarded.install(app)
    for router in ROUTERS:
        app.include_router(router)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.cors_origins),
        allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        allow_headers=["authorization", "content-type", "accept-language"],
        max_age=600,
    )
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes, overrides=volunteers.UPLOAD_BODY_LIMITS)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(RequestMetrics, metrics=gateway_metrics)
    instrument_app(app, provider)
    return app
