"""Event handlers of the advice service."""

from __future__ import annotations

import hashlib

from services.advice.plan import plan_actions
from services.advice.repository import ACTIONS, PLANS, plan_id
from shared.contracts.advice import AdviceReady, AdviceReadyData
from shared.contracts.diagnostic import DiagnosisReady
from shared.contracts.profile import UserErased
from shared.envelope import iso
from shared.unit_of_work import UnitOfWork


async def on_diagnosis_ready(event: DiagnosisReady, uow: UnitOfWork) -> None:
    """Plan the actions for the new diagnosis and publish ``advice-ready``."""
    data = event.data
    plans = uow.collection(PLANS)
    doc_id = plan_id(event.subject, data.project_id)
    current = await plans.get(doc_id)
    if current is not None and current["profile_revision"] > data.profile_revision:
        return
    today = uow.now.date()
    actions = plan_actions(event.subject, data, today)
    existing = {a["_id"] for a in await uow.collection(ACTIONS).find({"subject": event.subject})}
    new = [a for a in actions if a.action_id not in existing]
    await uow.collection(ACTIONS).insert_many([
        {
            "_id": a.action_id, "subject": event.subject, "project_id": data.project_id,
            "template_id": a.template_id, "advice_id": a.advice_id, "title": a.title,
            "duration_minutes": a.duration_minutes, "due_on": a.due_on.isoformat(), "status": "unread",
            "emitted": False, "needs_help": a.needs_help, "created_at": iso(uow.now),
        }
        for a in new
    ])
    fingerprint = hashlib.sha256("|".join(sorted(a.action_id for a in actions)).encode()).hexdigest()[:32]
    await plans.put({
        "_id": doc_id, "subject": event.subject, "project_id": data.project_id,
        "profile_revision": data.profile_revision, "diagnosis_id": data.diagnosis_id,
        "pace": data.basis.preferences.action_pace, "fingerprint": fingerprint, "updated_at": iso(uow.now),
    })
    uow.publish(AdviceReady(
        subject=event.subject,
        data=AdviceReadyData(
            project_id=data.project_id, diagnosis_id=data.diagnosis_id, profile_revision=data.profile_revision,
            pace=data.basis.preferences.action_pace, actions_planned=len(actions),
            actions_today=sum(1 for a in actions if a.due_on == today), fingerprint=fingerprint,
        ),
    ))


async def on_user_erased(event: UserErased, uow: UnitOfWork) -> None:
    """Delete the person's plans and actions."""
    await uow.collection(PLANS).delete({"subject": event.subject})
    await uow.collection(ACTIONS).delete({"subject": event.subject})
