"""Handlers queue messages once, whatever the redeliveries; they respect the person's choices."""

from __future__ import annotations

import functools
from datetime import UTC, datetime, time
from typing import Any

from services.notifications.bootstrap import subscriptions
from services.notifications.handlers import (
    on_action_due,
    on_diagnosis_ready,
    on_match_accepted,
    on_profile_updated,
    on_user_erased,
)
from services.notifications.repository import DUE_ACTIONS, MESSAGES, RECIPIENTS, SURVEY_ANSWERS
from shared.consumer import EventConsumer
from shared.contracts.profile import UserErased
from shared.contracts.vocabulary import ActionPace, CoachingEmailFrequency, HelpKind, MainChallenge
from shared.contracts.volunteers import MatchAccepted, MatchData
from shared.envelope import Event
from shared.service import ServiceRuntime
from shared.unit_of_work import UnitOfWork
from tests.unit.notifications.support import (
    REGISTERED,
    SUBJECT,
    VOLUNTEER,
    Clock,
    FakeContacts,
    FakePostman,
    action_due,
    build_runtime,
    diagnosis_ready,
    mailer,
    profile_updated,
)
from tests.unit.shared.fakes import record

NO_QUIET = (time(0), time(0))


async def apply(runtime: ServiceRuntime, handler: Any, event: Event) -> None:
    async with runtime.unit_of_work() as uow:
        await handler(event, uow)


async def messages(runtime: ServiceRuntime) -> list[dict[str, Any]]:
    return await runtime.store.collection(MESSAGES).find(sort=[("created_at", 1)])


def consumer(runtime: ServiceRuntime) -> EventConsumer:
    return EventConsumer(
        settings=runtime.settings,
        store=runtime.store,
        outbox=runtime.outbox,
        broker=runtime.broker,
        subscriptions=subscriptions(runtime),
        metrics=runtime.metrics,
        clock=runtime.clock,
    )


async def test_a_redelivered_event_queues_one_message() -> None:
    runtime = await build_runtime(Clock())
    await apply(runtime, on_profile_updated, profile_updated())  # the questionnaire is finished
    event = diagnosis_ready()
    feed = consumer(runtime)
    await feed.process([record("diagnosis-ready", event, offset=1)])
    await feed.process([record("diagnosis-ready", event, offset=1)])  # redelivered after a rebalance
    # The same fact published again under a new event id (a replay) is absorbed by the dedupe key.
    await apply(runtime, on_diagnosis_ready, event.model_copy(update={"event_id": __import__("uuid").uuid4()}))
    assert [m["campaign"] for m in await messages(runtime)] == ["welcome"]


async def test_due_actions_of_one_day_make_one_digest() -> None:
    runtime = await build_runtime(Clock())
    await apply(runtime, on_profile_updated, profile_updated(quiet=NO_QUIET))
    handler = functools.partial(on_action_due, delay_s=0)
    for action_id in ("a_1", "a_2", "a_1"):
        await apply(runtime, handler, action_due(action_id))
    queued = await messages(runtime)
    assert [m["_id"] for m in queued] == [f"action-digest:{SUBJECT}:2026-11-02"]
    assert await runtime.store.collection(DUE_ACTIONS).count({"digest": queued[0]["_id"]}) == 2


async def test_an_action_due_after_todays_digest_left_goes_to_tomorrows() -> None:
    runtime = await build_runtime(Clock())
    await apply(runtime, on_profile_updated, profile_updated())
    handler = functools.partial(on_action_due, delay_s=0)
    await apply(runtime, handler, action_due("a_1"))
    await runtime.store.collection(MESSAGES).update({}, set={"status": "sent"})
    await apply(runtime, handler, action_due("a_2"))
    assert [m["_id"].rsplit(":", 1)[1] for m in await messages(runtime)] == ["2026-11-02", "2026-11-03"]


async def digests_sent(runtime: ServiceRuntime, postman: FakePostman, contacts: FakeContacts) -> list[list[str]]:
    """Send what is due now; return the titles listed by each digest sent so far."""
    await mailer(runtime, contacts, postman).deliver_due()
    bodies = [email.get_body(("plain",)).get_content() for email in postman.sent]  # type: ignore[union-attr]
    return [[title for title in TITLES.values() if title in body] for body in bodies]


TITLES = {"a_1": "Faire relire mon CV", "a_2": "Appeler une ancienne collègue", "a_3": "Lire trois offres"}


