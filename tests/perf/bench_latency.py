"""P2 end-to-end latency at a fixed offered load, and P8 resident memory of every service.

    uv run python -m tests.perf.bench_latency [--rate 100] [--seconds 20] [--people 300]

The whole system runs as processes (every service and the gateway on a real
tansu broker, SQLite stores, the SMTP sink). People sign up as guests through
the gateway, each keeps a live page open (``GET /v1/me/events``), and their
project is saved at a fixed, open-loop rate (``--rate`` saves a second spread
over the people, each person with at most one save in flight). A save toggles
the target job between two real ROME job groups, so each one changes the
diagnosis and the plan. The figure: from the start of the HTTP save to the
``advice-ready`` pushed on the person's live stream (profile → outbox →
diagnostic → advice → gateway → browser).

Baseline measured in the same run: a bare broker round trip at the same rate and
message size (produce one message, consume it in the same process).

P8: resident memory of each service process when idle (after start-up, before
the load) and at the end of the load.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from deploy.topics import create_topics
from shared.settings import ServiceSettings
from tests.perf.results import record
from tests.perf.system_bench import machine, profile_events, rss_mb
from tests.support.journey import COMPLETE_PROJECT
from tests.support.system import SERVICES, start_broker, start_system

JOBS = ("12694", "10537")  # Coiffeur / Coiffeuse (D1202) and Agent de nettoyage industriel (K2204)
TIMEOUT_S = 10.0


def percentile(values: Sequence[float], share: float) -> float:
    """Return the value below which ``share`` of the values fall (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


class Person:
    """One person with a live page open: their token, revision and the save in flight."""

    def __init__(self, token: str) -> None:
        self.auth = {"authorization": f"Bearer {token}"}
        self.revision = 0
        self.job = 0
        self.waiting: asyncio.Future[float] | None = None
        self.opened = asyncio.Event()

    async def listen(self, client: httpx.AsyncClient) -> None:
        """Read the live stream; resolve the save in flight when its ``advice-ready`` arrives."""
        async with client.stream("GET", "/v1/me/events", headers=self.auth, timeout=None) as stream:
            event = ""
            async for line in stream.aiter_lines():
                if line.startswith("event:"):
                    event = line[6:].strip()
                    if event == "ready":
                        self.opened.set()
                    elif event == "advice-ready" and self.waiting is not None and not self.waiting.done():
                        self.waiting.set_result(time.perf_counter())


async def sign_up(client: httpx.AsyncClient, index: int) -> Person:
    response = await client.post("/v1/auth/guest", json={"first_name": f"Banc{index}"})
    response.raise_for_status()
    person = Person(response.json()["access_token"])
    created = await client.post(
        "/v1/me/projects", headers=person.auth, json={"revision": 0, "project": {**COMPLETE_PROJECT}}
    )
    created.raise_for_status()
    person.revision = created.json()["revision"]
    return person


async def save(client: httpx.AsyncClient, person: Person) -> float | None:
    """Save the project with the other job; return the seconds until its advice-ready (None: timeout)."""
    person.job = 1 - person.job
    loop = asyncio.get_running_loop()
    person.waiting = loop.create_future()
    started = time.perf_counter()
    body = {"revision": person.revision, "project": {"job_code_ogr": JOBS[person.job]}}
    try:
        response = await client.patch("/v1/me/projects/p1", headers=person.auth, json=body)
    except httpx.TransportError:
        # A keep-alive connection the server closed just as the request left: send it again, as a browser
        # does (the revision makes it safe: a save applied twice would get 409).
        response = await client.patch("/v1/me/projects/p1", headers=person.auth, json=body)
    response.raise_for_status()
    person.revision = response.json()["revision"]
    try:
        arrived = await asyncio.wait_for(person.waiting, TIMEOUT_S)
    except TimeoutError:
        return None
    finally:
        person.waiting = None
    return arrived - started


async def offered_load(client: httpx.AsyncClient, people: list[Person], rate: float, seconds: float) -> dict[str, Any]:
    """Start saves at a fixed rate (open loop); return the latencies and what could not be measured."""
    latencies: list[float] = []
    timeouts = 0
    skipped = 0
    busy: set[int] = set()
    tasks: list[asyncio.Task[None]] = []

    async def one(index: int) -> None:
        nonlocal timeouts
        try:
            latency = await save(client, people[index])
        finally:
            busy.discard(index)
        if latency is None:
            timeouts += 1
        else:
            latencies.append(latency)

    total = int(rate * seconds)
    started = time.perf_counter()
    cursor = 0
    for n in range(total):
        await asyncio.sleep(max(0.0, started + n / rate - time.perf_counter()))
        for _ in range(len(people)):
            cursor = (cursor + 1) % len(people)
            if cursor not in busy:
                break
        else:
            skipped += 1  # everyone has a save in flight: the system is behind the offered load
            continue
        busy.add(cursor)
        tasks.append(asyncio.create_task(one(cursor)))
    await asyncio.gather(*tasks)
    return {
        "latencies": latencies,
        "timeouts": timeouts,
        "skipped": skipped,
        "achieved_rate": len(tasks) / (time.perf_counter() - started),
    }


async def broker_round_trip(bootstrap: str, topic: str, size: int, rate: float, count: int) -> list[float]:
    """Return the seconds from send to receipt of ``count`` messages of ``size`` bytes sent at ``rate``."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id="bench-rtt",
        session_timeout_ms=2000,
        heartbeat_interval_ms=500,
        fetch_max_wait_ms=ServiceSettings().kafka_fetch_max_wait_ms,  # as the services fetch
    )
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await consumer.start()
    await producer.start()
    sent: dict[bytes, float] = {}
    received: list[float] = []
    try:
        while not consumer.assignment():
            await asyncio.sleep(0.05)
        await asyncio.sleep(1)  # the group settles before the clock starts

        async def receive() -> None:
            while len(received) < count:
                batch = await consumer.getmany(timeout_ms=200)
                now = time.perf_counter()
                for records in batch.values():
                    received.extend(now - sent[r.key] for r in records if r.key in sent)

        receiver = asyncio.create_task(receive())
        started = time.perf_counter()
        body = b"x" * size
        for n in range(count):
            await asyncio.sleep(max(0.0, started + n / rate - time.perf_counter()))
            key = f"k{n}".encode()
            sent[key] = time.perf_counter()
            await producer.send(topic, body, key=key)
        await asyncio.wait_for(receiver, 30)
    finally:
        await producer.stop()
        await consumer.stop()
    return received


async def run(rate: float, seconds: float, people_count: int) -> dict[str, Any]:
    size = len(profile_events(1)[0].model_dump_json())
    with tempfile.TemporaryDirectory() as scratch:
        broker = start_broker()
        try:
            await create_topics(broker.bootstrap, ["bench.rtt"], 4)
            baseline = await broker_round_trip(broker.bootstrap, "bench.rtt", size, rate, int(rate * seconds))
            system = await start_system(broker, Path(scratch) / "var", services=SERVICES)
            try:
                await asyncio.sleep(5)  # start-up work done (reference data loaded, groups joined)
                idle = {name: rss_mb(system.processes[name].pid) for name in system.processes}
                limits = httpx.Limits(max_connections=people_count + 50, max_keepalive_connections=people_count + 50)
                async with (
                    httpx.AsyncClient(base_url=system.url("gateway"), timeout=30, limits=limits) as client,
                    httpx.AsyncClient(base_url=system.url("gateway"), timeout=30, limits=limits) as streams,
                ):
                    people = [await sign_up(client, i) for i in range(people_count)]
                    listeners = [asyncio.create_task(p.listen(streams)) for p in people]
                    await asyncio.wait_for(asyncio.gather(*(p.opened.wait() for p in people)), 60)
                    await asyncio.sleep(5)  # the first diagnoses and plans are done
                    warm = await offered_load(client, people, rate, 3)  # connections and caches warm
                    load = await offered_load(client, people, rate, seconds)
                    loaded = {name: rss_mb(system.processes[name].pid) for name in system.processes}
                    for listener in listeners:
                        listener.cancel()
                    await asyncio.gather(*listeners, return_exceptions=True)
            finally:
                system.stop()
        finally:
            broker.stop()
    latencies = load["latencies"]
    if not latencies:
        raise RuntimeError(f"no save reached the live stream: {load['timeouts']} timeouts")
    p50, p99 = percentile(latencies, 0.5) * 1000, percentile(latencies, 0.99) * 1000
    base_p50, base_p99 = percentile(baseline, 0.5) * 1000, percentile(baseline, 0.99) * 1000
    measured = len(latencies)
    p2 = record(
        "P2-latency",
        f"P2 end-to-end latency at {rate:.0f} saves/s: HTTP save → advice-ready on the live stream",
        figures={
            "p50_ms": round(p50, 1),
            "p99_ms": round(p99, 1),
            "mean_ms": round(statistics.fmean(latencies) * 1000, 1),
            "max_ms": round(max(latencies) * 1000, 1),
            "saves_measured": measured,
            "timeouts": load["timeouts"],
            "skipped_all_busy": load["skipped"],
            "achieved_rate_per_s": round(load["achieved_rate"], 1),
            "warm_up_saves": len(warm["latencies"]),
        },
        baseline={"broker_round_trip_p50_ms": round(base_p50, 2), "broker_round_trip_p99_ms": round(base_p99, 2)},
        ratios={"p50_vs_broker": round(p50 / base_p50, 1), "p99_vs_broker": round(p99 / base_p99, 1)},
        target="p99 ≤ 150 ms at 100 updates/s",
        met=p99 <= 150 and load["timeouts"] == 0,
        scale=(int(rate), 100),
        notes=(
            f"{people_count} people with a live page each; every service running; the bench client shares the "
            f"machine's {machine()['cpus']} CPUs with the system; message size {size} bytes; machine {machine()}"
        ),
    )
    record(
        "P8-memory",
        "P8 resident memory per service (MB), idle and at the end of the P2 load",
        figures={
            **{f"idle_mb.{n}": round(v, 1) for n, v in idle.items()},
            **{f"loaded_mb.{n}": round(v, 1) for n, v in loaded.items()},
            "idle_mb.total": round(sum(idle.values()), 1),
            "loaded_mb.total": round(sum(loaded.values()), 1),
        },
        baseline={"python_interpreter_mb": round(interpreter_rss_mb(), 1)},
        ratios={"loaded_over_idle": round(sum(loaded.values()) / sum(idle.values()), 2)},
        target="reported (no target in the issue)",
        notes="VmRSS from /proc; baseline: a bare Python interpreter with the service's imports not loaded",
    )
    return p2


def interpreter_rss_mb() -> float:
    """Return the resident memory of a bare Python interpreter (what every service process pays)."""
    import subprocess
    import sys

    output = subprocess.run(
        [sys.executable, "-c", "print(open('/proc/self/status').read())"], capture_output=True, text=True, check=True
    ).stdout
    for line in output.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--people", type=int, default=300)
    args = parser.parse_args(argv)
    entry = asyncio.run(run(args.rate, args.seconds, args.people))
    print(entry["figures"], entry["baseline"], entry["ratios"], "met:", entry["met"])


if __name__ == "__main__":
    main()
