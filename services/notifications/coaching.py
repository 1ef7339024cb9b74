"""Coaching emails: which campaign next, and when — the reference's rules, pure.

* Frequency: EMAIL_NONE (never), EMAIL_ONCE_A_MONTH (30 days), EMAIL_MAXIMUM (6 days),
  each wait multiplied by a jitter in [0.8, 1.2] that is fixed per person and email.
* The first coaching email is due 3 days after sign-up; each campaign is sent at most once.
* Order: 50 % relevance to the person's diagnosis and advice, 40 % a per-person draw,
  10 % alternation between long and short reads.
* When no relevant campaign is left, the wait doubles (up to a year).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from services.notifications.catalogue import Campaign, Catalogue
from services.notifications.recipients import CoachingState, Recipient
from services.notifications.timing import draw, jitter_factor
from shared.contracts.vocabulary import CoachingEmailFrequency

FIRST_COACHING_AFTER = timedelta(days=3)
PERIOD_DAYS = {
    CoachingEmailFrequency.EMAIL_NONE: None,
    CoachingEmailFrequency.EMAIL_ONCE_A_MONTH: 30.0,
    CoachingEmailFrequency.EMAIL_MAXIMUM: 6.0,
}
MAX_WAIT_DAYS = 365.0
# The best relevance a campaign can reach: intrinsic score 3 + challenge 2 + advice 2 + frustration 1.
MAX_RELEVANCE = 8.0


@dataclass(frozen=True)
class CoachingStep:
    """What the coaching schedule decided at one moment."""

    campaign: Campaign | None
    state: CoachingState
    reason: str


def relevance(campaign: Campaign, recipient: Recipient) -> float | None:
    """Return how relevant the campaign is to the person (0-8), or None when it does not suit them."""
    rules = campaign.relevance
    if rules.is_generic:
        return campaign.score
    value = campaign.score
    matched = False
    if recipient.main_challenge in rules.challenges:
        value += 2
        matched = True
    ranks = [recipient.advice_ids.index(a) for a in rules.advice if a in recipient.advice_ids]
    if ranks:
        # Advice ranked high for the person weighs more than advice at the bottom of the list.
        value += 2 if min(ranks) < 3 else 1
        matched = True
    if set(rules.frustrations) & set(recipient.frustrations):
        value += 1
        matched = True
    return value if matched else None


def priority(campaign: Campaign, recipient: Recipient, score: float) -> float:
    """Return the order of a relevant campaign: relevance, the person's draw, long/short alternation."""
    alternates = recipient.coaching.last_big is not None and campaign.big != recipient.coaching.last_big
    return 0.5 * score / MAX_RELEVANCE + 0.4 * draw(recipient.subject, campaign.id) + 0.1 * alternates


def choose_campaign(catalogue: Catalogue, recipient: Recipient) -> Campaign | None:
    """Return the coaching campaign to send next, or None when nothing relevant is left."""
    best: tuple[float, str] | None = None
    chosen: Campaign | None = None
    for campaign in catalogue.coaching():
        if campaign.id in recipient.coaching.sent:
            continue
        score = relevance(campaign, recipient)
        if score is None:
            continue
        key = (priority(campaign, recipient, score), campaign.id)
        if best is None or key > best:
            best, chosen = key, campaign
    return chosen


def first_due(recipient: Recipient) -> datetime | None:
    """Return when the first coaching email is due: 3 days after sign-up (at noon UTC, quiet hours apply later)."""
    if recipient.registered_at is None:
        return None
    return datetime.combine(recipient.registered_at + FIRST_COACHING_AFTER, time(12), tzinfo=UTC)


def next_due(recipient: Recipient) -> datetime | None:
    """Return when the schedule should next be looked at, or None when coaching is off."""
    if PERIOD_DAYS[recipient.coaching_email_frequency] is None:
        return None
    return recipient.coaching.next_at or first_due(recipient)


def coaching_step(catalogue: Catalogue, recipient: Recipient, now: datetime) -> CoachingStep:
    """Return the campaign to send now (if any) and the schedule's next state."""
    state = recipient.coaching
    period = PERIOD_DAYS[recipient.coaching_email_frequency]
    due = next_due(recipient)
    if period is None or due is None:
        return CoachingStep(None, state, "coaching-off")
    if now < due:
        return CoachingStep(None, state.model_copy(update={"next_at": due}), "not-yet")
    campaign = choose_campaign(catalogue, recipient)
    sent = len(state.sent)
    if campaign is None:
        wait = min((state.wait_days or period) * 2, MAX_WAIT_DAYS)
        next_at = now + timedelta(days=wait * jitter_factor(recipient.subject, f"wait:{sent}:{wait}"))
        return CoachingStep(None, state.model_copy(update={"next_at": next_at, "wait_days": wait}), "nothing-relevant")
    next_at = now + timedelta(days=period * jitter_factor(recipient.subject, f"coaching:{sent}"))
    return CoachingStep(
        campaign,
        CoachingState(sent=(*state.sent, campaign.id), next_at=next_at, wait_days=None, last_big=campaign.big),
        "sent",
    )
