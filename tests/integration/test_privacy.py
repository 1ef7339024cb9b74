"""The rights of access and erasure across every service, and no personal data on Kafka.

One full journey, then: the export holds everything every store holds about the
person (a store collection with data about them and no exporter fails the
test); no name, email or typed text is on any topic; after erasure every store
holds nothing about them within 60 seconds — no string of any document, ids
included, names them (an erased counsellor included) — and no byte of any store
file either: deleted pages and write-ahead logs are scrubbed too.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaConsumer

from shared.topics import all_topics
from tests.support.journey import Person, complete_profile, sign_up
from tests.support.mail import read_mail
from tests.support.system import System, eventually
from tests.unit.profile.test_erasure import strings_in

pytestmark = pytest.mark.integration
SECRETS = {"custom_gender": "genre-libre-7f3a", "custom_frustration": "Mon ancien chef Théodule Marcassin"}
# Where an export shows a store collection when its part is not named after it.
EXPORTED_AS = {
    ("diagnostic", "people"): "profile_facts",
    ("advice", "people"): "person",
    ("notifications", "recipients"): "recipient",
}
# Events in transit to the broker, not data kept (the relay deletes them once published).
IN_TRANSIT = "outbox"


def stored_documents(var_dir: Path) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Yield (service, collection, document with its ``_id``) for every document of every service store."""
    for path in sorted((var_dir / "stores").glob("*.sqlite3")):
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
            for table in tables:
                if table.startswith("sqlite_") or table == "_health":
                    continue
                for doc_id, body in db.execute(f'SELECT id, doc FROM "{table}"'):
                    yield path.stem, table, {"_id": doc_id, **json.loads(body)}
        finally:
            db.close()


