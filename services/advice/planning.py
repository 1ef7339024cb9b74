"""The use cases of the plan: a new diagnosis, a profile change, the person's own changes, and the views.

Each use case loads the person's actions, applies the pure rules of
``recommend.py`` and ``plan.py``, reflows the days and writes the changes and
the schedule in the caller's unit of work. Event handlers and HTTP routes only
call these.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from services.advice import repository as repo
from services.advice.advise import FIRST_SHOWN
from services.advice.plan import (
    OPEN,
    TRANSITIONS,
    ActionChange,
    PlanAction,
    apply_change,
    changed,
    counts,
    layout,
    local_today,
    merge_plan,
    own_action,
    reflow,
    select,
)
from services.advice.questionnaire import QUESTIONNAIRE
from services.advice.recommend import Recommendation, fingerprint, recommend
from services.advice.render import Renderer, Wording
from shared.contracts.advice import AdviceReadyData, RankedAdvice, RankedStrategy
from shared.contracts.api.advice import (
    ActionView,
    AdviceCard,
    AdviceView,
    Duration,
    OwnActionCreate,
    PaceView,
    PlanView,
    ProjectAdvice,
    Question,
    ResourceView,
    StrategyCard,
    View,
    Why,
)
from shared.contracts.diagnostic import DiagnosisReadyData
from shared.contracts.profile import ProfileUpdatedData
from shared.problems import FieldProblem, InvalidInputError, NotFoundError
from shared.store import Document
from shared.unit_of_work import UnitOfWork

DURATION_OF: dict[int, Duration] = {30: "15-30min", 60: "1h", 120: "1-3h"}


async def store_plan(
    uow: UnitOfWork, person: repo.Person, before: Sequence[PlanAction], after: Sequence[PlanAction], wording: Wording
) -> None:
    """Return once the changed actions are written, the removed ones dropped and the schedule in step."""
    kept = {a.action_id for a in after}
    await repo.save_actions(
        uow, person.subject, changed(before, after), removed=[a.action_id for a in before if a.action_id not in kept]
    )
    await repo.sync_schedule(uow, person, after, wording.catalogue)


async def _person(uow: UnitOfWork, subject: str) -> repo.Person:
    person = await repo.load_person(uow, subject)
    if person is None:
        raise NotFoundError("plan")
    return person


async def change_action(
    uow: UnitOfWork, subject: str, action_id: str, change: ActionChange, wording: Wording
) -> tuple[repo.Person, PlanAction, date]:
    """Return the person, the changed action and their today, after applying the change and reflowing the plan."""
    person = await _person(uow, subject)
    before = await repo.load_actions(uow, subject)
    action = next((a for a in before if a.action_id == action_id), None)
    if action is None:
        raise NotFoundError("action")
    today = local_today(uow.now, person.settings.time_zone)
    updated = apply_change(action, change, today=today, now=uow.now)
    if updated == action:
        return person, action, today
    after = reflow([updated if a.action_id == action_id else a for a in before], person.settings, today)
    await store_plan(uow, person, before, after, wording)
    return person, next(a for a in after if a.action_id == action_id), today


async def add_own_action(
    uow: UnitOfWork, subject: str, body: OwnActionCreate, wording: Wording
) -> tuple[repo.Person, PlanAction, date]:
    """Return the person, their new own action and their today, once the action is in the plan."""
    person = await _person(uow, subject)
    today = local_today(uow.now, person.settings.time_zone)
    if body.due_on is not None and body.due_on < today:
        raise InvalidInputError(
            [FieldProblem(field="due_on", code="must_not_be_in_the_past", params={"today": today.isoformat()})]
        )
    project_id = body.project_id or next(iter(sorted(person.projects)), "none")
    if body.project_id is not None and body.project_id not in person.projects:
        raise NotFoundError("project")  # as for any id of the person's that does not exist
    before = await repo.load_actions(uow, subject)
    action = own_action(
        new_id="o_" + uuid.uuid4().hex[:16],
        project_id=project_id,
        title=body.title,
        duration=body.duration,
        due_on=body.due_on or today,
        now=uow.now,
    )
    after = reflow([*before, action], person.settings, today)
    await store_plan(uow, person, before, after, wording)
    return person, action, today


async def set_days_off(uow: UnitOfWork, subject: str, days_off: Sequence[date], wording: Wording) -> repo.Person:
    """Return the person with the days off they declared, once the plan is reflowed around them."""
    person = await _person(uow, subject)
    calendar = replace(person.settings.calendar, days_off=frozenset(days_off))
    person = replace(person, settings=replace(person.settings, calendar=calendar))
    await repo.save_person(uow, person, uow.now)
    before = await repo.load_actions(uow, subject)
    after = reflow(before, person.settings, local_today(uow.now, person.settings.time_zone))
    await store_plan(uow, person, before, after, wording)
    return person


# --- what the diagnosis and the profile change ---------------------------------------------------


async def plan_diagnosis(
    uow: UnitOfWork, subject: str, data: DiagnosisReadyData, wording: Wording
) -> AdviceReadyData | None:
    """Return the advice-ready payload once advice, strategies and the plan at the person's pace are stored.

    None when there is nothing new to announce: a stale diagnosis, or the same advice and plan as before.
    """
    plan = await uow.collection(repo.PLANS).get(repo.plan_id(subject, data.project_id))
    if plan is not None and plan["profile_revision"] > data.profile_revision:
        return None  # a diagnosis of an older profile arriving late changes nothing
    person = await repo.load_person(uow, subject)
    if person is not None and person.revision > data.profile_revision and data.project_id not in person.projects:
        return None  # the project was deleted after this diagnosis
    if person is None or person.revision < data.basis.revision:
        person = repo.person_from_profile(subject, data.basis, person)
        await repo.save_person(uow, person, uow.now)
    today = local_today(uow.now, person.settings.time_zone)
    recommendation = recommend(data, today, wording.catalogue)
    before = await repo.load_actions(uow, subject)
    project_actions = merge_plan(
        before, recommendation.proposals, subject=subject, project_id=data.project_id, now=uow.now
    )
    others = [a for a in before if a.project_id != data.project_id]
    # A new plan starts the day the person comes, even outside their working days.
    after = reflow([*others, *project_actions], person.settings, today, open_start=not before)
    await store_plan(uow, person, before, after, wording)
    mine = [a for a in after if a.project_id == data.project_id]
    digest = fingerprint(recommendation, mine)
    await uow.collection(repo.PLANS).put(
        repo.plan_doc(
            subject,
            data.project_id,
            profile_revision=data.profile_revision,
            diagnosis_id=data.diagnosis_id,
            diagnosis_fingerprint=data.fingerprint,
            main_challenge=data.main_challenge,
            advice=recommendation.advice,
            strategies=recommendation.strategies,
            fingerprint=digest,
            now=uow.now,
        )
    )
    if plan is not None and plan["fingerprint"] == digest:
        return None  # the same advice and plan: nothing new to announce
    return advice_ready(
        data.project_id,
        data.diagnosis_id,
        data.profile_revision,
        recommendation,
        person,
        mine,
        today,
        digest,
        wording,
    )


def advice_ready(
    project_id: str,
    diagnosis_id: str,
    profile_revision: int,
    recommendation: Recommendation,
    person: repo.Person,
    actions: Sequence[PlanAction],
    today: date,
    digest: str,
    wording: Wording,
) -> AdviceReadyData:
    """Return the advice-ready payload: ranked advice with reasons written for the person."""
    renderer = wording.renderer(person.settings.locale, person.settings.gender)
    return AdviceReadyData(
        project_id=project_id,
        diagnosis_id=diagnosis_id,
        profile_revision=profile_revision,
        advice=[
            RankedAdvice(
                advice_id=a.advice_id,
                stars=a.stars,
                reasons=renderer.reasons(a.reasons),
                missing_fields=list(a.missing),
            )
            for a in recommendation.advice.ranked
        ],
        strategies=[
            RankedStrategy(
                strategy_id=s.strategy_id, score=s.score, is_principal=s.is_principal, is_secondary=s.is_secondary
            )
            for s in recommendation.strategies
        ],
        pace=person.settings.pace,
        actions_planned=sum(1 for a in actions if a.due_on is not None),
        actions_today=sum(1 for a in actions if a.due_on == today),
        fingerprint=digest,
    )


async def follow_profile(uow: UnitOfWork, subject: str, data: ProfileUpdatedData, wording: Wording) -> None:
    """Return once the person's pace, days, time zone, language and consents are kept and their plan reflowed."""
    previous = await repo.load_person(uow, subject)
    if previous is not None and previous.revision >= data.revision:
        return  # stale or already applied
    person = repo.person_from_profile(subject, data, previous)
    await repo.save_person(uow, person, uow.now)
    if previous is not None and previous.settings == person.settings and previous.projects == person.projects:
        return
    before = await repo.load_actions(uow, subject)
    if not before:
        return
    # A project the person deleted takes its plan with it.
    kept = [a for a in before if a.project_id in person.projects]
    for gone in {a.project_id for a in before} - set(person.projects):
        await uow.collection(repo.PLANS).delete({"_id": repo.plan_id(subject, gone)})
    after = reflow(kept, person.settings, local_today(uow.now, person.settings.time_zone))
    await store_plan(uow, person, before, after, wording)


