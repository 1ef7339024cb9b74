"""The 7 main challenges, in the order they are checked, with their filters and relevance models.

Each challenge has a filter (BOB-REFERENCE.md §2, "corrected" bullets) over
facts (verdicts.py). A fact the person has not given yet takes its neutral
value, as in the reference: 0 interviews, not passionate, seniority unknown
(below every level), age unknown (neither young nor 50 or more), diplomas not
declared, search not started unknown (treated as searching since an unknown
date, hence within the first month). The status of a challenge is:

* ``needs-attention`` when its filter passes (the fields it read at their
  neutral value are listed: answering them may change it);
* ``missing-data`` when it does not pass, but an unanswered field could make
  it pass (those fields are listed);
* otherwise its relevance model decides: ``relevant-and-good`` (shown as a
  strength), ``neutral`` or ``not-relevant``.

Market figures are read with ``Situation.real_value``: a figure of the market
model is unknown for every decision here.

Filters (thresholds are the constants below):

1. undefined-project: one project or fewer, and no target job group.
2. stuck-market: at most 3 offers per 10 job seekers for the job in the
   département (official figures only).
3. find-what-you-like: the person is not passionate about the job and either
   wants to create a company out of lack of motivation, or, in a market that
   is not easy (an unknown market is not easy; easy is more than 7 offers per
   10 job seekers): is young (≤ 30) and not yet senior; or has not started,
   never did the job and lacks motivation; or has searched less than 2 months
   (6 when employed) and is reorienting or never did the job.
4. missing-diploma: the ROME lists a diploma for the job and the person did
   not say they have the diplomas or are in training, unless they create a
   company or are past senior (10 years or more) and 50 or more. Ours only:
   nor when the ROME says experience also opens the job (not a regulated one)
   and the person has 6 years or more in it or says their experience is enough.
5. start-your-search: the search has not started.
6. enhance-methods-to-interview: the search started at least a month ago and
   brought at most 1 interview per month of search. (The month of grace is
   ours: before it, no interview yet says nothing about the methods.)
7. bravo: no filter; the main challenge when nothing else needs attention.
"""

from __future__ import annotations

from collections.abc import Callable

from services.diagnostic.models import ChallengeOutcome, Reason
from services.diagnostic.situation import Situation
from services.diagnostic.verdicts import Verdict, all_of, any_of, fact, negate
from shared.contracts.diagnostic import ChallengeStatus
from shared.contracts.questionnaire import asked
from shared.contracts.vocabulary import (
    NO_SENIORITY_RANK,
    Frequency,
    Frustration,
    MainChallenge,
    PassionLevel,
    PreviousJobSimilarity,
    ProjectKind,
    Seniority,
    TrainingFulfillment,
)

TENSION = "offers_per_10_candidates"
STUCK_MARKET_OFFERS = 3.0  # at most this many offers per 10 job seekers: stuck market
GOOD_MARKET_OFFERS = 5.0  # at least this: the market is an asset (a strength)
EASY_MARKET_OFFERS = 7.0  # more than this: easy market
YOUNG_AGE = 30
OLD_EXPERT_AGE = 50
SHORT_SEARCH_MONTHS = 2.0
SHORT_SEARCH_MONTHS_EMPLOYED = 6.0
SINGLE_PROJECT = 1
INTERVIEWS_PER_MONTH = 1.0
METHODS_GRACE_MONTHS = 1.0

# The order in which to ask for missing answers when a challenge needs several.
FIELD_PRIORITY = (
    "rome_code",
    "city_insee",
    "kind",
    "job_search_started_at",
    "passionate_level",
    "year_of_birth",
    "previous_job_similarity",
    "seniority",
    "highest_degree",
    "training_fulfillment_estimate",
    "total_interview_count",
    "weekly_applications_estimate",
)
_FIELD_RANK = {name: i for i, name in enumerate(FIELD_PRIORITY)}
_PASSIONATE = (PassionLevel.PASSIONATING, PassionLevel.LIFE_GOAL)
_HAS_DIPLOMAS = (TrainingFulfillment.ENOUGH_DIPLOMAS, TrainingFulfillment.CURRENTLY_IN_TRAINING)
# Reasons of a challenge that could not look at the market at all (no official figure).
MARKET_UNKNOWN = "market.unknown"
MARKET_NOT_JUDGED = "market.not-judged"  # only the market model's figures: shown as a demonstration, never judged


