"""The gateway's Prometheus metrics: requests, calls to the services, live connections.

They are served on a port of their own (``GATEWAY_METRICS_PORT``, 9000), never on the public one:
the numbers describe the system to whoever reads them, and only the scraper should.

Requests are labelled by route template (``/v1/me/projects/{project_id}``), never by
the raw path, so no id reaches a label and the number of series stays bounded.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Mapping

import httpx
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.gateway.live import LiveHub
from services.gateway.settings import GatewaySettings

UNMATCHED = "unmatched"  # no route: 404s, and bodies refused before routing
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
SECONDS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)


class GatewayMetrics:
    """The gateway's counters, histograms and gauges, in one registry."""

    def __init__(self, registry: CollectorRegistry, hub: LiveHub) -> None:
        self.registry = registry
        self.requests = Counter(
            "coach_gateway_requests_total",
            "HTTP requests answered, by method, route template and status.",
            ["method", "route", "status"],
            registry=registry,
        )
        self.request_seconds = Histogram(
            "coach_gateway_request_seconds",
            "Time to answer an HTTP request (a live stream: how long it stayed open), by route template and status.",
            ["method", "route", "status"],
            registry=registry,
            buckets=SECONDS,
        )
        self.upstream_seconds = Histogram(
            "coach_gateway_upstream_seconds",
            "Time until a service's answer arrived (headers), by service and status.",
            ["service", "status"],
            registry=registry,
            buckets=SECONDS,
        )
        self.live_connections = Gauge(
            "coach_gateway_live_connections", "Server-sent-event streams open on this replica.", registry=registry
        )
        self.live_connections.set_function(lambda: hub.connections)

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count one answered request."""
        labels = (method if method in METHODS else "OTHER", route, str(status))
        self.requests.labels(*labels).inc()
        self.request_seconds.labels(*labels).observe(seconds)

    def measure_upstream(self, client: httpx.AsyncClient, urls: Mapping[str, str]) -> None:
        """Time every call the client makes to a service, from the request until the answer's headers."""
        started: weakref.WeakKeyDictionary[httpx.Request, float] = weakref.WeakKeyDictionary()

        async def on_request(request: httpx.Request) -> None:
            started[request] = time.perf_counter()

        async def on_response(response: httpx.Response) -> None:
            began = started.pop(response.request, None)
            if began is not None:
                service = service_called(str(response.request.url), urls)
                self.upstream_seconds.labels(service, str(response.status_code)).observe(time.perf_counter() - began)

        hooks = client.event_hooks
        client.event_hooks = {
            "request": [*hooks.get("request", []), on_request],
            "response": [*hooks.get("response", []), on_response],
        }


def service_called(url: str, urls: Mapping[str, str]) -> str:
    """Return the name of the service whose base URL starts the URL ("other" when none does)."""
    matches = [(len(base), name) for name, base in urls.items() if url.startswith(base.rstrip("/") + "/")]
    return max(matches)[1] if matches else "other"


def route_template(scope: Scope) -> str:
    """Return the template of the route that handled the request, never the raw path."""
    path = getattr(scope.get("route"), "path", None)
    return path if isinstance(path, str) and path else UNMATCHED


class RequestMetrics:
    """Counts and times every HTTP request by route template and status (a pure ASGI middleware: streams pass)."""

    def __init__(self, app: ASGIApp, metrics: GatewayMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        began = time.perf_counter()
        status = 500  # what the server answers when the app fails before starting a response

        async def recording(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, recording)
        finally:
            # The router wrote the matched route into this same scope.
            self.metrics.observe_request(scope["method"], route_template(scope), status, time.perf_counter() - began)


def serve_metrics(metrics: GatewayMetrics, settings: GatewaySettings) -> None:
    """Serve the metrics in the Prometheus text format on the metrics port (a daemon thread of the library)."""
    start_http_server(settings.metrics_port, addr=settings.metrics_host, registry=metrics.registry)
