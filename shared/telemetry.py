"""One telemetry setup for every service: traces, metrics registry and JSON logs.

Traces go to an OTLP collector when ``OTEL_EXPORTER_OTLP_ENDPOINT`` is set;
otherwise each service appends its finished spans to ``var/traces/<service>.jsonl``
(rotated at 20 MB to ``<service>.jsonl.1``, one previous file kept) so that ``make traces``
can print a request's trace without any extra server.

Which traces are kept follows the standard ``OTEL_TRACES_SAMPLER`` / ``OTEL_TRACES_SAMPLER_ARG``
(``parentbased_traceidratio`` and ``0.1`` keep one trace in ten, decided where the trace starts and
followed by every service it reaches). A trace the sampler leaves out is still recorded, not exported:
its trace context still travels in every HTTP call and event header, and if one of its spans ends in
error (a failed handler, a dead-lettered event) the spans this process recorded for that trace are
exported after all (``KeepErrorsSpanProcessor``).
Span attributes and log records carry ids and codes only, never personal data: every span
passes through ``PrivateSpanProcessor`` before export, which drops the caller's address and
user agent and the query strings that HTTP instrumentation records.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import orjson
from opentelemetry import propagate, trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, Span, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult
from opentelemetry.sdk.trace.sampling import (
    ALWAYS_OFF,
    ALWAYS_ON,
    Decision,
    ParentBased,
    Sampler,
    SamplingResult,
    TraceIdRatioBased,
)
from opentelemetry.trace import SpanContext, StatusCode, TraceFlags
from opentelemetry.util.types import Attributes
from prometheus_client import CollectorRegistry

TRACER_NAME = "coach"
# A local trace file is rotated past this size; one previous file is kept (``<service>.jsonl.1``), so a
# service's traces never take more than twice this on disk.
TRACE_FILE_MAX_BYTES = 20 * 1024 * 1024


class JsonLinesSpanExporter(SpanExporter):
    """Appends finished spans to a JSON-lines file (the default, server-less trace store)."""

    def __init__(self, path: Path, *, max_bytes: int = TRACE_FILE_MAX_BYTES) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._path = path
        self._previous = path.with_name(path.name + ".1")
        self._max_bytes = max_bytes
        self._lock = threading.Lock()
        self._size = path.stat().st_size if path.exists() else 0

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
        if not lines:
            return SpanExportResult.SUCCESS
        data = b"\n".join(lines) + b"\n"
        with self._lock:
            if self._size and self._size + len(data) > self._max_bytes:
                # Whole lines only: a batch never straddles two files, so neither file ends mid-span.
                # Deleted meanwhile (make clean): start a new one all the same.
                with contextlib.suppress(FileNotFoundError):
                    os.replace(self._path, self._previous)
                self._size = 0
            with self._path.open("ab") as out:
                out.write(data)
            self._size += len(data)
        return SpanExportResult.SUCCESS


class KeepErrorsSampler(Sampler):
    """Samples as the configured sampler does, but records what it leaves out instead of dropping it.

    A span left out is RECORD_ONLY: it is not flagged sampled, so the services it reaches leave it out
    too (parent-based), yet it ends with a status that ``KeepErrorsSpanProcessor`` can read, so a trace
    that fails is exported whatever the ratio. The price: spans are still built when not sampled (see
    docs/PERFORMANCE.md, "Cost of tracing"); what sampling saves is their export.
    """

    def __init__(self, inner: Sampler) -> None:
        self.inner = inner

    def should_sample(
        self,
        parent_context: Context | None,
        trace_id: int,
        name: str,
        kind: trace.SpanKind | None = None,
        attributes: Attributes = None,
        links: Sequence[trace.Link] | None = None,
        trace_state: trace.TraceState | None = None,
    ) -> SamplingResult:
        result = self.inner.should_sample(parent_context, trace_id, name, kind, attributes, links, trace_state)
        if result.decision is Decision.DROP:
            # The span starts with the attributes the result carries: a dropping sampler carries none.
            return SamplingResult(Decision.RECORD_ONLY, attributes, result.trace_state)
        return result

    def get_description(self) -> str:
        return f"KeepErrors{{{self.inner.get_description()}}}"


SAMPLERS = (
    "always_on",
    "always_off",
    "traceidratio",
    "parentbased_always_on",
    "parentbased_always_off",
    "parentbased_traceidratio",
)


def sampler_from_env(environ: Mapping[str, str] | None = None) -> Sampler:
    """Return the sampler the standard ``OTEL_TRACES_SAMPLER`` and ``OTEL_TRACES_SAMPLER_ARG`` name.

    Default: ``parentbased_always_on`` (every trace), as the OpenTelemetry specification says. An
    unknown name or ratio is refused at start-up rather than silently tracing everything or nothing.
    ``TRACES_KEEP_ERRORS=false`` (ours, not a standard variable) drops what the sampler leaves out
    instead of recording it: much cheaper (no span is built, nor any store span under it), but a
    failed trace is then kept only at the ratio (docs/PERFORMANCE.md, "Cost of tracing").
    """
    env = environ if environ is not None else os.environ
    name = env.get("OTEL_TRACES_SAMPLER", "").strip().lower() or "parentbased_always_on"
    parent_based = name.startswith("parentbased_")
    root_name = name.removeprefix("parentbased_")
    root: Sampler
    if root_name == "always_on":
        root = ALWAYS_ON
    elif root_name == "always_off":
        root = ALWAYS_OFF
    elif root_name == "traceidratio":
        raw = env.get("OTEL_TRACES_SAMPLER_ARG", "").strip() or "1.0"
        try:
            ratio = float(raw)
        except ValueError:
            raise ValueError(f"OTEL_TRACES_SAMPLER_ARG must be a ratio between 0 and 1, not {raw!r}") from None
        if not 0.0 <= ratio <= 1.0:
            raise ValueError(f"OTEL_TRACES_SAMPLER_ARG must be a ratio between 0 and 1, not {raw!r}")
        root = TraceIdRatioBased(ratio)
    else:
        raise ValueError(f"OTEL_TRACES_SAMPLER={name!r} is not one of {', '.join(SAMPLERS)}")
    chosen = ParentBased(root) if parent_based else root
    keep_errors = env.get("TRACES_KEEP_ERRORS", "").strip().lower() or "true"
    if keep_errors not in ("true", "false"):
        raise ValueError(f"TRACES_KEEP_ERRORS must be true or false, not {keep_errors!r}")
    return KeepErrorsSampler(chosen) if keep_errors == "true" else chosen


def setup_tracing(service_name: str, *, var_dir: Path, otlp_endpoint: str | None) -> TracerProvider:
    """Return the tracer provider for a service, installed as the global one."""
    provider = tracer_provider(service_name, var_dir=var_dir, otlp_endpoint=otlp_endpoint)
    trace.set_tracer_provider(provider)
    return provider


def tracer_provider(
    service_name: str, *, var_dir: Path, otlp_endpoint: str | None, environ: Mapping[str, str] | None = None
) -> TracerProvider:
    """Return a service's tracer provider: its sampler, the private and error-keeping processors, the exporter."""
    provider = TracerProvider(
        resource=Resource.create({"service.name": service_name}), sampler=sampler_from_env(environ)
    )
    exporter: SpanExporter
    if otlp_endpoint:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        exporter = OTLPSpanExporter(endpoint=otlp_endpoint.rstrip("/") + "/v1/traces")
    else:
        exporter = JsonLinesSpanExporter(var_dir / "traces" / f"{service_name}.jsonl")
    provider.add_span_processor(
        KeepErrorsSpanProcessor(PrivateSpanProcessor(BatchSpanProcessor(exporter, schedule_delay_millis=500)))
    )
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


