"""Consents: coaching cannot be withdrawn (the account is deleted instead); the others are one call either way."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from services.profile.consents import refused_change
from services.profile.repository import CONSENTS, INDEXES, PROFILES
from services.profile.routes.accounts import AccountCreate, create_account
from services.profile.routes.consents import set_consent
from services.profile.settings import ProfileSettings
from services.profile.state import ProfileState
from shared.contracts.api.profile import ConsentChange
from shared.contracts.vocabulary import ConsentPurpose
from shared.metrics import ServiceMetrics
from shared.outbox import OUTBOX, OUTBOX_INDEXES, Outbox
from shared.problems import ConflictError
from shared.service import ServiceRuntime
from shared.store.sqlite import SqliteStore
from shared.telemetry import new_metrics_registry


@pytest.mark.parametrize(
    ("purpose", "granted", "refusal"),
    [
        (ConsentPurpose.COACHING, False, "coaching_required_delete_account"),
        (ConsentPurpose.COACHING, True, None),
        (ConsentPurpose.COUNSELLOR_SHARING, True, "counsellor_sharing_needs_invitation"),
        (ConsentPurpose.COUNSELLOR_SHARING, False, None),
        (ConsentPurpose.PARTNER_EVENTS, True, None),
        (ConsentPurpose.PARTNER_EVENTS, False, None),
        (ConsentPurpose.RESEARCH_STATISTICS, True, None),
        (ConsentPurpose.RESEARCH_STATISTICS, False, None),
    ],
)
def test_which_changes_the_consent_api_refuses(purpose: ConsentPurpose, granted: bool, refusal: str | None) -> None:
    assert refused_change(purpose, granted) == refusal


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
    )
    await store.close()


async def test_withdrawing_coaching_is_refused_and_changes_nothing(runtime: ServiceRuntime) -> None:
    user_id = (await create_account(AccountCreate(first_name="Martine"), runtime)).user_id
    profile_before = await runtime.store.collection(PROFILES).get(user_id)
    events_before = await runtime.store.collection(OUTBOX).count()

    with pytest.raises(ConflictError) as refused:
        await set_consent(user_id, ConsentPurpose.COACHING, ConsentChange(granted=False), runtime)

    assert refused.value.code == "coaching_required_delete_account"
    assert await runtime.store.collection(PROFILES).get(user_id) == profile_before
    ledger = await runtime.store.collection(CONSENTS).find({"user_id": user_id})
    assert [(e["purpose"], e["granted"]) for e in ledger] == [("coaching", True)]  # given at sign-up, still given
    assert await runtime.store.collection(OUTBOX).count() == events_before  # no profile-updated


async def test_an_optional_purpose_is_withdrawn_in_one_call(runtime: ServiceRuntime) -> None:
    user_id = (await create_account(AccountCreate(first_name="Martine"), runtime)).user_id
    await set_consent(user_id, ConsentPurpose.PARTNER_EVENTS, ConsentChange(granted=True), runtime)
    answer = await set_consent(user_id, ConsentPurpose.PARTNER_EVENTS, ConsentChange(granted=False), runtime)
    assert answer.current[ConsentPurpose.PARTNER_EVENTS] is False
    assert answer.current[ConsentPurpose.COACHING] is True
    assert [(e.purpose, e.granted) for e in answer.history] == [
        (ConsentPurpose.COACHING, True),
        (ConsentPurpose.PARTNER_EVENTS, True),
        (ConsentPurpose.PARTNER_EVENTS, False),
    ]
