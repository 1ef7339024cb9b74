"""Operations: one trace per request through every hop, metrics per service, JSON logs with trace ids.

Spans are read from the local trace files (``var/traces/*.jsonl``), the same ones
``make traces`` prints. No attribute of any span holds a name, an email address, a
text the person typed, the caller's address or browser, or a query string.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import AsyncIterator

import httpx
import orjson
import pytest
from aiokafka import AIOKafkaProducer

from deploy.ops.traces import Span, load_spans, render
from shared.metrics import kafka_topic_sizes
from tests.support.journey import COMPLETE_PROJECT, complete_profile, sign_up
from tests.support.system import Broker, System, eventually, start_system

pytestmark = pytest.mark.integration
# The volunteers service is no longer in a save's trace: it followed action-due to make help requests on
# the person's behalf, and now only the person makes one (a request of its own, its own trace).
EXPECTED = {"gateway", "profile", "diagnostic", "advice", "notifications"}
# What HTTP instrumentation records about the caller, and query strings: none may reach a span.
PERSONAL_KEYS = {
    "net.peer.ip",
    "net.peer.port",
    "client.address",
    "client.port",
    "network.peer.address",
    "network.peer.port",
    "http.client_ip",
    "http.user_agent",
    "user_agent.original",
    "url.query",
}
# Locally every service listens on 127.0.0.1: only the attributes naming the server may hold it.
SERVER_KEYS = {
    "server.address",
    "http.host",
    "http.server_name",
    "net.host.name",
    "net.peer.name",
    "http.url",
    "url.full",
}
QUERY_WITH_VALUES = re.compile(r"\?[^\s=&]+=")
BROWSER = "Mozilla/5.0 (TraceTest; Teodulo) Gecko/20100101 Firefox/133.0"


@pytest.fixture(scope="module")
async def system(broker: Broker, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[System]:
    running = await start_system(broker, tmp_path_factory.mktemp("operations") / "var")
    yield running
    running.stop()


async def test_one_request_is_one_trace_through_every_service(system: System) -> None:
    secret = "Théodule-Marcassin-7731"
    async with httpx.AsyncClient(base_url=system.url("gateway"), timeout=15, headers={"user-agent": BROWSER}) as client:
        person = await sign_up(client)
        # Query strings through the gateway (what the person typed) and on to the services.
        typed = await client.get("/v1/reference/job-titles", params={"q": "Marcassin"})
        assert typed.status_code == 200
        await client.get("/v1/me/plan", params={"view": "week"}, headers=person.auth)  # 404 before any project
        await client.patch(
            "/v1/me/profile",
            headers=person.auth,
            json={
                "revision": 0,
                "questionnaire_finished": True,  # the welcome email waits for it
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

    def roots(spans: list[Span]) -> int:
        ids = {s.span_id for s in spans}
        return sum(1 for s in spans if s.parent_id not in ids)

    def request_trace() -> list[Span] | None:
        for spans in load_spans(system.var_dir / "traces").values():
            if any(s.service == "gateway" and s.name.startswith("POST /v1/me/projects") for s in spans):
                services = {s.service for s in spans}
                names = {s.name for s in spans}
                # Each process exports its spans in batches of its own (every 500 ms): a consumer's span
                # can be on disk before the publisher's span it hangs from, so wait for the whole tree.
                whole = roots(spans) == 1
                if whole and services >= EXPECTED and "smtp.send" in names and any("action-due" in n for n in names):
                    return spans
        return None

    try:
        spans = await eventually(request_trace, timeout=45, interval=1)
    except AssertionError:
        pytest.fail(
            "no single trace, one tree, reached every service:\n"
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
    assert any(s.name.startswith("email ") for s in spans)
    # Every span but the root has its parent in the same trace: one tree, not pieces.
    assert roots(spans) == 1, tree

    def query_spans() -> list[Span] | None:
        spans = [s for t in load_spans(system.var_dir / "traces").values() for s in t]
        wanted = ("GET /v1/reference/job-titles", "GET /internal/plans/{subject}")
        return spans if all(any(s.name.startswith(w) for s in spans) for w in wanted) else None

    everything = await eventually(query_spans, timeout=10, interval=0.5)
    text = orjson.dumps([s.attributes for s in everything]).decode()
    for personal in (person.first_name, person.email or "?", secret, "Marcassin", "Teodulo"):
        assert personal not in text, f"{personal!r} found in span attributes"
    for span in everything:
        assert not PERSONAL_KEYS & set(span.attributes), (span.name, sorted(PERSONAL_KEYS & set(span.attributes)))
        assert not any(k.startswith(("user_agent.", "http.request.header.")) for k in span.attributes), span.name
        for key, value in span.attributes.items():
            assert "127.0.0.1" not in str(value) or key in SERVER_KEYS, (span.name, key, value)
            assert not QUERY_WITH_VALUES.search(str(value)), (span.name, key, value)


async def test_every_service_exposes_its_metrics_and_logs_json_with_trace_ids(system: System) -> None:
    dlq = system.prefix + "profile-updated.dlq"
    before = (await kafka_topic_sizes(system.broker.bootstrap, [dlq])).get(dlq, 0)
    producer = AIOKafkaProducer(bootstrap_servers=system.broker.bootstrap)
    await producer.start()
    for n in range(3):
        await producer.send_and_wait(dlq, b"{}", key=f"u_00000000000000d{n}".encode())
    await producer.stop()
    assert await kafka_topic_sizes(system.broker.bootstrap, [dlq, system.prefix + "user-erased.dlq"]) == {
        dlq: before + 3,
        system.prefix + "user-erased.dlq": 0,
    }

    # An account deleted: every consumer applies its user-erased (the volunteers service follows no other
    # event since it stopped making help requests from action-due).
    async with httpx.AsyncClient(base_url=system.url("gateway"), timeout=10) as gateway:
        leaving = await sign_up(gateway)
        assert (await gateway.delete("/v1/me", headers=leaving.auth)).status_code == 202
        # A welcome email of this test's own (it names the first diagnosis): the test runs alone too.
        staying = await sign_up(gateway)
        await complete_profile(gateway, staying)

    async with httpx.AsyncClient(timeout=10) as client:

        async def applied(service: str) -> bool:
            return 'outcome="applied"' in (await client.get(system.url(service) + "/metrics")).text

        # Every consumer, not only the volunteers service: partners polls at the idle pace
        # (a background consumer), so it applies the erasure up to about a second later.
        for service in ("diagnostic", "advice", "notifications", "volunteers", "partners"):
            await eventually(lambda service=service: applied(service), timeout=20, interval=0.5)
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

        async def welcome_sent() -> bool:
            metrics = (await client.get(system.url("notifications") + "/metrics")).text
            return 'coach_emails_sent_total{campaign="welcome",status="sent"}' in metrics

        await eventually(welcome_sent, timeout=20, interval=0.5)

    lines = [orjson.loads(line) for line in system.log("notifications").splitlines() if line.startswith("{")]
    assert lines and all({"time", "level", "message", "service"} <= set(line) for line in lines)
    sent = [line for line in lines if line["message"].endswith("sent")]
    assert sent and all(len(line["trace_id"]) == 32 and len(line["span_id"]) == 16 for line in sent)


async def test_the_gateway_counts_requests_by_route_template_upstream_calls_and_live_streams(system: System) -> None:
    gateway = system.url("gateway")
    async with httpx.AsyncClient(base_url=gateway, timeout=10) as client:
        person = await sign_up(client)
        saved = await client.post(
            "/v1/me/projects", headers=person.auth, json={"revision": 0, "project": COMPLETE_PROJECT}
        )
        assert saved.status_code == 201
        project_id = saved.json()["projects"][0]["project_id"]
        await client.patch(f"/v1/me/projects/{project_id}", headers=person.auth, json={})

        ticket = (await client.post("/v1/me/events/ticket", headers=person.auth)).json()["ticket"]
        async with client.stream("GET", f"/v1/me/events?ticket={ticket}") as stream:
            # Held in a name: a line iterator left to the garbage collector closes the connection under us.
            lines = stream.aiter_lines()
            async for line in lines:
                if line.startswith("event:"):
                    break  # the stream is open: the first event ("ready") arrived
            metrics = (await client.get(system.metrics_url("gateway"))).text

        async def closed() -> bool:
            return "coach_gateway_live_connections 0.0" in (await client.get(system.metrics_url("gateway"))).text

        await eventually(closed, timeout=20, interval=0.5)
        # The public port does not serve them: only the scraper reaches the metrics port.
        public = await client.get("/metrics")
        assert public.status_code == 404 and "coach_gateway" not in public.text

    for family, kind in (
        ("coach_gateway_requests_total", "counter"),
        ("coach_gateway_request_seconds", "histogram"),
        ("coach_gateway_upstream_seconds", "histogram"),
        ("coach_gateway_live_connections", "gauge"),
    ):
        assert f"# TYPE {family} {kind}" in metrics, family
    assert 'coach_gateway_requests_total{method="POST",route="/v1/me/projects",status="201"}' in metrics
    assert 'route="/v1/me/projects/{project_id}"' in metrics
    assert 'coach_gateway_upstream_seconds_count{service="profile",status="201"}' in metrics
    assert "coach_gateway_live_connections 1.0" in metrics
    # Labels hold templates, never a raw path, an id or a ticket.
    assert f"/v1/me/projects/{project_id}" not in metrics and person.user_id not in metrics and ticket not in metrics
