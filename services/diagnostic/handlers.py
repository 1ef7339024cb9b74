"""Event handlers of the diagnostic service: thin adapters around ``diagnose``."""

from __future__ import annotations

from services.diagnostic.diagnose import diagnose
from services.diagnostic.repository import DIAGNOSES, diagnosis_id
from shared.contracts.diagnostic import DiagnosisReady, DiagnosisReadyData
from shared.contracts.profile import ProfileUpdated, UserErased
from shared.envelope import iso
from shared.unit_of_work import UnitOfWork


async def on_profile_updated(event: ProfileUpdated, uow: UnitOfWork) -> None:
    """Diagnose each project; publish ``diagnosis-ready`` only when the result changed."""
    diagnoses = uow.collection(DIAGNOSES)
    for project in event.data.projects:
        doc_id = diagnosis_id(event.subject, project.project_id)
        current = await diagnoses.get(doc_id)
        if current is not None and current["profile_revision"] >= event.data.revision:
            continue  # an older revision arriving late changes nothing
        diagnosis = diagnose(event.data, project, None, uow.now.date())
        fingerprint = diagnosis.fingerprint()
        await diagnoses.put({
            "_id": doc_id,
            "subject": event.subject,
            "profile_revision": event.data.revision,
            "fingerprint": fingerprint,
            "diagnosis": diagnosis.model_dump(mode="json"),
            "diagnosed_at": iso(uow.now),
        })
        if current is not None and current["fingerprint"] == fingerprint:
            continue  # same result: nothing new to tell
        uow.publish(DiagnosisReady(
            subject=event.subject,
            data=DiagnosisReadyData(
                diagnosis_id=doc_id,
                project_id=project.project_id,
                profile_revision=event.data.revision,
                main_challenge=diagnosis.main_challenge,
                overall_score=diagnosis.overall_score,
                challenges=diagnosis.challenges,
                missing_fields=diagnosis.missing_fields,
                market=diagnosis.market,
                fingerprint=fingerprint,
                basis=event.data,
            ),
        ))


async def on_user_erased(event: UserErased, uow: UnitOfWork) -> None:
    """Delete every diagnosis of the person."""
    await uow.collection(DIAGNOSES).delete({"subject": event.subject})
