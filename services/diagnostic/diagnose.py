"""The diagnosis: a pure function of (profile facts, project, market facts, date).

1. The 7 main challenges are checked in order (challenges.py). A fact the
   person has not given yet takes its neutral value, so every challenge is
   decided: the main challenge is the first that needs attention, else bravo.
   A main challenge is never withheld.
2. The unanswered fields that could change a challenge are returned in
   ``missing_fields``, to be asked beside the diagnosis: the earliest
   challenge's fields first (they could change the priority), in
   challenges.FIELD_PRIORITY order within a challenge, and only fields the
   questionnaire asks this person (questionnaire.py).
3. The sub-diagnostics (observations.py) and the overall score and sentence
   (overall.py) follow, then the reply to the person's own guess.

Market figures of the market model are never ground for a decision
(``Situation.real_value``). No I/O, no clock, no text: texts are rendered later
in the person's locale.
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


def main_challenge(outcomes: tuple[ChallengeOutcome, ...]) -> MainChallenge:
    """Return the first challenge that needs attention; bravo when none does."""
    for outcome in outcomes:
        if outcome.status == "needs-attention":
            return outcome.challenge
    return MainChallenge.BRAVO


def missing_fields(outcomes: tuple[ChallengeOutcome, ...]) -> tuple[str, ...]:
    """Return the fields to ask beside the diagnosis, most important first."""
    fields: dict[str, None] = {}
    for outcome in outcomes:
        for name in outcome.missing_fields:  # already in FIELD_PRIORITY order, and asked of this person
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
