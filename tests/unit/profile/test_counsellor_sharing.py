"""What a person shares with a counsellor is their choice, item by item, kept in the ledger, and enforced here."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.responses import JSONResponse

from services.profile.repository import CONSENTS, INDEXES, PROFILES
from services.profile.routes.accounts import AccountCreate, create_account
from services.profile.routes.counsellors import (
    InvitationAccept,
    InvitationCreate,
    accept,
    change_sharing,
    counsellors_of,
    invite,
    people_of,
    person_summary,
    revoke,
)
from services.profile.settings import ProfileSettings
from services.profile.state import ProfileState
from shared.contracts.counsellors import PersonSummary, SharedItem, SharingChoice
from shared.metrics import ServiceMetrics
from shared.outbox import OUTBOX_INDEXES, Outbox
from shared.problems import NotFoundError
from shared.service import ServiceRuntime
from shared.store.sqlite import SqliteStore
from shared.telemetry import new_metrics_registry

START = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture
async def runtime() -> AsyncIterator[ServiceRuntime]:
    store = SqliteStore(":memory:")
    await store.ensure_indexes([*OUTBOX_INDEXES, *INDEXES])
    yield ServiceRuntime(
        settings=ProfileSettings(),
        store=store,
        broker=None,  # type: ignore[arg-type]
        outbox=Outbox(),
        metrics=ServiceMetrics(new_metrics_registry()),
        state=ProfileState(),
        clock=Clock(),
    )
    await store.close()


async def people(runtime: ServiceRuntime) -> tuple[str, str]:
    """Return a job seeker who said what is hard for her (in codes and in her own words), and a counsellor."""
    person = (await create_account(AccountCreate(first_name="Odile"), runtime)).user_id
    counsellor = (await create_account(AccountCreate(first_name="Paul", role="counsellor"), runtime)).user_id
    profiles = runtime.store.collection(PROFILES)
    doc = await profiles.get(person)
    assert doc is not None
    doc["profile"] |= {
        "gender": "FEMININE",
        "frustrations": ["AGE_DISCRIMINATION", "MOTIVATION", "HANDICAPED"],
        "custom_frustrations": ["mon ancien chef me dénigre"],
    }
    await profiles.delete({"_id": person})
    await profiles.insert(doc)
    return person, counsellor


async def summary(runtime: ServiceRuntime, counsellor: str, person: str) -> PersonSummary:
    answer = await person_summary(counsellor, person, runtime)
    assert isinstance(answer, PersonSummary), answer
    return answer


async def test_an_invitation_shares_the_diagnosis_and_the_progress_unless_the_person_chooses(
    runtime: ServiceRuntime,
) -> None:
    person, counsellor = await people(runtime)
    invitation = await invite(person, runtime)
    link = await accept(counsellor, InvitationAccept(token=invitation.token), runtime)
    assert link.shared == [SharedItem.DIAGNOSIS, SharedItem.PLAN_PROGRESS]
    seen = await summary(runtime, counsellor, person)
    assert seen.shared == [SharedItem.DIAGNOSIS, SharedItem.PLAN_PROGRESS]
    assert seen.frustrations is None  # not shared: not even read out of the profile
    assert seen.gender == "FEMININE"  # to write « elle », nothing more
    assert [c.shared for c in await counsellors_of(person, runtime)] == [link.shared]
    assert [p.shared for p in await people_of(counsellor, runtime)] == [link.shared]


async def test_the_person_chooses_each_item_and_the_ledger_keeps_each_choice(runtime: ServiceRuntime) -> None:
    person, counsellor = await people(runtime)
    invitation = await invite(person, runtime, InvitationCreate(shared=[SharedItem.FRUSTRATIONS]))
    await accept(counsellor, InvitationAccept(token=invitation.token), runtime)
    seen = await summary(runtime, counsellor, person)
    assert seen.shared == [SharedItem.FRUSTRATIONS]
    # Codes only: never the words she typed, never a health answer.
    assert seen.frustrations == ["AGE_DISCRIMINATION", "MOTIVATION"]
    assert "dénigre" not in seen.model_dump_json()

    changed = await change_sharing(person, counsellor, SharingChoice(shared=[SharedItem.DIAGNOSIS]), runtime)
    assert changed.shared == [SharedItem.DIAGNOSIS]
    seen = await summary(runtime, counsellor, person)
    assert seen.shared == [SharedItem.DIAGNOSIS] and seen.frustrations is None

    ledger = await runtime.store.collection(CONSENTS).find({"user_id": person, "purpose": "counsellor-sharing"})
    assert [entry.get("shared") for entry in sorted(ledger, key=lambda e: e["at"])] == [
        ["frustrations"],
        ["diagnosis"],
    ]


async def test_after_the_person_ends_the_sharing_the_counsellor_is_told_so_and_when(runtime: ServiceRuntime) -> None:
    person, counsellor = await people(runtime)
    stranger = (await create_account(AccountCreate(first_name="Luc", role="counsellor"), runtime)).user_id
    invitation = await invite(person, runtime)
    await accept(counsellor, InvitationAccept(token=invitation.token), runtime)
    await revoke(person, counsellor, runtime)

    ended = await person_summary(counsellor, person, runtime)
    assert isinstance(ended, JSONResponse) and ended.status_code == 410
    body = json.loads(bytes(ended.body))
    assert body["code"] == "sharing_ended" and body["params"]["ended_at"] > "2026-11-22T09:00"
    assert "Odile" not in bytes(ended.body).decode()
    with pytest.raises(NotFoundError):  # one who was never invited learns nothing
        await person_summary(stranger, person, runtime)
    with pytest.raises(NotFoundError):  # an ended sharing cannot be changed, only given again by a new invitation
        await change_sharing(person, counsellor, SharingChoice(shared=[SharedItem.DIAGNOSIS]), runtime)
