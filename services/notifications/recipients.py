"""The recipient: what the service knows of a person to decide what to send and when (pseudonymous facts only).

It is built from ``profile-updated`` (preferences, consent, registration day),
``diagnosis-ready`` (main challenge) and ``advice-ready`` (ranked advice), and
it carries the campaign state (what was queued, when the next coaching email is
due). No name, no address: those are read from the profile service at send time.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, PlainSerializer

from shared.contracts.profile import ProfileUpdatedData
from shared.contracts.vocabulary import ActionPace, CoachingEmailFrequency, Gender, Locale
from shared.envelope import iso

# Stored instants use the fixed-width ISO text of the store port, so that text order is time order.
Instant = Annotated[datetime, PlainSerializer(iso, return_type=str, when_used="json")]


class CoachingState(BaseModel):
    model_config = ConfigDict(frozen=True)

    sent: tuple[str, ...] = ()
    next_at: Instant | None = None
    wait_days: float | None = None
    last_big: bool | None = None


class Recipient(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    subject: str
    revision: int = -1
    registered_at: date | None = None
    is_guest: bool = False
    locale: Locale = Locale.FR
    gender: Gender = Gender.UNKNOWN
    time_zone: str = "Europe/Paris"
    quiet_hours_start: time = time(20, 0)
    quiet_hours_end: time = time(8, 0)
    action_pace: ActionPace = ActionPace.ONE_TO_TWO
    coaching_email_frequency: CoachingEmailFrequency = CoachingEmailFrequency.EMAIL_ONCE_A_MONTH
    coaching_consent: bool = True
    frustrations: tuple[str, ...] = ()
    main_challenge: str | None = None
    advice_ids: tuple[str, ...] = ()
    role: str | None = None
    stopped_at: Instant | None = None
    bounced_address: str | None = None
    queued: tuple[str, ...] = ()
    coaching: CoachingState = CoachingState()
    last_planned_at: Instant | None = None
    plan_at: Instant | None = None

    @property
    def stopped(self) -> bool:
        """Return True when the person asked for no more emails from us."""
        return self.stopped_at is not None


# The fields the planner owns.
PLAN_FIELDS = ("queued", "coaching", "last_planned_at", "plan_at")
# The fields each source owns: a writer sets only its own, so two writers never undo each other.
PROFILE_FIELDS = (
    "revision",
    "registered_at",
    "is_guest",
    "locale",
    "gender",
    "time_zone",
    "quiet_hours_start",
    "quiet_hours_end",
    "action_pace",
    "coaching_email_frequency",
    "coaching_consent",
    "frustrations",
)


def from_document(doc: dict[str, Any] | None, subject: str) -> Recipient:
    """Return the recipient stored in a document (defaults when the person is not known yet)."""
    if doc is None:
        return Recipient(subject=subject)
    return Recipient.model_validate({**doc, "subject": doc["_id"]})


def to_fields(recipient: Recipient, names: tuple[str, ...]) -> dict[str, Any]:
    """Return the named fields as stored values."""
    dumped = recipient.model_dump(mode="json", include=set(names))
    return {name: dumped[name] for name in names}


def with_profile(recipient: Recipient, data: ProfileUpdatedData) -> Recipient | None:
    """Return the recipient updated from a profile revision; None when the revision is not newer."""
    if data.revision <= recipient.revision:
        return None
    preferences = data.preferences
    return recipient.model_copy(
        update={
            "revision": data.revision,
            "registered_at": data.registered_at,
            "is_guest": data.profile.is_guest,
            "locale": preferences.locale,
            "gender": data.profile.gender,
            "time_zone": preferences.time_zone,
            "quiet_hours_start": preferences.quiet_hours_start,
            "quiet_hours_end": preferences.quiet_hours_end,
            "action_pace": preferences.action_pace,
            "coaching_email_frequency": preferences.coaching_email_frequency,
            "coaching_consent": data.consents.coaching,
            "frustrations": tuple(str(f) for f in data.profile.frustrations),
        }
    )