async def test_an_action_at_night_and_one_in_the_early_morning_leave_in_one_digest() -> None:
    # Quiet hours 20:00-08:00 in Paris (UTC+1 in November).
    clock = Clock(datetime(2026, 11, 2, 22, 0, tzinfo=UTC))  # Monday 23:00 in Paris
    runtime, contacts, postman = await build_runtime(clock), FakeContacts(), FakePostman()
    contacts.add()
    await apply(runtime, on_profile_updated, profile_updated())
    await apply(runtime, on_action_due, action_due("a_1", title=TITLES["a_1"]))
    assert await digests_sent(runtime, postman, contacts) == []
    clock.now = datetime(2026, 11, 3, 6, 0, tzinfo=UTC)  # Tuesday 07:00, still quiet
    await apply(runtime, on_action_due, action_due("a_2", title=TITLES["a_2"]))
    assert await digests_sent(runtime, postman, contacts) == []
    clock.now = datetime(2026, 11, 3, 7, 1, tzinfo=UTC)  # Tuesday 08:01
    assert await digests_sent(runtime, postman, contacts) == [[TITLES["a_1"], TITLES["a_2"]]]
    assert [m["_id"] for m in await messages(runtime)] == [f"action-digest:{SUBJECT}:2026-11-03"]


async def test_actions_of_two_days_with_a_send_in_between_make_two_digests() -> None:
    clock = Clock(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))  # Monday 10:00 in Paris
    runtime, contacts, postman = await build_runtime(clock), FakeContacts(), FakePostman()
    contacts.add()
    await apply(runtime, on_profile_updated, profile_updated())
    await apply(runtime, on_action_due, action_due("a_1", title=TITLES["a_1"]))
    clock.advance(minutes=2)
    assert await digests_sent(runtime, postman, contacts) == [[TITLES["a_1"]]]
    # After Monday's digest left, Monday night's and Tuesday morning's actions wait for Tuesday's, together.
    clock.now = datetime(2026, 11, 2, 22, 0, tzinfo=UTC)
    await apply(runtime, on_action_due, action_due("a_2", title=TITLES["a_2"]))
    clock.now = datetime(2026, 11, 3, 6, 0, tzinfo=UTC)
    await apply(runtime, on_action_due, action_due("a_3", title=TITLES["a_3"]))
    clock.now = datetime(2026, 11, 3, 7, 1, tzinfo=UTC)
    assert await digests_sent(runtime, postman, contacts) == [
        [TITLES["a_1"]],
        [TITLES["a_2"], TITLES["a_3"]],
    ]
    assert [m["_id"].rsplit(":", 1)[1] for m in await messages(runtime)] == ["2026-11-02", "2026-11-03"]


async def test_no_digest_when_the_pace_is_paused_or_emails_are_off() -> None:
    for update in (
        {"action_pace": ActionPace.PAUSE},
        {"frequency": CoachingEmailFrequency.EMAIL_NONE},
        {"coaching": False},
    ):
        runtime = await build_runtime(Clock())
        await apply(runtime, on_profile_updated, profile_updated(**update))
        await apply(runtime, functools.partial(on_action_due, delay_s=0), action_due())
        assert await messages(runtime) == [], update


async def test_stale_profile_revisions_are_ignored() -> None:
    runtime = await build_runtime(Clock())
    await apply(runtime, on_profile_updated, profile_updated(revision=5, frequency=CoachingEmailFrequency.EMAIL_NONE))
    await apply(
        runtime, on_profile_updated, profile_updated(revision=4, frequency=CoachingEmailFrequency.EMAIL_MAXIMUM)
    )
    stored = await runtime.store.collection(RECIPIENTS).get(SUBJECT)
    assert stored is not None
    assert stored["revision"] == 5 and stored["coaching_email_frequency"] == "EMAIL_NONE"


async def test_a_match_emails_both_sides_once() -> None:
    runtime = await build_runtime(Clock())
    event = MatchAccepted(
        subject=SUBJECT,
        data=MatchData(match_id="mt_1", request_id="rq_1", kind=HelpKind.CV_REVIEW, volunteer_subject=VOLUNTEER),
    )
    await apply(runtime, on_match_accepted, event)
    await apply(runtime, on_match_accepted, event.model_copy(update={"event_id": __import__("uuid").uuid4()}))
    queued = {(m["campaign"], m["subject"]) for m in await messages(runtime)}
    assert queued == {("match-accepted-job-seeker", SUBJECT), ("match-accepted-volunteer", VOLUNTEER)}
    assert len(await messages(runtime)) == 2


