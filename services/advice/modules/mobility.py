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
# The licence is not asked today: it is said as a condition, and only where the job often needs one.
IF_NO_LICENSE = Reason("if-no-car-license")
JOB_NEEDS_DRIVING = Reason("job-needs-driving")
# Below this yearly gross salary the driving-licence aid for low incomes usually applies.
LOW_SALARY = 22_000
# Contracts a season is made of.
SHORT_CONTRACTS = frozenset(
    {
        EmploymentType.CDD_LESS_EQUAL_3_MONTHS,
        EmploymentType.CDD_OVER_3_MONTHS,
        EmploymentType.INTERIM,
        EmploymentType.ANY_CONTRACT,
    }
)

YOUNG_AND_MOBILE = Reason("young-and-mobile")
MOBILE_NATIONWIDE = Reason("mobile-nationwide")
# Verdicts without figures, built once: modules return them without allocating.
YOUNG_AND_MOBILE_2 = Score(2.0, (YOUNG_AND_MOBILE,))
MOBILE_NATIONWIDE_1_ASKING_CONTRACTS = Score(1.0, (MOBILE_NATIONWIDE,), missing=("employment_types",))
NO_LICENSE_JOB_NEEDS_DRIVING_3 = Score(3.0, (NO_LICENSE, JOB_NEEDS_DRIVING))
NO_LICENSE_2 = Score(2.0, (NO_LICENSE,))
NO_LICENSE_JOB_NEEDS_DRIVING_2 = Score(2.0, (NO_LICENSE, JOB_NEEDS_DRIVING))
NO_LICENSE_1 = Score(1.0, (NO_LICENSE,))
IF_NO_LICENSE_JOB_NEEDS_DRIVING_2 = Score(2.0, (JOB_NEEDS_DRIVING, IF_NO_LICENSE))
IF_NO_LICENSE_JOB_NEEDS_DRIVING_1 = Score(1.0, (JOB_NEEDS_DRIVING, IF_NO_LICENSE))


def commute(s: Situation) -> Score:
    """Return how much it helps to search in a nearby département where the job hires more (official figures).

    Within the person's mobility only: from a search across the region or wider it is a plain suggestion;
    from a search within the département it is said as a condition ("if you can look further"); from a
    search in the city only, it is not made.
    """
    better = s.better_alternatives("neighbour-departement")
    if not better:
        return NOT_RELEVANT
    if s.area is None:
        return needs("area_type")
    if s.area >= REGION:
        return Score(
            3.0 if s.market_stressed else 2.0, (alternative_reason("nearby-departement-better", s, better[0]),)
        )
    if s.area == DEPARTEMENT:
        return Score(1.0, (alternative_reason("nearby-departement-if-mobile", s, better[0]),))
    return NOT_RELEVANT


def relocate(s: Situation) -> Score:
    """Return how much it helps to move to a département where the job is less competitive (official figures).

    Only for people ready to move anywhere in the country: a far département is beyond a regional search.
    """
    better = s.better_alternatives("other-departement", factor=1.5)
    if not better:
        return NOT_RELEVANT
    if s.area is None:
        return needs("area_type")
    if s.area >= COUNTRY:
        return Score(3.0 if s.market_stressed else 2.0, (alternative_reason("departement-better", s, better[0]),))
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
    if not s.employment_types:
        return MOBILE_NATIONWIDE_1_ASKING_CONTRACTS
    if s.employment_types.isdisjoint(SHORT_CONTRACTS):
        return NOT_RELEVANT
    return YOUNG_AND_MOBILE_2


def driving_license_euro(s: Situation) -> Score:
    """Return the score of the one-euro-a-day driving licence loan for people aged 15 to 25."""
    if s.car_license:
        return NOT_RELEVANT
    if s.age is None:
        return needs("year_of_birth")
    if not 15 <= s.age <= 25:
        return NOT_RELEVANT
    if s.car_license is None:
        return IF_NO_LICENSE_JOB_NEEDS_DRIVING_2 if s.job.needs_driving else NOT_RELEVANT
    if s.job.needs_driving:
        return NO_LICENSE_JOB_NEEDS_DRIVING_3
    return NO_LICENSE_2


def driving_license_low_income(s: Situation) -> Score:
    """Return the score of aid towards the driving licence for low expected pay, after six months of search."""
    if s.car_license or s.age is None or s.age < 26:
        return NOT_RELEVANT
    if s.car_license is None and not s.job.needs_driving:
        return NOT_RELEVANT
    if s.search_months is None:
        return needs("job_search_started_at")
    if s.search_months < 6:
        return NOT_RELEVANT
    if s.min_salary is not None and s.min_salary > LOW_SALARY:
        return NOT_RELEVANT
    missing = ("min_salary",) if s.min_salary is None else ()
    months = Reason("search-months", (("months", round(s.search_months)),))
    if s.car_license is None:
        return Score(2.0, (JOB_NEEDS_DRIVING, IF_NO_LICENSE, months), missing=missing)
    reasons = (NO_LICENSE, months) + ((JOB_NEEDS_DRIVING,) if s.job.needs_driving else ())
    return Score(3.0 if s.job.needs_driving else 2.0, reasons, missing=missing)


def driving_license_written(s: Situation) -> Score:
    """Return how much it helps to prepare the highway code online, the first and cheapest step to a licence."""
    if s.car_license or s.age is None or s.age < 26:
        return NOT_RELEVANT
    if s.car_license is None:
        return IF_NO_LICENSE_JOB_NEEDS_DRIVING_1 if s.job.needs_driving else NOT_RELEVANT
    if s.job.needs_driving:
        return NO_LICENSE_JOB_NEEDS_DRIVING_2
    return NO_LICENSE_1


MODULES = (
    AdviceModule("commute", commute, ("nearby-departement-better", "nearby-departement-if-mobile")),
    AdviceModule("relocate", relocate, ("departement-better",)),
    AdviceModule("seasonal-relocate", seasonal_relocate, ("young-and-mobile", "mobile-nationwide")),
    AdviceModule(
        "driving-license-euro", driving_license_euro, ("no-car-license", "if-no-car-license", "job-needs-driving")
    ),
    AdviceModule(
        "driving-license-low-income",
        driving_license_low_income,
        ("no-car-license", "if-no-car-license", "search-months", "job-needs-driving"),
    ),
    AdviceModule(
        "driving-license-written",
        driving_license_written,
        ("no-car-license", "if-no-car-license", "job-needs-driving"),
    ),
)