def _ranked(fields: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(fields, key=lambda f: _FIELD_RANK.get(f, len(_FIELD_RANK))))


def _outcome(
    challenge: MainChallenge, verdict: Verdict, relevance: Callable[[], tuple[ChallengeStatus, Verdict]]
) -> ChallengeOutcome:
    missing = _ranked(verdict.missing)
    if verdict.value:
        return ChallengeOutcome(challenge, "needs-attention", verdict.reasons, missing, verdict.sources)
    if missing:
        return ChallengeOutcome(challenge, "missing-data", verdict.reasons, missing, verdict.sources)
    status, why = relevance()
    if why.reasons:  # the relevance model's reasons explain the status better than the filter's
        return ChallengeOutcome(challenge, status, why.reasons, (), why.sources or verdict.sources)
    return ChallengeOutcome(challenge, status, verdict.reasons, (), verdict.sources)


def _neutral() -> tuple[ChallengeStatus, Verdict]:
    return "neutral", Verdict(False)


# Facts, each with its neutral value when unanswered ----------------------------


def _passionate(s: Situation) -> Verdict:
    level = s.project.passionate_level
    return fact(
        None if level is None else level in _PASSIONATE,
        yes="passion.high",
        no="passion.not-high",
        params={"level": level},
        missing=("passionate_level",),
        neutral=False,
        sources=s.declared,
    )


def _kind_is(s: Situation, kind: ProjectKind, yes: str, no: str | None) -> Verdict:
    value = s.project.kind
    return fact(
        None if value is None else value is kind, yes=yes, no=no, missing=("kind",), neutral=False, sources=s.declared
    )


def _frustrated(s: Situation, frustration: Frustration, yes: str, no: str) -> Verdict:
    # Frustrations are a list the person may leave empty: absence is an answer, not missing data.
    return fact(frustration in s.profile.frustrations, yes=yes, no=no, sources=s.declared)


def _never_done(s: Situation) -> Verdict:
    similarity = s.project.previous_job_similarity
    return fact(
        None if similarity is None else similarity is PreviousJobSimilarity.NEVER_DONE,
        yes="job.never-done",
        no="job.done-before",
        missing=("previous_job_similarity",),
        neutral=False,
        sources=s.declared,
    )


def _young(s: Situation) -> Verdict:
    return fact(
        None if s.age is None else s.age <= YOUNG_AGE,
        yes="age.young",
        no="age.not-young",
        params={"age": s.age},
        missing=("year_of_birth",),
        neutral=False,
        sources=s.declared,
    )


def _seniority_rank(s: Situation) -> int | None:
    """Return the rank of the person's seniority in the job: -1 for none at all, None unanswered."""
    return s.project.seniority_rank


def _seniority_below(s: Situation, level: Seniority, yes: str, no: str) -> Verdict:
    rank = _seniority_rank(s)
    never = rank == NO_SENIORITY_RANK
    return fact(
        None if rank is None else rank < level.rank,
        yes="job.never-done" if never else yes,
        no=no,
        params={"level": s.project.seniority},
        missing=("seniority",),
        neutral=True,  # an unknown seniority is below every level
        sources=s.declared,
    )


def _not_started(s: Situation) -> Verdict:
    return fact(
        None if s.searching is None else not s.searching,
        yes="search.not-started",
        no="search.started",
        params={"months": _months(s)},
        missing=("job_search_started_at",),
        neutral=False,
        sources=s.declared,
    )


def _months(s: Situation) -> float | None:
    return None if s.search_months is None else round(s.search_months, 1)


