"""Crashes: kill -9 of each service in turn, SIGTERM during a handler, a crash between commit and publication.

Issue 10, scenarios 1 to 3. The whole system runs as processes on the real
broker; the checks read every service's store through its API, the topics and
the mailbox.
"""

from __future__ import annotations

import asyncio
import signal
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer

from shared.contracts.profile import ProfileUpdated
from tests.integration.chaos.crowd import Crowd, settled_outcome
from tests.integration.chaos.report import full_scale, record
from tests.perf.system_bench import profile_events
from tests.support.journey import Person, sign_up, unique_name
from tests.support.mail import link_token, read_mail
from tests.support.system import SERVICES, Broker, System, eventually, start_broker, start_system, topic_events

pytestmark = [pytest.mark.integration, pytest.mark.chaos]
PLEDGE = {"kinds": ["cv-review"], "monthly_capacity": 10, "job_groups": ["D1202", "K2204"], "languages": ["fr"]}
SHARING = {"share_first_name": True, "rome_code": "D1202", "city_insee": "69123"}


async def pledged_volunteer(system: System) -> Person:
    """Sign a volunteer up and confirm the pledge with the link of the real email."""
    name = unique_name("Bénévole")
    email = f"{name.lower()}@example.org".replace("é", "e")
    async with httpx.AsyncClient(base_url=system.url("gateway"), timeout=30) as client:
        response = await client.post(
            "/v1/volunteers/signup",
            json={"first_name": name, "email": email, "password": "un long mot de passe", "pledge": PLEDGE},
        )
        assert response.status_code == 201, response.text
        tokens = response.json()["tokens"]

        def confirmation() -> list[Any]:
            return [m for m in (read_mail(p) for p in system.mails()) if m.to == email]

        (mail,) = await eventually(confirmation, timeout=30)
        token = link_token(mail, "/link/volunteer-confirm")
        confirmed = await client.post("/v1/volunteers/confirm", json={"token": token})
        assert confirmed.status_code == 200, confirmed.text
    return Person(tokens["user_id"], name, email, tokens["access_token"], tokens["refresh_token"])


