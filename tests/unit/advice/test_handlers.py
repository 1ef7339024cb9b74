"""The advice service's event handlers on a real store: idempotent, replayable, ordered by revision."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from services.advice import repository as repo
from services.advice.schedule import emit_due_actions
from shared.contracts.api.advice import ActionStatus
from shared.contracts.diagnostic import DiagnosisReady
from shared.contracts.profile import ProfileUpdated, UserErased
from shared.service import ServiceRuntime
from tests.unit.advice.personas import SUBJECT, TODAY, diagnosis
from tests.unit.advice.support import Clock, apply, make_runtime, published

MORNING = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # Monday 9:00 in Paris
BUSY: dict[str, Any] = {
    "profile": {"frustrations": ["NO_OFFER_ANSWERS", "INTERVIEW"]},
    "project": {"network_estimate": 1, "total_interview_count": 0},
}


def diagnosed(**changes: Any) -> DiagnosisReady:
    return DiagnosisReady(subject=SUBJECT, data=diagnosis(**{**BUSY, **changes}))


def profile_updated(revision: int, **changes: Any) -> ProfileUpdated:
    return ProfileUpdated(subject=SUBJECT, data=diagnosis(**{**BUSY, **changes, "revision": revision}).basis)


async def day_count(runtime: ServiceRuntime, offset: int) -> int:
    actions = await repo.load_actions(runtime.store, SUBJECT)
    return sum(1 for a in actions if a.due_on == TODAY + timedelta(days=offset))


async def test_a_diagnosis_gives_ranked_advice_with_reasons_and_a_plan(tmp_path: Path) -> None:
    runtime = await make_runtime(tmp_path / "advice.sqlite3", Clock(MORNING))
    await apply(
        runtime, diagnosed(preferences={"locale": "fr@tu"}, synthetic=True, figures={"application_network_share": 0.6})
    )
    [ready] = await published(runtime, "advice-ready")
    data = ready["data"]
    assert data["advice"][0]["stars"] == 3
    assert all(a["reasons"] for a in data["advice"]), [a["advice_id"] for a in data["advice"] if not a["reasons"]]
    reasons = [r for a in data["advice"] for r in a["reasons"]]
    assert "Tu nous as dit ne pas recevoir de réponse à tes candidatures." in reasons
    life_balance = next(a for a in data["advice"] if a["advice_id"] == "life-balance")
    assert life_balance["reasons"] == [
        "Ce conseil sert à toute recherche d'emploi, et rien dans tes réponses ne l'écarte."
    ]  # a generic advice says so, in the person's own form of address
    # The market figures were synthetic (the market model's): advice neither cites nor scores from them.
    # (Before issue 18 they were cited with "(estimation)".)
    assert not any("(estimation)" in r or "embauches" in r for r in reasons), reasons
    assert data["strategies"][0]["is_principal"] is True
    assert data["pace"] == "ONE_TO_TWO"
    assert 1 <= data["actions_today"] <= 2 and data["actions_planned"] >= 8
    schedule = await runtime.store.collection(repo.SCHEDULE).find({"subject": SUBJECT})
    assert len(schedule) == data["actions_planned"]


async def test_replaying_a_diagnosis_changes_nothing(tmp_path: Path) -> None:
    runtime = await make_runtime(tmp_path / "advice.sqlite3", Clock(MORNING))
    await apply(runtime, diagnosed())
    before = await runtime.store.collection(repo.ACTIONS).find({"subject": SUBJECT}, sort=[("_id", 1)])
    await apply(runtime, diagnosed())  # the same facts, redelivered as a new event
    after = await runtime.store.collection(repo.ACTIONS).find({"subject": SUBJECT}, sort=[("_id", 1)])
    assert after == before
    assert len(await published(runtime, "advice-ready")) == 1


async def test_a_diagnosis_of_an_older_profile_is_ignored(tmp_path: Path) -> None:
    runtime = await make_runtime(tmp_path / "advice.sqlite3", Clock(MORNING))
    await apply(runtime, diagnosed(revision=5, profile={"frustrations": ["TIME_MANAGEMENT"]}))
    await apply(runtime, diagnosed(revision=4))
    plan = await runtime.store.collection(repo.PLANS).get(repo.plan_id(SUBJECT, "p1"))
    assert plan is not None and plan["profile_revision"] == 5
    assert len(await published(runtime, "advice-ready")) == 1


async def test_a_faster_pace_reflows_tomorrow_at_once_and_a_stale_revision_does_not_undo_it(tmp_path: Path) -> None:
    runtime = await make_runtime(tmp_path / "advice.sqlite3", Clock(MORNING))
    await apply(runtime, diagnosed(revision=1))
    assert 1 <= await day_count(runtime, 1) <= 2
    await apply(runtime, profile_updated(2, preferences={"action_pace": "FIVE_OR_MORE"}))
    assert 4 <= await day_count(runtime, 1) <= 5
    await apply(runtime, profile_updated(1, preferences={"action_pace": "ONE_TO_TWO"}))  # late and stale
    assert 4 <= await day_count(runtime, 1) <= 5
    person = await repo.load_person(runtime.store, SUBJECT)
    assert person is not None and person.revision == 2


async def test_working_days_and_consent_come_from_the_profile(tmp_path: Path) -> None:
    runtime = await make_runtime(tmp_path / "advice.sqlite3", Clock(MORNING))
    await apply(runtime, diagnosed(revision=1))
    await apply(runtime, profile_updated(2, preferences={"working_days": [5, 6]}))
    actions = await repo.load_actions(runtime.store, SUBJECT)
    future = [a for a in actions if a.due_on and a.due_on > TODAY]
    assert future and all(a.due_on.weekday() in (5, 6) for a in future if a.due_on)
    await apply(runtime, profile_updated(3, consents={"coaching": False}))
    assert await runtime.store.collection(repo.SCHEDULE).count({"subject": SUBJECT}) == 0


async def test_a_deleted_project_takes_its_plan_with_it(tmp_path: Path) -> None:
    runtime = await make_runtime(tmp_path / "advice.sqlite3", Clock(MORNING))
    await apply(runtime, diagnosed(revision=1))
    event = profile_updated(2)
    await apply(runtime, ProfileUpdated(subject=SUBJECT, data=event.data.model_copy(update={"projects": []})))
    assert await repo.load_actions(runtime.store, SUBJECT) == []
    assert await repo.load_plans(runtime.store, SUBJECT) == []
    await apply(runtime, diagnosed(revision=1))  # a late diagnosis of the deleted project
    assert await repo.load_actions(runtime.store, SUBJECT) == []


async def test_erasure_deletes_everything_about_the_person_and_only_them(tmp_path: Path) -> None:
    clock = Clock(MORNING)
    runtime = await make_runtime(tmp_path / "advice.sqlite3", clock)
    await apply(runtime, diagnosed())
    other = DiagnosisReady(subject="u_someone_else_1", data=diagnosis())
    await apply(runtime, other)
    await emit_due_actions(runtime)
    await apply(runtime, UserErased(subject=SUBJECT))
    held = await repo.export(runtime.store, SUBJECT)
    assert held == {"person": None, "reminders": None, "plans": [], "actions": [], "schedule": []}
    assert (await repo.export(runtime.store, "u_someone_else_1"))["actions"]


async def test_statuses_survive_a_new_diagnosis(tmp_path: Path) -> None:
    runtime = await make_runtime(tmp_path / "advice.sqlite3", Clock(MORNING))
    await apply(runtime, diagnosed(revision=1))
    actions = await repo.load_actions(runtime.store, SUBJECT)
    chosen = sorted(actions, key=lambda a: a.priority)[0]
    docs = runtime.store.collection(repo.ACTIONS)
    await docs.update({"_id": chosen.action_id}, set={"status": "done"})
    await apply(runtime, diagnosed(revision=2, profile={"frustrations": ["NO_OFFER_ANSWERS", "INTERVIEW", "RESUME"]}))
    after = {a.action_id: a for a in await repo.load_actions(runtime.store, SUBJECT)}
    assert after[chosen.action_id].status is ActionStatus.DONE