def _short_search(s: Situation) -> Verdict:
    if s.searching is False:
        return fact(True, yes="search.not-started", sources=s.declared)
    limit = SHORT_SEARCH_MONTHS_EMPLOYED if s.project.kind is ProjectKind.FIND_ANOTHER_JOB else SHORT_SEARCH_MONTHS
    return fact(
        None if s.search_months is None else s.search_months < limit,
        yes="search.short",
        no="search.long-enough",
        params={"months": _months(s)},
        missing=("job_search_started_at",),
        neutral=True,  # a search of unknown length counts as a short one
        sources=s.declared,
    )


def _not_easy_market(s: Situation) -> Verdict:
    offers = s.real_value(TENSION)
    # Like the reference, an unknown market (or one known only from the model) does not count as easy.
    return fact(
        offers is None or offers <= EASY_MARKET_OFFERS,
        yes="market.not-easy" if offers is not None else None,
        no="market.easy",
        params={"offers": offers},
        sources=s.source(TENSION) if offers is not None else (),
    )


# 1. undefined-project -------------------------------------------------------


def undefined_project(s: Situation) -> ChallengeOutcome:
    """Return the undefined-project outcome: one project or fewer, without a target job."""
    projects = 1 + len(s.other_projects)
    verdict = all_of(
        fact(s.project.rome_code is None, yes="project.no-target-job", no="project.target-job", sources=s.declared),
        fact(projects <= SINGLE_PROJECT, no="project.several", params={"count": projects}, sources=s.declared),
    )

    def relevance() -> tuple[ChallengeStatus, Verdict]:
        passion = _passionate(s)
        return ("relevant-and-good", passion) if passion.value else _neutral()

    return _outcome(MainChallenge.UNDEFINED_PROJECT, verdict, relevance)


# 2. stuck-market ------------------------------------------------------------


def _where_missing(s: Situation) -> tuple[str, ...]:
    missing = []
    if s.project.rome_code is None:
        missing.append("rome_code")
    if s.project.departement is None:
        missing.append("city_insee")
    return tuple(missing)


def stuck_market(s: Situation) -> ChallengeOutcome:
    """Return the stuck-market outcome: at most 3 offers per 10 job seekers (official figures)."""
    offers = s.real_value(TENSION)
    source = s.source(TENSION)
    if offers is None:
        where = _where_missing(s)
        if where:
            return ChallengeOutcome(MainChallenge.STUCK_MARKET, "missing-data", (), where, ())
        # A known job and place without an official figure: nothing to ask the person, and a
        # figure of the market model is no ground for a verdict. Say the market is not judged.
        code = MARKET_NOT_JUDGED if s.is_synthetic(TENSION) else MARKET_UNKNOWN
        return ChallengeOutcome(MainChallenge.STUCK_MARKET, "neutral", (Reason(code, {}),), (), ())
    verdict = fact(
        offers <= STUCK_MARKET_OFFERS,
        yes="market.tension-low",
        no="market.tension-ok",
        params={"offers": offers},
        sources=source,
    )

    def relevance() -> tuple[ChallengeStatus, Verdict]:
        if offers >= GOOD_MARKET_OFFERS:
            return "relevant-and-good", fact(True, yes="market.tension-good", params={"offers": offers}, sources=source)
        return _neutral()

    return _outcome(MainChallenge.STUCK_MARKET, verdict, relevance)


# 3. find-what-you-like ------------------------------------------------------


def find_what_you_like(s: Situation) -> ChallengeOutcome:
    """Return the find-what-you-like outcome: not passionate, and not well placed to stay in this job."""
    not_passionate = negate(_passionate(s))
    if not_passionate.value is False:
        return _outcome(MainChallenge.FIND_WHAT_YOU_LIKE, not_passionate, lambda: _likes_it(s))
    company = _kind_is(s, ProjectKind.CREATE_OR_TAKE_OVER_COMPANY, "kind.company", "kind.not-company")
    motivation = _frustrated(s, Frustration.MOTIVATION, "frustration.motivation", "frustration.no-motivation")
    young, not_started, never_done = _young(s), _not_started(s), _never_done(s)
    fresh_no_motivation = all_of(not_started, never_done, motivation)
    verdict = all_of(
        not_passionate,
        any_of(
            all_of(company, motivation),
            all_of(
                negate(company),
                _not_easy_market(s),
                any_of(
                    all_of(young, _seniority_below(s, Seniority.SENIOR, "seniority.junior", "seniority.senior")),
                    all_of(negate(young), fresh_no_motivation),
                    all_of(
                        negate(young),
                        negate(all_of(not_started, never_done)),
                        _short_search(s),
                        any_of(
                            _kind_is(s, ProjectKind.REORIENTATION, "kind.reorientation", "kind.not-reorientation"),
                            never_done,
                        ),
                    ),
                ),
            ),
        ),
    )

    return _outcome(MainChallenge.FIND_WHAT_YOU_LIKE, verdict, lambda: _likes_it(s))


