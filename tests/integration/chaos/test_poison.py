"""A poison message: dead-lettered after the bounded retries, the partition goes on, and a replay is safe.

Issue 10, scenario 6. The poison is a valid event whose handling always fails
(a salary too big to be stored), between ordinary events of the same person,
so of the same partition. A replay of a letter whose cause was fixed is applied
once (``tests/integration/test_dead_letters.py``); here the person saved again
after the poison, so the replayed save is older than what was applied since: it
is consumed and changes nothing (a replay never rewinds anyone).
"""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from deploy.ops.dlq import read, replay
from shared.contracts.diagnostic import DiagnosisReady
from tests.integration.chaos.report import record
from tests.integration.test_delivery import UNSTORABLE_SALARY, complete_profile, produce, read_topic
from tests.support.system import Broker, System, eventually, start_system

pytestmark = [pytest.mark.integration, pytest.mark.chaos]


async def test_a_poison_message_is_dead_lettered_and_the_partition_goes_on(broker: Broker, tmp_path: Path) -> None:
    system = await start_system(broker, tmp_path / "var", services=["diagnostic"])
    try:
        subject = "u_00000000000000f6"
        before, poison, after = (
            complete_profile(subject, revision=1),
            complete_profile(subject, revision=2, min_salary=UNSTORABLE_SALARY),
            complete_profile(subject, revision=3, total_interview_count=12, weekly_applications_estimate="A_LOT"),
        )
        started = time.monotonic()
        await produce(
            system, "profile-updated", *((e.key(), e.model_dump_json().encode()) for e in (before, poison, after))
        )
        (dead,) = await read_topic(system, "profile-updated.dlq", expect=1)
        dead_after_s = time.monotonic() - started
        headers = {k: v.decode() for k, v in dead.headers}

        async def diagnosed_after_the_poison() -> list[int]:
            revisions = [
                DiagnosisReady.model_validate_json(r.value).data.profile_revision
                for r in await read_topic(system, "diagnosis-ready", expect=2, timeout=2)
            ]
            return revisions if 3 in revisions else []

        revisions = await eventually(diagnosed_after_the_poison, timeout=30)
        dlq = system.prefix + "profile-updated.dlq"
        applied_before = await applied(system)
        replayed = await replay(system.broker.bootstrap, dlq)

        async def replay_consumed() -> bool:
            return await applied(system) > applied_before

        await eventually(replay_consumed, timeout=30)
        letters = await read(system.broker.bootstrap, dlq)
        async with httpx.AsyncClient(base_url=system.url("diagnostic"), headers=system.internal_headers) as client:
            (diagnosis,) = (await client.get(f"/internal/diagnoses/{subject}")).json()
    finally:
        system.stop()
    figures = {
        "attempts_before_dead_letter": int(headers["x-dlq-attempts"]),
        "dead_lettered_after_s": round(dead_after_s, 1),
        "error_recorded": headers["x-dlq-error-type"],
        "next_event_on_the_partition_applied": 3 in revisions,
        "replayed": len(replayed),
        "dead_letters_after_the_replay": len(letters),
        "diagnosis_revision_after_the_replay": diagnosis["profile_revision"],
    }
    record(
        "6 poison",
        "a message that always fails, between ordinary events of the same partition; then a replay",
        figures=figures,
        passed=figures["next_event_on_the_partition_applied"]
        and len(letters) == 1
        and diagnosis["profile_revision"] == 3,
        notes="bounded retries with backoff, then <topic>.dlq with the original bytes and the reason in headers",
    )
    assert figures["attempts_before_dead_letter"] == 3 and figures["next_event_on_the_partition_applied"], figures
    # The replayed save is older than the one applied since: it is consumed and changes nothing.
    assert len(replayed) == 1 and len(letters) == 1 and diagnosis["profile_revision"] == 3, figures


async def applied(system: System) -> float:
    """Return how many profile-updated events the diagnostic service has handled (any outcome but dead)."""
    async with httpx.AsyncClient(timeout=5) as client:
        text = (await client.get(system.url("diagnostic") + "/metrics")).text
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("coach_events_total{") and "profile-updated" in line and "dead-lettered" not in line
    )
