"""The broker: a restart with durable storage, and a consumer group scaled 1 → 3 → 1 under load.

Issue 10, scenarios 4 and 5. Durable storage for tansu exists only as ``s3://``;
the S3-compatible server here is moto's (PyPI ``moto[s3]``, run as its own
process on loopback), which keeps objects in its memory: it outlives the broker,
which is what a broker restart needs (``docs/RELIABILITY.md`` says how to keep
the objects on disk for a local run).
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from aiokafka import AIOKafkaProducer

from shared.contracts.profile import ProfileFacts, ProfileUpdated, ProfileUpdatedData, ProjectFacts
from tests.integration.chaos.crowd import Crowd, settled_outcome
from tests.integration.chaos.report import full_scale, record
from tests.support.system import Broker, eventually, free_port, start_broker, start_system, topic_events

pytestmark = [pytest.mark.integration, pytest.mark.chaos]
BUCKET = "tansu"


@pytest.fixture
def s3_server() -> Iterator[dict[str, str]]:
    """Start moto's S3 server on loopback; yield the environment tansu needs to use it."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.put(f"{endpoint}/{BUCKET}", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the S3 server (moto) did not start")
            time.sleep(0.2)
        yield {
            "AWS_ENDPOINT": endpoint,
            "AWS_ALLOW_HTTP": "true",
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local-only-secret",
            "AWS_DEFAULT_REGION": "eu-west-3",
        }
    finally:
        process.terminate()
        process.wait(10)


async def test_a_broker_restart_with_durable_storage_loses_nothing(s3_server: dict[str, str], tmp_path: Path) -> None:
    people, rounds = (100, 10) if full_scale() else (20, 6)
    port = free_port()
    broker = start_broker(f"s3://{BUCKET}/", s3_server, port)
    # Each fetch costs the S3-backed broker object listings: fetch waits as long as Kafka's default.
    system = await start_system(
        broker,
        tmp_path / "var",
        services=["profile", "diagnostic", "advice", "gateway"],
        extra_env={"KAFKA_FETCH_MAX_WAIT_MS": "500"},
    )
    down_s = 0.0
    try:
        crowd = Crowd(system)
        await crowd.join(people)

        async def restart_the_broker(number: int) -> None:
            nonlocal down_s
            if number == rounds // 2:
                before = len(await topic_events(system, "profile-updated", idle_ms=500))
                stopped = time.monotonic()
                broker.stop()
                await asyncio.sleep(2)
                broker.process = start_broker(f"s3://{BUCKET}/", s3_server, port).process
                down_s = time.monotonic() - stopped
                kept = len(await topic_events(system, "profile-updated", idle_ms=500))
                assert kept >= before, f"the broker lost messages across its restart: {kept} < {before}"

        await crowd.rounds(rounds, between=restart_the_broker)
        outcome = await settled_outcome(crowd, timeout=240)
        events = await topic_events(system, "profile-updated")
    finally:
        system.stop()
        broker.stop()
    figures = {
        "people": people,
        "profile_saves_acknowledged": crowd.saves_acknowledged,
        "broker_down_s": round(down_s, 1),
        "profile_updated_on_the_broker_after": len(events),
        "lost": outcome.lost,
        "client_retries_while_down": crowd.refused_then_retried,
    }
    record(
        "4 broker restart",
        "broker restart with durable storage (tansu s3:// on moto's S3 server) in the middle of profile saves",
        figures=figures,
        passed=outcome.lost == 0,
        notes="services reconnect by themselves; the outboxes hold what could not be published while it was down",
    )
    assert outcome.lost == 0, figures


