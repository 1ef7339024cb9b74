"""Diagnose one project, keep the result and announce it only when it changed.

Used by the ``profile-updated`` handler and by the re-diagnosis command, so a
diagnosis is recorded and published one way only: in the caller's unit of
work, through the outbox.
"""

from __future__ import annotations

from services.diagnostic.diagnose import diagnose
from services.diagnostic.market_data import MarketData
from services.diagnostic.models import Diagnosis, diagnosis_to_json
from services.diagnostic.render import Renderer
from services.diagnostic.repository import DIAGNOSES, DIAGNOSIS_FORMAT, diagnosis_id
from shared.contracts.diagnostic import (
    ChallengeResult,
    DiagnosisReady,
    DiagnosisReadyData,
    ObservationSummary,
    SourceRef,
)
from shared.contracts.profile import ProfileUpdatedData, ProjectFacts
from shared.envelope import iso
from shared.unit_of_work import UnitOfWork


def diagnosis_ready(
    subject: str,
    doc_id: str,
    diagnosis: Diagnosis,
    fingerprint: str,
    basis: ProfileUpdatedData,
    market: MarketData,
) -> DiagnosisReady:
    """Return the ``diagnosis-ready`` event of a diagnosis (codes and generated texts only)."""
    renderer = Renderer(locale=basis.preferences.locale, gender=basis.profile.gender, market=market)
    sentence = renderer.text("overall", diagnosis.overall_sentence, diagnosis.overall_params)
    return DiagnosisReady(
        subject=subject,
        data=DiagnosisReadyData(
            diagnosis_id=doc_id,
            project_id=diagnosis.project_id,
            profile_revision=diagnosis.profile_revision,
            main_challenge=diagnosis.main_challenge,
            overall_score=diagnosis.overall_score,
            challenges=[
                ChallengeResult(
                    challenge=c.challenge,
                    status=c.status,
                    reasons=[r.code for r in c.reasons],
                    missing_fields=list(c.missing_fields),
                )
                for c in diagnosis.challenges
            ],
            missing_fields=list(diagnosis.missing_fields),
            market=diagnosis.market,
            overall_sentence=sentence,
            sub_scores={sub.topic: sub.score for sub in diagnosis.sub_diagnoses},
            observations=[
                ObservationSummary(
                    id=o.id,
                    topic=o.topic,
                    attention_needed=o.attention_needed,
                    sources=[SourceRef(dataset=s.dataset, provenance=s.provenance) for s in o.sources],
                )
                for o in diagnosis.observations()
            ],
            self_diagnostic_relation=diagnosis.self_diagnostic.relation if diagnosis.self_diagnostic else None,
            fingerprint=fingerprint,
            basis=basis,
        ),
    )


async def record_diagnosis(
    uow: UnitOfWork, market: MarketData, subject: str, basis: ProfileUpdatedData, project: ProjectFacts
) -> DiagnosisReady | None:
    """Diagnose a project and store the result; publish and return the event only when it changed."""
    diagnoses = uow.collection(DIAGNOSES)
    doc_id = diagnosis_id(subject, project.project_id)
    current = await diagnoses.get(doc_id)
    if current is not None and current["profile_revision"] > basis.revision:
        return None  # an older revision arriving late changes nothing
    diagnosis = diagnose(basis, project, market.facts(project.rome_code, project.departement), uow.now.date())
    fingerprint = diagnosis.fingerprint()
    unchanged = current is not None and current["fingerprint"] == fingerprint
    if unchanged and current is not None and current["profile_revision"] == basis.revision:
        return None
    await diagnoses.put(
        {
            "_id": doc_id,
            "subject": subject,
            "project_id": project.project_id,
            "profile_revision": basis.revision,
            "fingerprint": fingerprint,
            "format": DIAGNOSIS_FORMAT,
            "diagnosis": diagnosis_to_json(diagnosis),
            "diagnosed_at": iso(uow.now),
        }
    )
    if unchanged:
        return None  # same result: nothing new to tell
    event = diagnosis_ready(subject, doc_id, diagnosis, fingerprint, basis, market)
    uow.publish(event)
    return event


async def forget_removed_projects(uow: UnitOfWork, subject: str, basis: ProfileUpdatedData) -> int:
    """Delete the diagnoses of projects the person no longer has; return how many."""
    kept = {p.project_id for p in basis.projects}
    diagnoses = uow.collection(DIAGNOSES)
    removed = 0
    for doc in await diagnoses.find({"subject": subject}):
        if doc.get("project_id", doc["_id"].split(":", 1)[-1]) not in kept:
            removed += await diagnoses.delete({"_id": doc["_id"]})
    return removed
