"""Whether a person may receive an email of a campaign now: their choices, pure.

Checked twice: when a message is queued (not to queue what cannot leave) and
again just before it is sent (the person may have unsubscribed in between).
"""

from __future__ import annotations

from services.notifications.catalogue import Audience, Campaign, Category
from services.notifications.recipients import Recipient
from shared.contracts.vocabulary import ActionPace, CoachingEmailFrequency


def refusal_for(category: Category, audience: Audience, recipient: Recipient) -> str | None:
    """Return why an email of this category and audience must not be sent to the person, or None."""
    if category == "transactional":
        # Asked for by the person a moment ago (login link, password reset, deletion notice).
        return None
    if recipient.stopped:
        return "unsubscribed"
    if not recipient.coaching_consent:
        return "consent-withdrawn"
    if audience == "job-seeker" and recipient.role not in (None, "job-seeker"):
        return "not-a-job-seeker"
    if category == "service":
        return None
    if recipient.coaching_email_frequency is CoachingEmailFrequency.EMAIL_NONE:
        return "frequency-none"
    if category == "reminder" and recipient.action_pace is ActionPace.PAUSE:
        return "paused"
    return None


def refusal(campaign: Campaign, recipient: Recipient) -> str | None:
    """Return why the campaign must not be sent to the person, or None when it may be."""
    return refusal_for(campaign.category, campaign.audience, recipient)
