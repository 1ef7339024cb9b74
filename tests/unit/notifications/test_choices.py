"""The email frequency is one fact: what Settings shows is what is applied, and an unsubscribe is EMAIL_NONE."""

from __future__ import annotations

import functools
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest

from services.notifications.catalogue import Category, default_catalogue
from services.notifications.choices import choose_frequency, chosen, write_pending_choices, written
from services.notifications.handlers import on_action_due, on_diagnosis_ready, on_profile_updated
from services.notifications.policy import refusal
from services.notifications.recipients import Recipient, with_profile
from services.notifications.repository import MESSAGES, RECIPIENTS, load_recipient
from shared.contracts.vocabulary import ActionPace, CoachingEmailFrequency
from shared.envelope import Event
from shared.service import ServiceRuntime
from tests.unit.notifications.support import (
    MONDAY_10_PARIS,
    SUBJECT,
    Clock,
    FakeContacts,
    FakePostman,
    FakeProfile,
    action_due,
    build_runtime,
    diagnosis_ready,
    mailer,
    profile_data,
    profile_updated,
    recipient,
)

NONE = CoachingEmailFrequency.EMAIL_NONE
MONTHLY = CoachingEmailFrequency.EMAIL_ONCE_A_MONTH
WEEKLY = CoachingEmailFrequency.EMAIL_MAXIMUM
NO_QUIET = (time(0), time(0))
# What each kind of email is, by category, and one campaign of each.
KINDS: dict[Category, str] = {
    "transactional": "login-link",
    "service": "welcome",
    "reminder": "action-digest",
    "coaching": "focus-network",
    "survey": "nps-survey",
}


async def apply(runtime: ServiceRuntime, handler: Any, event: Event) -> None:
    async with runtime.unit_of_work() as uow:
        await handler(event, uow)


def stopped_kinds(person: Recipient) -> set[str]:
    """Return the categories of email the person's choices stop."""
    catalogue = default_catalogue()
    return {category for category, campaign in KINDS.items() if refusal(catalogue.campaign(campaign), person)}


@pytest.mark.parametrize(
    ("choice", "stops"),
    [
        ({"coaching_email_frequency": WEEKLY}, set()),
        ({"coaching_email_frequency": MONTHLY}, set()),
        # "No emails", also what one-click unsubscribe chooses: all but what the person asks for or the law requires.
        ({"coaching_email_frequency": NONE}, {"service", "reminder", "coaching", "survey"}),
        ({"frequency_to_save": NONE}, {"service", "reminder", "coaching", "survey"}),
        # The pace "Pause" stops the reminders of actions, and only them.
        ({"action_pace": ActionPace.PAUSE}, {"reminder"}),
        ({"coaching_consent": False}, {"service", "reminder", "coaching", "survey"}),
    ],
)
def test_each_choice_stops_exactly_what_it_says(choice: dict[str, Any], stops: set[str]) -> None:
    person = recipient(main_challenge="stuck-market", **choice)
    assert stopped_kinds(person) == stops


def test_the_default_is_what_is_sent_coaching_about_monthly_and_the_reminders() -> None:
    person = Recipient(subject=SUBJECT, questionnaire_finished_at=MONDAY_10_PARIS.date(), main_challenge="bravo")
    assert person.email_frequency is MONTHLY and stopped_kinds(person) == set()


def test_a_choice_made_here_applies_at_once_until_the_profile_has_it() -> None:
    now = MONDAY_10_PARIS
    person = chosen(recipient(coaching_email_frequency=MONTHLY), NONE, now)
    assert person.email_frequency is NONE and person.stopped
    saved = written(person, NONE, revision=7)
    assert (saved.coaching_email_frequency, saved.frequency_to_save, saved.frequency_revision) == (NONE, None, 7)


def test_an_unsubscribe_kept_by_an_older_version_is_the_frequency_none_still_to_write() -> None:
    person = Recipient.model_validate({"subject": SUBJECT, "stopped_at": "2026-11-02T09:00:00.000000+00:00"})
    assert person.stopped and person.frequency_to_save is NONE
    assert person.frequency_chosen_at == datetime(2026, 11, 2, 9, tzinfo=UTC)


