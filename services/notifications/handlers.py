"""Event handlers of the notifications service: they queue messages, the mailer sends them."""

from __future__ import annotations

from services.notifications.repository import MESSAGES
from shared.contracts.diagnostic import DiagnosisReady
from shared.contracts.profile import UserErased
from shared.envelope import iso
from shared.store import DuplicateKeyError
from shared.unit_of_work import UnitOfWork


async def queue_message(uow: UnitOfWork, *, dedupe_key: str, subject: str, campaign: str, **variables: object) -> bool:
    """Queue a message once per dedupe key; return False when it was already queued."""
    messages = uow.collection(MESSAGES)
    if await messages.get(dedupe_key) is not None:
        return False
    try:
        await messages.insert({
            "_id": dedupe_key, "subject": subject, "campaign": campaign, "status": "queued",
            "attempts": 0, "send_after": iso(uow.now), "created_at": iso(uow.now), "variables": variables,
        })
    except DuplicateKeyError:
        return False
    return True


async def on_diagnosis_ready(event: DiagnosisReady, uow: UnitOfWork) -> None:
    """Welcome the person with their first diagnosis."""
    if event.data.main_challenge is None:
        return
    await queue_message(
        uow, dedupe_key=f"welcome:{event.subject}", subject=event.subject, campaign="welcome",
        main_challenge=event.data.main_challenge, overall_score=event.data.overall_score,
    )


async def on_user_erased(event: UserErased, uow: UnitOfWork) -> None:
    """Delete the person's message log."""
    await uow.collection(MESSAGES).delete({"subject": event.subject})
