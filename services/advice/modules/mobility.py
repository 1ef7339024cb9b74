"""Advice on mobility: commuting, moving, seasonal work and the driving licence."""

from __future__ import annotations

from services.advice.modules.base import (
    AREA_RANK,
    NOT_RELEVANT,
    AdviceModule,
    Reason,
    Score,
    Situation,
    needs,
)
from services.advice.modules.market import alternative_reason
from shared.contracts.vocabulary import AreaType, EmploymentType, FamilySituation

# Enum members bound once: reading a member from its class costs ~0.2 µs in CPython 3.11,
# paid for every person by every module.
_CDI = EmploymentType.CDI
_SINGLE = FamilySituation.SINGLE
DEPARTEMENT = AREA_RANK[AreaType.DEPARTEMENT]
REGION = AREA_RANK[AreaType.REGION]
COUNTRY = AREA_RANK[AreaType.COUNTRY]
NO_LICENSE = Reason("no-car-license")
JOB_NEEDS_DRIVING = Reason("job-needs-driving")
# Below this yearly gross salary the driving-licence aid for low incomes usually applies.
LOW_SALARY = 22_000

AREA_CITY = Reason("area-city")
YOUNG_AND_MOBILE = Reason("young-and-mobile")
# Verdicts without figures, built once: modules return them without allocating.
YOUNG_AND_MOBILE_2 = Score(2.0, (YOUNG_AND_MOBILE,))
NO_LICENSE_JOB_NEEDS_DRIVING_3 = Score(3.0, (NO_LICENSE, JOB_NEEDS_DRIVING))
NO_LICENSE_2 = Score(2.0, (NO_LICENSE,))
NO_LICENSE_JOB_NEEDS_DRIVING_2 = Score(2.0, (NO_LICENSE, JOB_NEEDS_DRIVING))
NO_LICENSE_1 = Score(1.0, (NO_LICENSE,))


def commute(s: Situation) -> Score:
    """Return how much it helps to search in the neighbouring départements, within commuting distance."""
    better = s.better_alternatives("neighbour-departement")
    if not better:
        return NOT_RELEVANT
    if s.area is None:
        return needs("area_type")
    reason = alternative_reason("neighbour-better", s, better[0])
    if s.area >= DEPARTEMENT:
        return Score(3.0 if s.market_stressed else 2.0, (reason,))
    return Score(1.0, (reason, AREA_CITY))


def relocate(s: Situation) -> Score:
    """Return how much it helps to move to a département where the job is less competitive."""
    better = s.better_alternatives("other-departement", factor=1.5)
    if not better:
        return NOT_RELEVANT
    if s.area is None:
        return needs("area_type")
    reason = alternative_reason("departement-better", s, better[0])
    if s.area >= COUNTRY:
        return Score(3.0 if s.market_stressed else 2.0, (reason,))
    if s.area == REGION:
        return Score(1.0, (reason,))
    return NOT_RELEVANT


def seasonal_relocate(s: Situation) -> Score:
    """Return the score of a season elsewhere in France: for young, single, mobile people open to short contracts."""
    if s.area is None:
        return needs("area_type")
    if s.area < COUNTRY or s.employment_types == {_CDI}:
        return NOT_RELEVANT
    if s.age is None:
        return needs("year_of_birth")
    if s.age > 30 or s.family not in (None, _SINGLE):
        return NOT_RELEVANT
    return YOUNG_AND_MOBILE_2


def driving_license_euro(s: Situation) -> Score:
    """Return the score of the one-euro-a-day driving licence loan for people aged 15 to 25."""
    if s.has_car_license:
        return NOT_RELEVANT
    if s.age is None:
        return needs("year_of_birth")
    if not 15 <= s.age <= 25:
        return NOT_RELEVANT
    if s.job.needs_driving:
        return NO_LICENSE_JOB_NEEDS_DRIVING_3
    return NO_LICENSE_2


def driving_license_low_income(s: Situation) -> Score:
    """Return the score of aid towards the driving licence for low expected pay, after six months of search."""
    if s.has_car_license or s.age is None or s.age < 26:
        return NOT_RELEVANT
    if s.search_months is None:
        return needs("job_search_started_at")
    if s.search_months < 6:
        return NOT_RELEVANT
    if s.min_salary is not None and s.min_salary > LOW_SALARY:
        return NOT_RELEVANT
    missing = ("min_salary",) if s.min_salary is None else ()
    reasons = (NO_LICENSE, Reason("search-months", (("months", round(s.search_months)),)))
    return Score(3.0 if s.job.needs_driving else 2.0, reasons, missing=missing)


def driving_license_written(s: Situation) -> Score:
    """Return how much it helps to prepare the highway code online, the first and cheapest step to a licence."""
    if s.has_car_license or s.age is None or s.age < 26:
        return NOT_RELEVANT
    if s.job.needs_driving:
        return NO_LICENSE_JOB_NEEDS_DRIVING_2
    return NO_LICENSE_1


MODULES = (
    AdviceModule("commute", commute, ("neighbour-better", "area-city")),
    AdviceModule("relocate", relocate, ("departement-better",)),
    AdviceModule("seasonal-relocate", seasonal_relocate, ("young-and-mobile",)),
    AdviceModule("driving-license-euro", driving_license_euro, ("no-car-license", "job-needs-driving")),
    AdviceModule(
        "driving-license-low-income",
        driving_license_low_income,
        ("no-car-license", "search-months", "job-needs-driving"),
    ),
    AdviceModule("driving-license-written", driving_license_written, ("no-car-license", "job-needs-driving")),
)
