"""The diagnosis: a pure function of (profile facts, project, market facts, date).

1. The 7 main challenges are checked in order (challenges.py). The main
   challenge is the first that needs attention, provided every challenge
   before it could be decided: when an earlier one lacks data, we do not
   guess; the main challenge stays null and the fields to ask come first in
   ``missing_fields`` (the earliest undecided challenge's fields first, then the
   others'; within a challenge, in challenges.FIELD_PRIORITY order).
2. The sub-diagnostics (observations.py) and the overall score and sentence
   (overall.py) follow, then the reply to the person's own guess.

No I/O, no clock, no text: texts are rendered later in the person's locale.
"""

from __future__ import annotations

from datetime import date

from services.diagnostic.challenges import challenge_outcomes
from services.diagnostic.models import ChallengeOutcome, Diagnosis
from services.diagnostic.observations import sub_diagnoses
from services.diagnostic.overall import overall_score, overall_sentence
from services.diagnostic.self_diagnostic import self_diagnostic_reply
from services.diagnostic.situation import situation_of
from shared.contracts.diagnostic import MarketFacts
from shared.contracts.profile import ProfileUpdatedData, ProjectFacts
from shared.contracts.vocabulary import MainChallenge


def main_challenge(outcomes: tuple[ChallengeOutcome, ...]) -> MainChallenge | None:
    """Return the first challenge that needs attention, or None when an earlier one is undecided."""
    for outcome in outcomes:
        if outcome.status == "missing-data":
            return None
        if outcome.status == "needs-attention" or outcome.challenge is MainChallenge.BRAVO:
            return outcome.challenge
    return None


def missing_fields(outcomes: tuple[ChallengeOutcome, ...]) -> tuple[str, ...]:
    """Return the fields to ask, most important first."""
    fields: dict[str, None] = {}
    for outcome in outcomes:
        for name in outcome.missing_fields:  # already in FIELD_PRIORITY order
            fields.setdefault(name)
    return tuple(fields)


def diagnose(basis: ProfileUpdatedData, project: ProjectFacts, market: MarketFacts | None, today: date) -> Diagnosis:
    """Return the diagnosis of one project."""
    situation = situation_of(basis, project, market, today)
    outcomes = challenge_outcomes(situation)
    main = main_challenge(outcomes)
    subs = sub_diagnoses(situation)
    sentence, params = overall_sentence(situation, main, outcomes)
    return Diagnosis(
        project_id=project.project_id,
        profile_revision=basis.revision,
        main_challenge=main,
        overall_score=overall_score(main, subs),
        overall_sentence=sentence,
        overall_params=params,
        challenges=outcomes,
        missing_fields=missing_fields(outcomes),
        sub_diagnoses=subs,
        self_diagnostic=self_diagnostic_reply(project.original_self_diagnostic, main, outcomes),
        market=market,
    )