def test_profile_events_and_a_choice_made_here_agree_on_one_frequency() -> None:
    now = MONDAY_10_PARIS
    person = chosen(recipient(revision=3, coaching_email_frequency=MONTHLY), NONE, now)
    # An unrelated change in the profile (the locale) before the choice is written: the choice stays.
    later = with_profile(person, profile_data(revision=4, frequency=MONTHLY), occurred_at=now + timedelta(seconds=1))
    assert later is not None and later.stopped
    # The person chose a frequency in Settings after the unsubscribe: the latest choice wins.
    settings = with_profile(person, profile_data(revision=4, frequency=WEEKLY), occurred_at=now + timedelta(minutes=1))
    assert settings is not None and (settings.email_frequency, settings.frequency_to_save) == (WEEKLY, None)
    # Once written (revision 5), an older revision still in flight does not bring the old frequency back.
    saved = written(person, NONE, revision=5)
    stale = with_profile(saved, profile_data(revision=4, frequency=MONTHLY), occurred_at=now - timedelta(seconds=1))
    assert stale is not None and stale.stopped
    current = with_profile(stale, profile_data(revision=6, frequency=MONTHLY), occurred_at=now + timedelta(hours=1))
    assert current is not None and current.email_frequency is MONTHLY


async def test_one_click_while_the_profile_service_is_down_stops_at_once_and_is_written_later() -> None:
    clock = Clock()
    runtime = await build_runtime(clock)
    profile, contacts, postman = FakeProfile(down=True), FakeContacts(), FakePostman()
    contacts.add()
    await apply(runtime, on_profile_updated, profile_updated(revision=1, quiet=NO_QUIET))
    before, after = await choose_frequency(runtime, profile, SUBJECT, NONE)
    assert not before.stopped and after.stopped and after.frequency_to_save is NONE
    # Nothing leaves from now on, whatever the profile service says meanwhile.
    await apply(runtime, on_diagnosis_ready, diagnosis_ready())
    await apply(runtime, functools.partial(on_action_due, delay_s=0), action_due())
    await apply(runtime, on_profile_updated, profile_updated(revision=2, quiet=NO_QUIET))  # e.g. the pace
    await mailer(runtime, contacts, postman).deliver_due()
    assert postman.sent == [] and await runtime.store.collection(MESSAGES).count() == 0
    profile.down = False
    assert await write_pending_choices(runtime, profile) == 0  # fresh: the request that made it writes it
    profile.down = True
    clock.advance(minutes=1)
    assert await write_pending_choices(runtime, profile) == 0  # still down: kept
    profile.down = False
    assert await write_pending_choices(runtime, profile) == 1
    assert profile.writes == [(SUBJECT, NONE)]
    stored = await load_recipient(runtime.store.collection(RECIPIENTS), SUBJECT)
    assert (stored.coaching_email_frequency, stored.frequency_to_save) == (NONE, None)
    assert await write_pending_choices(runtime, profile) == 0  # written once


async def test_an_older_unsubscribe_is_written_to_the_profile_and_forgotten_here() -> None:
    runtime = await build_runtime(Clock())
    await runtime.store.collection(RECIPIENTS).put({"_id": SUBJECT, "stopped_at": "2026-11-01T09:00:00.000000+00:00"})
    profile = FakeProfile()
    assert await write_pending_choices(runtime, profile) == 1
    stored = await runtime.store.collection(RECIPIENTS).get(SUBJECT)
    assert stored is not None and "stopped_at" not in stored and stored["coaching_email_frequency"] == "EMAIL_NONE"
    assert profile.writes == [(SUBJECT, NONE)]


async def test_choosing_a_frequency_again_in_settings_starts_the_emails_again() -> None:
    clock = Clock()
    runtime = await build_runtime(clock)
    profile = FakeProfile(revision=1)
    await apply(runtime, on_profile_updated, profile_updated(revision=1, frequency=MONTHLY, quiet=NO_QUIET))
    await choose_frequency(runtime, profile, SUBJECT, NONE)  # one-click: the profile is at revision 2
    await apply(runtime, on_diagnosis_ready, diagnosis_ready())
    assert await runtime.store.collection(MESSAGES).count() == 0
    # Settings shows "No emails" (the profile's event says so); the person chooses "about once a month".
    clock.advance(minutes=5)
    await apply(runtime, on_profile_updated, profile_updated(revision=2, frequency=NONE, quiet=NO_QUIET))
    resumed = profile_updated(revision=3, frequency=MONTHLY, quiet=NO_QUIET)
    await apply(runtime, on_profile_updated, resumed.model_copy(update={"occurred_at": clock()}))
    await apply(runtime, functools.partial(on_action_due, delay_s=0), action_due())
    assert {m["campaign"] for m in await runtime.store.collection(MESSAGES).find()} == {"welcome", "action-digest"}
