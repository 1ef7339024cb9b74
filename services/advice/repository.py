"""Where the advice service keeps people's settings, plans, actions and the action schedule.

Collections (all keyed or indexed by the pseudonymous subject, so that
``user-erased`` deletes everything):

* ``people``    — what the plan needs from the profile (pace, working days, time zone, locale,
                  consents, project codes) at a revision, and the days off the person declared;
* ``plans``     — per project: the ranked advice, strategies and questions of the last diagnosis;
* ``actions``   — every action of the plan with its status and day;
* ``schedule``  — one small entry per action still to announce, keyed by when it is due: the
                  scheduler reads only this compact collection through its ``due_at`` index;
* ``reminders`` — per person, how many action-due were published on their current day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from services.advice.advise import Advice, ScoredAdvice, stars
from services.advice.catalogue import Catalogue
from services.advice.modules.base import Reason
from services.advice.pace import Calendar
from services.advice.plan import PersonSettings, PlanAction, due_at, reminder_cap
from services.advice.render import Renderer
from services.advice.strategize import ScoredStrategy
from shared.contracts.api.advice import ActionStatus
from shared.contracts.profile import ProfileUpdatedData
from shared.contracts.vocabulary import ActionPace, Gender, HelpKind
from shared.envelope import iso
from shared.personal_data import PersonalCollection
from shared.store import Collection, Document, Index
from shared.telemetry import inject_context

PEOPLE = "people"
PLANS = "plans"
ACTIONS = "actions"
SCHEDULE = "schedule"
REMINDERS = "reminders"
COLLECTIONS = (PEOPLE, PLANS, ACTIONS, SCHEDULE, REMINDERS)
INDEXES = (
    Index(PLANS, ("subject",)),
    Index(ACTIONS, ("subject",)),
    Index(SCHEDULE, ("due_at",)),
    Index(SCHEDULE, ("subject",)),
)

# The collections that hold data about a person and the fields that name them: all five, as erasure
# deletes and ``export`` returns them.
PERSONAL_DATA = (
    PersonalCollection(
        PEOPLE,
        ("_id",),
        "build and reflow the plan at the person's pace, on their days, in their language",
        "until erasure",
    ),
    PersonalCollection(PLANS, ("subject",), "show ranked advice with its reasons", "until erasure"),
    PersonalCollection(ACTIONS, ("subject",), "the action plan and its history", "until erasure"),
    PersonalCollection(
        SCHEDULE, ("subject",), "publish action-due once, at the right local time", "until the action is announced"
    ),
    PersonalCollection(REMINDERS, ("_id",), "cap the reminders a day", "overwritten each day; until erasure"),
)


class Collections(Protocol):
    """A unit of work, a transaction or the store itself."""

    def collection(self, name: str) -> Collection:
        """Return a collection."""
        ...


def plan_id(subject: str, project_id: str) -> str:
    """Return the id of the plan of a person's project."""
    return f"{subject}:{project_id}"


# --- people --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectCodes:
    rome_code: str | None = None
    city_insee: str | None = None


@dataclass(frozen=True)
class Person:
    """What the advice service knows about a person, at a profile revision."""

    subject: str
    revision: int = -1
    settings: PersonSettings = field(default_factory=PersonSettings)
    projects: Mapping[str, ProjectCodes] = field(default_factory=dict)


def person_from_profile(subject: str, data: ProfileUpdatedData, previous: Person | None) -> Person:
    """Return the person as a profile revision describes them (keeping the days off they declared here)."""
    preferences = data.preferences
    days_off = previous.settings.calendar.days_off if previous else frozenset()
    settings = PersonSettings(
        pace=preferences.action_pace,
        # No working day chosen reads as the usual week, rather than a plan that never has a day.
        calendar=Calendar(frozenset(preferences.working_days or range(5)), days_off),
        time_zone=preferences.time_zone,
        locale=preferences.locale.value,
        gender=data.profile.gender,
        coaching=data.consents.coaching,
    )
    projects = {p.project_id: ProjectCodes(p.rome_code, p.city_insee) for p in data.projects}
    return Person(subject=subject, revision=data.revision, settings=settings, projects=projects)


def _person_doc(person: Person) -> Document:
    s = person.settings
    return {
        "_id": person.subject,
        "revision": person.revision,
        "pace": s.pace.value,
        "working_days": sorted(s.calendar.working_days),
        "days_off": sorted(d.isoformat() for d in s.calendar.days_off),
        "time_zone": s.time_zone,
        "locale": s.locale,
        "gender": s.gender.value,
        "coaching": s.coaching,
        "projects": {k: {"rome_code": v.rome_code, "city_insee": v.city_insee} for k, v in person.projects.items()},
    }