def revisions_of(count: int, revisions: int) -> list[ProfileUpdated]:
    """Return each person's successive saves, the target job toggled between two job groups."""
    events = []
    for revision in range(1, revisions + 1):
        for person in range(count):
            rome = ("D1202", "K2204")[revision % 2]
            events.append(
                ProfileUpdated(
                    subject=f"u_{person:016x}",
                    data=ProfileUpdatedData(
                        revision=revision,
                        registered_at="2026-11-01",
                        profile=ProfileFacts(year_of_birth=1980),
                        projects=[
                            ProjectFacts(
                                project_id="p1",
                                rome_code=rome,
                                departement="69",
                                kind="FIND_A_NEW_JOB",
                                job_search_started_at="2026-06-01",
                            )
                        ],
                    ),
                )
            )
    return events


async def all_ready(ports: list[int]) -> bool:
    """Return True when every process on these ports answers ready."""
    async with httpx.AsyncClient(timeout=2) as client:
        try:
            answers = [await client.get(f"http://127.0.0.1:{port}/health/ready") for port in ports]
        except httpx.HTTPError:
            return False
    return all(answer.status_code == 200 for answer in answers)


async def test_a_consumer_group_scaled_1_3_1_under_load_keeps_everything_in_order(
    broker: Broker, tmp_path: Path
) -> None:
    people, revisions = (500, 10) if full_scale() else (150, 6)
    system = await start_system(broker, tmp_path / "var", services=["diagnostic"], partitions=6)
    extra: list[subprocess.Popen[bytes]] = []
    try:
        events = revisions_of(people, revisions)
        producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap, acks="all")
        await producer.start()
        try:
            third = len(events) // 3
            for index, event in enumerate(events):
                await producer.send(system.prefix + event.topic, event.model_dump_json().encode(), key=event.key())
                if index % 50 == 0:
                    await asyncio.sleep(0.05)  # a steady flow, so scaling happens under load
                if index == third:
                    ports = [free_port(), free_port()]
                    extra = [system.start_replica("diagnostic", port) for port in ports]
                    await eventually(functools.partial(all_ready, ports), timeout=120, interval=0.5)
                if index == 2 * third:
                    for process in extra:
                        process.send_signal(signal.SIGTERM)
                    for process in extra:
                        process.wait(30)
            await producer.flush()
        finally:
            await producer.stop()

        event_ids: Counter[str] = Counter()

        async def announced() -> dict[str, list[int]]:
            found: defaultdict[str, list[int]] = defaultdict(list)
            event_ids.clear()
            for event in await topic_events(system, "diagnosis-ready", idle_ms=1000):
                found[event["subject"]].append(event["data"]["profile_revision"])
                event_ids[event["event_id"]] += 1
            done = sum(1 for seen in found.values() if seen and seen[-1] == revisions)
            return dict(found) if done == people else {}

        sequences = await eventually(announced, timeout=240, interval=2)
    finally:
        for process in extra:
            if process.poll() is None:
                process.kill()
        system.stop()
    out_of_order = sum(1 for seen in sequences.values() if any(b <= a for a, b in itertools.pairwise(seen)))
    examples = [seen for seen in sequences.values() if any(b <= a for a, b in itertools.pairwise(seen))][:3]
    figures = {
        "events": len(events),
        "people": people,
        "partitions": 6,
        "instances": "1 → 3 → 1",
        "lost": people - sum(1 for seen in sequences.values() if seen[-1] == revisions),
        "people_with_an_out_of_order_diagnosis": out_of_order,
        "diagnoses_announced": sum(len(seen) for seen in sequences.values()),
        # Telling a relay's double publication (same event_id) from a double application (new ids).
        "announcements_published_twice": sum(1 for n in event_ids.values() if n > 1),
    }
    record(
        "5 group scaled",
        "consumer group of the diagnostic service scaled 1 → 3 → 1 while profile updates flow",
        figures=figures,
        passed=figures["lost"] == 0 and out_of_order == 0,
        notes="rebalances hand partitions over after the batch in hand is committed"
        + (f"; out of order (revisions as announced): {examples}" if examples else ""),
    )
    assert figures["lost"] == 0 and out_of_order == 0, figures