def _likes_it(s: Situation) -> tuple[ChallengeStatus, Verdict]:
    passion = _passionate(s)
    return ("relevant-and-good", passion) if passion.value else _neutral()


# 4. missing-diploma ---------------------------------------------------------


def _required_rank(s: Situation) -> int | None:
    value = s.real_value("required_degree_rank")
    return None if value is None else int(value)


def _experience_route(s: Situation) -> bool:
    requirements = s.market.requirements if s.market is not None else None
    # In a regulated job experience leads to the diploma (VAE) but does not replace it.
    return bool(requirements and requirements.experience_route and not requirements.regulated)


def _estimate_is(s: Situation, values: tuple[TrainingFulfillment, ...], yes: str, no: str | None) -> Verdict:
    estimate = s.project.training_fulfillment_estimate
    return fact(
        None if estimate is None else estimate in values,
        yes=yes,
        no=no,
        params={"estimate": estimate},
        missing=("training_fulfillment_estimate",),
        neutral=False,  # unanswered: the person did not say they have the diplomas
        sources=s.declared,
    )


def missing_diploma(s: Situation) -> ChallengeOutcome:
    """Return the missing-diploma outcome: the ROME lists a diploma the person did not say they have."""
    if s.project.rome_code is None:
        return ChallengeOutcome(MainChallenge.MISSING_DIPLOMA, "missing-data", (), ("rome_code",), ())
    required = _required_rank(s)
    rome_source = s.source("required_degree_rank")
    seniority = _seniority_rank(s)
    company = _kind_is(s, ProjectKind.CREATE_OR_TAKE_OVER_COMPANY, "kind.company", None)
    requires = fact(
        bool(required),
        yes="diploma.required",
        no="diploma.none-required" if required == 0 else "diploma.unknown-requirement",
        params={"rank": required},
        sources=rome_source,
    )
    in_hand = _estimate_is(s, _HAS_DIPLOMAS, "diploma.enough-declared", "diploma.unsure-declared")
    experienced = any_of(
        negate(_seniority_below(s, Seniority.SENIOR, "seniority.junior", "seniority.senior")),
        _estimate_is(s, (TrainingFulfillment.ENOUGH_EXPERIENCE,), "experience.declared", None),
    )
    old_expert = all_of(
        fact(
            None if seniority is None else seniority > Seniority.SENIOR.rank,
            yes="seniority.expert",
            params={"level": s.project.seniority},
            missing=("seniority",),
            neutral=False,
            sources=s.declared,
        ),
        fact(
            None if s.age is None else s.age >= OLD_EXPERT_AGE,
            yes="age.50-plus",
            params={"age": s.age},
            missing=("year_of_birth",),
            neutral=False,
            sources=s.declared,
        ),
    )
    verdict = all_of(
        negate(company),
        requires,
        negate(in_hand),
        negate(all_of(fact(_experience_route(s), yes="experience.route", sources=rome_source), experienced)),
        negate(old_expert),
    )

    return _outcome(MainChallenge.MISSING_DIPLOMA, verdict, lambda: _diploma_relevance(s))


def _diploma_relevance(s: Situation) -> tuple[ChallengeStatus, Verdict]:
    """Return whether the diplomas are a strength: only when the person says they have them.

    A degree of the level the ROME asks for is not the diploma of the trade it
    names (a CAP in hairdressing, a state diploma for a regulated job): the
    level alone is never shown as a strength.
    """
    if _required_rank(s) == 0:
        return "not-relevant", Verdict(False)
    estimate = s.project.training_fulfillment_estimate
    if estimate is TrainingFulfillment.ENOUGH_DIPLOMAS:
        return "relevant-and-good", fact(
            True, yes="diploma.enough-declared", params={"estimate": estimate}, sources=s.declared
        )
    return _neutral()


