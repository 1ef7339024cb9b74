"""The composition of a service process: store, broker, outbox relay, consumer, internal HTTP.

Every service's ``bootstrap.py`` describes itself with a ``ServiceDefinition``
and calls ``create_service_app``; tests build the very same app with other
settings. Startup never crash-loops: while the store or the broker cannot be
reached, the process stays up, ``/health/ready`` answers 503 with the reason,
and it keeps trying.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import secrets
from collections.abc import AsyncIterator, Callable, Coroutine, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Generic

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request, Response
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from faststream.kafka import KafkaBroker
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.types import ASGIApp, Receive, Scope, Send
from typing_extensions import TypeVar

from shared.broker import create_broker
from shared.consumer import EventConsumer, Subscription
from shared.envelope import utc_now
from shared.inbox import INBOX_INDEXES, purge_expired, subject_erased
from shared.metrics import ServiceMetrics
from shared.outbox import OUTBOX_INDEXES, Outbox, OutboxRelay
from shared.personal_data import PERSON_ID_PATTERN
from shared.problems import install_problem_handlers
from shared.process import release_free_memory, release_free_memory_when_settled
from shared.settings import ServiceSettings
from shared.store import Index, Store, StoreUnavailableError, open_store
from shared.store.traced import TracedStore
from shared.telemetry import instrument_app, new_metrics_registry, setup_logging, setup_tracing
from shared.unit_of_work import UnitOfWork, unit_of_work

log = logging.getLogger(__name__)
SUBJECT_IN_PATH = re.compile(rf"\b{PERSON_ID_PATTERN}\b")

Task = Callable[["ServiceRuntime"], Coroutine[Any, Any, None]]
# What one service keeps in memory besides its store (its reference data, a cache, a wake-up event),
# a class of its own in ``services/<service>/state.py``; a bare ``ServiceRuntime`` does not read it.
StateT = TypeVar("StateT", default=Any)


@dataclass
class ServiceRuntime(Generic[StateT]):
    """Everything a service's handlers and routes need, built once per process."""

    settings: ServiceSettings
    store: Store
    broker: KafkaBroker
    outbox: Outbox
    metrics: ServiceMetrics
    state: StateT
    clock: Callable[[], datetime] = utc_now
    consumer: EventConsumer | None = None
    relay: OutboxRelay | None = None
    started: bool = False
    startup_error: str | None = None

    def unit_of_work(self) -> contextlib.AbstractAsyncContextManager[UnitOfWork]:
        """Open a unit of work on the service's store and outbox."""
        return unit_of_work(self.store, self.outbox, self.clock)


@dataclass
class ServiceDefinition:
    """What makes one service: its settings, indexes, subscriptions, routes and loops."""

    settings: ServiceSettings
    indexes: Sequence[Index] = ()
    subscriptions: Callable[[ServiceRuntime], Mapping[str, Subscription[Any]]] = lambda _: {}
    routers: Sequence[APIRouter] = ()
    background: Sequence[Task] = ()
    on_startup: Task | None = None
    title: str = ""
    clock: Callable[[], datetime] = utc_now
    # A new state for the process (``ServiceRuntime.state``): the service's class, filled by ``on_startup``.
    state: Callable[[], Any] = lambda: None


def get_runtime(request: Request) -> ServiceRuntime:
    """Return the runtime of the service handling the request."""
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime


async def request_runtime(request: Request) -> ServiceRuntime:
    # Dependencies are async: FastAPI runs a plain function in a worker thread, one hop per request.
    return get_runtime(request)


RuntimeDep = Annotated[ServiceRuntime, Depends(request_runtime)]


async def require_internal_token(request: Request) -> None:
    """Refuse internal API calls that do not carry the internal token."""
    runtime = get_runtime(request)
    expected = runtime.settings.internal_token.get_secret_value()
    supplied = request.headers.get("authorization", "").removeprefix("Bearer ")
    if not secrets.compare_digest(supplied.encode(), expected.encode()):
        raise HTTPException(status_code=401, detail="internal token required")


InternalAuth = Depends(require_internal_token)


