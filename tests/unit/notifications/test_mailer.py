"""The mailer: each message leaves once, failures are retried, bounces and choices are respected."""

from __future__ import annotations

import asyncio
import functools
from datetime import timedelta
from typing import Any

import pytest

from services.notifications.handlers import on_action_due, on_diagnosis_ready, on_profile_updated
from services.notifications.mailer import retry_delay
from services.notifications.mime import OutgoingEmail
from services.notifications.postman import DeliveryError
from services.notifications.repository import DUE_ACTIONS, MESSAGES, RECIPIENTS, queue_message
from shared.contracts.vocabulary import CoachingEmailFrequency
from shared.envelope import iso
from shared.service import ServiceRuntime
from tests.unit.notifications.support import (
    SUBJECT,
    Clock,
    FakeContacts,
    FakePostman,
    action_due,
    build_runtime,
    diagnosis_ready,
    mailer,
    profile_updated,
    published,
    settings,
)


async def apply(runtime: ServiceRuntime, handler: Any, event: Any) -> None:
    async with runtime.unit_of_work() as uow:
        await handler(event, uow)


async def status(runtime: ServiceRuntime, key: str) -> dict[str, Any]:
    doc = await runtime.store.collection(MESSAGES).get(key)
    assert doc is not None
    return doc


async def welcome_queued() -> tuple[Clock, ServiceRuntime, FakeContacts, FakePostman]:
    clock = Clock()
    runtime = await build_runtime(clock)
    contacts, postman = FakeContacts(), FakePostman()
    contacts.add()
    await apply(runtime, on_profile_updated, profile_updated())  # the questionnaire is finished
    await apply(runtime, on_diagnosis_ready, diagnosis_ready())
    return clock, runtime, contacts, postman


async def test_a_queued_message_is_sent_once_even_by_a_restarted_mailer() -> None:
    clock, runtime, contacts, postman = await welcome_queued()
    await mailer(runtime, contacts, postman).deliver_due()
    await mailer(runtime, contacts, postman).deliver_due()  # a new process after a restart
    clock.advance(hours=1)
    await mailer(runtime, contacts, postman).deliver_due()
    assert len(postman.sent) == 1
    assert postman.sent[0]["To"] == "martine@example.org"
    doc = await status(runtime, f"welcome:{SUBJECT}")
    assert doc["status"] == "sent" and doc["attempts"] == 1
    events = await published(runtime)
    assert [(e["event_type"], e["data"]["status"], e["data"]["campaign_id"]) for e in events] == [
        ("message-sent", "sent", "welcome")
    ]
    assert "martine" not in str(events).lower()  # no address or name on Kafka


STALE = timedelta(seconds=settings().stale_claim_s + 1)


async def test_a_send_cut_by_a_stopped_process_is_sent_again_once_with_the_same_message_id() -> None:
    clock, runtime, contacts, postman = await welcome_queued()
    key = f"welcome:{SUBJECT}"
    # The process claimed the message and was killed before it could write what the SMTP server answered.
    await runtime.store.collection(MESSAGES).update(
        {}, set={"status": "sending", "claimed_at": iso(clock()), "claim": "dead-process"}
    )
    restarted = mailer(runtime, contacts, postman)
    assert await restarted.recover_interrupted_sends() == 0  # a live send may still be in progress
    await restarted.deliver_due()
    assert postman.sent == []
    clock.advance(seconds=STALE.total_seconds())
    assert await restarted.recover_interrupted_sends() == 1
    doc = await status(runtime, key)
    assert (doc["status"], doc["reason"], doc["interrupted"]) == ("queued", "interrupted", 1)
    await restarted.deliver_due()
    assert len(postman.sent) == 1
    # The Message-ID is the message's own: a server or mail client that got the first copy sees the same one.
    assert postman.sent[0]["Message-ID"] == f"<{doc['message_id']}@localhost>"
    doc = await status(runtime, key)
    assert (doc["status"], doc["reason"]) == ("sent", "resent-after-interruption")
    assert [(e["data"]["status"], e["data"]["reason"]) for e in await published(runtime)] == [
        ("sent", "resent-after-interruption")
    ]
    assert (
        runtime.metrics.registry.get_sample_value(
            "coach_emails_sent_total", {"campaign": "welcome", "status": "interrupted"}
        )
        == 1
    )


async def test_a_send_cut_twice_is_uncertain_and_never_sent_a_third_time() -> None:
    clock, runtime, contacts, postman = await welcome_queued()
    restarted = mailer(runtime, contacts, postman)
    for _ in range(2):
        await runtime.store.collection(MESSAGES).update(
            {}, set={"status": "sending", "claimed_at": iso(clock()), "claim": "dead-process"}
        )
        clock.advance(seconds=STALE.total_seconds())
        await restarted.recover_interrupted_sends()
    await restarted.deliver_due()
    clock.advance(hours=1)
    await restarted.recover_interrupted_sends()
    await restarted.deliver_due()
    assert postman.sent == []
    doc = await status(runtime, f"welcome:{SUBJECT}")
    assert (doc["status"], doc["reason"]) == ("uncertain", "interrupted-twice")
    assert [(e["data"]["status"], e["data"]["reason"]) for e in await published(runtime)] == [
        ("failed", "interrupted-twice")
    ]


