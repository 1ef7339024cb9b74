"""Coaching emails: the reference's frequency rules and a choice by relevance, with a fixed clock."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from services.notifications.catalogue import default_catalogue
from services.notifications.coaching import choose_campaign, coaching_step, relevance
from services.notifications.recipients import CoachingState
from shared.contracts.vocabulary import CoachingEmailFrequency
from tests.unit.notifications.support import recipient

CATALOGUE = default_catalogue()
SIGN_UP_NOON = datetime(2026, 11, 2, 12, tzinfo=UTC)


def test_the_catalogue_has_at_least_twenty_coaching_campaigns_on_the_reference_themes() -> None:
    ids = {c.id for c in CATALOGUE.coaching()}
    assert len(ids) >= 20
    assert {
        "focus-network",
        "focus-spontaneous",
        "improve-cv",
        "focus-body-language",
        "focus-self-develop",
        "local-market",
        "jobbing",
        "prepare-your-application",
        "get-diploma",
        "confidence-boost",
    } <= ids


def test_the_first_coaching_email_is_due_three_days_after_sign_up() -> None:
    person = recipient()
    assert coaching_step(CATALOGUE, person, SIGN_UP_NOON + timedelta(days=2, hours=23)).campaign is None
    assert coaching_step(CATALOGUE, person, SIGN_UP_NOON + timedelta(days=3)).campaign is not None


def test_the_wait_follows_the_frequency_with_a_stable_jitter_of_twenty_percent() -> None:
    now = SIGN_UP_NOON + timedelta(days=3)
    for frequency, days in ((CoachingEmailFrequency.EMAIL_MAXIMUM, 6), (CoachingEmailFrequency.EMAIL_ONCE_A_MONTH, 30)):
        step = coaching_step(CATALOGUE, recipient(coaching_email_frequency=frequency), now)
        assert step.state.next_at is not None
        wait = step.state.next_at - now
        assert timedelta(days=days * 0.8) <= wait <= timedelta(days=days * 1.2)
        assert coaching_step(CATALOGUE, recipient(coaching_email_frequency=frequency), now).state == step.state
    waits = {coaching_step(CATALOGUE, recipient(subject=f"u_person{i:04d}"), now).state.next_at for i in range(20)}
    assert len(waits) > 10  # different people get different waits: emails do not all leave at once


def test_no_coaching_email_when_the_person_chose_none() -> None:
    step = coaching_step(
        CATALOGUE,
        recipient(coaching_email_frequency=CoachingEmailFrequency.EMAIL_NONE),
        SIGN_UP_NOON + timedelta(days=90),
    )
    assert step.campaign is None and step.reason == "coaching-off"


def test_each_campaign_is_sent_at_most_once_and_then_the_wait_doubles() -> None:
    person = recipient(
        advice_ids=("network-application",), coaching_email_frequency=CoachingEmailFrequency.EMAIL_MAXIMUM
    )
    now = SIGN_UP_NOON + timedelta(days=3)
    seen: list[str] = []
    while True:
        step = coaching_step(CATALOGUE, person, now)
        if step.campaign is None:
            break
        seen.append(step.campaign.id)
        person = person.model_copy(update={"coaching": step.state})
        assert step.state.next_at is not None
        now = step.state.next_at
    assert len(seen) == len(set(seen))
    assert step.reason == "nothing-relevant"
    first_wait = step.state.wait_days
    assert first_wait == 12  # twice the 6-day period
    person = person.model_copy(update={"coaching": step.state})
    assert step.state.next_at is not None
    again = coaching_step(CATALOGUE, person, step.state.next_at)
    assert again.campaign is None and again.state.wait_days == 24


def first_choices(**facts: object) -> Counter[str]:
    """Return how often each campaign comes first for 200 people with the same facts (the draw differs)."""
    return Counter(
        choose_campaign(CATALOGUE, recipient(subject=f"u_person{i:04d}", **facts)).id  # type: ignore[union-attr]
        for i in range(200)
    )


def test_campaigns_follow_the_persons_diagnosis_and_advice() -> None:
    network = first_choices(advice_ids=("network-application",), frustrations=("NO_OFFERS",))
    assert network.most_common(1)[0][0] == "focus-network"
    assert "get-diploma" not in network
    diploma = first_choices(main_challenge="missing-diploma", advice_ids=("training",))
    assert diploma.most_common(1)[0][0] == "get-diploma"
    person = recipient(advice_ids=("network-application",))
    assert relevance(CATALOGUE.campaign("get-diploma"), person) is None
    assert relevance(CATALOGUE.campaign("salary-negotiation"), person) is not None  # suits everyone


def test_long_and_short_reads_alternate() -> None:
    many = ("NO_OFFERS", "NO_OFFER_ANSWERS", "MOTIVATION", "SELF_CONFIDENCE", "INTERVIEW", "RESUME")
    after_long = first_choices(frustrations=many, coaching=CoachingState(last_big=True))
    after_short = first_choices(frustrations=many, coaching=CoachingState(last_big=False))
    big = {c.id for c in CATALOGUE.coaching() if c.big}
    assert sum(n for c, n in after_long.items() if c not in big) > sum(
        n for c, n in after_short.items() if c not in big
    )
