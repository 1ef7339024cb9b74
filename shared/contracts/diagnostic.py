"""Events published by the diagnostic service."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from shared.contracts.profile import ProfileUpdatedData
from shared.contracts.vocabulary import MainChallenge
from shared.envelope import Contract, Event

ChallengeStatus = Literal["needs-attention", "neutral", "relevant-and-good", "not-relevant", "missing-data"]
Provenance = Literal["real", "synthetic"]
# Where an observation's facts come from: an imported official dataset, the market
# model, or what the person declared in their profile.
SourceProvenance = Literal["real", "synthetic", "declared"]
DiagnosticTopic = Literal["profile", "project", "search-methods", "market", "skills"]


class MarketFigure(Contract):
    """One labour-market figure with where it came from."""

    name: str = Field(description="Figure name.", examples=["offers_per_10_candidates"])
    value: float | None = Field(description="The value, or null when unknown.", examples=[4.2])
    provenance: Provenance = Field(
        description="real: from an imported official dataset; synthetic: estimated by the market model.",
        examples=["synthetic"],
    )
    dataset: str = Field(description="Dataset id and version the figure came from.", examples=["market-model@1"])


# Names of the market figures (the ``name`` of a MarketFigure). Shares are between 0 and 1.
FIGURE_NAMES = (
    "offers_per_10_candidates",  # market tension: job offers per 10 job seekers (IMT)
    "job_offers_yearly",
    "job_seekers",
    "salary_gross_yearly_p25",
    "salary_gross_yearly_median",
    "salary_gross_yearly_p75",
    "cdi_share",
    "cdd_share",
    "interim_share",
    "application_spontaneous_share",  # how people were hired (application modes by FAP)
    "application_network_share",
    "application_agency_share",
    "application_other_share",
    "unemployment_median_days",
    "hiring_projects_yearly",  # BMO
    "hiring_difficult_share",
    "seasonal_share",
    "best_month",  # 1-12, the month with the most offers
    "required_degree_rank",  # 0 (none) to 5 (master), from the ROME access text
)


class AlternativeMarket(Contract):
    """A close job group or a nearby/other département with its tension, to suggest alternatives."""

    rome_code: str = Field(description="ROME v3 job group of the alternative.", examples=["K2202"])
    departement: str = Field(description="Département code of the alternative.", examples=["69"])
    offers_per_10_candidates: float = Field(
        description="Market tension there: job offers per 10 job seekers (higher is easier).", examples=[6.5]
    )
    provenance: Provenance = Field(
        description="real: from an imported official dataset; synthetic: estimated by the market model.",
        examples=["synthetic"],
    )
    relation: Literal["close-job", "evolution", "other-departement", "neighbour-departement"] = Field(
        description=(
            "How it relates to the target: a close job or a career evolution in the same département, "
            "or the same job in a neighbouring or other département."
        ),
        examples=["close-job"],
    )
    dataset: str | None = Field(
        None, description="Dataset id and version the tension came from.", examples=["market-model@1"]
    )


class JobRequirements(Contract):
    """What the ROME says it takes to get into the job group (its "accès à l'emploi" texts)."""

    diplomas: list[str] = Field(
        default_factory=list,
        description="The diplomas the ROME names, in its own words.",
        examples=[["CAP/BEP ou un Brevet Professionnel en coiffure"]],
    )
    experience_route: bool = Field(
        False, description="Experience alone also opens the job (VAE route).", examples=[True]
    )
    regulated: bool = Field(False, description="A state diploma or licence is mandatory.", examples=[False])
    dataset: str = Field(description="Dataset id and version of the ROME texts.", examples=["rome@v3.47"])


class MarketFacts(Contract):
    rome_code: str = Field(description="ROME v3 job group the facts are about.", examples=["K2204"])
    departement: str = Field(description="Département code the facts are about.", examples=["69"])
    figures: list[MarketFigure] = Field(
        default_factory=list,
        description="Labour-market figures of the job group in the département; unknown figures are absent or null.",
        examples=[
            [
                {
                    "name": "offers_per_10_candidates",
                    "value": 4.2,
                    "provenance": "synthetic",
                    "dataset": "market-model@1",
                }
            ]
        ],
    )
    alternatives: list[AlternativeMarket] = Field(
        default_factory=list,
        description="Close jobs and other départements with a better market, best first.",
        examples=[
            [
                {
                    "rome_code": "K2202",
                    "departement": "69",
                    "offers_per_10_candidates": 6.5,
                    "provenance": "synthetic",
                    "relation": "close-job",
                    "dataset": "market-model@1",
                }
            ]
        ],
    )
    requirements: JobRequirements | None = Field(None, description="Diplomas the job asks for (ROME).")

    def figure(self, name: str) -> MarketFigure | None:
        """Return the figure with this name, if known."""
        return next((f for f in self.figures if f.name == name), None)

    def value(self, name: str) -> float | None:
        """Return the value of a figure, or None."""
        figure = self.figure(name)
        return figure.value if figure else None


class ChallengeResult(Contract):
    challenge: MainChallenge = Field(
        description="Which of the 7 main challenges this result is about.", examples=["stuck-market"]
    )
    status: ChallengeStatus = Field(
        description=(
            "needs-attention: a blocker; neutral or relevant-and-good: no blocker; not-relevant: does not apply; "
            "missing-data: not a blocker on the answers given so far, but an unanswered field could make it one."
        ),
        examples=["needs-attention"],
    )
    reasons: list[str] = Field(
        default_factory=list,
        description="Codes of the reasons behind the status.",
        examples=[["market.tension-low"]],
    )
    missing_fields: list[str] = Field(
        default_factory=list,
        description=(
            "Unanswered profile fields whose answer could change this challenge's status (they were read at "
            "their neutral value, e.g. 0 interviews); empty when no answer could change it."
        ),
        examples=[["job_search_started_at"]],
    )


class SourceRef(Contract):
    """A data source behind an observation."""

    dataset: str = Field(description="Dataset id and version the facts came from.", examples=["market-model@1"])
    provenance: SourceProvenance = Field(
        description="real: an imported official dataset; synthetic: the market model; declared: the person's profile.",
        examples=["synthetic"],
    )


class ObservationSummary(Contract):
    """One observation of a sub-diagnostic, without its text (texts are read from the diagnostic API)."""

    id: str = Field(description="Observation id (its text key).", examples=["market.tension-low"])
    topic: DiagnosticTopic = Field(description="The sub-diagnostic the observation belongs to.", examples=["market"])
    attention_needed: bool = Field(
        description="True when the observation points at something to improve.", examples=[True]
    )
    sources: list[SourceRef] = Field(
        default_factory=list,
        description="The data sources behind the observation; empty when it needs none.",
        examples=[[{"dataset": "market-model@1", "provenance": "synthetic"}]],
    )


class DiagnosisReadyData(Contract):
    diagnosis_id: str = Field(description="Id of the stored diagnosis.", examples=["d_9b2f4c1d"])
    project_id: str = Field(description="Id of the diagnosed project in the person's profile.", examples=["p1"])
    profile_revision: int = Field(ge=0, description="Revision of the profile that was diagnosed.", examples=[3])
    main_challenge: MainChallenge | None = Field(
        description=(
            "The first challenge that needs attention, bravo when none does; unanswered facts take their neutral "
            "value, so it is always set (null only in diagnoses made by earlier versions)."
        ),
        examples=["stuck-market"],
    )
    overall_score: int | None = Field(
        None,
        ge=0,
        le=100,
        description="Overall score 0-100 (higher is better); null only when main_challenge is null.",
        examples=[40],
    )
    challenges: list[ChallengeResult] = Field(
        default_factory=list,
        description="The result of each main challenge, in the order they are checked.",
        examples=[[{"challenge": "stuck-market", "status": "needs-attention", "reasons": ["market.tension-low"]}]],
    )
    missing_fields: list[str] = Field(
        default_factory=list,
        description="Fields to ask beside the diagnosis, most important first; only fields the questionnaire asks.",
        examples=[[]],
    )
    market: MarketFacts | None = Field(
        None,
        description="Labour-market facts of the target job group and département; null when either is unknown.",
    )
    overall_sentence: str | None = Field(
        None,
        description="The one-line summary in the person's locale (generated, never typed by a person).",
        examples=["Votre métier recrute peu dans votre département."],
    )
    sub_scores: dict[DiagnosticTopic, int | None] = Field(
        default_factory=dict,
        description="Score 0-100 of each sub-diagnostic (null when not enough data).",
        examples=[{"profile": 80, "project": 60, "search-methods": 45, "market": 30, "skills": None}],
    )
    observations: list[ObservationSummary] = Field(
        default_factory=list,
        description="The observations of every sub-diagnostic, without their texts.",
        examples=[
            [
                {
                    "id": "market.tension-low",
                    "topic": "market",
                    "attention_needed": True,
                    "sources": [{"dataset": "market-model@1", "provenance": "synthetic"}],
                }
            ]
        ],
    )
    self_diagnostic_relation: str | None = Field(
        None,
        description=(
            "How the person's own guess compares with the diagnosis (same, also-true, not-a-blocker, ...); "
            "null when the person made no guess."
        ),
        examples=["same"],
    )
    fingerprint: str = Field(
        description="Hash of the result (32 hex digits); equal fingerprints mean an identical diagnosis.",
        examples=["3b8f0c2e9a1d4f7b6c5e2a9d8f1b0c3e"],
    )
    basis: ProfileUpdatedData = Field(description="The pseudonymous profile facts that were diagnosed.")


class DiagnosisReady(Event):
    """A diagnosis was computed (or changed) for one of the person's projects."""

    topic = "diagnosis-ready"
    event_type: Literal["diagnosis-ready"] = Field(
        "diagnosis-ready", description='Always "diagnosis-ready".', examples=["diagnosis-ready"]
    )
    producer: str = Field(
        "diagnostic", description='Always "diagnostic", the publishing service.', examples=["diagnostic"]
    )
    data: DiagnosisReadyData = Field(description="The diagnosis of one project and the profile facts it was based on.")
