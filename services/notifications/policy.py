"""Whether a person may receive an email of a campaign now: their choices, pure.

Checked twice: when a message is queued (not to queue what cannot leave) and
again just before it is sent (the person may have unsubscribed in between).

What each choice stops, exactly:

* frequency EMAIL_NONE (also what "unsubscribe" and RFC 8058 one-click choose) stops every email but the
  transactional ones: those the person asks for (login link, new password, address change, volunteer
  confirmation) and the notice the law requires before an inactive account is deleted;
* EMAIL_ONCE_A_MONTH and EMAIL_MAXIMUM only set how often coaching emails come (``coaching.py``);
* pace PAUSE stops the reminders of actions (the plan proposes none);
* coaching consent withdrawn stops the same as EMAIL_NONE.
"""

from __future__ import annotations

from services.notifications.catalogue import Audience, Campaign, Category
from services.notifications.recipients import Recipient
from shared.contracts.vocabulary import ActionPace


def refusal_for(category: Category, audience: Audience, recipient: Recipient) -> str | None:
    """Return why an email of this category and audience must not be sent to the person, or None."""
    if category == "transactional":
        # Asked for by the person a moment ago (login link, password reset), or required (deletion notice).
        return None
    if recipient.stopped:
        return "unsubscribed"
    if not recipient.coaching_consent:
        return "consent-withdrawn"
    if audience == "job-seeker" and recipient.role not in (None, "job-seeker"):
        return "not-a-job-seeker"
    if category == "reminder" and recipient.action_pace is ActionPace.PAUSE:
        return "paused"
    return None


def refusal(campaign: Campaign, recipient: Recipient) -> str | None:
    """Return why the campaign must not be sent to the person, or None when it may be."""
    reason = refusal_for(campaign.category, campaign.audience, recipient)
    if reason is not None:
        return reason
    if campaign.after_questionnaire and not recipient.questionnaire_finished:
        # The welcome says "your diagnosis is ready" and the digest lists a plan: neither while answering.
        return "questionnaire-unfinished"
    if campaign.after_diagnosis and recipient.main_challenge is None:
        return "no-main-challenge"
    return None
