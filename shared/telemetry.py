"""One telemetry setup for every service: traces, metrics registry and JSON logs.

Traces go to an OTLP collector when ``OTEL_EXPORTER_OTLP_ENDPOINT`` is set;
otherwise each service appends its finished spans to ``var/traces/<service>.jsonl``
so that ``make traces`` can print a request's trace without any extra server.
Span attributes and log records carry ids and codes only, never personal data: every span
passes through ``PrivateSpanProcessor`` before export, which drops the caller's address and
user agent and the query strings that HTTP instrumentation records.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import orjson
from opentelemetry import propagate, trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, Span, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult
from prometheus_client import CollectorRegistry

TRACER_NAME = "coach"


class JsonLinesSpanExporter(SpanExporter):
    """Appends finished spans to a JSON-lines file (the default, server-less trace store)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._path = path
        self._lock = threading.Lock()

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        lines = []
        for span in spans:
            ctx = span.get_span_context()
            if ctx is None:
                continue
            parent = span.parent
            lines.append(
                orjson.dumps(
                    {
                        "trace_id": f"{ctx.trace_id:032x}",
                        "span_id": f"{ctx.span_id:016x}",
                        "parent_id": f"{parent.span_id:016x}" if parent else None,
                        "name": span.name,
                        "service": span.resource.attributes.get("service.name"),
                        "start_ns": span.start_time,
                        "end_ns": span.end_time,
                        "status": span.status.status_code.name,
                        "attributes": dict(span.attributes or {}),
                    },
                    default=str,
                )
            )
        with self._lock, self._path.open("ab") as out:
            out.write(b"\n".join(lines) + b"\n")
        return SpanExportResult.SUCCESS


def setup_tracing(service_name: str, *, var_dir: Path, otlp_endpoint: str | None) -> TracerProvider:
    """Return the tracer provider for a service, installed as the global one."""
    provider = TracerProvider(resource=Resource.create({"service.name": service_name}))
    exporter: SpanExporter
    if otlp_endpoint:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        exporter = OTLPSpanExporter(endpoint=otlp_endpoint.rstrip("/") + "/v1/traces")
    else:
        exporter = JsonLinesSpanExporter(var_dir / "traces" / f"{service_name}.jsonl")
    provider.add_span_processor(PrivateSpanProcessor(BatchSpanProcessor(exporter, schedule_delay_millis=500)))
    trace.set_tracer_provider(provider)
    return provider


# What HTTP instrumentation records about the caller (address, port, browser) is personal data, and a
# query string may hold what a person typed, a signed link or a ticket. They are dropped (URLs keep
# their path) from every span before export, whichever instrumentation set them, server or client.
_PERSONAL_ATTRIBUTES = frozenset(
    {
        "client.address",
        "client.port",
        "http.client_ip",
        "net.peer.ip",
        "net.peer.port",
        "net.sock.peer.addr",
        "net.sock.peer.port",
        "network.peer.address",
        "network.peer.port",
        "http.user_agent",
        "user_agent.original",
        "url.query",
    }
)
_PERSONAL_PREFIXES = ("user_agent.", "http.request.header.", "http.response.header.")
_URL_ATTRIBUTES = frozenset({"http.target", "http.url", "url.full"})


def scrub_url(value: str) -> str:
    """Return a URL or target without its query string or fragment (they may hold tokens)."""
    return value.split("?", 1)[0].split("#", 1)[0]


def private_attributes(attributes: Mapping[str, Any]) -> dict[str, Any]:
    """Return span attributes without the caller's address and user agent, and URLs without their query."""
    kept: dict[str, Any] = {}
    for name, value in attributes.items():
        if name in _PERSONAL_ATTRIBUTES or name.startswith(_PERSONAL_PREFIXES):
            continue
        kept[name] = scrub_url(value) if name in _URL_ATTRIBUTES and isinstance(value, str) else value
    return kept


