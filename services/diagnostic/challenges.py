"""The 7 main challenges, in the order they are checked, with their filters and relevance models.

Each challenge has a filter (BOB-REFERENCE.md §2) written in three-valued logic
(verdicts.py). The status of a challenge is:

* ``needs-attention`` when its filter passes;
* ``missing-data`` when the filter cannot be decided: the fields to ask follow;
* otherwise its relevance model decides: ``relevant-and-good`` (shown as an
  achievement), ``neutral`` or ``not-relevant``.

Filters (thresholds are the constants below):

1. undefined-project: no target job group, or at least 3 projects in 3
   different ROME domains.
2. stuck-market: fewer than 3 offers per 10 job seekers for the job in the
   département.
3. find-what-you-like: the person is not passionate about the job and either
   wants to create a company out of lack of motivation, or, in a market that
   is not easy (at most 7 offers per 10 job seekers): is young (≤ 30) and not
   yet senior; or has not started, never did the job and lacks motivation; or
   has searched less than 2 months (6 when employed) and is reorienting or never
   did the job.
4. missing-diploma: the ROME asks for a diploma level the person does not have
   (from the highest degree, else from their own estimate), unless they create
   a company, are in training, can get in through experience and have it (not
   in a regulated job), or are an expert of 50 or more.
5. start-your-search: the search has not started.
6. enhance-methods-to-interview: the search started at least a month ago and
   brought at most 1 interview per month of search. (The month of grace is
   ours: before it, no interview yet says nothing about the methods.)
7. bravo: no filter; the main challenge when nothing else needs attention.
"""

from __future__ import annotations

from collections.abc import Callable

from services.diagnostic.models import ChallengeOutcome, Reason
from services.diagnostic.situation import DEGREE_RANK, SENIORITY_RANK, Situation
from services.diagnostic.verdicts import Verdict, all_of, any_of, fact, negate
from shared.contracts.diagnostic import ChallengeStatus
from shared.contracts.vocabulary import (
    Frequency,
    Frustration,
    MainChallenge,
    PassionLevel,
    PreviousJobSimilarity,
    ProjectKind,
    Seniority,
    TrainingFulfillment,
)

STUCK_MARKET_OFFERS = 3.0  # fewer offers per 10 job seekers than this: stuck market
GOOD_MARKET_OFFERS = 5.0  # at least this: the market is an asset (achievement)
EASY_MARKET_OFFERS = 7.0  # more than this: easy market
YOUNG_AGE = 30
OLD_EXPERT_AGE = 50
SHORT_SEARCH_MONTHS = 2.0
SHORT_SEARCH_MONTHS_EMPLOYED = 6.0
SCATTERED_PROJECTS = 3
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
_HAS_DIPLOMAS = (
    TrainingFulfillment.ENOUGH_DIPLOMAS,
    TrainingFulfillment.CURRENTLY_IN_TRAINING,
    TrainingFulfillment.NO_TRAINING_REQUIRED,
)


def _false(verdict: Verdict) -> bool:
    return verdict.value is False


def _outcome(
    challenge: MainChallenge, verdict: Verdict, relevance: Callable[[], tuple[ChallengeStatus, Verdict]]
) -> ChallengeOutcome:
    if verdict.value is True:
        return ChallengeOutcome(challenge, "needs-attention", verdict.reasons, (), verdict.sources)
    if verdict.value is None:
        missing = tuple(sorted(verdict.missing, key=lambda f: _FIELD_RANK.get(f, len(_FIELD_RANK))))
        return ChallengeOutcome(challenge, "missing-data", (), missing, ())
    status, why = relevance()
    if why.reasons:  # the relevance model's reasons explain the status better than the filter's
        return ChallengeOutcome(challenge, status, why.reasons, (), why.sources or verdict.sources)
    return ChallengeOutcome(challenge, status, verdict.reasons, (), verdict.sources)


# 1. undefined-project -------------------------------------------------------


