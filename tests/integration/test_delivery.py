"""Delivery guarantees on the real broker: duplicates, poison messages, crashes."""

from __future__ import annotations

import asyncio
import signal
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer

from shared.contracts.diagnostic import DiagnosisReady
from shared.contracts.profile import ProfileFacts, ProfileUpdated, ProfileUpdatedData, ProjectFacts
from tests.support.system import Broker, System, eventually, start_system, topic_reader

pytestmark = pytest.mark.integration
# A salary no store can hold (over 64 bits): the contract accepts the event, saving it fails each time.
UNSTORABLE_SALARY = 10**30


def complete_profile(subject: str, revision: int = 1, **project: Any) -> ProfileUpdated:
    return ProfileUpdated(
        subject=subject,
        data=ProfileUpdatedData(
            revision=revision,
            registered_at="2026-11-01",
            profile=ProfileFacts(year_of_birth=1980),
            projects=[
                ProjectFacts(
                    project_id="p1",
                    rome_code="D1202",
                    job_code_ogr="12694",
                    city_insee="69123",
                    departement="69",
                    kind="FIND_A_NEW_JOB",
                    job_search_started_at="2026-06-01",
                    **project,
                )
            ],
        ),
    )


async def read_topic(system: System, topic: str, *, expect: int, timeout: float = 15) -> list[Any]:
    """Return the records of a topic once at least ``expect`` arrived (or what arrived before the timeout)."""
    records: list[Any] = []
    async with topic_reader(system, topic) as consumer:
        deadline = asyncio.get_running_loop().time() + timeout
        while len(records) < expect and asyncio.get_running_loop().time() < deadline:
            batch = await consumer.getmany(timeout_ms=300)
            for partition_records in batch.values():
                records.extend(partition_records)
    return records


async def produce(system: System, topic: str, *messages: tuple[bytes, bytes]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=system.broker.bootstrap)
    await producer.start()
    try:
        for key, value in messages:
            await producer.send_and_wait(system.prefix + topic, value, key=key)
    finally:
        await producer.stop()


@pytest.fixture
async def diagnostic(broker: Broker, tmp_path: Any) -> Any:
    running = await start_system(broker, tmp_path / "var", services=["diagnostic"])
    yield running
    running.stop()


def dlq_headers(record: Any) -> dict[str, str]:
    return {k: v.decode() for k, v in record.headers}


async def test_the_same_event_delivered_twice_has_exactly_one_effect(diagnostic: System) -> None:
    event = complete_profile("u_00000000000000d1")
    body = event.model_dump_json().encode()
    await produce(diagnostic, "profile-updated", (event.key(), body), (event.key(), body))

    records = await read_topic(diagnostic, "diagnosis-ready", expect=2, timeout=8)
    subjects = [DiagnosisReady.model_validate_json(r.value).subject for r in records]
    assert subjects == ["u_00000000000000d1"]


async def test_a_poison_message_goes_to_the_dlq_and_the_partition_moves_on(diagnostic: System) -> None:
    good = complete_profile("u_00000000000000d2")
    await produce(
        diagnostic,
        "profile-updated",
        (good.key(), b'{"not": "an event"'),
        (good.key(), good.model_dump_json().encode()),
    )

    dead = await read_topic(diagnostic, "profile-updated.dlq", expect=1)
    assert dead[0].value == b'{"not": "an event"'
    headers = dlq_headers(dead[0])
    assert headers["x-dlq-consumer-group"] == "diagnostic"
    assert headers["x-dlq-error"].startswith("invalid ProfileUpdated")
    assert headers["x-dlq-attempts"] == "0"  # unreadable: never handed to the handler
    ready = await read_topic(diagnostic, "diagnosis-ready", expect=1)
    assert DiagnosisReady.model_validate_json(ready[0].value).subject == "u_00000000000000d2"