async def test_erasure_deletes_everything_about_the_person_and_keeps_anonymous_counts() -> None:
    runtime = await build_runtime(Clock())
    await apply(runtime, on_profile_updated, profile_updated())
    await apply(runtime, on_diagnosis_ready, diagnosis_ready())
    await apply(runtime, functools.partial(on_action_due, delay_s=0), action_due())
    await runtime.store.collection(SURVEY_ANSWERS).put(
        {
            "_id": f"nps:{SUBJECT}",
            "subject": SUBJECT,
            "kind": "nps",
            "answers": {"score": 9, "comment": "merci"},
            "main_challenge": "stuck-market",
        }
    )
    feed = consumer(runtime)
    await feed.process([record("user-erased", UserErased(subject=SUBJECT), offset=2)])
    for name in (MESSAGES, RECIPIENTS, DUE_ACTIONS, SURVEY_ANSWERS):
        assert await runtime.store.collection(name).count() == 0, name
    counters = await runtime.store.collection("impact_counters").find()
    assert counters == [{"_id": "stuck-market", "nps": 1, "promoters": 1, "detractors": 0}]
    assert SUBJECT not in str(counters)
    # A late event about the erased person creates nothing again.
    await feed.process([record("diagnosis-ready", diagnosis_ready(), offset=3)])
    assert await messages(runtime) == []


async def test_erasure_handler_alone_is_idempotent() -> None:
    runtime = await build_runtime(Clock())
    async with runtime.unit_of_work() as uow:
        await on_user_erased(UserErased(subject=SUBJECT), uow)
        await on_user_erased(UserErased(subject=SUBJECT), uow)
    assert isinstance(uow, UnitOfWork)


# --- "Your diagnosis is ready" and the digest wait for the end of the questionnaire -------------------


async def test_the_welcome_waits_for_the_end_of_the_questionnaire_whichever_event_comes_last() -> None:
    for order in ("diagnosis first", "profile first"):
        runtime = await build_runtime(Clock())
        answering = profile_updated(revision=1, finished=None)  # on question 3 of the questionnaire
        finished = profile_updated(revision=2)
        await apply(runtime, on_profile_updated, answering)
        if order == "diagnosis first":
            await apply(runtime, on_diagnosis_ready, diagnosis_ready())
            assert await messages(runtime) == [], order  # a diagnosis is made from the first answers on
            await apply(runtime, on_profile_updated, finished)
        else:
            await apply(runtime, on_profile_updated, finished)
            assert await messages(runtime) == [], order  # finished, but no diagnosis yet
            await apply(runtime, on_diagnosis_ready, diagnosis_ready())
        # Later saves and diagnoses, and redeliveries, find the once-per-person key.
        await apply(runtime, on_profile_updated, profile_updated(revision=3))
        await apply(runtime, on_diagnosis_ready, diagnosis_ready(challenge=MainChallenge.BRAVO))
        await apply(runtime, on_profile_updated, finished)
        assert [(m["campaign"], m["_id"]) for m in await messages(runtime)] == [("welcome", f"welcome:{SUBJECT}")], (
            order
        )


async def test_no_welcome_without_a_main_challenge_nor_from_the_diagnosis_alone() -> None:
    runtime = await build_runtime(Clock())
    await apply(runtime, on_profile_updated, profile_updated())
    await apply(runtime, on_diagnosis_ready, diagnosis_ready(challenge=None))
    assert await messages(runtime) == []
    # What the person answered is read from profile-updated only, never from the diagnosis.
    other = await build_runtime(Clock())
    await apply(other, on_diagnosis_ready, diagnosis_ready(finished=REGISTERED))
    assert await messages(other) == []


async def test_no_digest_before_the_end_of_the_questionnaire() -> None:
    runtime = await build_runtime(Clock())
    await apply(runtime, on_profile_updated, profile_updated(revision=1, finished=None, quiet=NO_QUIET))
    handler = functools.partial(on_action_due, delay_s=0)
    await apply(runtime, handler, action_due("a_1"))
    assert await messages(runtime) == []
    assert await runtime.store.collection(DUE_ACTIONS).count() == 0  # not kept for a later digest either
    await apply(runtime, on_profile_updated, profile_updated(revision=2, quiet=NO_QUIET))
    await apply(runtime, handler, action_due("a_2"))
    assert [m["campaign"] for m in await messages(runtime)] == ["action-digest"]
