"""What is still missing in a profile before the diagnosis can be precise (pure)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Most useful first: the diagnosis asks for these in this order.
PROFILE_FIELDS = ("year_of_birth", "highest_degree", "frustrations")
PROJECT_FIELDS = (
    "rome_code",
    "city_insee",
    "kind",
    "job_search_started",
    "previous_job_similarity",
    "seniority",
    "passionate_level",
    "weekly_applications_estimate",
    "total_interview_count",
    "network_estimate",
    "training_fulfillment_estimate",
    "area_type",
    "employment_types",
)


def project_missing_fields(project: Mapping[str, Any]) -> list[str]:
    """Return the project's missing fields, most useful first."""
    missing = []
    for name in PROJECT_FIELDS:
        if name == "job_search_started":
            if not project.get("job_search_has_not_started") and not project.get("job_search_started_at"):
                missing.append("job_search_started_at")
        elif project.get(name) in (None, []):
            missing.append(name)
    return missing


def profile_missing_fields(profile: Mapping[str, Any], projects: list[Mapping[str, Any]]) -> list[str]:
    """Return what the whole profile still misses, most useful first (project fields prefixed)."""
    missing: list[str] = []
    if not projects:
        missing.append("projects")
    else:
        missing += [f"projects.0.{name}" for name in project_missing_fields(projects[0])]
    missing += [name for name in PROFILE_FIELDS if profile.get(name) in (None, [])]
    return missing