# --- what the person sees ------------------------------------------------------------------------


def action_view(action: PlanAction, renderer: Renderer, today: date) -> ActionView:
    """Return an action as the person sees it, in their language."""
    template = renderer.catalogue.actions.get(action.template_id) if action.template_id else None
    resource = (
        ResourceView(url=template.resource.url, label=renderer.text(template.resource.label)) if template else None
    )
    return ActionView(
        action_id=action.action_id,
        project_id=action.project_id,
        origin="own" if action.is_own else "plan",
        template_id=action.template_id,
        advice_id=action.advice_id,
        strategy_id=action.strategy_id,
        title=renderer.text(template.title) if template else action.own_title or "",
        description=renderer.text(template.description) if template else None,
        duration=template.duration if template else DURATION_OF.get(action.minutes, "15-30min"),
        minutes=action.minutes,
        tags=list(template.tags) if template else ["own"],
        resource=resource,
        needs_help=action.needs_help,
        status=action.status,
        due_on=action.due_on,
        overdue=action.due_on is not None and action.due_on < today and action.status in OPEN,
        deadline=action.deadline,
        snoozed_until=action.snoozed_until,
        was_useful=action.was_useful,
        done_at=action.done_at,
        allowed_statuses=sorted(TRANSITIONS[action.status]),
    )