class PrivateSpanProcessor(SpanProcessor):
    """Passes each finished span on to the exporting processor without its personal attributes."""

    def __init__(self, exporting: SpanProcessor) -> None:
        self._exporting = exporting

    def on_start(self, span: Span, parent_context: Context | None = None) -> None:
        self._exporting.on_start(span, parent_context)

    def on_end(self, span: ReadableSpan) -> None:
        self._exporting.on_end(
            ReadableSpan(
                name=span.name,
                context=span.context,
                parent=span.parent,
                resource=span.resource,
                attributes=private_attributes(span.attributes or {}),
                events=span.events,
                links=span.links,
                kind=span.kind,
                status=span.status,
                start_time=span.start_time,
                end_time=span.end_time,
                instrumentation_scope=span.instrumentation_scope,
            )
        )

    def shutdown(self) -> None:
        self._exporting.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self._exporting.force_flush(timeout_millis)


def instrument_app(app: Any, provider: TracerProvider) -> None:
    """Trace every HTTP request of an app (continuing the caller's trace)."""
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    FastAPIInstrumentor.instrument_app(
        app, tracer_provider=provider, excluded_urls="health/.*,metrics", exclude_spans=["receive", "send"]
    )


def instrument_client(client: Any, provider: TracerProvider) -> None:
    """Trace the calls of an httpx client and pass the trace context on (W3C headers)."""
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

    HTTPXClientInstrumentor.instrument_client(client, tracer_provider=provider)


def tracer() -> trace.Tracer:
    """Return the project's tracer."""
    return trace.get_tracer(TRACER_NAME)


def inject_context() -> dict[str, str]:
    """Return the W3C trace context of the current span, as message headers."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier


def extract_context(headers: Mapping[str, str]) -> Context:
    """Return the trace context carried by message headers."""
    return propagate.extract(dict(headers))


class JsonLogFormatter(logging.Formatter):
    """One JSON object per line, with the current trace and span ids."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        span = trace.get_current_span().get_span_context()
        if span.is_valid:
            entry["trace_id"] = f"{span.trace_id:032x}"
            entry["span_id"] = f"{span.span_id:016x}"
        service = getattr(record, "service", None)
        if service:
            entry["service"] = service
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return orjson.dumps(entry).decode()


class HumanLogFormatter(logging.Formatter):
    """One short line a person reads at a terminal: time, service, level, message (and the error, if any).

    Under ``make run`` the process manager already starts each line with the time and the service's
    name (``LOG_PREFIXED=1``), so the line then holds the level and the message only.
    """

    def __init__(self, *, prefixed: bool = False) -> None:
        super().__init__()
        self.prefixed = prefixed

    def format(self, record: logging.LogRecord) -> str:
        line = f"{record.levelname.lower():<7} {record.getMessage()}"
        if not self.prefixed:
            service = getattr(record, "service", "") or record.name
            line = f"{self.formatTime(record, '%H:%M:%S')} {service} | {line}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


# What a process logs at INFO for its own sake (server start-up lines, per-message lines of the broker
# client, partition assignments): kept for whoever asks for DEBUG, not shown to a person at a terminal.
CHATTY_LOGGERS = ("aiokafka", "httpx", "httpcore", "faststream", "uvicorn.error", "uvicorn.access")


def log_format(environ: Mapping[str, str] | None = None, stream: Any = None) -> str:
    """Return "json" or "human": LOG_FORMAT when set, else human at a terminal and JSON anywhere else."""
    chosen = (environ if environ is not None else os.environ).get("LOG_FORMAT", "").strip().lower()
    if chosen in ("json", "human"):
        return chosen
    out = stream if stream is not None else sys.stderr
    return "human" if hasattr(out, "isatty") and out.isatty() else "json"


def setup_logging(service_name: str, level: str = "INFO") -> None:
    """Send logs to standard error, tagged with the service name: JSON lines for machines, or one short
    line per event for a person at a terminal (``log_format``)."""
    handler = logging.StreamHandler(sys.stderr)
    human = HumanLogFormatter(prefixed=os.environ.get("LOG_PREFIXED") == "1")
    handler.setFormatter(human if log_format() == "human" else JsonLogFormatter())

    def add_service(record: logging.LogRecord) -> bool:
        record.service = service_name
        return True

    handler.addFilter(add_service)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Client chatter (coordinator changes, heartbeats, partition assignments, start-up banners) is noise
    # at INFO; at DEBUG everything shows.
    if level.upper() != "DEBUG":
        for name in CHATTY_LOGGERS:
            logging.getLogger(name).setLevel(logging.WARNING)


def new_metrics_registry() -> CollectorRegistry:
    """Return a fresh Prometheus registry for one service."""
    return CollectorRegistry()
