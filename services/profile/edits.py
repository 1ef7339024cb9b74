"""Apply a client's changes to a stored profile (pure): read, merge, validate codes, derive labels.

Every problem of a save comes in one answer: the formats are read first (pydantic), then the domain
rules run on every field that did parse — codes against the real ROME and geography, dates, ages —
and both lists are merged, so a person fixes everything at once rather than one round per kind.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import date
from typing import Any

from pydantic import BaseModel, ValidationError

from shared.contracts.api.profile import (
    Correction,
    PreferencesInput,
    ProfileInput,
    ProfilePatch,
    ProjectInput,
    ProjectWrite,
)
from shared.problems import ConflictError, FieldProblem, InvalidInputError, problems_from_validation
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
    corrections: list[Correction] | None = None,
) -> dict[str, Any]:
    """Return the project with the changes applied and its codes checked against the real ROME and geography.

    A job title's ROME code is the current one: a different code sent with it (the code the title had in an
    older ROME version, or a stale copy) is replaced, and the replacement is added to ``corrections``.
    """
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
            if changes.rome_code is not None and changes.rome_code != title.rome_code and corrections is not None:
                corrections.append(
                    Correction(
                        field=f"{field_prefix}.rome_code",
                        code="rome_code_updated",
                        params={"given": changes.rome_code, "current": title.rome_code, "job_code_ogr": ogr},
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


def _parsed(model: type[BaseModel], raw: Any) -> tuple[BaseModel | None, list[FieldProblem]]:
    """Return the model read from the fields that parse, and the problems of those that do not."""
    try:
        return model.model_validate(raw), []
    except ValidationError as error:
        problems = problems_from_validation(error)
        if not isinstance(raw, Mapping):
            return None, problems
        # Drop what failed (a field, or a field of a section) and read the rest: its rules still run.
        bad: dict[str, set[str]] = {}
        for item in error.errors():
            location = [str(part) for part in item["loc"]]
            if location:
                bad.setdefault(location[0], set()).update(location[1:2])
        kept: dict[str, Any] = {}
        for name, value in raw.items():
            if name not in bad:
                kept[name] = value
            elif bad[name] and isinstance(value, Mapping):
                kept[name] = {k: v for k, v in value.items() if k not in bad[name]}
        try:
            return model.model_validate(kept), problems
        except ValidationError:
            return None, problems  # a required field is what failed: nothing left to check


def read_project_write(
    raw: Any,
    existing: Mapping[str, Any] | None,
    *,
    project_id: str,
    rome: RomeReference,
    geo: GeoReference,
    today: date,
    stored_revision: int,
) -> tuple[int, dict[str, Any], list[Correction]]:
    """Return (revision, project, corrections) of a project save, or raise every problem of it at once.

    A stale revision is a conflict (ConflictError) only when the values themselves are well formed.
    """
    parsed, problems = _parsed(ProjectWrite, raw)
    write = parsed if isinstance(parsed, ProjectWrite) else None
    if not problems and write is not None and write.revision != stored_revision:
        raise ConflictError("stale_revision", current=stored_revision)
    corrections: list[Correction] = []
    changes = write.project if write is not None else _project_part(raw)
    project: dict[str, Any] = {}
    if changes is not None:
        try:
            project = apply_project(
                existing, changes, project_id=project_id, rome=rome, geo=geo, today=today, corrections=corrections
            )
        except InvalidInputError as error:
            problems += error.problems
    if problems or write is None:
        raise InvalidInputError(problems)
    return write.revision, project, corrections


def _project_part(raw: Any) -> ProjectInput | None:
    """Return the project fields that parse when the write as a whole did not (e.g. no revision)."""
    if not isinstance(raw, Mapping) or not isinstance(raw.get("project"), Mapping):
        return None
    parsed, _ = _parsed(ProjectInput, raw["project"])
    return parsed if isinstance(parsed, ProjectInput) else None


def read_profile_patch(
    raw: Any, doc: Mapping[str, Any], *, today: date, stored_revision: int
) -> tuple[int, dict[str, Any]]:
    """Return (revision, merged profile) of a profile save, or raise every problem of it at once."""
    parsed, problems = _parsed(ProfilePatch, raw)
    patch = parsed if isinstance(parsed, ProfilePatch) else None
    if not problems and patch is not None and patch.revision != stored_revision:
        raise ConflictError("stale_revision", current=stored_revision)
    profile = patch.profile if patch is not None else _section(raw, "profile", ProfileInput)
    preferences = patch.preferences if patch is not None else _section(raw, "preferences", PreferencesInput)
    merged: dict[str, Any] = {}
    try:
        merged = merge_profile(
            doc,
            profile if isinstance(profile, ProfileInput) else None,
            preferences if isinstance(preferences, PreferencesInput) else None,
            today=today,
        )
    except InvalidInputError as error:
        problems += error.problems
    if problems or patch is None:
        raise InvalidInputError(problems)
    if patch.questionnaire_finished and not merged.get("questionnaire_finished_at"):
        # A fact the person gives once: reaching the end again later does not move its day.
        merged["questionnaire_finished_at"] = today.isoformat()
    return patch.revision, merged


def _section(raw: Any, name: str, model: type[BaseModel]) -> BaseModel | None:
    if not isinstance(raw, Mapping) or not isinstance(raw.get(name), Mapping):
        return None
    parsed, _ = _parsed(model, raw[name])
    return parsed