def undefined_project(s: Situation) -> ChallengeOutcome:
    """Return the undefined-project outcome: no target job, or scattered projects."""
    no_target = fact(
        s.project.rome_code is None, yes="project.no-target-job", no="project.target-job", sources=s.declared
    )
    domains = {p.rome_code[:3] for p in (s.project, *s.other_projects) if p.rome_code}
    scattered = fact(
        len(domains) >= SCATTERED_PROJECTS,
        yes="project.scattered",
        params={"count": len(domains)},
        sources=s.declared,
    )
    verdict = any_of(no_target, scattered)

    def relevance() -> tuple[ChallengeStatus, Verdict]:
        passion = s.project.passionate_level
        if passion in _PASSIONATE:
            return "relevant-and-good", fact(True, yes="passion.high", params={"level": passion}, sources=s.declared)
        return "neutral", Verdict(False)

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
    """Return the stuck-market outcome: fewer than 3 offers per 10 job seekers."""
    offers = s.value("offers_per_10_candidates")
    source = s.source("offers_per_10_candidates")
    if offers is None and not _where_missing(s):
        # A known job and place without market data (an overseas collectivity): nothing to ask the
        # person, so say we do not know rather than wait for an answer that cannot come.
        return ChallengeOutcome(MainChallenge.STUCK_MARKET, "neutral", (Reason("market.unknown", {}),), (), ())
    if offers is None:
        verdict = Verdict(None, missing=_where_missing(s))
    else:
        verdict = fact(
            offers < STUCK_MARKET_OFFERS,
            yes="market.tension-low",
            no="market.tension-ok",
            params={"offers": offers},
            sources=source,
        )

    def relevance() -> tuple[ChallengeStatus, Verdict]:
        assert offers is not None
        if offers >= GOOD_MARKET_OFFERS:
            return "relevant-and-good", fact(True, yes="market.tension-good", params={"offers": offers}, sources=source)
        return "neutral", Verdict(False)

    return _outcome(MainChallenge.STUCK_MARKET, verdict, relevance)


# 3. find-what-you-like ------------------------------------------------------


def _not_passionate(s: Situation) -> Verdict:
    level = s.project.passionate_level
    return fact(
        None if level is None else level not in _PASSIONATE,
        yes="passion.not-high",
        no="passion.high",
        params={"level": level},
        missing=("passionate_level",),
        sources=s.declared,
    )


def _kind_is(s: Situation, kind: ProjectKind, yes: str, no: str | None) -> Verdict:
    value = s.project.kind
    return fact(None if value is None else value is kind, yes=yes, no=no, missing=("kind",), sources=s.declared)


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
        sources=s.declared,
    )


def _young(s: Situation) -> Verdict:
    return fact(
        None if s.age is None else s.age <= YOUNG_AGE,
        yes="age.young",
        no="age.not-young",
        params={"age": s.age},
        missing=("year_of_birth",),
        sources=s.declared,
    )


def _seniority_below(s: Situation, level: Seniority, yes: str, no: str) -> Verdict:
    seniority = s.project.seniority
    return fact(
        None if seniority is None else SENIORITY_RANK[seniority] < SENIORITY_RANK[level],
        yes=yes,
        no=no,
        params={"level": seniority},
        missing=("seniority",),
        sources=s.declared,
    )


def _not_started(s: Situation) -> Verdict:
    return fact(
        None if s.searching is None else not s.searching,
        yes="search.not-started",
        no="search.started",
        params={"months": _months(s)},
        missing=("job_search_started_at",),
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
        sources=s.declared,
    )


def _not_easy_market(s: Situation) -> Verdict:
    offers = s.value("offers_per_10_candidates")
    # Like the reference, an unknown market does not count as easy.
    return fact(
        offers is None or offers <= EASY_MARKET_OFFERS,
        yes="market.not-easy",
        no="market.easy",
        params={"offers": offers},
        sources=s.source("offers_per_10_candidates"),
    )


def find_what_you_like(s: Situation) -> ChallengeOutcome:
    """Return the find-what-you-like outcome: not passionate, and not well placed to stay in this job."""
    not_passionate = _not_passionate(s)
    if _false(not_passionate):
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
    level = s.project.passionate_level
    if level in _PASSIONATE:
        return "relevant-and-good", fact(True, yes="passion.high", params={"level": level}, sources=s.declared)
    return "neutral", Verdict(False)


# 4. missing-diploma ---------------------------------------------------------


def _required_rank(s: Situation) -> int | None:
    value = s.value("required_degree_rank")
    return None if value is None else int(value)


