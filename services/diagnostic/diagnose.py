"""The diagnosis: a pure function of (profile facts, project, market facts, date).

Foundation version: decides between the missing-data answer and a first
challenge. The full rules of the 7 challenges arrive with the diagnostic issue.
"""

from __future__ import annotations

import hashlib
from datetime import date

from pydantic import BaseModel, Field

from shared.contracts.diagnostic import ChallengeResult, MarketFacts
from shared.contracts.profile import ProfileUpdatedData, ProjectFacts
from shared.contracts.vocabulary import MainChallenge


class Diagnosis(BaseModel):
    project_id: str
    profile_revision: int
    main_challenge: MainChallenge | None
    overall_score: int | None
    challenges: list[ChallengeResult] = Field(default_factory=list)
    missing_fields: list[str] = Field(default_factory=list)
    market: MarketFacts | None = None

    def fingerprint(self) -> str:
        """Return a hash of the result (not of the revision): equal when nothing changed for the person."""
        body = self.model_dump_json(exclude={"profile_revision"})
        return hashlib.sha256(body.encode()).hexdigest()[:32]


def diagnose(basis: ProfileUpdatedData, project: ProjectFacts, market: MarketFacts | None, today: date) -> Diagnosis:
    """Return the diagnosis of one project."""
    missing = [f for f in project.missing_fields if f in ("rome_code", "city_insee", "job_search_started_at")]
    if missing:
        return Diagnosis(project_id=project.project_id, profile_revision=basis.revision, main_challenge=None,
                         overall_score=None, missing_fields=missing, market=market)
    if project.job_search_has_not_started:
        challenge = MainChallenge.START_YOUR_SEARCH
    else:
        challenge = MainChallenge.BRAVO
    return Diagnosis(
        project_id=project.project_id,
        profile_revision=basis.revision,
        main_challenge=challenge,
        overall_score=70,
        challenges=[ChallengeResult(challenge=challenge, status="needs-attention")],
        market=market,
    )
