"""Events published by the diagnostic service."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from shared.contracts.profile import ProfileUpdatedData
from shared.contracts.vocabulary import MainChallenge
from shared.envelope import Contract, Event

ChallengeStatus = Literal["needs-attention", "neutral", "relevant-and-good", "not-relevant", "missing-data"]
Provenance = Literal["real", "synthetic"]


class MarketFigure(Contract):
    """One labour-market figure with where it came from."""

    name: str = Field(description="Figure name.", examples=["offers_per_10_candidates"])
    value: float | None = Field(description="The value, or null when unknown.", examples=[4.2])
    provenance: Provenance = Field(
        description="real: from an imported official dataset; synthetic: estimated by the market model.",
        examples=["synthetic"],
    )
    dataset: str = Field(description="Dataset id and version the figure came from.", examples=["market-model@1"])


class MarketFacts(Contract):
    rome_code: str = Field(examples=["K2204"])
    departement: str = Field(examples=["69"])
    figures: list[MarketFigure] = Field(default_factory=list)


class ChallengeResult(Contract):
    challenge: MainChallenge
    status: ChallengeStatus = Field(examples=["needs-attention"])


class DiagnosisReadyData(Contract):
    diagnosis_id: str = Field(description="Id of the stored diagnosis.", examples=["d_9b2f4c1d"])
    project_id: str = Field(examples=["p1"])
    profile_revision: int = Field(ge=0, description="Revision of the profile that was diagnosed.")
    main_challenge: MainChallenge | None = Field(
        description="The first challenge that needs attention; null when data is missing.",
        examples=["stuck-market"],
    )
    overall_score: int | None = Field(None, ge=0, le=100, examples=[40])
    challenges: list[ChallengeResult] = Field(default_factory=list)
    missing_fields: list[str] = Field(
        default_factory=list, description="Fields to ask for, most important first.", examples=[[]]
    )
    market: MarketFacts | None = None
    fingerprint: str = Field(description="Hash of the result; equal fingerprints mean an identical diagnosis.")
    basis: ProfileUpdatedData = Field(description="The pseudonymous profile facts that were diagnosed.")


class DiagnosisReady(Event):
    """A diagnosis was computed (or changed) for one of the person's projects."""

    topic = "diagnosis-ready"
    event_type: Literal["diagnosis-ready"] = "diagnosis-ready"
    producer: str = "diagnostic"
    data: DiagnosisReadyData