def documents_naming(var_dir: Path, *needles: str) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Return, per (service, collection), the documents with a string (id, key or value) containing a needle."""
    found: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for service, collection, doc in stored_documents(var_dir):
        if any(needle in text for text in strings_in(doc) for needle in needles if needle):
            found.setdefault((service, collection), []).append(doc)
    return found


def files_holding(var_dir: Path, needles: dict[str, str]) -> dict[str, list[str]]:
    """Return, per needle, the store files (databases, write-ahead logs, shared memory) whose bytes hold it.

    Read as bytes, not through SQLite: a deleted document left in a free page or in the log is found too.
    """
    found: dict[str, list[str]] = {}
    for path in sorted((var_dir / "stores").iterdir()):
        if not path.name.endswith((".sqlite3", ".sqlite3-wal", ".sqlite3-shm")):
            continue
        data = path.read_bytes()
        for label, needle in needles.items():
            if needle and needle.encode() in data:
                found.setdefault(label, []).append(path.name)
    return found


def identifying_values(doc: dict[str, Any], others: list[dict[str, Any]], subject: str) -> set[str]:
    """Return the top-level strings of a document that no other document of its collection has (its id first)."""
    elsewhere = {v for other in others if other is not doc for v in other.values() if isinstance(v, str)}
    return {v for v in doc.values() if isinstance(v, str) and v != subject and v not in elsewhere}


def shows(entry: Any, doc: dict[str, Any], identifying: set[str]) -> bool:
    """Whether an archive entry is this stored document: the same id, or (ids left out) one of its own values."""
    if not isinstance(entry, dict):
        return False
    if "_id" in entry:
        return bool(entry["_id"] == doc["_id"])
    return any(isinstance(v, str) and v in identifying for v in entry.values())


@pytest.fixture(scope="module")
async def journey(shared_system: System) -> tuple[System, Person]:
    system = shared_system  # the checks read what the stores and topics hold about this person only
    async with httpx.AsyncClient(base_url=system.url("gateway"), timeout=15) as client:
        person = await sign_up(client)
        await complete_profile(client, person, secrets=SECRETS)
        await client.put("/v1/me/consents/partner-events", headers=person.auth, json={"granted": True})

        async def planned() -> bool:
            plan = (await client.get("/v1/me/plan", headers=person.auth)).json()
            return bool(plan.get("actions")) and any((person.email or "?") in read_mail(m).to for m in system.mails())

        await eventually(planned, timeout=20)
        await asyncio.sleep(2)  # let the due actions travel to notifications and volunteers
    return system, person


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

    held = {k: docs for k, docs in documents_naming(system.var_dir, person.user_id).items() if k[1] != IN_TRANSIT}
    assert {"profile", "diagnostic", "advice", "notifications"} <= {service for service, _ in held}, held.keys()
    for (service, collection), docs in held.items():
        part = EXPORTED_AS.get((service, collection), collection)
        exported = archive[service]
        assert isinstance(exported, dict) and part in exported, (
            f"{service}.{collection} holds {len(docs)} documents about the person; the export has no {part!r}"
        )
        entries = exported[part] if isinstance(exported[part], list) else [exported[part]]
        unclaimed = list(entries)
        for doc in docs:
            identifying = identifying_values(doc, docs, person.user_id)
            shown = next((entry for entry in unclaimed if shows(entry, doc, identifying)), None)
            assert shown is not None, f"{service}.{collection} document {doc['_id']!r} is not in the export's {part!r}"
            unclaimed.remove(shown)  # one entry shows one document


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


async def test_an_erased_counsellor_leaves_no_id_in_any_store(journey: tuple[System, Person]) -> None:
    system, person = journey
    async with httpx.AsyncClient(base_url=system.url("gateway"), timeout=15) as client:
        counsellor = await sign_up(client, role="counsellor")
        invitation = (await client.post("/v1/me/counsellor-invitations", headers=person.auth)).json()
        accepted = await client.post(
            "/v1/counsellor/invitations/accept",
            headers=counsellor.auth,
            json={"token": invitation["link"].split("#", 1)[1]},
        )
        assert accepted.status_code == 200, accepted.text
        assert ("profile", "consents") in documents_naming(system.var_dir, counsellor.user_id)

        assert (await client.delete("/v1/me", headers=counsellor.auth)).status_code == 202

        def remaining() -> dict[Any, list[dict[str, Any]]]:
            return documents_naming(system.var_dir, counsellor.user_id, counsellor.email or "", counsellor.first_name)

        try:
            await eventually(lambda: not remaining(), timeout=60, interval=1)
        except AssertionError:
            pytest.fail(f"still held after 60 s: {remaining()}")
        # The person keeps the proof of what they consented to, without the counsellor's id.
        consents = (await client.get("/v1/me/consents", headers=person.auth)).json()
    sharing = [(e["granted"], e["counsellor_id"]) for e in consents["history"] if e["purpose"] == "counsellor-sharing"]
    assert sharing == [(True, "erased-counsellor"), (False, "erased-counsellor")]
    assert consents["current"]["counsellor-sharing"] is False


async def test_after_erasure_no_store_holds_anything_about_the_person(journey: tuple[System, Person]) -> None:
    system, person = journey
    needles = {"user id": person.user_id, "email": person.email or "", "first name": person.first_name, **SECRETS}
    assert set(files_holding(system.var_dir, needles)) == set(needles)  # the byte search sees them before
    async with httpx.AsyncClient(base_url=system.url("gateway"), timeout=15) as client:
        response = await client.delete("/v1/me", headers=person.auth)
        assert response.status_code == 202
        assert (await client.get("/v1/me/profile", headers=person.auth)).status_code == 404

    def remaining() -> dict[Any, list[dict[str, Any]]]:
        return documents_naming(
            system.var_dir, person.user_id, person.email or "", person.first_name, SECRETS["custom_frustration"]
        )

    try:
        await eventually(lambda: not remaining(), timeout=60, interval=1)
    except AssertionError:
        pytest.fail(f"still held after 60 s: {remaining()}")

    # Deleted is not enough: the bytes must be gone from the files, free pages and write-ahead logs included.
    try:
        await eventually(lambda: not files_holding(system.var_dir, needles), timeout=60, interval=1)
    except AssertionError:
        pytest.fail(f"still in the store files after 60 s: {files_holding(system.var_dir, needles)}")
