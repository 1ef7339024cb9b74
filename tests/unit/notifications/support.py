"""Fakes and builders for the notifications service's unit tests: a fixed clock, contacts, SMTP, events."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from email.message import EmailMessage
from typing import Any

from services.notifications.catalogue import default_catalogue
from services.notifications.mailer import Mailer
from services.notifications.mime import OutgoingEmail
from services.notifications.postman import DeliveryError
from services.notifications.recipients import Recipient
from services.notifications.render import Addressee
from services.notifications.repository import INDEXES
from services.notifications.settings import NotificationsSettings
from services.notifications.state import NotificationsState
from shared.contracts.advice import ActionDue, ActionDueData
from shared.contracts.diagnostic import DiagnosisReady, DiagnosisReadyData
from shared.contracts.profile import ConsentState, Preferences, ProfileFacts, ProfileUpdated, ProfileUpdatedData
from shared.contracts.vocabulary import CoachingEmailFrequency, Gender, Locale, MainChallenge
from shared.inbox import INBOX_INDEXES
from shared.metrics import ServiceMetrics
from shared.outbox import OUTBOX, OUTBOX_INDEXES, Outbox
from shared.service import ServiceRuntime
from shared.store.sqlite import SqliteStore
from shared.telemetry import new_metrics_registry
from tests.unit.shared.fakes import RecordingBroker

SUBJECT = "u_9b2f4c1d7e8a4f3b"
VOLUNTEER = "u_1a2b3c4d5e6f7a8b"
REGISTERED = date(2026, 11, 2)
# A Monday, 10:00 in Paris: outside the default quiet hours.
MONDAY_10_PARIS = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = MONDAY_10_PARIS) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def settings(**overrides: Any) -> NotificationsSettings:
    return NotificationsSettings(public_url="https://coach.example", digest_delay_s=0, **overrides)


async def build_runtime(clock: Clock, **overrides: Any) -> ServiceRuntime:
    store = SqliteStore(":memory:")
    await store.ensure_indexes([*OUTBOX_INDEXES, *INBOX_INDEXES, *INDEXES])
    return ServiceRuntime(
        settings=settings(**overrides),
        store=store,
        broker=RecordingBroker(),  # type: ignore[arg-type]
        outbox=Outbox(),
        metrics=ServiceMetrics(new_metrics_registry()),
        state=NotificationsState(),
        clock=clock,
    )


@dataclass
class FakeContacts:
    """The profile service's contacts, as the mailer reads them."""

    people: dict[str, Addressee] = field(default_factory=dict)
    down: bool = False

    def add(
        self,
        subject: str = SUBJECT,
        *,
        email: str = "martine@example.org",
        locale: Locale = Locale.FR,
        gender: Gender = Gender.FEMININE,
        role: str = "job-seeker",
        first_name: str | None = "Martine",
    ) -> None:
        self.people[subject] = Addressee(email, first_name, locale, gender, role)

    async def addressee(self, subject: str) -> Addressee | None:
        if self.down:
            from services.notifications.contacts import ProfileUnavailableError

            raise ProfileUnavailableError("down")
        return self.people.get(subject)


@dataclass
class FakeProfile:
    """The profile service's frequency setting: keeps each write, answers with a new revision, or is down."""

    writes: list[tuple[str, CoachingEmailFrequency]] = field(default_factory=list)
    revision: int = 10
    down: bool = False
    gone: set[str] = field(default_factory=set)

    async def set_frequency(self, subject: str, frequency: CoachingEmailFrequency) -> int | None:
        if self.down:
            from services.notifications.contacts import ProfileUnavailableError

            raise ProfileUnavailableError("down")
        if subject in self.gone:
            return None
        self.writes.append((subject, frequency))
        self.revision += 1
        return self.revision


@dataclass
class FakePostman:
    """An SMTP server that keeps what it accepts, or refuses as told."""

    sent: list[EmailMessage] = field(default_factory=list)
    failures: list[DeliveryError] = field(default_factory=list)

    async def send(self, email: OutgoingEmail) -> None:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append(email.parsed())

    async def close(self) -> None:
        pass


def mailer(runtime: ServiceRuntime, contacts: FakeContacts, postman: FakePostman) -> Mailer:
    return Mailer(runtime, contacts, [postman], default_catalogue())


async def published(runtime: ServiceRuntime) -> list[dict[str, Any]]:
    """Return the events staged in the outbox (what the relay will publish), oldest first."""
    import orjson

    rows = await runtime.store.collection(OUTBOX).find(sort=[("seq", 1)])
    return [orjson.loads(row["value"]) for row in rows]


def recipient(**changes: Any) -> Recipient:
    """Return a person known from their profile, who finished the questionnaire on the day they signed up."""
    values: dict[str, Any] = {
        "subject": SUBJECT,
        "revision": 1,
        "registered_at": REGISTERED,
        "questionnaire_finished_at": REGISTERED,
    }
    values.update(changes)
    return Recipient(**values)


_revisions = itertools.count(1)


def profile_data(
    *,
    revision: int | None = None,
    frequency: CoachingEmailFrequency = CoachingEmailFrequency.EMAIL_MAXIMUM,
    coaching: bool = True,
    quiet: tuple[time, time] = (time(20), time(8)),
    locale: Locale = Locale.FR,
    registered_at: date = REGISTERED,
    finished: date | None = REGISTERED,
    gender: Gender = Gender.FEMININE,
    **preferences: Any,
) -> ProfileUpdatedData:
    """Return a profile revision; by default the person finished the questionnaire (``finished=None``: not yet)."""
    return ProfileUpdatedData(
        revision=revision if revision is not None else next(_revisions),
        registered_at=registered_at,
        questionnaire_finished_at=finished,
        profile=ProfileFacts(gender=gender),
        preferences=Preferences(
            coaching_email_frequency=frequency,
            locale=locale,
            quiet_hours_start=quiet[0],
            quiet_hours_end=quiet[1],
            **preferences,
        ),
        consents=ConsentState(coaching=coaching),
    )


def profile_updated(subject: str = SUBJECT, **kwargs: Any) -> ProfileUpdated:
    return ProfileUpdated(subject=subject, data=profile_data(**kwargs))


def diagnosis_ready(
    subject: str = SUBJECT, challenge: MainChallenge | None = MainChallenge.STUCK_MARKET, **kwargs: Any
) -> DiagnosisReady:
    return DiagnosisReady(
        subject=subject,
        data=DiagnosisReadyData(
            diagnosis_id="d_1",
            project_id="p1",
            profile_revision=1,
            main_challenge=challenge,
            overall_score=40,
            fingerprint="f",
            basis=profile_data(**kwargs),
        ),
    )


def action_due(
    action_id: str = "a_1", subject: str = SUBJECT, *, due_on: date | None = None, title: str = "Faire relire mon CV"
) -> ActionDue:
    return ActionDue(
        subject=subject,
        data=ActionDueData(
            action_id=action_id,
            template_id="ask-cv-review",
            project_id="p1",
            due_on=due_on or MONDAY_10_PARIS.date(),
            title=title,
            duration_minutes=30,
        ),
    )
