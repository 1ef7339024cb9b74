"""Tracing that operations can afford: sampling that keeps errors and propagation, bounded local files,
no spans from idle loops, and ``make traces`` that survives a damaged file."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from opentelemetry import propagate, trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import StatusCode

from deploy.ops.traces import main as traces_main
from deploy.ops.traces import read_spans
from shared.outbox import Outbox, OutboxRelay
from shared.store.sqlite import SqliteStore
from shared.store.traced import TracedStore
from shared.telemetry import (
    JsonLinesSpanExporter,
    KeepErrorsSpanProcessor,
    PrivateSpanProcessor,
    sampler_from_env,
)
from tests.unit.shared.fakes import RecordingBroker, record
from tests.unit.shared.test_consumer import Counter, consumer, revision

NOT_SAMPLED_PARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00"
SAMPLED_PARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


def sampled(traceparent: str) -> bool:
    return bool(int(traceparent.rsplit("-", 1)[1], 16) & 1)  # the W3C "sampled" flag (bit 0)


def provider_at(ratio: str, exported: InMemorySpanExporter, **keep: int) -> TracerProvider:
    sampler = sampler_from_env({"OTEL_TRACES_SAMPLER": "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG": ratio})
    provider = TracerProvider(sampler=sampler)
    provider.add_span_processor(KeepErrorsSpanProcessor(PrivateSpanProcessor(SimpleSpanProcessor(exported)), **keep))
    return provider


@pytest.fixture
def global_spans() -> InMemorySpanExporter:
    """The spans of the global provider (the one ``tracer()`` and the store wrapper use), from now on.

    The global provider can be set once per process: another test may have set it (``setup_tracing``),
    in which case this exporter is added beside its own.
    """
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        trace.set_tracer_provider(TracerProvider(sampler=sampler_from_env({})))
        provider = trace.get_tracer_provider()
    assert isinstance(provider, TracerProvider)
    exporter: InMemorySpanExporter | None = getattr(provider, "_test_exporter", None)
    if exporter is None:
        exporter = InMemorySpanExporter()
        provider.add_span_processor(KeepErrorsSpanProcessor(PrivateSpanProcessor(SimpleSpanProcessor(exporter))))
        provider._test_exporter = exporter  # type: ignore[attr-defined]
    exporter.clear()
    return exporter


def test_the_standard_variables_choose_the_sampler_and_bad_values_are_refused() -> None:
    assert (
        "TraceIdRatioBased{0.1}"
        in sampler_from_env(
            {"OTEL_TRACES_SAMPLER": "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG": "0.1"}
        ).get_description()
    )
    assert "ParentBased{root:AlwaysOnSampler" in sampler_from_env({}).get_description()
    for wrong in (
        {"OTEL_TRACES_SAMPLER": "sometimes"},
        {"OTEL_TRACES_SAMPLER": "traceidratio", "OTEL_TRACES_SAMPLER_ARG": "2"},
    ):
        with pytest.raises(ValueError, match="OTEL_TRACES_SAMPLER"):
            sampler_from_env(wrong)


def test_without_keeping_failures_a_trace_left_out_is_not_even_recorded_yet_its_context_travels() -> None:
    env = {"OTEL_TRACES_SAMPLER": "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG": "0"}
    assert "KeepErrors" not in sampler_from_env(env | {"TRACES_KEEP_ERRORS": "false"}).get_description()
    with pytest.raises(ValueError, match="TRACES_KEEP_ERRORS"):
        sampler_from_env(env | {"TRACES_KEEP_ERRORS": "maybe"})
    exported = InMemorySpanExporter()
    provider = TracerProvider(sampler=sampler_from_env(env | {"TRACES_KEEP_ERRORS": "false"}))
    provider.add_span_processor(KeepErrorsSpanProcessor(PrivateSpanProcessor(SimpleSpanProcessor(exported))))
    with pytest.raises(ValueError, match="cannot apply"), provider.get_tracer("t").start_as_current_span("h") as span:
        recording = span.is_recording()
        headers: dict[str, str] = {}
        propagate.inject(headers)
        raise ValueError("cannot apply")
    assert not recording and exported.get_finished_spans() == ()
    assert headers["traceparent"].startswith(f"00-{span.get_span_context().trace_id:032x}-")


def test_a_trace_left_out_is_not_exported_but_its_context_still_travels() -> None:
    upstream, downstream = InMemorySpanExporter(), InMemorySpanExporter()
    with provider_at("0", upstream).get_tracer("t").start_as_current_span("POST /v1/me/projects") as span:
        headers: dict[str, str] = {}
        propagate.inject(headers)
    trace_id = f"{span.get_span_context().trace_id:032x}"
    assert headers["traceparent"].startswith(f"00-{trace_id}-") and not sampled(headers["traceparent"])

    # The next service continues the same trace, and leaves it out too (parent-based), without a ratio of its own.
    with (
        provider_at("1", downstream)
        .get_tracer("t")
        .start_as_current_span("handle profile-updated", context=propagate.extract(headers)) as handled
    ):
        assert handled.is_recording() and not handled.get_span_context().trace_flags.sampled
        onwards: dict[str, str] = {}
        propagate.inject(onwards)
    assert f"{handled.get_span_context().trace_id:032x}" == trace_id and not sampled(onwards["traceparent"])
    assert upstream.get_finished_spans() == () and downstream.get_finished_spans() == ()


def test_a_sampled_trace_is_exported_by_every_service_it_reaches() -> None:
    exported = InMemorySpanExporter()
    with (
        provider_at("0", exported)
        .get_tracer("t")
        .start_as_current_span("handle profile-updated", context=propagate.extract({"traceparent": SAMPLED_PARENT}))
    ):
        pass
    assert [s.name for s in exported.get_finished_spans()] == ["handle profile-updated"]


def test_a_failed_trace_is_exported_whole_when_not_sampled_and_a_quiet_one_is_forgotten() -> None:
    exported = InMemorySpanExporter()
    tracer = provider_at("0", exported).get_tracer("t")
    with tracer.start_as_current_span("quiet request"), tracer.start_as_current_span("store.get profiles"):
        pass
    assert exported.get_finished_spans() == ()

    with pytest.raises(ValueError, match="cannot apply"), tracer.start_as_current_span("POST /v1/me/projects") as root:
        with tracer.start_as_current_span("store.get profiles"):
            pass
        with tracer.start_as_current_span("handle"):
            raise ValueError("cannot apply")
    names = [s.name for s in exported.get_finished_spans()]
    assert names == ["store.get profiles", "handle", "POST /v1/me/projects"]
    assert {s.context.trace_id for s in exported.get_finished_spans() if s.context} == {
        root.get_span_context().trace_id
    }
    assert [s.status.status_code for s in exported.get_finished_spans()][1:] == [StatusCode.ERROR, StatusCode.ERROR]


def test_the_spans_waiting_for_their_trace_to_end_are_bounded() -> None:
    exported = InMemorySpanExporter()
    keeper = KeepErrorsSpanProcessor(PrivateSpanProcessor(SimpleSpanProcessor(exported)), max_spans=10)
    provider = TracerProvider(sampler=sampler_from_env({"OTEL_TRACES_SAMPLER": "parentbased_always_off"}))
    provider.add_span_processor(keeper)
    tracer = provider.get_tracer("t")
    roots = [tracer.start_span(f"request {n}") for n in range(30)]  # never ended: their children wait
    for root in roots:
        with tracer.start_as_current_span("store.get", context=trace.set_span_in_context(root)):
            pass
    assert keeper._count <= 10 and len(keeper._buffered) <= 10


async def test_a_dead_lettered_event_is_exported_in_its_trace_when_not_sampled(
    global_spans: InMemorySpanExporter,
) -> None:
    store, broker = SqliteStore(":memory:"), RecordingBroker()
    failing = record("t.profile-updated", revision(2), 2)
    failing = dataclasses.replace(failing, headers=[("traceparent", NOT_SAMPLED_PARENT.encode())])
    await consumer(store, broker, Counter(fail_on={2})).process([failing])
    (dead,) = broker.published
    assert dead.headers["traceparent"] == NOT_SAMPLED_PARENT  # the event keeps its trace on the DLQ
    (span,) = [s for s in global_spans.get_finished_spans() if s.name.startswith("dead-letter")]
    assert span.status.status_code is StatusCode.ERROR and span.context is not None
    assert f"{span.context.trace_id:032x}" == NOT_SAMPLED_PARENT.split("-")[1]
    assert span.attributes is not None and span.attributes.get("error.type") == "ValueError"
    # The three failed attempts too: each ended in error.
    assert sum(1 for s in global_spans.get_finished_spans() if s.name == "handle profile-updated") == 3


async def test_an_idle_poll_makes_no_span_and_a_store_call_in_a_request_does(
    global_spans: InMemorySpanExporter,
) -> None:
    store = TracedStore(SqliteStore(":memory:"), "sqlite")
    relay = OutboxRelay(store, RecordingBroker(), Outbox(), service_name="test")  # type: ignore[arg-type]
    assert await relay.drain() == 0  # the lease taken, the outbox found empty
    assert await relay.drain() == 0  # the lease renewed
    assert global_spans.get_finished_spans() == ()

    with trace.get_tracer("test").start_as_current_span("GET /v1/me/profile"):
        await store.collection("profiles").get("u1")
    assert [s.name for s in global_spans.get_finished_spans()] == ["store.get profiles", "GET /v1/me/profile"]


def test_local_trace_files_are_rotated_at_the_cap_keeping_one_previous_file(tmp_path: Path) -> None:
    exported = tmp_path / "traces" / "profile.jsonl"
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(JsonLinesSpanExporter(exported, max_bytes=4000)))
    tracer = provider.get_tracer("t")
    for n in range(100):
        with tracer.start_as_current_span(f"request {n}"):
            pass
    previous = exported.with_name("profile.jsonl.1")
    assert previous.exists() and exported.stat().st_size <= 4000 and previous.stat().st_size <= 4000
    assert sorted(exported.parent.iterdir()) == [exported, previous]  # one previous file, no more
    spans, skipped = read_spans(exported.parent)
    names = [s.name for t in spans.values() for s in t]
    assert skipped == 0 and "request 99" in names and len(names) < 100  # the oldest were rotated away
    # Every line of both files is whole: the rotation happens between batches, never within a line.
    assert all(line.endswith("}") for f in (exported, previous) for line in f.read_text().splitlines())


def test_make_traces_skips_a_truncated_line_and_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(JsonLinesSpanExporter(tmp_path / "gateway.jsonl")))
    with provider.get_tracer("t").start_as_current_span("POST /v1/me/projects"):
        pass
    whole = (tmp_path / "gateway.jsonl").read_text()
    (tmp_path / "gateway.jsonl").write_text(whole + whole[: len(whole) // 2] + "\n")  # a write cut short
    (tmp_path / "profile.jsonl.1").write_text('{"trace_id": 7}\n[1, 2]\n')  # not spans at all

    spans, skipped = read_spans(tmp_path)
    assert skipped == 3 and [s.name for t in spans.values() for s in t] == ["POST /v1/me/projects"]
    assert traces_main(["--dir", str(tmp_path), "--last"]) == 0
    out, err = capsys.readouterr()
    assert "POST /v1/me/projects" in out and "3 unreadable line(s) skipped" in err
