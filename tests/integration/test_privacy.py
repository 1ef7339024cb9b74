"""The rights of access and erasure across every service, and no personal data on Kafka.

One full journey, then: the export holds everything every store holds about the
person (a store collection with data about them and no exporter fails the
test); no name, email or typed text is on any topic; after erasure every store
holds nothing about them within 60 seconds.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaConsumer

from shared.topics import all_topics
from tests.support.journey import Person, complete_profile, sign_up
from tests.support.stores import documents_mentioning, ids_mentioning
from tests.support.system import Broker, System, eventually, start_system

pytestmark = pytest.mark.integration
SECRETS = {"custom_gender": "genre-libre-7f3a", "custom_frustration": "Mon ancien chef Théodule Marcassin"}


@pytest.fixture(scope="module")
async def journey(broker: Broker, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[tuple[System, Person]]:
    system = await start_system(broker, tmp_path_factory.mktemp("privacy") / "var")
    async with httpx.AsyncClient(base_url=system.url("gateway"), timeout=15) as client:
        person = await sign_up(client)
        await complete_profile(client, person, secrets=SECRETS)
        await client.put("/v1/me/consents/partner-events", headers=person.auth, json={"granted": True})

        async def planned() -> bool:
            plan = (await client.get("/v1/me/plan", headers=person.auth)).json()
            return bool(plan.get("actions")) and bool(system.mails())

        await eventually(planned, timeout=20)
        await asyncio.sleep(2)  # let the due actions travel to notifications and volunteers
    yield system, person
    system.stop()


async def test_the_export_holds_everything_every_store_holds(journey: tuple[System, Person]) -> None:
    system, person = journey
    async with httpx.AsyncClient(base_url=system.url("gateway"), timeout=15) as client:
        response = await client.get("/v1/me/export", headers=person.auth)
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    archive = response.json()["services"]
    assert set(archive) == {"profile", "diagnostic", "advice", "notifications", "volunteers", "partners"}
    assert archive["profile"]["accounts"][0]["email"] == person.email
    assert "password_hash" not in str(archive)

    held = ids_mentioning(system.var_dir, person.user_id)
    held = {k: v for k, v in held.items() if k[1] != "outbox"}  # events in transit, not data kept
    assert held, "the journey stored nothing?"
    for (service, collection), ids in held.items():
        exported = archive[service]
        text = json.dumps(exported, ensure_ascii=False)
        by_name = exported.get(collection) if isinstance(exported, dict) else None
        covered = all(doc_id in text for doc_id in ids) or (isinstance(by_name, list) and len(by_name) >= len(ids))
        assert covered, f"{service}.{collection} holds {len(ids)} documents about the person that the export lacks"


async def read_all_topics(system: System) -> list[bytes]:
    consumer = AIOKafkaConsumer(
        *all_topics(system.prefix),
        bootstrap_servers=system.broker.bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    values: list[bytes] = []
    try:
        while batch := await consumer.getmany(timeout_ms=1500):
            for records in batch.values():
                for record in records:
                    values.append(record.value or b"")
                    values.extend(v for _, v in record.headers or ())
    finally:
        await consumer.stop()
    return values


async def test_no_name_email_or_typed_text_on_any_topic(journey: tuple[System, Person]) -> None:
    system, person = journey
    messages = await read_all_topics(system)
    assert len(messages) > 5
    everything = b"\n".join(messages).decode(errors="replace")
    assert person.user_id in everything  # the pseudonymous id is the key of every event
    for secret in (person.first_name, person.email or "", *SECRETS.values(), "Marcassin"):
        assert secret not in everything, f"{secret!r} found on Kafka"


async def test_after_erasure_no_store_holds_anything_about_the_person(journey: tuple[System, Person]) -> None:
    system, person = journey
    async with httpx.AsyncClient(base_url=system.url("gateway"), timeout=15) as client:
        response = await client.delete("/v1/me", headers=person.auth)
        assert response.status_code == 202
        assert (await client.get("/v1/me/profile", headers=person.auth)).status_code == 404

    def remaining() -> dict[Any, int]:
        found = {}
        for needle in (person.user_id, person.email or "", person.first_name, SECRETS["custom_frustration"]):
            found.update(documents_mentioning(system.var_dir, needle))
        return found

    async def nothing_left() -> bool:
        return not remaining()

    try:
        await eventually(nothing_left, timeout=60, interval=1)
    except AssertionError:
        pytest.fail(f"still held after 60 s: {remaining()}")