def _person(doc: Document) -> Person:
    settings = PersonSettings(
        pace=ActionPace(doc["pace"]),
        calendar=Calendar(frozenset(doc["working_days"]), frozenset(date.fromisoformat(d) for d in doc["days_off"])),
        time_zone=doc["time_zone"],
        locale=doc["locale"],
        gender=Gender(doc["gender"]),
        coaching=doc["coaching"],
    )
    projects = {k: ProjectCodes(v.get("rome_code"), v.get("city_insee")) for k, v in doc["projects"].items()}
    return Person(subject=doc["_id"], revision=doc["revision"], settings=settings, projects=projects)


async def load_person(store: Collections, subject: str) -> Person | None:
    """Return the person, or None before their first profile-updated."""
    doc = await store.collection(PEOPLE).get(subject)
    return _person(doc) if doc else None


async def save_person(store: Collections, person: Person, now: datetime) -> None:
    """Return once the person is stored."""
    await store.collection(PEOPLE).put({**_person_doc(person), "updated_at": iso(now)})


# --- actions -------------------------------------------------------------------------------------


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _instant(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def action_doc(subject: str, action: PlanAction) -> Document:
    """Return the stored form of an action."""
    return {
        "_id": action.action_id,
        "subject": subject,
        "project_id": action.project_id,
        "template_id": action.template_id,
        "advice_id": action.advice_id,
        "strategy_id": action.strategy_id,
        "minutes": action.minutes,
        "needs_help": action.needs_help.value if action.needs_help else None,
        "priority": action.priority,
        "status": action.status.value,
        "due_on": action.due_on.isoformat() if action.due_on else None,
        "pinned": action.pinned,
        "emitted_on": action.emitted_on.isoformat() if action.emitted_on else None,
        "deadline": action.deadline.isoformat() if action.deadline else None,
        "snoozed_until": action.snoozed_until.isoformat() if action.snoozed_until else None,
        "was_useful": action.was_useful,
        "own_title": action.own_title,
        "created_at": iso(action.created_at) if action.created_at else None,
        "updated_at": iso(action.updated_at) if action.updated_at else None,
        "done_at": iso(action.done_at) if action.done_at else None,
    }


def plan_action(doc: Document) -> PlanAction:
    """Return the action a stored document holds."""
    return PlanAction(
        action_id=doc["_id"],
        project_id=doc["project_id"],
        template_id=doc["template_id"],
        advice_id=doc["advice_id"],
        strategy_id=doc["strategy_id"],
        minutes=doc["minutes"],
        needs_help=HelpKind(doc["needs_help"]) if doc["needs_help"] else None,
        priority=doc["priority"],
        status=ActionStatus(doc["status"]),
        due_on=_day(doc["due_on"]),
        pinned=doc["pinned"],
        emitted_on=_day(doc["emitted_on"]),
        deadline=_day(doc["deadline"]),
        snoozed_until=_day(doc["snoozed_until"]),
        was_useful=doc["was_useful"],
        own_title=doc["own_title"],
        created_at=_instant(doc["created_at"]),
        updated_at=_instant(doc["updated_at"]),
        done_at=_instant(doc["done_at"]),
    )


async def load_actions(store: Collections, subject: str) -> list[PlanAction]:
    """Return every action of the person."""
    return [plan_action(doc) for doc in await store.collection(ACTIONS).find({"subject": subject})]


async def save_actions(
    store: Collections, subject: str, changed: Sequence[PlanAction], removed: Iterable[str] = ()
) -> None:
    """Return once the changed actions are written and the removed ones deleted."""
    actions = store.collection(ACTIONS)
    if changed:
        await actions.put_many([action_doc(subject, a) for a in changed])
    gone = list(removed)
    if gone:
        await actions.delete({"_id": {"$in": gone}, "subject": subject})


# --- the schedule --------------------------------------------------------------------------------


def schedule_entries(person: Person, actions: Sequence[PlanAction], catalogue: Catalogue) -> list[Document]:
    """Return the schedule entries of the person's actions still to announce (none without coaching consent)."""
    settings = person.settings
    if not settings.coaching or settings.pace is ActionPace.PAUSE:
        return []
    renderer = Renderer(catalogue, settings.locale, settings.gender)
    cap = reminder_cap(settings)
    entries = []
    for action in actions:
        if not action.awaits_reminder() or action.due_on is None:
            continue
        template = catalogue.actions.get(action.template_id) if action.template_id else None
        # The person's own title never leaves the service: the event carries a generic one.
        title = renderer.text(template.title if template else catalogue.phrases.own_action)
        codes = person.projects.get(action.project_id, ProjectCodes())
        entries.append(
            {
                "_id": action.action_id,
                "subject": person.subject,
                "due_at": iso(due_at(action.due_on, settings.time_zone)),
                "due_on": action.due_on.isoformat(),
                "time_zone": settings.time_zone,
                "cap": cap,
                "project_id": action.project_id,
                "template_id": action.template_id or "own-action",
                "advice_id": action.advice_id,
                "title": title,
                "minutes": action.minutes,
                "needs_help": action.needs_help.value if action.needs_help else None,
                "rome_code": codes.rome_code,
                "city_insee": codes.city_insee,
            }
        )
    return entries


async def sync_schedule(
    store: Collections, person: Person, actions: Sequence[PlanAction], catalogue: Catalogue
) -> None:
    """Return once the person's schedule entries match their actions."""
    schedule = store.collection(SCHEDULE)
    await schedule.delete({"subject": person.subject})
    entries = schedule_entries(person, actions, catalogue)
    if entries:
        # Each entry keeps the trace of the request that planned it: the action-due emitted days
        # later continues that trace, so operations can follow a person's request to its emails.
        trace = inject_context()
        await schedule.put_many([{**entry, "trace": trace} for entry in entries])


# --- plans ---------------------------------------------------------------------------------------


async def load_plans(store: Collections, subject: str) -> list[Document]:
    """Return the stored plans of the person, one per project."""
    return await store.collection(PLANS).find({"subject": subject}, sort=[("_id", 1)])


async def export(store: Collections, subject: str) -> dict[str, Any]:
    """Return everything the service holds about the person, collection by collection."""
    result: dict[str, Any] = {
        "person": await store.collection(PEOPLE).get(subject),
        "reminders": await store.collection(REMINDERS).get(subject),
    }
    for name in (PLANS, ACTIONS, SCHEDULE):
        result[name] = await store.collection(name).find({"subject": subject}, sort=[("_id", 1)])
    return result


def plan_doc(
    subject: str,
    project_id: str,
    *,
    profile_revision: int,
    diagnosis_id: str,
    diagnosis_fingerprint: str,
    main_challenge: str | None,
    advice: Advice,
    strategies: Sequence[ScoredStrategy],
    fingerprint: str,
    now: datetime,
) -> Document:
    """Return the stored form of a project's recommendations."""
    return {
        "_id": plan_id(subject, project_id),
        "subject": subject,
        "project_id": project_id,
        "profile_revision": profile_revision,
        "diagnosis_id": diagnosis_id,
        "diagnosis_fingerprint": diagnosis_fingerprint,
        "main_challenge": main_challenge,
        "advice": [
            {
                "advice_id": a.advice_id,
                "score": a.score,
                "missing": list(a.missing),
                "reasons": [
                    {"key": r.key, "values": [list(v) for v in r.values], "estimate": r.estimate} for r in a.reasons
                ],
            }
            for a in advice.ranked
        ],
        "questions": [{"field": name, "advice_ids": list(ids)} for name, ids in advice.questions],
        "strategies": [
            {
                "strategy_id": s.strategy_id,
                "score": s.score,
                "trigger": s.trigger,
                "is_principal": s.is_principal,
                "is_secondary": s.is_secondary,
                "advice_ids": list(s.advice_ids),
            }
            for s in strategies
        ],
        "fingerprint": fingerprint,
        "updated_at": iso(now),
    }


def scored_advice(doc: Document) -> ScoredAdvice:
    """Return one stored advice."""
    reasons = tuple(
        Reason(r["key"], tuple((name, value) for name, value in r["values"]), r["estimate"]) for r in doc["reasons"]
    )
    return ScoredAdvice(doc["advice_id"], doc["score"], reasons, tuple(doc["missing"]), stars(doc["score"]))


def scored_strategy(doc: Document) -> ScoredStrategy:
    """Return one stored strategy."""
    return ScoredStrategy(
        strategy_id=doc["strategy_id"],
        score=doc["score"],
        trigger=doc["trigger"],
        is_principal=doc["is_principal"],
        is_secondary=doc["is_secondary"],
        advice_ids=tuple(doc["advice_ids"]),
    )
