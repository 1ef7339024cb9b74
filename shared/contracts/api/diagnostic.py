"""What the diagnostic service's internal API answers (the gateway re-exposes them under /v1).

Every figure and every observation carries its provenance: the dataset it came
from and whether it is ``real`` (an imported official statistic), ``synthetic``
(the market model's estimate, always flagged ``is_estimate``) or ``declared``
(what the person said).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from shared.contracts.diagnostic import (
    ChallengeStatus,
    DiagnosticTopic,
    Provenance,
    SourceProvenance,
)
from shared.contracts.vocabulary import MainChallenge


class SourceView(BaseModel):
    dataset: str = Field(description="Dataset id and version.", examples=["market-model@1"])
    provenance: SourceProvenance = Field(examples=["synthetic"])
    is_estimate: bool = Field(description="True for figures of the market model (not official statistics).")
    attribution: str | None = Field(None, description="Who published the data, to show with it.")
    period: str | None = Field(
        None,
        description="Period an imported official file covers (first..last), when it says.",
        examples=["2016-01..2017-12"],
    )


class ReasonView(BaseModel):
    code: str = Field(examples=["market.tension-low"])
    text: str = Field(examples=["Il y a 2,1 offres pour 10 candidats."])
    answers: list[str] = Field(
        default_factory=list,
        description="The questionnaire fields whose answers this sentence states (to link to the question).",
        examples=[["total_interview_count"]],
    )


class ChallengeView(BaseModel):
    challenge: MainChallenge
    label: str
    status: ChallengeStatus
    status_label: str
    reasons: list[ReasonView]
    missing_fields: list[str]
    sources: list[SourceView]


class ObservationView(BaseModel):
    id: str = Field(examples=["market.tension-low"])
    topic: DiagnosticTopic
    attention_needed: bool
    score: int | None = Field(description="0 (blocker) to 3 (strength); null when it only informs.")
    text: str
    answers: list[str] = Field(
        default_factory=list,
        description="The questionnaire fields whose answers this sentence states (to link to the question).",
    )
    reasons: list[ReasonView]
    sources: list[SourceView]
    contains_estimates: bool = Field(description="True when a figure behind it is an estimate.")


class SubDiagnosticView(BaseModel):
    topic: DiagnosticTopic
    label: str
    score: int | None = Field(description="0-100; null without enough data.")
    observations: list[ObservationView]


class AnswerView(BaseModel):
    label: str = Field(examples=["Aucun entretien pour l'instant"])
    changes: dict[str, Any] = Field(
        description="The profile or project fields this answer saves, as they are to be sent.",
        examples=[{"total_interview_count": 0}],
    )
    typed: Literal["number", "year", "month"] | None = Field(
        None,
        description=(
            "The answer needs a typed value for the question's field: a whole number, a year, "
            "or a month (saved as the first day of that month)."
        ),
    )


class QuestionView(BaseModel):
    field: str = Field(examples=["passionate_level"])
    question: str = Field(examples=["Ce métier vous plaît-il ?"])
    target: Literal["project", "profile"] = Field(
        "project", description="Where the answer is saved: the project or the personal profile."
    )
    input: Literal["choice", "job", "city"] = Field(
        "choice", description="choice: one of the answers; job, city: chosen from a search list (the questionnaire)."
    )
    answers: list[AnswerView] = Field(
        default_factory=list, description="Every true answer, 'none' and 'I do not know' included where they are."
    )


class SelfDiagnosticView(BaseModel):
    guess: MainChallenge
    relation: Literal["same", "also-true", "not-a-blocker", "later", "cannot-tell-yet"]
    text: str


class FigureView(BaseModel):
    name: str = Field(examples=["offers_per_10_candidates"])
    value: float | None
    provenance: Provenance
    dataset: str
    is_estimate: bool


class AlternativeView(BaseModel):
    rome_code: str
    job_label: str
    departement: str
    departement_name: str
    offers_per_10_candidates: float
    relation: Literal["close-job", "evolution", "other-departement", "neighbour-departement"]
    provenance: Provenance
    dataset: str | None
    is_estimate: bool


class RequirementsView(BaseModel):
    required_degree_rank: int | None = Field(description="0 none ... 5 master, from the ROME texts.")
    diplomas: list[str]
    experience_route: bool
    regulated: bool
    dataset: str
    provenance: Provenance = "real"


class MarketSummaryView(BaseModel):
    rome_code: str
    job_label: str
    departement: str
    departement_name: str
    figures: list[FigureView]
    alternatives: list[AlternativeView]
    requirements: RequirementsView | None


class DiagnosisView(BaseModel):
    """One project's diagnosis, with texts in one locale, reasons and sources."""

    diagnosis_id: str
    project_id: str
    profile_revision: int
    locale: str = Field(examples=["fr"])
    main_challenge: MainChallenge | None
    main_challenge_label: str | None
    overall_score: int | None
    overall_sentence: str
    overall_text: str
    challenges: list[ChallengeView]
    missing_fields: list[str] = Field(description="Fields to ask, most important first.")
    questions: list[QuestionView] = Field(description="The missing fields as questions, in the same order.")
    sub_diagnostics: list[SubDiagnosticView]
    self_diagnostic: SelfDiagnosticView | None
    market: MarketSummaryView | None
    contains_estimates: bool = Field(description="True when some figure shown is an estimate of the model.")
    fingerprint: str
    diagnosed_at: datetime | None = None


class DatasetView(BaseModel):
    id: str = Field(examples=["imt-market-score@3f2a9c1e"])
    name: str
    version: str
    provenance: Provenance
    licence: str
    attribution: str
    period: str | None = None
    imported_at: str | None = None


class MonthValue(BaseModel):
    month: int = Field(ge=1, le=12)
    value: float = Field(description="Offers that month relative to the monthly average (1 = average).")


class SeasonalitySeries(BaseModel):
    points: list[MonthValue]
    provenance: Provenance
    dataset: str
    is_estimate: bool


class TensionPoint(BaseModel):
    departement: str
    name: str
    offers_per_10_candidates: float
    provenance: Provenance
    dataset: str
    is_estimate: bool
    is_selected: bool = Field(description="True for the département asked about.")
    distance_km: float | None = None


class MarketView(BaseModel):
    """The market of one job group in one département, with chart-ready series."""

    rome_code: str
    job_label: str
    departement: str
    departement_name: str
    figures: list[FigureView]
    seasonality: SeasonalitySeries | None
    tension_nearby: list[TensionPoint] = Field(
        description="Tension in the département and its neighbours, highest first."
    )
    alternatives: list[AlternativeView]
    requirements: RequirementsView | None
    datasets: list[DatasetView] = Field(description="Every dataset behind this answer, to cite.")
    contains_estimates: bool


class HintView(BaseModel):
    kind: Literal["competition", "salary", "diplomas", "contract", "best-months"]
    text: str
    values: dict[str, Any]
    provenance: Provenance
    dataset: str
    is_estimate: bool


class HintsView(BaseModel):
    """Quick facts shown during onboarding, each with its source."""

    rome_code: str
    departement: str
    locale: str
    hints: list[HintView]


class PersonExport(BaseModel):
    """Everything the diagnostic service holds about one person."""

    subject: str
    service: str = "diagnostic"
    exported_at: datetime
    profile_facts: dict[str, Any] | None
    diagnoses: list[dict[str, Any]]