async def test_an_event_whose_handler_always_fails_goes_to_the_dlq_after_the_retries(diagnostic: System) -> None:
    subject = "u_00000000000000d3"
    failing = complete_profile(subject, revision=1, min_salary=UNSTORABLE_SALARY)
    ProfileUpdated.model_validate_json(failing.model_dump_json())  # a valid event: the handler is what fails
    following = complete_profile(subject, revision=2)  # same key, so the same partition, right after
    await produce(
        diagnostic,
        "profile-updated",
        (failing.key(), failing.model_dump_json().encode()),
        (following.key(), following.model_dump_json().encode()),
    )

    (dead,) = await read_topic(diagnostic, "profile-updated.dlq", expect=1)
    assert dead.value == failing.model_dump_json().encode()  # the original message, untouched
    headers = dlq_headers(dead)
    assert headers["x-dlq-attempts"] == "3"  # the bounded retries (EVENT_RETRY_ATTEMPTS) were all used
    assert headers["x-dlq-error-type"] not in ("PoisonMessageError", "ValidationError")
    assert headers["x-dlq-original-topic"] == diagnostic.prefix + "profile-updated"
    assert headers["x-dlq-consumer-group"] == "diagnostic"

    (ready,) = await read_topic(diagnostic, "diagnosis-ready", expect=1)
    diagnosis = DiagnosisReady.model_validate_json(ready.value)
    assert (diagnosis.subject, diagnosis.data.profile_revision) == (subject, 2)
    async with httpx.AsyncClient(
        base_url=diagnostic.url("diagnostic"), headers=diagnostic.internal_headers, timeout=10
    ) as internal:
        stored = (await internal.get(f"/internal/diagnoses/{subject}")).json()
    assert [d["profile_revision"] for d in stored] == [2]  # nothing of the failed event was kept


@pytest.fixture
async def system(broker: Broker, tmp_path: Any) -> Any:
    """A whole system of its own: the test kills the profile service."""
    running = await start_system(broker, tmp_path / "var")
    yield running
    running.stop()


async def test_kill_9_during_500_profile_updates_loses_nothing(system: System) -> None:
    async with httpx.AsyncClient(base_url=system.url("gateway"), timeout=30) as client:
        people: list[dict[str, str]] = []
        for i in range(100):
            response = await client.post("/v1/auth/guest", json={"first_name": f"Invité{i}"})
            assert response.status_code == 201, response.text
            people.append(
                {"authorization": "Bearer " + response.json()["access_token"], "user_id": response.json()["user_id"]}
            )

        # Ten people at a time: the point is the crash, not the load (the load scenarios are in make chaos).
        slots = asyncio.Semaphore(10)

        async def update(person: dict[str, str], revision: int) -> None:
            async with slots:
                await _update(person, revision)

        async def _update(person: dict[str, str], revision: int) -> None:
            headers = {"authorization": person["authorization"]}
            if revision == 0:
                body = {
                    "revision": 0,
                    "project": {"job_code_ogr": "12694", "city_insee": "69123", "job_search_started_at": "2026-06-01"},
                }
                response = await client.post("/v1/me/projects", headers=headers, json=body)
            else:
                body = {"revision": revision, "project": {"min_salary": 20000 + revision}}
                response = await client.patch("/v1/me/projects/p1", headers=headers, json=body)
            assert response.status_code in (200, 201), response.text

        # 5 updates per person = 500 updates; the diagnostic service is killed -9 in the middle.
        for revision in range(5):
            await asyncio.gather(*(update(p, revision) for p in people))
            if revision == 2:
                system.signal("diagnostic", signal.SIGKILL)
                system.start_service("diagnostic")
                await system.wait_ready(["diagnostic"])

    async with httpx.AsyncClient(
        base_url=system.url("diagnostic"), headers=system.internal_headers, timeout=10
    ) as internal:

        async def all_diagnosed() -> bool:
            for person in people:
                diagnoses = (await internal.get(f"/internal/diagnoses/{person['user_id']}")).json()
                if len(diagnoses) != 1 or diagnoses[0]["profile_revision"] != 5:
                    return False
            return True

        assert await eventually(all_diagnosed, timeout=60, interval=1)