# Whether an attribute name is one private_attributes drops or rewrites; spans reuse few names.
_PRIVATE_NAME: dict[str, bool] = {}


def _has_private_names(attributes: Mapping[str, Any] | None) -> bool:
    """Return True when private_attributes could change these attributes (judged on their names)."""
    if not attributes:
        return False
    for name in attributes:
        private = _PRIVATE_NAME.get(name)
        if private is None:
            private = name in _PERSONAL_ATTRIBUTES or name.startswith(_PERSONAL_PREFIXES) or name in _URL_ATTRIBUTES
            if len(_PRIVATE_NAME) < 4096:  # bounded: names are few, but nothing here may grow without end
                _PRIVATE_NAME[name] = private
        if private:
            return True
    return False


def _is_local_root(span: ReadableSpan) -> bool:
    return span.parent is None or span.parent.is_remote


class KeepErrorsSpanProcessor(SpanProcessor):
    """Passes sampled spans on; of the others, only those of a local trace in which a span failed.

    Spans of a trace that was not sampled wait in a buffer until the span that started the trace in
    this process (its local root: a request, a handled event) ends. If a span of the trace ended in
    error meanwhile, the buffered spans are passed on, and so is every later span of that trace here
    (its parents end after it); otherwise they are forgotten. Only this process's part of the trace is
    kept: the services the trace went on to keep theirs only if they failed too.

    The buffer is bounded (``max_spans``): past it the oldest trace's spans are forgotten, so a trace
    whose root never ends, or a flood, costs memory up to the bound and no more.
    """

    def __init__(self, exporting: SpanProcessor, *, max_spans: int = 2048, max_failed_traces: int = 1024) -> None:
        self._exporting = exporting
        self._max_spans = max_spans
        self._max_failed = max_failed_traces
        self._buffered: OrderedDict[int, list[ReadableSpan]] = OrderedDict()
        self._count = 0
        self._failed: OrderedDict[int, None] = OrderedDict()
        self._lock = threading.Lock()

    def on_start(self, span: Span, parent_context: Context | None = None) -> None:
        self._exporting.on_start(span, parent_context)

    def on_end(self, span: ReadableSpan) -> None:
        context = span.context
        if context is None or context.trace_flags.sampled:
            self._exporting.on_end(span)
            return
        trace_id = context.trace_id
        kept: list[ReadableSpan] = []
        with self._lock:
            if trace_id in self._failed:
                kept = [span]
            elif span.status.status_code is StatusCode.ERROR:
                kept = [*self._drop(trace_id), span]
                self._failed[trace_id] = None
                if len(self._failed) > self._max_failed:
                    self._failed.popitem(last=False)
            elif _is_local_root(span):
                self._drop(trace_id)
            else:
                self._buffered.setdefault(trace_id, []).append(span)
                self._count += 1
                while self._count > self._max_spans:
                    _, forgotten = self._buffered.popitem(last=False)
                    self._count -= len(forgotten)
        for each in kept:
            self._exporting.on_end(each)

    def _drop(self, trace_id: int) -> list[ReadableSpan]:
        spans = self._buffered.pop(trace_id, [])
        self._count -= len(spans)
        return spans

    def shutdown(self) -> None:
        self._exporting.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self._exporting.force_flush(timeout_millis)


class PrivateSpanProcessor(SpanProcessor):
    """Passes each finished span on to the exporting processor without its personal attributes.

    What reaches it is to be exported: the copy is flagged sampled, since the exporting processor
    passes over spans that are not (an errored span of a trace left out by the sampler).
    """

    def __init__(self, exporting: SpanProcessor) -> None:
        self._exporting = exporting

    def on_start(self, span: Span, parent_context: Context | None = None) -> None:
        self._exporting.on_start(span, parent_context)

    def on_end(self, span: ReadableSpan) -> None:
        context = span.context
        if (context is None or context.trace_flags.sampled) and not _has_private_names(span.attributes):
            # Nothing to drop and already flagged sampled: most spans (the store's, the consumers'). A copy
            # per span was a good part of what tracing cost a service.
            self._exporting.on_end(span)
            return
        self._exporting.on_end(
            ReadableSpan(
                name=span.name,
                context=_sampled(span.context),
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


def _sampled(context: SpanContext | None) -> SpanContext | None:
    if context is None or context.trace_flags.sampled:
        return context
    return SpanContext(
        context.trace_id,
        context.span_id,
        context.is_remote,
        TraceFlags(context.trace_flags | TraceFlags.SAMPLED),
        context.trace_state,
    )


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