async def test_kill_9_of_each_service_in_turn_during_profile_updates(broker: Broker, tmp_path: Path) -> None:
    people, saves_wanted = (200, 2000) if full_scale() else (40, 300)
    system = await start_system(broker, tmp_path / "var", extra_env={"VOLUNTEERS_UPKEEP_INTERVAL_S": "0.5"})
    try:
        volunteers = [await pledged_volunteer(system) for _ in range(3)]
        crowd = Crowd(system)
        await crowd.join(people)
        askers = crowd.people[: max(3, people // 10)]
        for person in askers:
            asked = await crowd.call(
                "POST", "/v1/me/help-requests", person, json={"kind": "cv-review", "sharing": SHARING}
            )
            assert asked.status_code == 201, asked.text

        killed: list[str] = []
        recovery_s: dict[str, float] = {}

        async def kill_each_in_turn() -> None:
            for name in SERVICES:
                await asyncio.sleep(1.5)  # saves flow through the pipeline before the next crash
                system.signal(name, signal.SIGKILL)
                started = time.monotonic()
                system.start_service(name)
                await system.wait_ready([name], timeout=120)
                recovery_s[name] = round(time.monotonic() - started, 1)
                killed.append(name)

        killer = asyncio.create_task(kill_each_in_turn())
        rounds = 0
        while not killer.done() or crowd.saves_acknowledged < saves_wanted:
            await crowd.rounds(1)
            rounds += 1
        await killer

        outcome = await settled_outcome(crowd, timeout=240)
        proposals = list(await topic_events(system, "match-proposed"))
        matches_by_request: defaultdict[str, set[str]] = defaultdict(set)
        for event in proposals:
            matches_by_request[event["data"]["request_id"]].add(event["data"]["match_id"])
        duplicate_matches = sum(len(ids) - 1 for ids in matches_by_request.values() if len(ids) > 1)
        stored: Counter[str] = Counter()
        async with httpx.AsyncClient(base_url=system.url("gateway"), timeout=30) as client:
            for volunteer in volunteers:
                for match in (await client.get("/v1/volunteers/me/matches", headers=volunteer.auth)).json():
                    stored[match["match_id"]] += 1
        duplicate_stored = sum(n - 1 for n in stored.values() if n > 1)
    finally:
        system.stop()

    figures = {
        "profile_saves_acknowledged": crowd.saves_acknowledged,
        "people": outcome.people,
        "services_killed_in_turn": len(killed),
        "lost": outcome.lost,
        "diagnosed_at_last_save": outcome.diagnosed_at_last_save,
        "planned_at_last_save": outcome.planned_at_last_save,
        "welcome_emails_missing": outcome.missing_welcomes,
        "duplicate_emails": outcome.duplicate_emails,
        "help_requests": len(askers),
        "requests_matched": len(matches_by_request),
        "duplicate_matches": duplicate_matches + duplicate_stored,
        "client_retries_while_down": crowd.refused_then_retried,
        "max_recovery_s": max(recovery_s.values()),
    }
    passed = (
        outcome.lost == 0
        and outcome.missing_welcomes == 0
        and outcome.duplicate_emails == 0
        and duplicate_matches + duplicate_stored == 0
        and len(matches_by_request) == len(askers)
    )
    record(
        "1 kill -9",
        "kill -9 of each service in turn during profile updates, then restart",
        figures=figures,
        passed=passed,
        notes=f"order {', '.join(killed)}; recovery (restart to ready) in s: {recovery_s}",
    )
    assert killed == list(SERVICES)
    assert outcome.lost == 0, figures
    assert outcome.missing_welcomes == 0 and outcome.duplicate_emails == 0, figures
    assert len(matches_by_request) == len(askers) and duplicate_matches + duplicate_stored == 0, figures


async def publish(system: System, events: list[ProfileUpdated]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=system.broker.bootstrap, acks="all", linger_ms=5)
    await producer.start()
    try:
        for event in events:
            await producer.send(system.prefix + event.topic, event.model_dump_json().encode(), key=event.key())
        await producer.flush()
    finally:
        await producer.stop()


async def diagnosed_once(system: System, subjects: list[str], revision: int | None = None) -> int:
    """Return how many of the people have exactly one diagnosis (of that profile revision, when given)."""
    done = 0
    async with httpx.AsyncClient(base_url=system.url("diagnostic"), headers=system.internal_headers) as client:
        for subject in subjects:
            found = (await client.get(f"/internal/diagnoses/{subject}")).json()
            done += len(found) == 1 and revision in (None, found[0]["profile_revision"])
    return done


async def test_sigterm_during_a_handler_finishes_or_redelivers(broker: Broker, tmp_path: Path) -> None:
    count = 10_000 if full_scale() else 4000
    system = await start_system(broker, tmp_path / "var", services=["diagnostic"])
    try:
        events = profile_events(count)
        subjects = [e.subject for e in events]
        await publish(system, events)

        async def some_diagnosed() -> bool:
            return len(await topic_events(system, "diagnosis-ready", idle_ms=200)) > 0

        await eventually(some_diagnosed, timeout=60, interval=0.1)
        stopping = time.monotonic()
        system.signal("diagnostic", signal.SIGTERM)  # waits for the exit
        stop_s = time.monotonic() - stopping
        # uvicorn finishes its shutdown, then re-raises the signal: -15 is the exit of a graceful stop.
        graceful = system.processes["diagnostic"].returncode in (0, -signal.SIGTERM)
        graceful = graceful and "diagnostic stopped cleanly" in system.log("diagnostic")
        done_at_stop = await topic_events(system, "diagnosis-ready", idle_ms=500)
        system.start_service("diagnostic")
        await system.wait_ready(["diagnostic"])

        async def everyone() -> bool:
            return await diagnosed_once(system, subjects, revision=1) == count

        await eventually(everyone, timeout=180, interval=2)
        ready = await topic_events(system, "diagnosis-ready")
        per_subject = Counter(e["subject"] for e in ready)
    finally:
        system.stop()
    figures = {
        "events": count,
        "diagnosed_before_sigterm": len({e["subject"] for e in done_at_stop}),
        "stopped_in_s": round(stop_s, 1),
        "graceful_stop": graceful,
        "lost": count - len(per_subject),
        "announced_twice": sum(1 for n in per_subject.values() if n > 1),
    }
    passed = figures["lost"] == 0 and graceful and 0 < figures["diagnosed_before_sigterm"] < count
    record(
        "2 SIGTERM",
        "SIGTERM while the diagnostic service is handling a backlog, then restart",
        figures=figures,
        passed=passed,
        notes="graceful stop: the batch in hand is finished and committed, the rest is consumed after the restart",
    )
    assert 0 < figures["diagnosed_before_sigterm"] < count, figures  # the stop really came mid-work
    assert graceful and stop_s < 15, figures
    assert figures["lost"] == 0, figures


async def duplicates_dropped(system: System, service: str, topic: str) -> float:
    """Return how many redelivered events the service's inbox recognised and skipped, on one topic."""
    async with httpx.AsyncClient(base_url=system.url(service), timeout=5) as client:
        text = (await client.get("/metrics")).text
    return sum(
        float(line.split()[-1])
        for line in text.splitlines()
        if line.startswith("coach_events_total{") and 'outcome="duplicate"' in line and f'{topic}"' in line
    )


async def outbox_backlog(system: System, service: str) -> float:
    async with httpx.AsyncClient(base_url=system.url(service), timeout=5) as client:
        text = (await client.get("/metrics")).text
    line = next(line for line in text.splitlines() if line.startswith("coach_outbox_backlog"))
    return float(line.split()[-1])


async def test_a_crash_between_commit_and_publication_is_published_after_restart_and_applied_once(
    tmp_path: Path,
) -> None:
    """The broker is frozen (SIGSTOP) so the profile service commits saves it cannot publish; then it dies."""
    people = 30
    own_broker = start_broker()  # frozen below: the other tests must not share it
    system = await start_system(own_broker, tmp_path / "var", services=["profile", "diagnostic", "gateway"])
    try:
        async with httpx.AsyncClient(base_url=system.url("gateway"), timeout=30) as client:
            persons = [await sign_up(client) for _ in range(people)]
            own_broker.process.send_signal(signal.SIGSTOP)
            try:
                for person in persons:
                    response = await client.post(
                        "/v1/me/projects",
                        headers=person.auth,
                        json={"revision": 0, "project": {"job_code_ogr": "12694", "city_insee": "69123"}},
                    )
                    assert response.status_code == 201, response.text
                backlog = await outbox_backlog(system, "profile")
                system.signal("profile", signal.SIGKILL)
            finally:
                own_broker.process.send_signal(signal.SIGCONT)
        system.start_service("profile")
        await system.wait_ready(["profile"])

        async def published() -> list[dict[str, Any]]:
            events = await topic_events(system, "profile-updated", idle_ms=500)
            with_project = [e for e in events if e["data"]["projects"]]
            return with_project if len({e["subject"] for e in with_project}) == people else []

        events = await eventually(published, timeout=60, interval=1)
        ids = Counter(e["event_id"] for e in events)

        async def everyone() -> bool:
            return await diagnosed_once(system, [p.user_id for p in persons]) == people

        await eventually(everyone, timeout=60, interval=1)
        copies = sum(n - 1 for n in ids.values())

        async def copies_skipped() -> float | None:
            # Each copy on the log must be recognised by the consumer's inbox (same event_id), not applied again.
            skipped = await duplicates_dropped(system, "diagnostic", "profile-updated")
            return skipped if skipped >= copies else None

        dropped = await eventually(copies_skipped, timeout=30, interval=1) if copies else 0.0
        announced = Counter(e["subject"] for e in await topic_events(system, "diagnosis-ready", idle_ms=500))
        left = await outbox_backlog(system, "profile")
    finally:
        system.stop()
        own_broker.stop()
    figures = {
        "saves_committed_while_unpublishable": people,
        "outbox_backlog_at_crash": int(backlog),
        "published_after_restart": len({e["subject"] for e in events}),
        "copies_on_the_log": copies,
        "copies_skipped_by_the_consumer_inbox": int(dropped),
        "people_diagnosed_and_announced_once": sum(1 for p in persons if announced[p.user_id] == 1),
        "outbox_backlog_after": int(left),
    }
    once = figures["people_diagnosed_and_announced_once"] == people and dropped == copies
    passed = backlog >= people and once and left == 0
    record(
        "3 commit, crash, publish",
        "crash between a store commit and the publication of its events (broker frozen, kill -9)",
        figures=figures,
        passed=passed,
        notes=(
            "the outbox rows committed with the saves are published by the relay of the restarted process. A "
            "produce request already sent when the process died is appended when the broker wakes, and the "
            "restarted relay, which cannot know it, sends the event again: the log then holds a copy with the "
            "same event_id, which the consumers' inbox skips (tansu refuses the idempotent producer and "
            "transactions that could avoid the copy; delivery is at least once, effects exactly once)"
        ),
    )
    assert backlog >= people, figures  # the crash really came before publication
    assert once and left == 0, figures
