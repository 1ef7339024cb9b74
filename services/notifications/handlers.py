"""Event handlers of the notifications service: they update what is known of the person and queue messages.

Nothing is sent here: the mailer (``mailer.py``) sends what is queued. Time is
``uow.now``; every decision is a pure function of the recipient and the event.
"""

from __future__ import annotations

from services.notifications.catalogue import default_catalogue
from services.notifications.digest import DIGEST_CAMPAIGN, digest_key, digest_slot
from services.notifications.plan import next_look, once_key
from services.notifications.policy import refusal
from services.notifications.recipients import PROFILE_FIELDS, Recipient, with_profile
from services.notifications.repository import (
    DUE_ACTIONS,
    MESSAGES,
    PERSONAL_DATA,
    RECIPIENTS,
    load_recipient,
    queue_message,
    save_recipient,
)
from services.notifications.timing import zone
from shared.contracts.advice import ActionDue, AdviceReady
from shared.contracts.diagnostic import DiagnosisReady
from shared.contracts.profile import ProfileUpdated, UserErased
from shared.contracts.volunteers import MatchAccepted, MatchCompleted, MatchData, MatchProposed
from shared.inbox import is_erased
from shared.personal_data import erase_person
from shared.unit_of_work import UnitOfWork


async def _save(uow: UnitOfWork, recipient: Recipient, fields: tuple[str, ...]) -> None:
    planned = recipient.model_copy(update={"plan_at": next_look(default_catalogue(), recipient, uow.now)})
    await save_recipient(uow.collection(RECIPIENTS), planned, (*fields, "plan_at"))


async def queue_campaign(
    uow: UnitOfWork, campaign_id: str, subject: str, *, dedupe_key: str, variables: dict[str, str] | None = None
) -> bool:
    """Queue a message of a campaign for a person unless their choices refuse it; return True when queued."""
    campaign = default_catalogue().campaign(campaign_id)
    recipient = await load_recipient(uow.collection(RECIPIENTS), subject)
    if refusal(campaign, recipient) is not None or await is_erased(uow, subject):
        return False
    return await queue_message(
        uow.collection(MESSAGES),
        dedupe_key=dedupe_key,
        subject=subject,
        campaign=campaign_id,
        now=uow.now,
        variables=variables,
    )


async def _welcome_when_due(uow: UnitOfWork, recipient: Recipient) -> None:
    # "Your diagnosis is ready" needs both facts, which come on two topics in either order: whichever
    # arrives last queues it, and the once-per-person key keeps it to one.
    if recipient.welcome_due:
        await queue_campaign(uow, "welcome", recipient.subject, dedupe_key=once_key("welcome", recipient.subject))


async def on_profile_updated(event: ProfileUpdated, uow: UnitOfWork) -> None:
    """Keep the person's preferences, consent and questionnaire state; welcome them once it is finished."""
    current = await load_recipient(uow.collection(RECIPIENTS), event.subject)
    updated = with_profile(current, event.data, occurred_at=event.occurred_at)
    if updated is not None:
        await _save(uow, updated, (*PROFILE_FIELDS, "frequency_to_save", "frequency_chosen_at"))
        await _welcome_when_due(uow, updated)


async def on_diagnosis_ready(event: DiagnosisReady, uow: UnitOfWork) -> None:
    """Remember the main challenge; welcome the person once their questionnaire is finished.

    The profile is known from ``profile-updated`` only: what the person answered (the end of the
    questionnaire included) is not read from the diagnosis.
    """
    recipient = await load_recipient(uow.collection(RECIPIENTS), event.subject)
    if event.data.main_challenge is not None:
        recipient = recipient.model_copy(update={"main_challenge": str(event.data.main_challenge)})
        await _save(uow, recipient, ("main_challenge",))
    await _welcome_when_due(uow, recipient)


async def on_advice_ready(event: AdviceReady, uow: UnitOfWork) -> None:
    """Remember the person's ranked advice: coaching emails follow it."""
    recipient = await load_recipient(uow.collection(RECIPIENTS), event.subject)
    ranked = sorted(event.data.advice, key=lambda a: -a.stars)
    await _save(uow, recipient.model_copy(update={"advice_ids": tuple(a.advice_id for a in ranked)}), ("advice_ids",))


async def on_action_due(event: ActionDue, uow: UnitOfWork, *, delay_s: float = 60.0) -> None:
    """Add the due action to the person's next digest: one email a day at most, keyed by the day it leaves."""
    recipient = await load_recipient(uow.collection(RECIPIENTS), event.subject)
    # Refused while the questionnaire is unfinished too: the action is not kept for a later digest.
    if refusal(default_catalogue().campaign(DIGEST_CAMPAIGN), recipient) is not None:
        return
    messages = uow.collection(MESSAGES)
    # The digest leaving today (local day): once it has left, the action waits for tomorrow's.
    today = digest_key(event.subject, uow.now.astimezone(zone(recipient.time_zone)).date())
    current = await messages.get(today)
    today_sent = current is not None and current["status"] != "queued"
    slot = digest_slot(recipient, uow.now, delay_s=delay_s, today_sent=today_sent)
    key = digest_key(event.subject, slot.day)
    data = event.data
    await uow.collection(DUE_ACTIONS).put(
        {
            "_id": data.action_id,
            "subject": event.subject,
            "digest": key,
            "title": data.title,
            "minutes": data.duration_minutes,
            "due_on": data.due_on.isoformat(),
        }
    )
    await queue_message(
        messages,
        dedupe_key=key,
        subject=event.subject,
        campaign=DIGEST_CAMPAIGN,
        now=uow.now,
        send_after=slot.send_after,
    )


async def _match(uow: UnitOfWork, data: MatchData, *, job_seeker: str, campaigns: dict[str, str]) -> None:
    # Each side of a match gets its own email; the dedupe key names the match, the step and the side.
    for side, campaign_id in campaigns.items():
        subject = job_seeker if side == "job-seeker" else data.volunteer_subject
        # ``help`` names a mock interview, which ``kind`` publishes as a coffee chat (events of version 1).
        kind = str(data.help or data.kind)
        await queue_campaign(
            uow, campaign_id, subject, dedupe_key=f"{campaign_id}:{data.match_id}", variables={"kind": kind}
        )


async def on_match_proposed(event: MatchProposed, uow: UnitOfWork) -> None:
    """Ask the volunteer whether they can help."""
    await _match(uow, event.data, job_seeker=event.subject, campaigns={"volunteer": "match-proposed-volunteer"})


async def on_match_accepted(event: MatchAccepted, uow: UnitOfWork) -> None:
    """Tell the job seeker someone will help, and thank the volunteer."""
    await _match(
        uow,
        event.data,
        job_seeker=event.subject,
        campaigns={"job-seeker": "match-accepted-job-seeker", "volunteer": "match-accepted-volunteer"},
    )


async def on_match_completed(event: MatchCompleted, uow: UnitOfWork) -> None:
    """Ask the job seeker how it went, and thank the volunteer."""
    await _match(
        uow,
        event.data,
        job_seeker=event.subject,
        campaigns={"job-seeker": "match-completed-job-seeker", "volunteer": "match-completed-volunteer"},
    )


async def on_user_erased(event: UserErased, uow: UnitOfWork) -> None:
    """Delete the person's message log, recipient state, due actions and survey answers."""
    await erase_person(uow, PERSONAL_DATA, event.subject)