# 5. start-your-search -------------------------------------------------------


def start_your_search(s: Situation) -> ChallengeOutcome:
    """Return the start-your-search outcome: the search has not started."""
    verdict = _not_started(s)

    def relevance() -> tuple[ChallengeStatus, Verdict]:
        applications = s.project.weekly_applications_estimate
        if applications is not None and applications is not Frequency.LESS_THAN_2:
            return "relevant-and-good", fact(
                True, yes="applications.active", params={"level": applications}, sources=s.declared
            )
        return _neutral()

    return _outcome(MainChallenge.START_YOUR_SEARCH, verdict, relevance)


# 6. enhance-methods-to-interview -------------------------------------------


def enhance_methods_to_interview(s: Situation) -> ChallengeOutcome:
    """Return the enhance-methods outcome: at most 1 interview per month of an active search."""
    count = s.project.total_interview_count
    interviews = None if count is None else max(count, 0)  # -1 means "none"
    months = _months(s)
    if s.searching is False:
        long_enough = fact(False, no="search.not-started", sources=s.declared)
    else:
        # An unknown start (or an unknown search) counts as a search within its first month.
        long_enough = fact(
            None if s.search_months is None else s.search_months >= METHODS_GRACE_MONTHS,
            yes="search.started",
            no="search.too-recent",
            params={"months": months},
            missing=("job_search_started_at",),
            neutral=False,
            sources=s.declared,
        )
    if s.search_months is None:
        # Not started, or since an unknown date: the interview rate cannot be judged yet.
        return _outcome(MainChallenge.ENHANCE_METHODS_TO_INTERVIEW, long_enough, _neutral)
    few = fact(
        None if interviews is None else interviews <= INTERVIEWS_PER_MONTH * s.search_months,
        yes="interviews.few",
        no="interviews.enough",
        params={"count": interviews, "months": months},
        missing=("total_interview_count",),
        neutral=True,  # unanswered: 0 interviews, like the reference
        sources=s.declared,
    )
    verdict = all_of(long_enough, few)

    def relevance() -> tuple[ChallengeStatus, Verdict]:
        if few.value is False and not few.missing:
            return "relevant-and-good", few
        return _neutral()

    return _outcome(MainChallenge.ENHANCE_METHODS_TO_INTERVIEW, verdict, relevance)


RULES: tuple[Callable[[Situation], ChallengeOutcome], ...] = (
    undefined_project,
    stuck_market,
    find_what_you_like,
    missing_diploma,
    start_your_search,
    enhance_methods_to_interview,
)


def bravo(earlier: tuple[ChallengeOutcome, ...]) -> ChallengeOutcome:
    """Return the bravo outcome: the main challenge when nothing earlier needs attention."""
    if any(o.status == "needs-attention" for o in earlier):
        return ChallengeOutcome(MainChallenge.BRAVO, "not-relevant")
    return ChallengeOutcome(MainChallenge.BRAVO, "relevant-and-good", (Reason("bravo.no-blocker"),))


def _asked_only(outcome: ChallengeOutcome, s: Situation) -> ChallengeOutcome:
    """Return the outcome with only the fields the questionnaire asks this person."""
    kept = tuple(name for name in outcome.missing_fields if asked(name, s.project))
    if kept == outcome.missing_fields:
        return outcome
    status: ChallengeStatus = "neutral" if outcome.status == "missing-data" and not kept else outcome.status
    return ChallengeOutcome(outcome.challenge, status, outcome.reasons, kept, outcome.sources)


def challenge_outcomes(s: Situation) -> tuple[ChallengeOutcome, ...]:
    """Return the outcome of the 7 challenges, in their order."""
    outcomes = tuple(_asked_only(rule(s), s) for rule in RULES)
    return (*outcomes, bravo(outcomes))
