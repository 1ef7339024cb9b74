"""What to plan for one person now: surveys, activation and coaching emails (pure).

Windowed campaigns (the follow-up survey on days 5-14, the employment-status
survey on days 90-97, NPS, activation) are planned once each inside their
window; coaching follows ``coaching.py``. At most one planned email a day
leaves for a person, and each leaves outside their quiet hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from services.notifications.catalogue import Campaign, Catalogue
from services.notifications.coaching import coaching_step, next_due
from services.notifications.policy import refusal, refusal_for
from services.notifications.recipients import Recipient
from services.notifications.timing import next_allowed

SPACING = timedelta(days=1)
# A plan never asks to be looked at again at once: the planner would spin.
MIN_REPLAN = timedelta(minutes=1)


@dataclass(frozen=True)
class PlannedMessage:
    campaign: Campaign
    dedupe_key: str
    send_after: datetime


@dataclass(frozen=True)
class Plan:
    """The messages to queue and the recipient's state afterwards (queued campaigns, coaching, next look)."""

    messages: tuple[PlannedMessage, ...]
    recipient: Recipient


def once_key(campaign_id: str, subject: str) -> str:
    """Return the dedupe key of a campaign a person gets at most once."""
    return f"{campaign_id}:{subject}"


def _window(campaign: Campaign, recipient: Recipient) -> tuple[datetime, datetime] | None:
    if campaign.window_days is None or recipient.registered_at is None:
        return None
    first, last = campaign.window_days
    # Noon UTC on the first day; the quiet hours then move it to a decent local hour.
    opens = datetime.combine(recipient.registered_at + timedelta(days=first), time(12), tzinfo=UTC)
    closes = datetime.combine(recipient.registered_at + timedelta(days=last + 1), time(0), tzinfo=UTC)
    return opens, closes


def _windowed(catalogue: Catalogue, recipient: Recipient) -> list[tuple[Campaign, datetime, datetime]]:
    """Return the windowed campaigns the person may still get, with their windows."""
    found = []
    for campaign in sorted(catalogue.campaigns.values(), key=lambda c: c.id):
        window = _window(campaign, recipient)
        if window is None or campaign.id in recipient.queued or refusal(campaign, recipient):
            continue
        if campaign.until_questionnaire_finished and recipient.questionnaire_finished:
            continue
        found.append((campaign, *window))
    return found


def _coaching_allowed(recipient: Recipient) -> bool:
    return refusal_for("coaching", "job-seeker", recipient) is None


def next_look(catalogue: Catalogue, recipient: Recipient, now: datetime) -> datetime | None:
    """Return when the planner should next look at the person, or None when nothing can come."""
    if recipient.is_guest or recipient.registered_at is None:
        return None
    candidates = [max(opens, now) for _, opens, closes in _windowed(catalogue, recipient) if closes > now]
    if _coaching_allowed(recipient) and (due := next_due(recipient)) is not None:
        candidates.append(due)
    if not candidates:
        return None
    soonest = min(candidates)
    if recipient.last_planned_at is not None:
        soonest = max(soonest, recipient.last_planned_at + SPACING)
    return soonest


def plan_recipient(catalogue: Catalogue, recipient: Recipient, now: datetime) -> Plan:
    """Return what to queue for the person now and their next state."""
    last = recipient.last_planned_at
    if last is not None and now < last + SPACING:
        return Plan((), recipient.model_copy(update={"plan_at": next_look(catalogue, recipient, now)}))
    chosen: Campaign | None = None
    for campaign, opens, closes in _windowed(catalogue, recipient):
        if opens <= now < closes:
            chosen = campaign
            break
    updated = recipient
    if chosen is not None:
        updated = recipient.model_copy(update={"queued": (*recipient.queued, chosen.id)})
    elif _coaching_allowed(recipient) and not recipient.is_guest:
        step = coaching_step(catalogue, recipient, now)
        chosen = step.campaign
        updated = recipient.model_copy(update={"coaching": step.state})
        if chosen is not None:
            updated = updated.model_copy(update={"queued": (*recipient.queued, chosen.id)})
    messages: tuple[PlannedMessage, ...] = ()
    if chosen is not None:
        send_after = next_allowed(
            now,
            time_zone=recipient.time_zone,
            quiet_start=recipient.quiet_hours_start,
            quiet_end=recipient.quiet_hours_end,
        )
        messages = (PlannedMessage(chosen, once_key(chosen.id, recipient.subject), send_after),)
        updated = updated.model_copy(update={"last_planned_at": now})
    plan_at = next_look(catalogue, updated, now)
    if plan_at is not None:
        plan_at = max(plan_at, now + MIN_REPLAN)
    return Plan(messages, updated.model_copy(update={"plan_at": plan_at}))