def plan_view(
    subject: str, person: repo.Person | None, actions: Sequence[PlanAction], view: View, today: date, wording: Wording
) -> PlanView:
    """Return one view of the person's plan."""
    person = person or repo.Person(subject)
    settings = person.settings
    rule = settings.pace.rule
    renderer = wording.renderer(settings.locale, settings.gender)
    # Read on a later day than it was written, the plan is laid out again for today: the pace holds.
    actions = layout(actions, settings, today)
    paused = rule is None
    return PlanView(
        subject=subject,
        view=view,
        today=today,
        pace=PaceView(
            pace=settings.pace,
            min_actions=rule.min_actions if rule else 0,
            max_actions=rule.max_actions if rule else 0,
            max_minutes=rule.max_minutes if rule else 0,
        ),
        working_days=sorted(settings.calendar.working_days),
        days_off=sorted(settings.calendar.days_off),
        counts=dict(counts(actions, today, paused=paused)),
        actions=[action_view(a, renderer, today) for a in select(actions, view, today, paused=paused)],
    )


def advice_view(
    subject: str, person: repo.Person | None, plans: Sequence[Document], wording: Wording, locale: str | None = None
) -> AdviceView:
    """Return the person's ranked advice and strategies per project, written in their language."""
    settings = (person or repo.Person(subject)).settings
    chosen_locale = locale or settings.locale
    renderer = wording.renderer(chosen_locale, settings.gender)
    catalogue = wording.catalogue
    projects = []
    for plan in plans:
        cards = []
        for doc in plan["advice"]:
            scored = repo.scored_advice(doc)
            content = catalogue.advice.get(scored.advice_id)
            # A plan stored by an earlier version may name advice or reasons since removed, or cite an
            # estimate of the market model: none of it is shown (the next diagnosis rewrites the plan).
            reasons = tuple(r for r in scored.reasons if r.key in catalogue.reasons and not r.estimate)
            if content is None or not reasons:
                continue
            tips = [renderer.text(t) for t in content.tips]
            if scored.advice_id == "specific-to-job":
                codes = (person.projects if person else {}).get(plan["project_id"])
                tips += [renderer.text(t) for t in catalogue.job_tips(codes.rome_code if codes else None)]
            why = renderer.why(reasons)
            cards.append(
                AdviceCard(
                    advice_id=scored.advice_id,
                    stars=max(1, scored.stars),
                    score=scored.score,
                    title=renderer.text(content.title),
                    pitch=renderer.text(content.pitch),
                    tips=tips,
                    reasons=[text for text, _ in why],
                    why=[Why(text=text, answers=list(answers)) for text, answers in why],
                    missing_fields=[name for name in scored.missing if name in QUESTIONNAIRE.fields],
                    resource=ResourceView(url=content.resource.url, label=renderer.text(content.resource.label))
                    if content.resource
                    else None,
                )
            )
        shown = {card.advice_id for card in cards}
        strategies = []
        for doc in plan["strategies"]:
            scored_strategy = repo.scored_strategy(doc)
            strategy = next((s for s in catalogue.strategies if s.id == scored_strategy.strategy_id), None)
            if strategy is None:
                continue
            strategies.append(
                StrategyCard(
                    strategy_id=strategy.id,
                    score=scored_strategy.score,
                    is_principal=scored_strategy.is_principal,
                    is_secondary=scored_strategy.is_secondary,
                    title=renderer.text(strategy.title),
                    description=renderer.text(strategy.description),
                    advice_ids=[a for a in dict.fromkeys(scored_strategy.advice_ids) if a in shown],
                )
            )
        projects.append(
            ProjectAdvice(
                project_id=plan["project_id"],
                diagnosis_id=plan["diagnosis_id"],
                profile_revision=plan["profile_revision"],
                main_challenge=plan["main_challenge"],
                advice=cards,
                first_shown=min(FIRST_SHOWN, len(cards)),
                strategies=strategies,
                questions=[Question(**q) for q in plan["questions"] if q["field"] in QUESTIONNAIRE.fields],
                updated_at=plan["updated_at"],
            )
        )
    return AdviceView(subject=subject, locale=chosen_locale, projects=projects)
