"""Advice read from the labour market: close jobs, contracts, salary, seasons, the future of the job."""

from __future__ import annotations

from services.advice.modules.base import (
    NOT_RELEVANT,
    AdviceModule,
    Reason,
    Score,
    Situation,
    figure_reason,
    needs,
)
from shared.contracts.diagnostic import AlternativeMarket
from shared.contracts.vocabulary import EmploymentType, MainChallenge

# Enum members bound once: reading a member from its class costs ~0.2 µs in CPython 3.11,
# paid for every person by every module.
_BRAVO = MainChallenge.BRAVO
_CDI = EmploymentType.CDI

JOB_AT_RISK = Reason("job-at-risk")
JOB_FUTURE_SKILLS = Reason("job-future-skills")
# Verdicts without figures, built once: modules return them without allocating.
JOB_FUTURE_SKILLS_2 = Score(2.0, (JOB_FUTURE_SKILLS,))
JOB_FUTURE_SKILLS_1 = Score(1.0, (JOB_FUTURE_SKILLS,))
JOB_AT_RISK_2 = Score(2.0, (JOB_AT_RISK,))


def alternative_reason(key: str, s: Situation, alternative: AlternativeMarket) -> Reason:
    """Return a reason comparing an official alternative market with the person's own (official too)."""
    values: tuple[tuple[str, str | int | float], ...] = (
        ("job", alternative.rome_code),
        ("in_departement", alternative.departement),
        ("alternative_offers", alternative.offers_per_10_candidates),
    )
    if s.tension is not None:
        values += (("offers_per_10_candidates", s.tension),)
    return Reason(key, values)


def better_job_in_group(s: Situation) -> Score:
    """Return the score of a close job with clearly more offers per candidate."""
    if s.rome_code is None:
        return needs("rome_code")
    better = s.better_alternatives("close-job", factor=1.5)
    if not better:
        return NOT_RELEVANT
    return Score(3.0 if s.market_stressed else 2.0, (alternative_reason("close-job-better", s, better[0]),))


def reorient_to_close_job(s: Situation) -> Score:
    """Return how much it helps to move to a close job with less competition; more useful as the search lasts."""
    better = s.better_alternatives("close-job", "evolution")
    if len(better) < 2:
        return NOT_RELEVANT
    if s.search_months is None:
        return Score(1.0, (alternative_reason("close-jobs-better", s, better[0]),), missing=("job_search_started_at",))
    value = 1.0 + (s.search_months >= 6) + (s.search_months >= 12)
    return Score(value, (alternative_reason("close-jobs-better", s, better[0]),))


def reorient_jobbing(s: Situation) -> Score:
    """Return the score of jobs open without a diploma, while the target market is stuck."""
    if not s.market_stressed:
        return NOT_RELEVANT
    if s.degree is None:
        return needs("highest_degree")
    if s.degree > 2 or s.search_months is None or s.search_months < 6:
        return NOT_RELEVANT
    return Score(2.0, (figure_reason("market-stressed", s, "offers_per_10_candidates"),))


def contract_openness(s: Situation) -> Score:
    """Return how much it helps to consider other contracts when permanent ones are rare for this job."""
    if s.employment_types != {_CDI}:
        return NOT_RELEVANT
    cdi = s.real("cdi_share")
    if cdi is None or cdi >= 0.4:
        return NOT_RELEVANT
    return Score(2.0 if cdi < 0.3 else 1.0, (figure_reason("cdi-rare", s, "cdi_share"),))


def salary_expectations(s: Situation) -> Score:
    """Return how much it helps to check the salary asked for against the usual range when the search lasts."""
    median = s.real("salary_gross_yearly_median")
    if median is None:
        return NOT_RELEVANT
    if s.min_salary is None:
        return needs("min_salary")  # asked only once the questionnaire asks it (advise.rank)
    if s.min_salary <= median * 1.15 or s.search_months is None or s.search_months < 3:
        return NOT_RELEVANT
    p75 = s.real("salary_gross_yearly_p75")
    reason = figure_reason("salary-above-median", s, "salary_gross_yearly_median")
    return Score(3.0 if p75 is not None and s.min_salary > p75 else 2.0, (reason,))


def seasonal_timing(s: Situation) -> Score:
    """Return how much it helps to apply ahead of the busiest month when the job is seasonal."""
    seasonal = s.real("seasonal_share")
    best = s.real("best_month")
    if seasonal is None or best is None or seasonal < 0.3:
        return NOT_RELEVANT
    ahead = (int(best) - s.today.month) % 12
    reason = Reason("seasonal-job", (("seasonal_share", seasonal), ("best_month", int(best))))
    return Score(2.0 if 0 < ahead <= 3 else 1.0, (reason,))


def explore_safe_jobs(s: Situation) -> Score:
    """Return the score of jobs less exposed to automation, when this one is at risk."""
    return JOB_AT_RISK_2 if s.job.at_risk else NOT_RELEVANT


def skill_for_future(s: Situation) -> Score:
    """Return the score of the skills this job will need in the coming years."""
    if not s.job.future_skills:
        return NOT_RELEVANT
    return JOB_FUTURE_SKILLS_2 if s.main_challenge is _BRAVO else JOB_FUTURE_SKILLS_1


MODULES = (
    AdviceModule("better-job-in-group", better_job_in_group, ("close-job-better",)),
    AdviceModule("reorient-to-close-job", reorient_to_close_job, ("close-jobs-better",)),
    AdviceModule("reorient-jobbing", reorient_jobbing, ("market-stressed",)),
    AdviceModule("contract-openness", contract_openness, ("cdi-rare",)),
    AdviceModule("salary-expectations", salary_expectations, ("salary-above-median",)),
    AdviceModule("seasonal-timing", seasonal_timing, ("seasonal-job",)),
    AdviceModule("explore-safe-jobs", explore_safe_jobs, ("job-at-risk",)),
    AdviceModule("skill-for-future", skill_for_future, ("job-future-skills",)),
)
