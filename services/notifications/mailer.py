"""The mailer: sends queued messages through SMTP, each at most once, and logs what became of each.

A message goes ``queued → sending → sent``. Before the claim, everything that
can refuse or fail is checked (the person's choices, the address read from the
profile service); the claim (queued → sending) is a conditional write, so two
mailers or a restarted one never send the same message. After the SMTP server
has answered, the outcome and its ``message-sent`` event commit together (outbox).

* A transient failure (4xx, connection lost, profile service down) puts the
  message back in the queue with a doubling delay; after ``max_attempts`` it is
  ``failed`` (gave-up) — logged and published, never silently dropped.
* A 5xx answer is a hard bounce: the message fails and the address is
  remembered (as a keyed hash) so that nothing but a transactional email goes to it again.
* A process killed in the middle of a send (before or after the SMTP server took
  the message: it cannot tell) leaves the message ``sending``. After
  ``stale_claim_s`` (5 minutes, far longer than any live send: each SMTP step times
  out after ``smtp_timeout_s``) it is put back in the queue once, and sent again with
  the *same* Message-ID: a receiving server or mail client that already got the
  first copy can recognise the second. A send cut twice is ``uncertain`` (never
  sent a third time). Both are logged (message id and campaign only), counted
  (``coach_emails_sent_total{status="interrupted"|"uncertain"}``) and published.

Every write after the claim names the claim (a random token): a mailer that lost
its claim to the rule above cannot overwrite what the new one does.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any, Literal

import httpx
from opentelemetry import trace

from services.notifications.catalogue import Campaign, Catalogue, default_catalogue
from services.notifications.choices import write_pending_choices
from services.notifications.contacts import ContactBook, ProfileClient, ProfileUnavailableError
from services.notifications.digest import DIGEST_CAMPAIGN, digest_items
from services.notifications.links import LinkMaker
from services.notifications.mime import OutgoingEmail, compose
from services.notifications.policy import refusal
from services.notifications.postman import DeliveryError, Postman, SmtpPostman
from services.notifications.recipients import Recipient
from services.notifications.render import Addressee, render
from services.notifications.repository import DUE_ACTIONS, MESSAGES, RECIPIENTS, load_recipient, save_recipient
from services.notifications.settings import NotificationsSettings
from shared.contracts.notifications import MessageSent, MessageSentData
from shared.envelope import iso
from shared.service import ServiceRuntime
from shared.store import StoreUnavailableError
from shared.telemetry import extract_context, tracer

log = logging.getLogger(__name__)
MAX_RETRY_DELAY = timedelta(hours=6)
# Reasons in the message log for a send cut by a stopped process (see recover_interrupted_sends).
INTERRUPTED = "interrupted"
RESENT = "resent-after-interruption"
INTERRUPTED_TWICE = "interrupted-twice"
EVENT_STATUS: dict[str, Literal["sent", "failed", "skipped"]] = {
    "sent": "sent",
    "failed": "failed",
    "uncertain": "failed",
    "skipped": "skipped",
}


def retry_delay(attempts: int) -> timedelta:
    """Return the wait before the next attempt: 1 min, 2, 4, ... up to 6 hours."""
    return min(timedelta(seconds=30 * 2**attempts), MAX_RETRY_DELAY)


def address_key(secret: str, email: str) -> str:
    """Return a keyed hash of an address: enough to recognise a bounced one, useless to read it back."""
    return hmac.new(secret.encode(), email.strip().lower().encode(), hashlib.sha256).hexdigest()[:32]


@dataclass
class Mailer:
    """Delivers due messages with one worker per SMTP connection."""

    runtime: ServiceRuntime
    contacts: ContactBook
    postmen: Sequence[Postman]
    catalogue: Catalogue

    @property
    def settings(self) -> NotificationsSettings:
        settings = self.runtime.settings
        assert isinstance(settings, NotificationsSettings)
        return settings

    async def deliver_due(self, *, limit: int = 500) -> int:
        """Send the messages whose time has come; return how many were looked at."""
        now = self.runtime.clock()
        due = await self.runtime.store.collection(MESSAGES).find(
            {"status": "queued", "send_after": {"$lte": iso(now)}}, sort=[("send_after", 1)], limit=limit
        )
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        for message in due:
            queue.put_nowait(message)

        async def work(postman: Postman) -> None:
            while not queue.empty():
                await self.deliver(queue.get_nowait(), postman)

        await asyncio.gather(*(work(postman) for postman in self.postmen))
        return len(due)

    async def deliver(self, message: dict[str, Any], postman: Postman) -> None:
        """Take one queued message to its end: sent, skipped, failed, or back in the queue."""
        with tracer().start_as_current_span(
            f"email {message['campaign']}",
            context=extract_context(message.get("trace") or {}),
            attributes={"email.campaign": message["campaign"], "email.message_id": message["message_id"]},
        ):
            await self._deliver(message, postman)

    async def _deliver(self, message: dict[str, Any], postman: Postman) -> None:
        campaign = self.catalogue.campaigns.get(message["campaign"])
        if campaign is None:
            await self._finish(message, "queued", "failed", "unknown-campaign")
            return
        ready = await self._prepare(message, campaign)
        if ready is None or not await self._claim(message):
            return
        recipient, addressee, address = ready
        try:
            email = await self._compose(message, campaign, recipient, addressee)
        except Exception as error:
            log.error(
                "message %s (%s) could not be rendered: %s", message["message_id"], campaign.id, type(error).__name__
            )
            await self._finish(message, "sending", "failed", "render-error")
            return
        if email is None:
            await self._finish(message, "sending", "skipped", "nothing-due")
            return
        try:
            with tracer().start_as_current_span(
                "smtp.send", kind=trace.SpanKind.CLIENT, attributes={"network.protocol.name": "smtp"}
            ):
                await postman.send(email)
        except DeliveryError as error:
            if not error.permanent:
                await self._retry(message, error.reason, claimed=True)
                return
            await self._remember_bounce(recipient, address)
            await self._finish(message, "sending", "failed", "hard-bounce", campaign=campaign)
            return
        # A message sent again after an interrupted send says so in the log.
        reason = RESENT if message.get("interrupted") else None
        await self._finish(message, "sending", "sent", reason, campaign=campaign)
        if recipient.bounced_address == address:
            await self._remember_bounce(recipient, None)  # the address works again

    async def _prepare(self, message: dict[str, Any], campaign: Campaign) -> tuple[Recipient, Addressee, str] | None:
        """Return whom to send to, or None when the message was skipped or put back (nothing is claimed yet)."""
        recipients = self.runtime.store.collection(RECIPIENTS)
        recipient = await load_recipient(recipients, message["subject"])
        reason = refusal(campaign, recipient)
        if reason is not None:
            await self._finish(message, "queued", "skipped", reason)
            return None
        try:
            addressee = await self.contacts.addressee(message["subject"])
        except ProfileUnavailableError:
            await self._retry(message, "profile-unavailable")
            return None
        if addressee is None:
            await self._finish(message, "queued", "skipped", "no-address")
            return None
        if campaign.audience == "job-seeker" and addressee.role != "job-seeker":
            # Learnt here, as roles are not on Kafka: the planner stops planning job-seeker emails for them.
            await save_recipient(recipients, recipient.model_copy(update={"role": addressee.role}), ("role",))
            await self._finish(message, "queued", "skipped", "not-a-job-seeker")
            return None
        if campaign.address_variable is not None:
            # A new address to confirm: the email goes there, not to the address on file.
            addressee = replace(addressee, email=message["variables"][campaign.address_variable])
        address = address_key(self.settings.secret_key.get_secret_value(), addressee.email)
        if recipient.bounced_address == address and campaign.category != "transactional":
            await self._finish(message, "queued", "skipped", "bounced")
            return None
        return recipient, addressee, address

    async def _remember_bounce(self, recipient: Recipient, address: str | None) -> None:
        bounced = recipient.model_copy(update={"bounced_address": address})
        await save_recipient(self.runtime.store.collection(RECIPIENTS), bounced, ("bounced_address",))

    async def _compose(
        self, message: dict[str, Any], campaign: Campaign, recipient: Recipient, addressee: Addressee
    ) -> OutgoingEmail | None:
        items: list[dict[str, Any]] = []
        more = 0
        if campaign.category == "reminder":
            actions = await self.runtime.store.collection(DUE_ACTIONS).find({"digest": message["_id"]})
            if not actions:
                return None
            shown, more = digest_items(actions, recipient.action_pace)
            items = [{"title": a["title"], "minutes": a["minutes"]} for a in shown]
        settings = self.settings
        links = LinkMaker(
            settings.public_url,
            settings.secret_key.get_secret_value(),
            self.runtime.clock(),
            unsubscribe_days=settings.unsubscribe_link_days,
            survey_days=settings.survey_link_days,
        )
        rendered = render(
            self.catalogue,
            campaign,
            addressee,
            subject=message["subject"],
            # The latest main challenge known, for texts that name it (the welcome).
            variables={"main_challenge": recipient.main_challenge or "", **message["variables"]},
            links=links,
            items=items,
            more=more,
        )
        return compose(
            rendered,
            sender=settings.sender,
            to=addressee.email,
            message_id=message["message_id"],
            campaign=campaign,
            locale=addressee.locale,
            one_click_url=links.one_click(message["subject"]) if campaign.has_unsubscribe else None,
        )

    async def _claim(self, message: dict[str, Any]) -> bool:
        claim = uuid.uuid4().hex
        claimed_at = iso(self.runtime.clock())
        claimed = await self.runtime.store.collection(MESSAGES).update(
            {"_id": message["_id"], "status": "queued"},
            set={"status": "sending", "claimed_at": claimed_at, "claim": claim},
        )
        if claimed != 1:
            return False
        message.update(status="sending", claimed_at=claimed_at, claim=claim)
        return True

    @staticmethod
    def _current(message: dict[str, Any], expected: str) -> dict[str, Any]:
        """Return the filter that finds the message as this mailer left it (its own claim, when sending)."""
        where = {"_id": message["_id"], "status": expected}
        if expected == "sending":
            where["claim"] = message.get("claim")
        return where

    async def _retry(self, message: dict[str, Any], reason: str, *, claimed: bool = False) -> None:
        attempts = message.get("attempts", 0) + 1
        if attempts >= self.settings.max_attempts:
            await self._finish(message, "sending" if claimed else "queued", "failed", "gave-up")
            return
        retry_at = self.runtime.clock() + retry_delay(attempts)
        await self.runtime.store.collection(MESSAGES).update(
            self._current(message, "sending" if claimed else "queued"),
            set={"status": "queued", "attempts": attempts, "send_after": iso(retry_at), "reason": reason},
        )
        self.runtime.metrics.emails_sent.labels(message["campaign"], "retry").inc()
        log.warning("message %s (%s) will be retried: %s", message["message_id"], message["campaign"], reason)

    async def _finish(
        self,
        message: dict[str, Any],
        expected: str,
        status: str,
        reason: str | None,
        *,
        campaign: Campaign | None = None,
    ) -> None:
        now = self.runtime.clock()
        changes: dict[str, Any] = {"status": status, "reason": reason, "finished_at": iso(now)}
        if expected == "sending":
            changes["attempts"] = message.get("attempts", 0) + 1
        if status == "sent":
            changes["sent_at"] = iso(now)
        campaign = campaign or self.catalogue.campaigns.get(message["campaign"])
        if campaign is not None and campaign.secret_variables:
            changes["variables"] = {}  # a login link must not outlive its use in our store
        async with self.runtime.unit_of_work() as uow:
            changed = await uow.collection(MESSAGES).update(self._current(message, expected), set=changes)
            if not changed:
                return
            if message["campaign"] == DIGEST_CAMPAIGN:
                # Sent or given up, the digest's actions are done with: nothing else will list them.
                await uow.collection(DUE_ACTIONS).delete({"digest": message["_id"]})
            uow.publish(
                MessageSent(
                    subject=message["subject"],
                    data=MessageSentData(
                        message_id=message["message_id"],
                        campaign_id=message["campaign"],
                        status=EVENT_STATUS[status],
                        reason=reason,
                    ),
                )
            )
        self.runtime.metrics.emails_sent.labels(message["campaign"], status).inc()
        log.info(
            "message %s (%s) %s%s", message["message_id"], message["campaign"], status, f": {reason}" if reason else ""
        )

    async def recover_interrupted_sends(self) -> int:
        """Settle the messages left ``sending`` by a process that stopped mid-send; return how many.

        The first interruption puts the message back in the queue, to leave again with the same Message-ID;
        a second one makes it ``uncertain``, and it is never sent a third time.
        """
        now = self.runtime.clock()
        stale = iso(now - timedelta(seconds=self.settings.stale_claim_s))
        messages = self.runtime.store.collection(MESSAGES)
        found = await messages.find({"status": "sending", "claimed_at": {"$lt": stale}}, limit=1000)
        for message in found:
            if message.get("interrupted", 0) >= 1:
                log.error(
                    "message %s (%s) was interrupted twice mid-send: uncertain, not sent again",
                    message["message_id"],
                    message["campaign"],
                )
                await self._finish(message, "sending", "uncertain", INTERRUPTED_TWICE)
                continue
            requeued = await messages.update(
                {**self._current(message, "sending"), "claimed_at": message["claimed_at"]},
                set={
                    "status": "queued",
                    "send_after": iso(now),
                    "attempts": message.get("attempts", 0) + 1,
                    "interrupted": 1,
                    "reason": INTERRUPTED,
                },
            )
            if requeued:
                self.runtime.metrics.emails_sent.labels(message["campaign"], "interrupted").inc()
                log.warning(
                    "message %s (%s) was interrupted mid-send: sent again once, with the same Message-ID",
                    message["message_id"],
                    message["campaign"],
                )
        return len(found)


async def run_mailer(runtime: ServiceRuntime) -> None:
    """Send queued messages until cancelled."""
    settings = runtime.settings
    assert isinstance(settings, NotificationsSettings)
    postmen = [SmtpPostman(settings) for _ in range(max(settings.smtp_connections, 1))]
    async with httpx.AsyncClient(timeout=10) as client:
        profile = ProfileClient(settings, client)
        mailer = Mailer(runtime, profile, postmen, default_catalogue())
        try:
            while True:
                try:
                    # Email choices made from a link, for the profile service (a failure there stops no email).
                    await write_pending_choices(runtime, profile)
                except StoreUnavailableError as error:
                    log.warning("email choices paused: %s", type(error).__name__)
                except Exception as error:
                    log.exception("email choices error: %s", type(error).__name__)
                try:
                    await mailer.recover_interrupted_sends()
                    while await mailer.deliver_due() > 0:
                        pass
                except StoreUnavailableError as error:
                    log.warning("mailer paused: %s", type(error).__name__)
                except Exception as error:
                    log.exception("mailer error: %s", type(error).__name__)
                await asyncio.sleep(settings.mailer_interval_s)
        finally:
            for postman in postmen:
                await postman.close()
