"""Personas for the advice tests: a neutral job seeker, changed field by field."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from services.advice.catalogue import catalogue
from services.advice.modules.base import Situation, situation_of
from services.advice.questionnaire import QUESTIONNAIRE, Questionnaire
from shared.contracts.diagnostic import (
    AlternativeMarket,
    ChallengeResult,
    DiagnosisReadyData,
    JobRequirements,
    MarketFacts,
    MarketFigure,
)
from shared.contracts.profile import ConsentState, Preferences, ProfileFacts, ProfileUpdatedData, ProjectFacts
from shared.contracts.vocabulary import Frustration

TODAY = date(2026, 11, 23)  # a Monday
SUBJECT = "u_test_persona_01"
# Every field and every frustration, as if "Mes réponses" asked them all: what a module does once the
# profile page asks a question it does not ask today (driving licences, disability, family, languages...).
EVERY_QUESTION = Questionnaire(
    fields=frozenset(ProfileFacts.model_fields) | frozenset(ProjectFacts.model_fields),
    frustrations=frozenset(Frustration),
)
ASKED_ELSEWHERE: dict[str, Any] = {"questionnaire": EVERY_QUESTION}

# Someone for whom little triggers: 36, experienced, a car licence, a market in balance, a search of 3 months.
PROFILE: dict[str, Any] = {
    "gender": "MASCULINE",
    "year_of_birth": 1990,
    "family_situation": "IN_A_RELATIONSHIP",
    "highest_degree": "BTS_DUT_DEUG",
    "driving_licenses": ["CAR"],
    "has_handicap": False,
    "frustrations": [],
    "languages": [{"code": "fr", "spoken": "NATIVE", "written": "NATIVE"}],
}
PROJECT: dict[str, Any] = {
    "project_id": "p1",
    "rome_code": "K2204",
    "job_code_ogr": "12345",
    "city_insee": "69123",
    "departement": "69",
    "area_type": "DEPARTEMENT",
    "min_salary": 20000,
    "employment_types": ["CDI", "CDD_OVER_3_MONTHS"],
    "workloads": ["FULL_TIME"],
    "kind": "FIND_ANOTHER_JOB",
    "previous_job_similarity": "DONE_THIS",
    "seniority": "INTERMEDIARY",
    "training_fulfillment_estimate": "ENOUGH_DIPLOMAS",
    "network_estimate": 2,
    "job_search_started_at": TODAY - timedelta(days=92),
    "weekly_offers_estimate": "SOME",
    "weekly_applications_estimate": "SOME",
    "total_interview_count": 2,
    "passionate_level": "PASSIONATING",
    "has_resume": True,
}
FIGURES: dict[str, float] = {
    "offers_per_10_candidates": 5.0,
    "application_spontaneous_share": 0.2,
    "application_network_share": 0.3,
    "application_agency_share": 0.1,
    "application_other_share": 0.4,
    "cdi_share": 0.6,
    "cdd_share": 0.3,
    "interim_share": 0.1,
    "hiring_difficult_share": 0.2,
    "salary_gross_yearly_p25": 19000,
    "salary_gross_yearly_median": 21000,
    "salary_gross_yearly_p75": 24000,
    "seasonal_share": 0.1,
    "best_month": 6,
}


def alternative(
    rome: str, offers: float, relation: str, departement: str = "69", provenance: str = "real"
) -> AlternativeMarket:
    """Return an alternative market (from an official dataset unless said otherwise)."""
    return AlternativeMarket.model_validate(
        {
            "rome_code": rome,
            "departement": departement,
            "offers_per_10_candidates": offers,
            "provenance": provenance,
            "relation": relation,
        }
    )


def diagnosis(
    *,
    profile: Mapping[str, Any] | None = None,
    project: Mapping[str, Any] | None = None,
    figures: Mapping[str, float | None] | None = None,
    synthetic: bool = False,
    alternatives: Sequence[AlternativeMarket] = (),
    market: bool = True,
    requirements: Mapping[str, Any] | None = None,
    main_challenge: str | None = "bravo",
    overall_score: int | None = 70,
    needs_attention: Sequence[str] = (),
    missing_fields: Sequence[str] = (),
    preferences: Mapping[str, Any] | None = None,
    consents: Mapping[str, Any] | None = None,
    revision: int = 1,
    diagnosis_id: str = "d_1",
) -> DiagnosisReadyData:
    """Return a diagnosis of the neutral persona with these changes (None values remove a field)."""
    profile_values = {k: v for k, v in {**PROFILE, **(profile or {})}.items() if v is not None}
    project_values = {k: v for k, v in {**PROJECT, **(project or {})}.items() if v is not None}
    figure_values = {k: v for k, v in {**FIGURES, **(figures or {})}.items() if v is not None}
    basis = ProfileUpdatedData(
        revision=revision,
        registered_at=TODAY - timedelta(days=10),
        profile=ProfileFacts.model_validate(profile_values),
        projects=[ProjectFacts.model_validate(project_values)],
        preferences=Preferences.model_validate(preferences or {}),
        consents=ConsentState.model_validate(consents or {}),
    )
    provenance = "synthetic" if synthetic else "real"
    facts = MarketFacts(
        rome_code=project_values.get("rome_code", "K2204"),
        departement=project_values.get("departement", "69"),
        figures=[
            MarketFigure.model_validate({"name": n, "value": v, "provenance": provenance, "dataset": "test@1"})
            for n, v in figure_values.items()
        ],
        alternatives=list(alternatives),
        requirements=(
            JobRequirements.model_validate({"dataset": "rome@v3.47", **requirements}) if requirements else None
        ),
    )
    challenges = [
        ChallengeResult.model_validate({"challenge": c, "status": "needs-attention"}) for c in needs_attention
    ]
    return DiagnosisReadyData.model_validate(
        {
            "diagnosis_id": diagnosis_id,
            "project_id": project_values["project_id"],
            "profile_revision": revision,
            "main_challenge": main_challenge,
            "overall_score": overall_score,
            "challenges": challenges,
            "missing_fields": list(missing_fields),
            "market": facts if market else None,
            "fingerprint": f"fp-{diagnosis_id}-{revision}",
            "basis": basis,
        }
    )


def situation(today: date = TODAY, questionnaire: Questionnaire = QUESTIONNAIRE, **changes: Any) -> Situation:
    """Return the situation the modules read for the persona with these changes (answers the questionnaire asks)."""
    return situation_of(diagnosis(**changes), today, catalogue().job_facts, questionnaire)