def missing_diploma(s: Situation) -> ChallengeOutcome:
    """Return the missing-diploma outcome: the ROME asks for a diploma the person lacks."""
    required = _required_rank(s)
    rome_source = s.source("required_degree_rank")
    requirements = s.market.requirements if s.market is not None else None
    # In a regulated job experience leads to the diploma (VAE) but does not replace it.
    experience_route = bool(requirements and requirements.experience_route and not requirements.regulated)
    degree = s.profile.highest_degree
    estimate = s.project.training_fulfillment_estimate
    seniority = s.project.seniority

    if s.project.rome_code is None:
        requires = Verdict(None, missing=("rome_code",))
    else:
        requires = fact(
            bool(required),
            yes="diploma.required",
            no="diploma.none-required" if required == 0 else "diploma.unknown-requirement",
            params={"rank": required},
            sources=rome_source,
        )
    # Without the person's estimate, a known highest degree is enough to decide.
    in_hand = fact(
        estimate in _HAS_DIPLOMAS if estimate is not None else (False if degree is not None else None),
        yes="diploma.enough-declared",
        params={"estimate": estimate},
        missing=("training_fulfillment_estimate",),
        sources=s.declared,
    )
    company = _kind_is(s, ProjectKind.CREATE_OR_TAKE_OVER_COMPANY, "kind.company", None)
    for gate in (company, negate(requires), in_hand):
        if gate.value is True:
            return _outcome(MainChallenge.MISSING_DIPLOMA, negate(gate), lambda: _diploma_relevance(s))
    if degree is not None and required is not None:
        lacks = fact(
            DEGREE_RANK[degree] < required,
            yes="diploma.lacks",
            no="diploma.has",
            params={"degree": degree, "rank": required},
            sources=s.declared + rome_source,
        )
    elif estimate in (TrainingFulfillment.TRAINING_FULFILLMENT_NOT_SURE, TrainingFulfillment.ENOUGH_EXPERIENCE):
        lacks = fact(True, yes="diploma.unsure-declared", params={"estimate": estimate}, sources=s.declared)
    else:
        lacks = Verdict(None, missing=("highest_degree", "training_fulfillment_estimate"))
    route = fact(experience_route, yes="experience.route", sources=rome_source)
    experienced = any_of(
        negate(_seniority_below(s, Seniority.SENIOR, "seniority.junior", "seniority.senior")),
        fact(
            None if estimate is None else estimate is TrainingFulfillment.ENOUGH_EXPERIENCE,
            yes="experience.declared",
            missing=("training_fulfillment_estimate",),
            sources=s.declared,
        ),
    )
    old_expert = all_of(
        fact(
            None if seniority is None else SENIORITY_RANK[seniority] > SENIORITY_RANK[Seniority.SENIOR],
            yes="seniority.expert",
            params={"level": seniority},
            missing=("seniority",),
            sources=s.declared,
        ),
        fact(
            None if s.age is None else s.age >= OLD_EXPERT_AGE,
            yes="age.50-plus",
            params={"age": s.age},
            missing=("year_of_birth",),
            sources=s.declared,
        ),
    )
    verdict = all_of(
        negate(company),
        requires,
        negate(in_hand),
        lacks,
        negate(all_of(route, experienced)),
        negate(old_expert),
    )

    return _outcome(MainChallenge.MISSING_DIPLOMA, verdict, lambda: _diploma_relevance(s))


def _diploma_relevance(s: Situation) -> tuple[ChallengeStatus, Verdict]:
    required = _required_rank(s)
    degree = s.profile.highest_degree
    if required == 0:
        return "not-relevant", Verdict(False)
    if (degree is not None and required is not None and DEGREE_RANK[degree] >= required) or (
        s.project.training_fulfillment_estimate is TrainingFulfillment.ENOUGH_DIPLOMAS
    ):
        return "relevant-and-good", Verdict(True)
    return "neutral", Verdict(False)


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
        return "neutral", Verdict(False)

    return _outcome(MainChallenge.START_YOUR_SEARCH, verdict, relevance)


# 6. enhance-methods-to-interview -------------------------------------------


def _interviews(s: Situation) -> int | None:
    count = s.project.total_interview_count
    return None if count is None else max(count, 0)  # -1 means "none"


def enhance_methods_to_interview(s: Situation) -> ChallengeOutcome:
    """Return the enhance-methods outcome: at most 1 interview per month of an active search."""
    interviews = _interviews(s)
    months = _months(s)
    if s.search_months is None:
        long_enough = fact(
            None if s.searching is None else False if not s.searching else None,
            no="search.not-started",
            missing=("job_search_started_at",),
            sources=s.declared,
        )
    else:
        long_enough = fact(
            s.search_months >= METHODS_GRACE_MONTHS,
            yes="search.started",
            no="search.too-recent",
            params={"months": months},
            sources=s.declared,
        )
    few = fact(
        None if interviews is None or s.search_months is None else interviews <= INTERVIEWS_PER_MONTH * s.search_months,
        yes="interviews.few",
        no="interviews.enough",
        params={"count": interviews, "months": months},
        missing=("total_interview_count",),
        sources=s.declared,
    )
    verdict = all_of(long_enough, few)

    def relevance() -> tuple[ChallengeStatus, Verdict]:
        if few.value is False:
            return "relevant-and-good", few
        return "neutral", Verdict(False)

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
    """Return the bravo outcome: the fallback when nothing earlier needs attention or lacks data."""
    if any(o.status in ("needs-attention", "missing-data") for o in earlier):
        return ChallengeOutcome(MainChallenge.BRAVO, "not-relevant")
    return ChallengeOutcome(MainChallenge.BRAVO, "relevant-and-good", (Reason("bravo.no-blocker"),))


def challenge_outcomes(s: Situation) -> tuple[ChallengeOutcome, ...]:
    """Return the outcome of the 7 challenges, in their order."""
    outcomes = tuple(rule(s) for rule in RULES)
    return (*outcomes, bravo(outcomes))
