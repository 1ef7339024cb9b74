"""What the planner queues for a person: surveys in their windows, activation, coaching — once, one a day."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, time, timedelta

from services.notifications.catalogue import default_catalogue
from services.notifications.plan import next_look, plan_recipient
from services.notifications.recipients import Recipient
from shared.contracts.vocabulary import CoachingEmailFrequency
from tests.unit.notifications.support import REGISTERED, recipient

CATALOGUE = default_catalogue()


def day(n: int, hour: int = 12) -> datetime:
    return datetime.combine(REGISTERED + timedelta(days=n), time(hour), tzinfo=UTC)


def run(person: Recipient, until: datetime, start: datetime) -> tuple[list[tuple[str, datetime]], Recipient]:
    """Run the planner each time the person's plan_at comes, as the loop would; return what was queued."""
    queued: list[tuple[str, datetime]] = []
    now = start
    while now <= until:
        plan = plan_recipient(CATALOGUE, person, now)
        queued += [(m.campaign.id, now) for m in plan.messages]
        person = plan.recipient
        if person.plan_at is None:
            break
        now = person.plan_at
    return queued, person


def test_surveys_are_queued_once_inside_their_windows() -> None:
    person = recipient(
        main_challenge="stuck-market", coaching_email_frequency=CoachingEmailFrequency.EMAIL_ONCE_A_MONTH
    )
    queued, _ = run(person, day(120), day(0))
    when = dict(queued)
    assert [c for c, _ in queued].count("first-followup-survey") == 1
    assert day(5) <= when["first-followup-survey"] < day(15, 0)
    assert day(90) <= when["employment-status-survey"] < day(98, 0)
    assert day(21) <= when["nps-survey"] < day(36, 0)
    assert "activation" not in when  # the person has a diagnosis
    assert len(queued) == len({c for c, _ in queued})


def test_at_most_one_planned_email_a_day() -> None:
    queued, _ = run(recipient(), day(120), day(0))
    moments = sorted(at for _, at in queued)
    assert all(later - earlier >= timedelta(days=1) for earlier, later in itertools.pairwise(moments))


def test_activation_goes_only_to_people_who_have_not_finished_the_questionnaire() -> None:
    # Diagnoses are made from the first answers on: a diagnosis does not say the person is done answering.
    for challenge in (None, "stuck-market"):
        queued, _ = run(recipient(main_challenge=challenge, questionnaire_finished_at=None), day(2), day(0))
        assert [c for c, _ in queued] == ["activation"], challenge
    queued, _ = run(recipient(main_challenge=None), day(2), day(0))
    assert "activation" not in [c for c, _ in queued]


def test_planned_emails_leave_outside_the_quiet_hours() -> None:
    unfinished = recipient(main_challenge=None, questionnaire_finished_at=None)
    plan = plan_recipient(CATALOGUE, unfinished, day(1, hour=22))  # 23:00 in Paris
    assert plan.messages[0].send_after == datetime.combine(REGISTERED + timedelta(days=2), time(7), tzinfo=UTC)


def test_nothing_is_planned_after_unsubscribe_or_consent_withdrawal_or_for_guests() -> None:
    for person in (
        recipient(stopped_at=day(0)),
        recipient(coaching_consent=False),
        recipient(is_guest=True),
        recipient(coaching_email_frequency=CoachingEmailFrequency.EMAIL_NONE),
        recipient(role="volunteer"),
    ):
        queued, after = run(person, day(120), day(0))
        assert queued == [], person
        assert after.plan_at is None


def test_the_next_look_is_the_nearest_window_or_coaching_moment() -> None:
    person = recipient(main_challenge="bravo")
    assert next_look(CATALOGUE, person, day(0)) == day(3)  # the first coaching email
    quiet = recipient(main_challenge="bravo", coaching_email_frequency=CoachingEmailFrequency.EMAIL_NONE)
    assert next_look(CATALOGUE, quiet, day(0)) is None  # surveys also respect "no emails"
