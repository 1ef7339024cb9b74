"""Operations: one trace per request through every hop, metrics per service, JSON logs with trace ids.

Spans are read from the local trace files (``var/traces/*.jsonl``), the same ones
``make traces`` prints. No attribute of any span holds a name, an email address or
a text the person typed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import httpx
import orjson
import pytest

from deploy.ops.traces import Span, load_spans, render
from tests.support.journey import COMPLETE_PROJECT, sign_up
from tests.support.system import Broker, System, eventually, start_system

pytestmark = pytest.mark.integration
EXPECTED = {"gateway", "profile", "diagnostic", "advice", "notifications", "volunteers"}


@pytest.fixture(scope="module")
async def system(broker: Broker, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[System]:
    running = await start_system(broker, tmp_path_factory.mktemp("operations") / "var")
    yield running
    running.stop()


async def test_one_request_is_one_trace_through_every_service(system: System) -> None:
    secret = "Théodule-Marcassin-7731"
    async with httpx.AsyncClient(base_url=system.url("gateway"), timeout=15) as client:
        person = await sign_up(client)
        await client.patch(
            "/v1/me/profile",
            headers=person.auth,
            json={
                "revision": 0,
                "profile": {
                    "year_of_birth": 1968,
                    "highest_degree": "CAP_BEP",
                    "gender": "FEMININE",
                    "frustrations": ["NO_OFFER_ANSWERS"],
                    "custom_frustrations": [secret],
                },
            },
        )
        saved = await client.post(
            "/v1/me/projects", headers=person.auth, json={"revision": 1, "project": COMPLETE_PROJECT}
        )
        assert saved.status_code == 201

    def request_trace() -> list[Span] | None:
        for spans in load_spans(system.var_dir / "traces").values():
            if any(s.service == "gateway" and s.name.startswith("POST /v1/me/projects") for s in spans):
                services = {s.service for s in spans}
                names = {s.name for s in spans}
                if services >= EXPECTED and "smtp.send" in names and any("action-due" in n for n in names):
                    return spans
        return None

    try:
        spans = await eventually(request_trace, timeout=45, interval=1)
    except AssertionError:
        pytest.fail(
            "no single trace reached every service:\n"
            + "\n\n".join(
                render(s)
                for s in load_spans(system.var_dir / "traces").values()
                if any(x.name.startswith("POST /v1/me/projects") for x in s)
            )
        )
    tree = render(spans)
    print(tree)
    kinds = Counter(s.name.split(" ")[0] for s in spans)
    assert kinds["store.transaction"] > 0 and kinds["handle"] >= 4, tree  # a span per store call and per handler
    assert any(s.name.startswith("email ") for s in spans) and any(s.service == "volunteers" for s in spans)
    # Every span but the root has its parent in the same trace: one tree, not pieces.
    ids = {s.span_id for s in spans}
    assert sum(1 for s in spans if s.parent_id not in ids) == 1, tree

    everything: list[dict[str, Any]] = [s.attributes for t in load_spans(system.var_dir / "traces").values() for s in t]
    text = orjson.dumps(everything).decode()
    for personal in (person.first_name, person.email or "?", secret, "Marcassin"):
        assert personal not in text, f"{personal!r} found in span attributes"


async def test_every_service_exposes_its_metrics_and_logs_json_with_trace_ids(system: System) -> None:
    async with httpx.AsyncClient(timeout=10) as client:
        for service in ("profile", "diagnostic", "advice", "notifications", "volunteers", "partners"):
            metrics = (await client.get(system.url(service) + "/metrics")).text
            for family in (
                "coach_handler_seconds",
                "coach_consumer_lag",
                "coach_handler_retries_total",
                "coach_dlq_messages_total",
                "coach_outbox_backlog",
                "coach_events_total",
            ):
                assert f"# TYPE {family}" in metrics, (service, family)
            if service != "profile":
                assert "coach_events_total{" in metrics and 'outcome="applied"' in metrics, service
        notifications = (await client.get(system.url("notifications") + "/metrics")).text
        assert 'coach_emails_sent_total{campaign="welcome",status="sent"}' in notifications

    lines = [orjson.loads(line) for line in system.log("notifications").splitlines() if line.startswith("{")]
    assert lines and all({"time", "level", "message", "service"} <= set(line) for line in lines)
    sent = [line for line in lines if line["message"].endswith("sent")]
    assert sent and all(len(line["trace_id"]) == 32 and len(line["span_id"]) == 16 for line in sent)
