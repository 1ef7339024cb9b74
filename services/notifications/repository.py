"""Where the notifications service keeps what it knows, and the few operations on it.

* ``messages``: the message log, one document per message keyed by its dedupe key
  (a redelivered event or a second request finds the key and queues nothing).
* ``recipients``: per-person pseudonymous facts and campaign state (``recipients.py``).
* ``due_actions``: actions waiting for (or listed in) a digest; deleted once sent.
* ``survey_answers``: one document per person and survey.
* ``impact_counters``: anonymous counts kept from the answers of erased people (``impact.py``).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import datetime
from typing import Any

from services.notifications.impact import tally
from services.notifications.recipients import Recipient, from_document, to_fields
from shared.envelope import iso
from shared.personal_data import PersonalCollection
from shared.store import Collection, DuplicateKeyError, Index
from shared.telemetry import inject_context
from shared.unit_of_work import UnitOfWork

MESSAGES = "messages"
RECIPIENTS = "recipients"
DUE_ACTIONS = "due_actions"
SURVEY_ANSWERS = "survey_answers"
IMPACT_COUNTERS = "impact_counters"

INDEXES = (
    Index(MESSAGES, ("subject",)),
    Index(MESSAGES, ("status", "send_after")),
    Index(MESSAGES, ("status", "claimed_at")),
    Index(RECIPIENTS, ("plan_at",)),
    # Email choices made from a link that the profile service does not have yet (choices.py).
    Index(RECIPIENTS, ("frequency_to_save",)),
    Index(RECIPIENTS, ("stopped_at",)),
    Index(DUE_ACTIONS, ("subject",)),
    Index(DUE_ACTIONS, ("digest",)),
    Index(SURVEY_ANSWERS, ("subject",)),
)


async def count_then_forget_answers(uow: UnitOfWork, subject: str) -> int:
    """Add the person's survey answers to the anonymous counts of their group, then delete the answers."""
    answers = await uow.collection(SURVEY_ANSWERS).find({"subject": subject})
    counters = uow.collection(IMPACT_COUNTERS)
    for answer in answers:
        counts: Counter[str] = tally(answer["kind"], answer["answers"])
        group = answer.get("main_challenge") or "none"
        if not await counters.update({"_id": group}, inc=dict(counts)):
            try:
                await counters.insert({"_id": group, **counts})
            except DuplicateKeyError:
                await counters.update({"_id": group}, inc=dict(counts))
    return await uow.collection(SURVEY_ANSWERS).delete({"subject": subject})


# The collections that hold data about a person and the fields that name them, as erasure deletes them
# (impact counters are anonymous: not here; survey answers are counted in them before they go).
PERSONAL_DATA = (
    PersonalCollection(
        RECIPIENTS, ("_id",), "decide what to send and when, without a name or an address", "until erasure"
    ),
    PersonalCollection(
        MESSAGES, ("subject",), "send each email exactly once; show the person their emails", "until erasure"
    ),
    PersonalCollection(DUE_ACTIONS, ("subject",), "list the day's actions in one digest", "until the digest is sent"),
    PersonalCollection(
        SURVEY_ANSWERS,
        ("subject",),
        "measure satisfaction and impact",
        "until erasure, then anonymous counts",
        erase=count_then_forget_answers,
    ),
)


def message_id(dedupe_key: str) -> str:
    """Return the public id of a message: a hash of its dedupe key (stable, and says nothing)."""
    return "m_" + hashlib.sha256(dedupe_key.encode()).hexdigest()[:20]


async def queue_message(
    messages: Collection,
    *,
    dedupe_key: str,
    subject: str,
    campaign: str,
    now: datetime,
    send_after: datetime | None = None,
    variables: dict[str, str] | None = None,
) -> bool:
    """Queue a message once per dedupe key; return False when it was already queued."""
    if await messages.get(dedupe_key) is not None:
        return False
    try:
        await messages.insert(
            {
                "_id": dedupe_key,
                "message_id": message_id(dedupe_key),
                "subject": subject,
                "campaign": campaign,
                "status": "queued",
                "attempts": 0,
                "send_after": iso(send_after or now),
                "created_at": iso(now),
                "variables": variables or {},
                # The trace of what caused the message: the send continues it.
                "trace": inject_context(),
            }
        )
    except DuplicateKeyError:
        return False
    return True


async def load_recipient(recipients: Collection, subject: str) -> Recipient:
    """Return what is known of the person (defaults when nothing is known yet)."""
    return from_document(await recipients.get(subject), subject)


async def save_recipient(recipients: Collection, recipient: Recipient, fields: tuple[str, ...]) -> None:
    """Write only the named fields of the recipient (creating the document when it is new)."""
    values = to_fields(recipient, fields)
    if not await recipients.update({"_id": recipient.subject}, set=values):
        try:
            await recipients.insert({"_id": recipient.subject, **values})
        except DuplicateKeyError:
            await recipients.update({"_id": recipient.subject}, set=values)


def public_message(doc: dict[str, Any]) -> dict[str, Any]:
    """Return the log entry as the person may read it (never the variables: they may hold a link)."""
    return {
        "message_id": doc["message_id"],
        "campaign": doc["campaign"],
        "status": doc["status"],
        "created_at": doc["created_at"],
        "send_after": doc["send_after"],
        "sent_at": doc.get("sent_at"),
        "attempts": doc.get("attempts", 0),
        "reason": doc.get("reason"),
    }
