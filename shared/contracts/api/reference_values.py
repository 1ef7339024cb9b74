"""Answers the reference product (Bob Emploi) accepted, mapped to ours (pure).

The reference sent its proto3 enumerations and numbers as JSON. Where its
scale or names differ from ours, a value it accepted is mapped here rather
than refused, so that a person (or a client built for the reference) never
meets a refusal for a true answer:

* ``UNKNOWN_…`` names and the proto3 zero of a number are the reference's
  "not answered": null here (dropped from lists);
* renamed values: ``LIFE_GOAL_JOB`` is ``LIFE_GOAL``, ``ALTERNANCE`` is
  ``APPRENTICESHIP``, ``CREATE_COMPANY`` and ``TAKE_OVER_COMPANY`` are
  ``CREATE_OR_TAKE_OVER_COMPANY``, ``CDD`` is ``CDD_OVER_3_MONTHS``;
* ``network_estimate``: the reference's scale is 1 (weak) to 3 (strong) with
  -1 for "unknown" and 0 for unset; its clients read 3 and above as "very good
  contacts", so 4 is 3; -1 is kept: "je ne sais pas" is a true answer;
* timestamps where we keep a day (``job_search_started_at``) keep their day;
* ``OptionalBool`` (``TRUE``/``FALSE``/``UNKNOWN_BOOL``) for yes-no answers.

Values neither scale knows are refused by the schemas, naming the allowed values.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pydantic import BeforeValidator

NOT_ANSWERED = None

GENDER = {"UNKNOWN_GENDER": "UNKNOWN"}
FAMILY_SITUATION = {"UNKNOWN_FAMILY_SITUATION": NOT_ANSWERED}
DEGREE = {"UNKNOWN_DEGREE": NOT_ANSWERED}
DRIVING_LICENSE = {"UNKNOWN_DRIVING_LICENSE": NOT_ANSWERED}
FRUSTRATION = {"UNKNOWN_JOB_SEARCH_FRUSTRATION": NOT_ANSWERED}
AREA_TYPE = {"UNKNOWN_AREA_TYPE": NOT_ANSWERED}
EMPLOYMENT_TYPE: dict[str, Any] = {
    "UNDEFINED_EMPLOYMENT_TYPE": NOT_ANSWERED,
    "CDD": "CDD_OVER_3_MONTHS",  # the reference's deprecated alias
    "ALTERNANCE": "APPRENTICESHIP",
    # "Any contract of less than a month": the short contracts of our scale.
    "ANY_CONTRACT_LESS_THAN_A_MONTH": ("CDD_LESS_EQUAL_3_MONTHS", "INTERIM"),
}
WORKLOAD = {"UNKNOWN_PROJECT_WORKLOAD": NOT_ANSWERED}
PROJECT_KIND = {
    "UNKNOWN_PROJECT_KIND": NOT_ANSWERED,
    "CREATE_COMPANY": "CREATE_OR_TAKE_OVER_COMPANY",
    "TAKE_OVER_COMPANY": "CREATE_OR_TAKE_OVER_COMPANY",
}
PREVIOUS_JOB_SIMILARITY = {"UNKNOWN_PROJECT_EXPERIENCE": NOT_ANSWERED}
SENIORITY = {"UNKNOWN_PROJECT_SENIORITY": NOT_ANSWERED}
TRAINING_FULFILLMENT = {"UNKNOWN_TRAINING_FULFILLMENT": NOT_ANSWERED}
FREQUENCY = {"UNKNOWN_NUMBER_ESTIMATE_OPTION": NOT_ANSWERED}
PASSION_LEVEL = {
    "UNKNOWN_PASSION_LEVEL": NOT_ANSWERED,
    "ALIMENTARY_JOB": "ALIMENTARY",
    "LIKEABLE_JOB": "LIKEABLE",
    "PASSIONATING_JOB": "PASSIONATING",
    "LIFE_GOAL_JOB": "LIFE_GOAL",
}
OPTIONAL_BOOL = {"TRUE": True, "FALSE": False, "UNKNOWN_BOOL": NOT_ANSWERED}
NETWORK_UNKNOWN = -1  # "je ne sais pas": answered, but no estimate to publish
NETWORK = {0: NOT_ANSWERED, 4: 3}
YEAR_OF_BIRTH = {0: NOT_ANSWERED}


def _mapped(aliases: Mapping[Any, Any], value: Any) -> Any:
    # A bool is an int to Python (False == 0): it is never one of the reference's numbers.
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return value
    return aliases.get(value, value)


def accepting(aliases: Mapping[Any, Any]) -> BeforeValidator:
    """Return a validator that maps the reference's values of one field before ours are checked."""
    return BeforeValidator(lambda value: _mapped(aliases, value))


def accepting_each(aliases: Mapping[Any, Any]) -> BeforeValidator:
    """Return a validator that maps each value of a list (a value may stand for several, or for none)."""

    def convert(value: Any) -> Any:
        if not isinstance(value, list):
            return value
        items: list[Any] = []
        for item in value:
            mapped = _mapped(aliases, item)
            for one in mapped if isinstance(mapped, tuple) else (mapped,):
                if one is not NOT_ANSWERED and one not in items:
                    items.append(one)
        return items

    return BeforeValidator(convert)


def _day_of(value: Any) -> Any:
    """Return the day of an ISO timestamp ("2017-01-04T19:19:24.249Z"), the value itself otherwise."""
    if isinstance(value, str) and len(value) > 10 and value[10] in "T ":
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()
        except ValueError:
            return value
    return value


def _whole_number(value: Any) -> Any:
    """Return a float salary as a whole number of euros (the reference kept salaries as floats)."""
    if isinstance(value, float) and math.isfinite(value):
        return round(value)
    return value


DAY_OF_TIMESTAMP = BeforeValidator(_day_of)
WHOLE_EUROS = BeforeValidator(_whole_number)