class CutAfterData(FakePostman):
    """An SMTP server that takes the whole message, then the process dies before hearing its answer."""

    async def send(self, email: OutgoingEmail) -> None:
        self.sent.append(email.parsed())
        raise asyncio.CancelledError  # what a killed task sees: nothing after it runs


async def test_a_send_cut_after_data_leaves_sending_then_arrives_twice_with_one_message_id() -> None:
    clock, runtime, contacts, _ = await welcome_queued()
    cut = CutAfterData()
    with pytest.raises(asyncio.CancelledError):
        await mailer(runtime, contacts, cut).deliver_due()
    doc = await status(runtime, f"welcome:{SUBJECT}")
    assert doc["status"] == "sending"
    clock.advance(seconds=STALE.total_seconds())
    postman = FakePostman()
    restarted = mailer(runtime, contacts, postman)
    await restarted.recover_interrupted_sends()
    await restarted.deliver_due()
    # The server may have kept the first copy: the second carries the same Message-ID, so it can be dropped.
    assert cut.sent[0]["Message-ID"] == postman.sent[0]["Message-ID"]
    assert (await status(runtime, f"welcome:{SUBJECT}"))["status"] == "sent"


async def test_a_mailer_that_lost_its_claim_cannot_overwrite_the_new_one() -> None:
    clock, runtime, contacts, postman = await welcome_queued()
    messages = runtime.store.collection(MESSAGES)
    (message,) = await messages.find({})
    first = mailer(runtime, contacts, postman)
    assert await first._claim(message)
    clock.advance(seconds=STALE.total_seconds())
    second = mailer(runtime, contacts, postman)
    await second.recover_interrupted_sends()
    await second.deliver_due()  # sent again by the second mailer
    assert (await status(runtime, f"welcome:{SUBJECT}"))["status"] == "sent"
    # The first one wakes up and fails: it must not put the sent message back in the queue.
    await first._retry(message, "SMTP 421", claimed=True)
    assert (await status(runtime, f"welcome:{SUBJECT}"))["status"] == "sent"


async def test_a_transient_smtp_failure_is_retried_with_backoff_then_sent() -> None:
    clock, runtime, contacts, postman = await welcome_queued()
    postman.failures = [
        DeliveryError("SMTP 421", permanent=False),
        DeliveryError("SMTPServerDisconnected", permanent=False),
    ]
    sender = mailer(runtime, contacts, postman)
    await sender.deliver_due()
    doc = await status(runtime, f"welcome:{SUBJECT}")
    assert (doc["status"], doc["attempts"], doc["reason"]) == ("queued", 1, "SMTP 421")
    await sender.deliver_due()
    assert postman.sent == []  # not before the backoff
    clock.advance(seconds=retry_delay(1).total_seconds())
    await sender.deliver_due()
    clock.advance(seconds=retry_delay(2).total_seconds())
    await sender.deliver_due()
    assert len(postman.sent) == 1
    assert (await status(runtime, f"welcome:{SUBJECT}"))["status"] == "sent"
    assert retry_delay(2) == 2 * retry_delay(1) and retry_delay(40) == timedelta(hours=6)


async def test_after_the_last_attempt_the_message_fails_and_is_published_not_lost() -> None:
    clock = Clock()
    runtime = await build_runtime(clock, max_attempts=2)
    contacts, postman = FakeContacts(), FakePostman()
    contacts.add()
    await apply(runtime, on_profile_updated, profile_updated())
    await apply(runtime, on_diagnosis_ready, diagnosis_ready())
    postman.failures = [DeliveryError("SMTP 451", permanent=False)] * 2
    sender = mailer(runtime, contacts, postman)
    await sender.deliver_due()
    clock.advance(hours=1)
    await sender.deliver_due()
    doc = await status(runtime, f"welcome:{SUBJECT}")
    assert (doc["status"], doc["reason"]) == ("failed", "gave-up")
    assert [(e["data"]["status"], e["data"]["reason"]) for e in await published(runtime)] == [("failed", "gave-up")]