async def _start(definition: ServiceDefinition, runtime: ServiceRuntime, tasks: list[asyncio.Task[None]]) -> None:
    delay = 0.5
    while True:
        try:
            await runtime.store.ensure_indexes([*OUTBOX_INDEXES, *INBOX_INDEXES, *definition.indexes])
            if definition.on_startup is not None:
                await definition.on_startup(runtime)
            release_free_memory()  # what building the app and loading the start-up data freed
            await runtime.broker.start()
            break
        except asyncio.CancelledError:
            raise
        except Exception as error:
            runtime.startup_error = f"{type(error).__name__}: {error}"[:300]
            log.warning("startup waiting: %s", runtime.startup_error)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)
    runtime.startup_error = None
    runtime.started = True
    assert runtime.relay is not None
    tasks.append(asyncio.create_task(runtime.relay.run(), name="outbox-relay"))
    tasks.append(asyncio.create_task(_housekeeping(runtime), name="housekeeping"))
    tasks.append(asyncio.create_task(_measure_lag(runtime), name="consumer-lag"))
    if runtime.consumer is not None and runtime.consumer.pace is not None:
        tasks.append(asyncio.create_task(runtime.consumer.pace.run(), name="consumer-pace"))
    for loop in definition.background:
        tasks.append(asyncio.create_task(loop(runtime), name=getattr(loop, "__name__", "background")))
    tasks.append(asyncio.create_task(release_free_memory_when_settled(), name="release-free-memory"))
    log.info("%s started", definition.settings.service_name)


async def consumer_lag(runtime: ServiceRuntime) -> dict[str, int]:
    """Return, per topic, how many messages wait to be consumed by this process (0 when not consuming)."""
    subscriber = runtime.consumer.subscriber if runtime.consumer is not None else None
    kafka_consumer = getattr(subscriber, "consumer", None)
    lag: dict[str, int] = {}
    if kafka_consumer is None:
        return lag
    for partition in kafka_consumer.assignment():
        end = kafka_consumer.highwater(partition)
        if end is None:
            continue
        position = await kafka_consumer.position(partition)
        lag[partition.topic] = lag.get(partition.topic, 0) + max(0, end - position)
    return lag


async def _measure_lag(runtime: ServiceRuntime) -> None:
    while True:
        with contextlib.suppress(Exception):
            for topic, waiting in (await consumer_lag(runtime)).items():
                runtime.metrics.consumer_lag.labels(topic).set(waiting)
        await asyncio.sleep(5)


async def _housekeeping(runtime: ServiceRuntime) -> None:
    while True:
        with contextlib.suppress(StoreUnavailableError):
            await purge_expired(runtime.store, runtime.clock())
        # Erasures scrub at once; this catches up one that readers kept busy, and the hourly deletions
        # of expired tokens, documents and messages.
        with contextlib.suppress(StoreUnavailableError):
            await runtime.store.scrub_deleted()
        await asyncio.sleep(3600)


async def readiness(runtime: ServiceRuntime) -> dict[str, str]:
    """Return each dependency's state ("ok" or the reason it is not)."""
    checks: dict[str, str] = {}
    try:
        await asyncio.wait_for(runtime.store.ping(), timeout=2)
        checks["store"] = "ok"
        runtime.metrics.store_up.set(1)
    except Exception as error:
        checks["store"] = f"unavailable: {type(error).__name__}: {str(error)[:120]}"
        runtime.metrics.store_up.set(0)
    if not runtime.started:
        checks["startup"] = f"waiting: {runtime.startup_error or 'starting'}"
    else:
        checks["broker"] = "ok" if await runtime.broker.ping(timeout=2) else "unreachable"
    consumer = runtime.consumer
    if consumer is not None and consumer.store_unavailable_since is not None:
        checks["consumer"] = "paused: store unavailable"
    return checks


