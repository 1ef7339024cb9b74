"""Erasure leaves no id of the erased person anywhere in the profile store: not in a value, not in a key."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from services.profile.consents import ERASED_COUNSELLOR, ledger_entry, without_counsellor
from services.profile.erasure import erase
from services.profile.repository import CONSENTS, INDEXES, PROFILES
from services.profile.routes.accounts import AccountCreate, create_account
from services.profile.routes.counsellors import InvitationAccept, accept, invite, revoke
from services.profile.settings import ProfileSettings
from services.profile.state import ProfileState
from shared.contracts.vocabulary import ConsentPurpose
from shared.metrics import ServiceMetrics
from shared.outbox import OUTBOX, OUTBOX_INDEXES, Outbox
from shared.service import ServiceRuntime
from shared.store.sqlite import SqliteStore
from shared.telemetry import new_metrics_registry

START = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


class Clock:
    """Moves a second at each reading, as real requests would: entries never share an instant by accident."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@dataclass
class Office:
    """A job seeker followed by two counsellors; the first one was revoked once and invited again."""

    runtime: ServiceRuntime
    store: SqliteStore
    person: str
    counsellor: str
    colleague: str


def strings_in(value: Any) -> Iterator[str]:
    """Yield every string of a document, keys and ids included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from strings_in(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from strings_in(item)


async def everything_naming(store: SqliteStore, subject: str) -> dict[str, list[Any]]:
    """Return, per collection, each document with a string (id or value) that contains the subject."""
    found: dict[str, list[Any]] = {}
    for name in await store.collection_names():
        for doc in await store.collection(name).find():
            if any(subject in text for text in strings_in(doc)):
                found.setdefault(name, []).append(doc)
    return found


async def follow(runtime: ServiceRuntime, person: str, counsellor: str) -> None:
    invitation = await invite(person, runtime)
    await accept(counsellor, InvitationAccept(token=invitation.token), runtime)


@pytest.fixture
async def office() -> AsyncIterator[Office]:
    store = SqliteStore(":memory:")
    await store.ensure_indexes([*OUTBOX_INDEXES, *INDEXES])
    runtime = ServiceRuntime(
        settings=ProfileSettings(),
        store=store,
        broker=None,  # type: ignore[arg-type]
        outbox=Outbox(),
        metrics=ServiceMetrics(new_metrics_registry()),
        state=ProfileState(),
        clock=Clock(),
    )
    accounts = [
        await create_account(AccountCreate(first_name=name, email=f"{name.lower()}@example.org", role=role), runtime)
        for name, role in (("Martine", "job-seeker"), ("Karim", "counsellor"), ("Sophie", "counsellor"))
    ]
    person, counsellor, colleague = (a.user_id for a in accounts)
    await follow(runtime, person, counsellor)
    await revoke(person, counsellor, runtime)
    await follow(runtime, person, counsellor)
    await follow(runtime, person, colleague)
    # What the relay had published before the erasure is gone from the outbox.
    await store.collection(OUTBOX).delete({})
    yield Office(runtime, store, person, counsellor, colleague)
    await store.close()


async def test_an_erased_counsellor_leaves_no_id_in_the_store_and_the_history_stays(office: Office) -> None:
    # As stores written before ledger ids stopped naming the counsellor hold it.
    at = (START - timedelta(days=1)).isoformat()
    await office.store.collection(CONSENTS).insert(
        ledger_entry(office.person, ConsentPurpose.COUNSELLOR_SHARING, True, START, office.counsellor)
        | {"_id": f"{office.person}:{at}:counsellor-sharing:{office.counsellor}", "at": at}
    )
    history_before = await office.store.collection(CONSENTS).find({"user_id": office.person}, sort=[("at", 1)])
    assert any(office.counsellor in json.dumps(entry) for entry in history_before)

    await erase(office.runtime, office.counsellor, "user-request")

    left = await everything_naming(office.store, office.counsellor)
    # Only the announcement of the erasure, in transit to the other services.
    assert list(left) == [OUTBOX], left
    (announcement,) = left[OUTBOX]
    assert json.loads(announcement["value"])["event_type"] == "user-erased"

    history = await office.store.collection(CONSENTS).find({"user_id": office.person}, sort=[("at", 1)])
    sharing = [e for e in history if e["purpose"] == "counsellor-sharing"]
    # An old grant; granted, revoked, granted again (the erased counsellor); granted (the colleague);
    # withdrawn by the erasure.
    assert [(e["granted"], e["counsellor_id"]) for e in sharing] == [
        (True, ERASED_COUNSELLOR),
        (True, ERASED_COUNSELLOR),
        (False, ERASED_COUNSELLOR),
        (True, ERASED_COUNSELLOR),
        (True, office.colleague),
        (False, ERASED_COUNSELLOR),
    ]
    assert len(history) == len(history_before) + 1
    profile = await office.store.collection(PROFILES).get(office.person)
    assert profile is not None and profile["consents"]["counsellor_sharing"] is True  # the colleague still follows


async def test_an_erased_job_seeker_leaves_no_id_in_the_store(office: Office) -> None:
    await erase(office.runtime, office.person, "user-request")

    left = await everything_naming(office.store, office.person)
    assert list(left) == [OUTBOX], left
    assert [json.loads(doc["value"])["event_type"] for doc in left[OUTBOX]] == ["user-erased"]
    assert await everything_naming(office.store, office.counsellor)  # the counsellors' own accounts stay


def test_ledger_ids_name_only_the_person() -> None:
    entry = ledger_entry("u_000000000000000a", ConsentPurpose.COUNSELLOR_SHARING, True, START, "u_000000000000000b")
    assert entry["_id"].startswith("u_000000000000000a:") and "u_000000000000000b" not in entry["_id"]
    # Two entries of the same instant and purpose (e.g. two counsellors erased together) do not collide.
    first, second = (ledger_entry("u_000000000000000a", ConsentPurpose.COACHING, True, START) for _ in range(2))
    assert first["_id"] != second["_id"]


def test_forgetting_the_counsellor_keeps_the_proof_and_renames_the_entry() -> None:
    old_format = {
        "_id": "u_000000000000000a:2026-01-05T10:00:00+00:00:counsellor-sharing:u_000000000000000b",
        "user_id": "u_000000000000000a",
        "purpose": "counsellor-sharing",
        "granted": True,
        "version": "2026-01",
        "at": "2026-01-05T10:00:00+00:00",
        "counsellor_id": "u_000000000000000b",
    }
    forgotten = without_counsellor(old_format)
    assert "u_000000000000000b" not in json.dumps(forgotten)
    assert forgotten["_id"].startswith("u_000000000000000a:2026-01-05T10:00:00+00:00:counsellor-sharing:")
    unchanged = {k: v for k, v in forgotten.items() if k not in ("_id", "counsellor_id")}
    assert unchanged == {k: v for k, v in old_format.items() if k not in ("_id", "counsellor_id")}
    assert forgotten["counsellor_id"] == ERASED_COUNSELLOR