async def test_a_hard_bounce_stops_every_later_email_to_that_address_but_not_to_a_new_one() -> None:
    _clock, runtime, contacts, postman = await welcome_queued()
    postman.failures = [DeliveryError("recipient refused [550]", permanent=True)]
    sender = mailer(runtime, contacts, postman)
    await sender.deliver_due()
    assert (await status(runtime, f"welcome:{SUBJECT}"))["reason"] == "hard-bounce"
    async with runtime.unit_of_work() as uow:
        await queue_message(
            uow.collection(MESSAGES),
            dedupe_key="focus-network:x",
            subject=SUBJECT,
            campaign="focus-network",
            now=uow.now,
        )
        await queue_message(
            uow.collection(MESSAGES),
            dedupe_key="api:login-link:x",
            subject=SUBJECT,
            campaign="login-link",
            now=uow.now,
            variables={"link": "https://coach.example/l#t"},
        )
    await sender.deliver_due()
    assert (await status(runtime, "focus-network:x"))["reason"] == "bounced"
    assert [m["X-Coach-Campaign"] for m in postman.sent] == ["login-link"]  # asked for by the person
    assert (await status(runtime, "api:login-link:x"))["variables"] == {}  # the link does not outlive its use
    contacts.add(email="martine.new@example.org")
    async with runtime.unit_of_work() as uow:
        await queue_message(
            uow.collection(MESSAGES), dedupe_key="improve-cv:x", subject=SUBJECT, campaign="improve-cv", now=uow.now
        )
    await sender.deliver_due()
    assert postman.sent[-1]["To"] == "martine.new@example.org"


async def test_nothing_leaves_after_unsubscribe_or_consent_withdrawal_even_if_queued_before() -> None:
    for change in (
        {"stopped_at": "2026-11-02T09:00:00.000000+00:00"},  # how an unsubscribe was kept before
        {"frequency_to_save": "EMAIL_NONE"},  # a one-click unsubscribe the profile service does not have yet
        {"coaching_consent": False},
        {"coaching_email_frequency": "EMAIL_NONE"},
    ):
        _clock, runtime, contacts, postman = await welcome_queued()
        async with runtime.unit_of_work() as uow:
            await queue_message(
                uow.collection(MESSAGES),
                dedupe_key="focus-network:x",
                subject=SUBJECT,
                campaign="focus-network",
                now=uow.now,
            )
        await runtime.store.collection(RECIPIENTS).update({"_id": SUBJECT}, set=change)
        await mailer(runtime, contacts, postman).deliver_due()
        coaching = await status(runtime, "focus-network:x")
        assert coaching["status"] == "skipped", change
        sent = [m["X-Coach-Campaign"] for m in postman.sent]
        # EMAIL_NONE is the unsubscribe: the welcome stops too, as every email but the transactional ones.
        assert sent == [], change


async def test_the_digest_lists_the_due_actions_and_forgets_them_once_sent() -> None:
    clock = Clock()
    runtime = await build_runtime(clock)
    contacts, postman = FakeContacts(), FakePostman()
    contacts.add()
    await apply(runtime, on_profile_updated, profile_updated(frequency=CoachingEmailFrequency.EMAIL_ONCE_A_MONTH))
    for action_id, title in (("a_1", "Faire relire mon CV"), ("a_2", "Appeler une ancienne collègue")):
        await apply(runtime, functools.partial(on_action_due, delay_s=0), action_due(action_id, title=title))
    await mailer(runtime, contacts, postman).deliver_due()
    assert len(postman.sent) == 1
    body = postman.sent[0].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Faire relire mon CV" in body and "Appeler une ancienne collègue" in body
    assert await runtime.store.collection(DUE_ACTIONS).count() == 0


async def test_people_who_are_not_job_seekers_get_no_job_seeker_email_and_are_not_planned_again() -> None:
    _clock, runtime, contacts, postman = await welcome_queued()
    contacts.add(role="volunteer")
    await mailer(runtime, contacts, postman).deliver_due()
    assert postman.sent == []
    assert (await status(runtime, f"welcome:{SUBJECT}"))["reason"] == "not-a-job-seeker"
    stored = await runtime.store.collection(RECIPIENTS).get(SUBJECT)
    assert stored is not None and stored["role"] == "volunteer"


async def test_a_profile_service_outage_delays_the_message_and_a_gone_account_skips_it() -> None:
    clock, runtime, contacts, postman = await welcome_queued()
    contacts.down = True
    sender = mailer(runtime, contacts, postman)
    await sender.deliver_due()
    assert (await status(runtime, f"welcome:{SUBJECT}"))["status"] == "queued"
    contacts.down = False
    contacts.people.clear()
    clock.advance(hours=1)
    await sender.deliver_due()
    assert (await status(runtime, f"welcome:{SUBJECT}"))["reason"] == "no-address"


async def test_an_email_change_confirmation_goes_to_the_new_address_and_forgets_it() -> None:
    _clock, runtime, contacts, postman = await welcome_queued()
    async with runtime.unit_of_work() as uow:
        await queue_message(
            uow.collection(MESSAGES),
            dedupe_key="api:email-change-confirm:x",
            subject=SUBJECT,
            campaign="email-change-confirm",
            now=uow.now,
            variables={"link": "https://coach.example/link/confirm-email#t", "to": "martine.new@example.org"},
        )
    await mailer(runtime, contacts, postman).deliver_due()
    sent = {m["X-Coach-Campaign"]: m["To"] for m in postman.sent}
    assert sent == {"welcome": "martine@example.org", "email-change-confirm": "martine.new@example.org"}
    assert (await status(runtime, "api:email-change-confirm:x"))["variables"] == {}