class RefuseWritesAboutErasedPeople:
    """An access token outlives an erasure by a few minutes: it must not create data about the person again.

    Plain ASGI rather than ``@app.middleware("http")``: Starlette's BaseHTTPMiddleware wraps every
    answer in a stream and costs every request, reads included.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] == "http" and scope["method"] not in ("GET", "HEAD") and path.startswith("/internal/"):
            runtime: ServiceRuntime | None = getattr(scope["app"].state, "runtime", None)
            if runtime is not None:
                for subject in SUBJECT_IN_PATH.findall(path):
                    if await subject_erased(runtime.store, subject):
                        answer = JSONResponse({"code": "not_found", "params": {"what": "person"}}, status_code=404)
                        await answer(scope, receive, send)
                        return
        await self.app(scope, receive, send)


def create_service_app(definition: ServiceDefinition) -> FastAPI:
    """Return the FastAPI app of a service: internal API, health, metrics, and the event machinery."""
    settings = definition.settings
    name = settings.service_name
    provider = setup_tracing(name, var_dir=settings.var_dir, otlp_endpoint=settings.otlp_endpoint)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        setup_logging(name, settings.log_level)
        registry = new_metrics_registry()
        metrics = ServiceMetrics(registry)
        raw_store = open_store(settings.resolved_store_url, settings.store_database)
        store: Store = (
            TracedStore(raw_store, "sqlite" if settings.resolved_store_url.startswith("sqlite") else "mongodb")
            if settings.trace_store_calls
            else raw_store
        )
        broker = create_broker(settings, registry=registry, tracer_provider=provider)
        outbox = Outbox(settings.topic_prefix)
        runtime: ServiceRuntime = ServiceRuntime(
            settings=settings,
            store=store,
            broker=broker,
            outbox=outbox,
            metrics=metrics,
            state=definition.state(),
            clock=definition.clock,
        )
        runtime.relay = OutboxRelay(store, broker, outbox, service_name=name)
        runtime.consumer = EventConsumer(
            settings=settings,
            store=store,
            outbox=outbox,
            broker=broker,
            subscriptions=definition.subscriptions(runtime),
            metrics=metrics,
            clock=definition.clock,
        )
        runtime.consumer.register()
        metrics.watch_dead_letters(settings.kafka_bootstrap_servers, runtime.consumer.topics)
        app.state.runtime = runtime
        tasks: list[asyncio.Task[None]] = []
        starter = asyncio.create_task(_start(definition, runtime, tasks))
        try:
            yield
        finally:
            starter.cancel()
            # Stop consuming first: FastStream lets in-flight handlers finish (graceful timeout).
            subscriber = runtime.consumer.subscriber
            if subscriber is not None:
                with contextlib.suppress(Exception):
                    await subscriber.stop()
            log.debug("%s: consumers stopped", name)
            # What the last handlers staged leaves before the producer closes.
            await runtime.relay.drain_before_stop()
            log.debug("%s: outbox drained", name)
            for task in tasks:
                task.cancel()
            # Bounded: a stuck task must not keep the process from exiting.
            _, stuck = await asyncio.wait([starter, *tasks], timeout=5)
            if stuck:
                log.warning("%s: tasks still running at shutdown: %s", name, sorted(t.get_name() for t in stuck))
            log.debug("%s: background tasks stopped", name)
            with contextlib.suppress(Exception):
                await broker.stop()
            with contextlib.suppress(Exception):
                await store.close()
            provider.shutdown()
            # One line a person reads: the batch in hand was finished, its events sent, everything closed.
            log.info("%s stopped cleanly", name)

    # The internal API's documents are served below, behind the internal token like the API itself.
    app = FastAPI(
        title=definition.title or f"{name} service (internal API)",
        lifespan=lifespan,
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )

    @app.get("/openapi.json", include_in_schema=False, dependencies=[InternalAuth])
    async def openapi_document() -> JSONResponse:
        return JSONResponse(app.openapi())

    @app.get("/docs", include_in_schema=False, dependencies=[InternalAuth])
    async def swagger_page() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title=f"{app.title} - docs")

    @app.get("/redoc", include_in_schema=False, dependencies=[InternalAuth])
    async def redoc_page() -> HTMLResponse:
        return get_redoc_html(openapi_url="/openapi.json", title=f"{app.title} - ReDoc")

    @app.get("/health/live", include_in_schema=False)
    async def live() -> dict[str, str]:
        return {"status": "alive"}

    @app.get("/health/ready", include_in_schema=False)
    async def ready(runtime: RuntimeDep) -> JSONResponse:
        checks = await readiness(runtime)
        ok = all(v == "ok" for v in checks.values())
        return JSONResponse(
            {"service": name, "status": "ready" if ok else "not-ready", "checks": checks},
            status_code=200 if ok else 503,
        )

    @app.get("/metrics", include_in_schema=False)
    async def metrics_endpoint(runtime: RuntimeDep) -> Response:
        with contextlib.suppress(Exception):
            if runtime.relay is not None:
                runtime.metrics.outbox_backlog.set(await runtime.relay.backlog())
        await runtime.metrics.refresh()
        return Response(generate_latest(runtime.metrics.registry), media_type=CONTENT_TYPE_LATEST)

    install_problem_handlers(app)

    app.add_middleware(RefuseWritesAboutErasedPeople)

    instrument_app(app, provider)
    for router in definition.routers:
        app.include_router(router, dependencies=[InternalAuth])
    return app
