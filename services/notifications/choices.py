"""The person's email choice: one fact, the email frequency in their profile.

Settings shows and changes the frequency in the profile service; the links of our emails (RFC 8058
one-click, the unsubscribe page) change it here. An unsubscribe *is* the frequency EMAIL_NONE, so
Settings shows it, and choosing a frequency again (in Settings or on the page) starts the emails again.

A choice made here applies at once: the recipient keeps it as ``frequency_to_save``, which the policy
reads before the profile's value (``Recipient.email_frequency``). It is then written to the profile
service — at once when it answers, else by the mailer's loop until it does — and the profile's
``profile-updated`` carries it back like any other change.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from services.notifications.catalogue import default_catalogue
from services.notifications.contacts import FrequencySetting, ProfileUnavailableError
from services.notifications.plan import next_look
from services.notifications.recipients import CHOICE_FIELDS, Recipient, to_fields
from services.notifications.repository import RECIPIENTS, load_recipient, save_recipient
from shared.contracts.vocabulary import CoachingEmailFrequency
from shared.envelope import iso
from shared.service import ServiceRuntime

log = logging.getLogger(__name__)
# What "start again" chooses when the person stopped everything: the frequency every account starts with.
RESUMED = CoachingEmailFrequency.EMAIL_ONCE_A_MONTH
# The loop leaves a fresh choice to the request that made it (it writes it at once): two writes of one choice
# would each make a profile revision, and a page read in between would meet a needless conflict.
LEFT_TO_THE_REQUEST = timedelta(seconds=30)


class AccountGoneError(Exception):
    """The profile service no longer has the account (its erasure is on its way here)."""


def chosen(recipient: Recipient, frequency: CoachingEmailFrequency, now: datetime) -> Recipient:
    """Return the recipient with a frequency chosen here, applied now and still to write to the profile."""
    return recipient.model_copy(update={"frequency_to_save": frequency, "frequency_chosen_at": now})


def written(recipient: Recipient, frequency: CoachingEmailFrequency, revision: int) -> Recipient:
    """Return the recipient once the profile holds the frequency at ``revision``."""
    return recipient.model_copy(
        update={
            "coaching_email_frequency": frequency,
            "frequency_to_save": None,
            "frequency_chosen_at": None,
            "frequency_revision": max(revision, recipient.frequency_revision),
        }
    )


async def choose_frequency(
    runtime: ServiceRuntime, profile: FrequencySetting, subject: str, frequency: CoachingEmailFrequency
) -> tuple[Recipient, Recipient]:
    """Apply a frequency chosen from an email link; return the recipient before and after.

    Applied here first (nothing else leaves from now on), then written to the profile service; when it does
    not answer, the mailer's loop writes it later. AccountGoneError when the profile service has no account.
    """
    async with runtime.unit_of_work() as uow:
        recipients = uow.collection(RECIPIENTS)
        before = await load_recipient(recipients, subject)
        after = chosen(before, frequency, uow.now)
        after = after.model_copy(update={"plan_at": next_look(default_catalogue(), after, uow.now)})
        await save_recipient(recipients, after, (*CHOICE_FIELDS, "plan_at"))
    stored = await runtime.store.collection(RECIPIENTS).get(subject)
    if stored is not None:
        try:
            after = await _write(runtime, profile, stored)
        except ProfileUnavailableError as error:
            log.warning("email choice kept here until the profile service answers: %s", error)
    return before, after


async def _write(runtime: ServiceRuntime, profile: FrequencySetting, doc: dict[str, Any]) -> Recipient:
    """Write the choice held in a stored recipient to the profile service; return the recipient after."""
    recipient = Recipient.model_validate({**doc, "subject": doc["_id"]})
    frequency = recipient.frequency_to_save
    if frequency is None:
        return recipient
    revision = await profile.set_frequency(recipient.subject, frequency)
    # An account gone from the profile service gets nothing more; the choice stays applied here, unwritten.
    updated = written(recipient, frequency, recipient.frequency_revision if revision is None else revision)
    # Only if no other choice was made here meanwhile; ``stopped_at`` is how older versions kept an unsubscribe.
    await runtime.store.collection(RECIPIENTS).update(
        {
            "_id": recipient.subject,
            "frequency_to_save": doc.get("frequency_to_save"),
            "frequency_chosen_at": doc.get("frequency_chosen_at"),
        },
        set=to_fields(updated, CHOICE_FIELDS),
        unset=("stopped_at",),
    )
    if revision is None:
        raise AccountGoneError(recipient.subject)
    return updated


async def write_pending_choices(runtime: ServiceRuntime, profile: FrequencySetting, *, limit: int = 100) -> int:
    """Write to the profile service the choices made here that it does not have yet; return how many were written."""
    recipients = runtime.store.collection(RECIPIENTS)
    settled = iso(runtime.clock() - LEFT_TO_THE_REQUEST)
    pending = [
        *await recipients.find(
            {"frequency_to_save": {"$ne": None}, "frequency_chosen_at": {"$lt": settled}}, limit=limit
        ),
        *await recipients.find({"stopped_at": {"$ne": None}}, limit=limit),
    ]
    written_count = 0
    for doc in pending:
        try:
            await _write(runtime, profile, doc)
            written_count += 1
        except AccountGoneError:
            continue  # its erasure follows on user-erased, which deletes the recipient
        except ProfileUnavailableError as error:
            # Tried again on the mailer's next round; the choices already apply here meanwhile.
            log.info("email choices wait for the profile service: %s", error)
            break
    return written_count
