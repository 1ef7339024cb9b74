"""The recipient: what the service knows of a person to decide what to send and when (pseudonymous facts only).

It is built from ``profile-updated`` (preferences, consent, registration day, whether the
questionnaire is finished), ``diagnosis-ready`` (main challenge) and ``advice-ready``
(ranked advice), and it carries the campaign state (what was queued, when the next
coaching email is due). No name, no address: those are read from the profile service
at send time.

The email frequency is one fact, owned by the profile service: an unsubscribe here is
the frequency EMAIL_NONE. A choice made here (one-click, the unsubscribe page) applies
at once through ``frequency_to_save`` and is written to the profile service, retried
until it answers (``choices.py``); the profile's events then carry it back.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, PlainSerializer, model_validator

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
    # The frequency in the person's profile, as its events say (or as our last write made it).
    coaching_email_frequency: CoachingEmailFrequency = CoachingEmailFrequency.EMAIL_ONCE_A_MONTH
    # A frequency chosen here (one-click unsubscribe, the unsubscribe page) not yet written to the profile.
    frequency_to_save: CoachingEmailFrequency | None = None
    frequency_chosen_at: Instant | None = None
    # The profile revision our last frequency write made: older events do not bring the old frequency back.
    frequency_revision: int = -1
    coaching_consent: bool = True
    frustrations: tuple[str, ...] = ()
    questionnaire_finished_at: date | None = None
    main_challenge: str | None = None
    advice_ids: tuple[str, ...] = ()
    role: str | None = None
    bounced_address: str | None = None
    queued: tuple[str, ...] = ()
    coaching: CoachingState = CoachingState()
    last_planned_at: Instant | None = None
    plan_at: Instant | None = None

    @model_validator(mode="before")
    @classmethod
    def _unsubscribed_before(cls, data: Any) -> Any:
        # Before the frequency was the one fact, an unsubscribe was kept here as ``stopped_at``: it is a
        # choice of EMAIL_NONE not yet written to the profile (choices.py writes it and drops the field).
        if isinstance(data, dict) and data.get("stopped_at") and data.get("frequency_to_save") is None:
            return {
                **data,
                "frequency_to_save": CoachingEmailFrequency.EMAIL_NONE,
                "frequency_chosen_at": data["stopped_at"],
            }
        return data

    @property
    def email_frequency(self) -> CoachingEmailFrequency:
        """Return the frequency that applies now: a choice made here until the profile has it, else the profile's."""
        return self.frequency_to_save or self.coaching_email_frequency

    @property
    def stopped(self) -> bool:
        """Return True when the person wants no email from us but the ones they ask for or the law requires."""
        return self.email_frequency is CoachingEmailFrequency.EMAIL_NONE

    @property
    def questionnaire_finished(self) -> bool:
        """Return True once the person said they reached the end of the questionnaire."""
        return self.questionnaire_finished_at is not None

    @property
    def welcome_due(self) -> bool:
        """Return True when "your diagnosis is ready" would tell the truth: a main challenge, answers all given."""
        return self.questionnaire_finished and self.main_challenge is not None


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
    "questionnaire_finished_at",
)
# The fields of the person's email choice: the routes behind email links and choices.py write them.
CHOICE_FIELDS = ("coaching_email_frequency", "frequency_to_save", "frequency_chosen_at", "frequency_revision")


def from_document(doc: dict[str, Any] | None, subject: str) -> Recipient:
    """Return the recipient stored in a document (defaults when the person is not known yet)."""
    if doc is None:
        return Recipient(subject=subject)
    return Recipient.model_validate({**doc, "subject": doc["_id"]})


def to_fields(recipient: Recipient, names: tuple[str, ...]) -> dict[str, Any]:
    """Return the named fields as stored values."""
    dumped = recipient.model_dump(mode="json", include=set(names))
    return {name: dumped[name] for name in names}


def with_profile(
    recipient: Recipient, data: ProfileUpdatedData, *, occurred_at: datetime | None = None
) -> Recipient | None:
    """Return the recipient updated from a profile revision; None when the revision is not newer.

    The frequency of a revision older than our own last write of it is not taken (it is the one the person
    replaced); a choice made here and not yet written is dropped when the person chose again in their
    profile after it (``occurred_at`` later than the choice).
    """
    if data.revision <= recipient.revision:
        return None
    preferences = data.preferences
    frequency = recipient.coaching_email_frequency
    if data.revision >= recipient.frequency_revision:
        frequency = preferences.coaching_email_frequency
    pending = recipient.frequency_to_save
    if (
        pending is not None
        and occurred_at is not None
        and recipient.frequency_chosen_at is not None
        and occurred_at > recipient.frequency_chosen_at
        and frequency is not recipient.coaching_email_frequency
    ):
        pending = None  # changed in the profile after the choice made here: the latest choice wins
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
            "coaching_email_frequency": frequency,
            "frequency_to_save": pending,
            "frequency_chosen_at": recipient.frequency_chosen_at if pending is not None else None,
            "coaching_consent": data.consents.coaching,
            "frustrations": tuple(str(f) for f in data.profile.frustrations),
            "questionnaire_finished_at": data.questionnaire_finished_at,
        }
    )
