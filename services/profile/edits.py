"""Apply a client's changes to a stored profile (pure): merge, validate codes, derive labels."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import date
from typing import Any

from pydantic import BaseModel

from services.profile.schemas import PreferencesInput, ProfileInput, ProjectInput
from shared.problems import FieldProblem, InvalidInputError
from shared.reference.geo import GeoReference
from shared.reference.rome import RomeReference


def _changes(model: BaseModel) -> dict[str, Any]:
    # Only the fields the client sent: a field sent as null clears it.
    return model.model_dump(mode="json", exclude_unset=True)


def merge_profile(
    doc: Mapping[str, Any], profile: ProfileInput | None, preferences: PreferencesInput | None, *, today: date
) -> dict[str, Any]:
    """Return a copy of the stored profile with the personal and preference changes applied."""
    merged = copy.deepcopy(dict(doc))
    problems: list[FieldProblem] = []
    if profile is not None:
        changes = _changes(profile)
        year = changes.get("year_of_birth")
        if year is not None and not (today.year - 100 <= year <= today.year - 14):
            problems.append(
                FieldProblem(
                    field="profile.year_of_birth",
                    code="out_of_range",
                    params={"min": today.year - 100, "max": today.year - 14},
                )
            )
        if changes.get("custom_gender") and changes.get("gender", merged["profile"].get("gender")) != "CUSTOM":
            problems.append(FieldProblem(field="profile.custom_gender", code="requires_custom_gender"))
        merged["profile"].update(changes)
    if preferences is not None:
        changes = _changes(preferences)
        zone = changes.get("time_zone")
        if zone is not None and not _is_time_zone(zone):
            problems.append(FieldProblem(field="preferences.time_zone", code="unknown_time_zone"))
        merged["preferences"].update(changes)
    if problems:
        raise InvalidInputError(problems)
    return merged


def _is_time_zone(name: str) -> bool:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def apply_project(
    existing: Mapping[str, Any] | None,
    changes: ProjectInput,
    *,
    project_id: str,
    rome: RomeReference,
    geo: GeoReference,
    today: date,
    field_prefix: str = "project",
) -> dict[str, Any]:
    """Return the project with the changes applied and its codes checked against the real ROME and geography."""
    project = copy.deepcopy(dict(existing or {}))
    project.update(_changes(changes))
    project["project_id"] = project_id
    problems: list[FieldProblem] = []

    ogr = project.get("job_code_ogr")
    if ogr is not None:
        title = rome.titles.get(ogr)
        if title is None:
            problems.append(FieldProblem(field=f"{field_prefix}.job_code_ogr", code="unknown_code"))
        else:
            if changes.rome_code is not None and changes.rome_code != title.rome_code:
                problems.append(
                    FieldProblem(
                        field=f"{field_prefix}.rome_code",
                        code="does_not_match_job_title",
                        params={"expected": title.rome_code},
                    )
                )
            project["rome_code"] = title.rome_code
            project["job_title"] = title.label
    if project.get("rome_code") is not None and project["rome_code"] not in rome.job_groups:
        problems.append(FieldProblem(field=f"{field_prefix}.rome_code", code="unknown_code"))
    if ogr is None and project.get("rome_code") in rome.job_groups:
        project["job_title"] = rome.job_groups[project["rome_code"]].label

    insee = project.get("city_insee")
    if insee is not None:
        commune = geo.communes.get(insee)
        if commune is None:
            problems.append(FieldProblem(field=f"{field_prefix}.city_insee", code="unknown_code"))
        else:
            project["city_name"] = commune.name
            project["departement"] = commune.departement
    else:
        project.pop("city_name", None)
        project.pop("departement", None)

    started = project.get("job_search_started_at")
    if started is not None:
        started_on = date.fromisoformat(started)
        if started_on > today:
            problems.append(FieldProblem(field=f"{field_prefix}.job_search_started_at", code="in_the_future"))
        elif started_on.year < today.year - 60:
            problems.append(FieldProblem(field=f"{field_prefix}.job_search_started_at", code="too_old"))
        if project.get("job_search_has_not_started"):
            problems.append(
                FieldProblem(field=f"{field_prefix}.job_search_has_not_started", code="contradicts_started_at")
            )
    if problems:
        raise InvalidInputError(problems)
    return project
