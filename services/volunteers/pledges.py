"""Pledges of volunteers, as pure functions: validation against the references, and their states.

    pending-confirmation ──email confirmed──► active ◄──resume / date reached──► paused
                                                │                                  │
                                                └───────────── withdraw ───────────┴──► withdrawn
    active ──reported by several job seekers──► suspended (out of matching until reviewed)

Only an active pledge is matched. The pledge is keyed by the volunteer's user id.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError

from shared.contracts.api.volunteers import PledgeCreate, PledgeInput, PledgeStatus, PledgeUpdate
from shared.contracts.vocabulary import MEETING_HELPS
from shared.envelope import iso
from shared.problems import ConflictError, FieldProblem, InvalidInputError, problems_from_validation
from shared.reference.geo import GeoReference
from shared.reference.rome import RomeGroups

Changes = dict[str, Any]


def _problems(pledge: PledgeInput, rome: RomeGroups, geo: GeoReference) -> list[FieldProblem]:
    problems = [
        FieldProblem(field=f"job_groups.{i}", code="unknown_code")
        for i, code in enumerate(pledge.job_groups)
        if code not in rome.job_groups
    ]
    problems += [
        FieldProblem(field=f"domains.{i}", code="unknown_code")
        for i, code in enumerate(pledge.domains)
        if code not in rome.domains
    ]
    coffee = pledge.coffee
    if MEETING_HELPS.intersection(pledge.kinds):
        if coffee is None:
            problems.append(FieldProblem(field="coffee", code="missing"))
        elif not (coffee.remote or coffee.in_person):
            problems.append(FieldProblem(field="coffee", code="coffee_needs_a_place"))
        elif coffee.in_person and coffee.city_insee is None:
            problems.append(FieldProblem(field="coffee.city_insee", code="missing"))
    if coffee is not None and coffee.city_insee is not None:
        commune = geo.communes.get(coffee.city_insee)
        if commune is None:
            problems.append(FieldProblem(field="coffee.city_insee", code="unknown_code"))
        elif coffee.in_person and commune.latitude is None:
            problems.append(FieldProblem(field="coffee.city_insee", code="no_coordinates"))
    return problems


def validated(pledge: PledgeInput, rome: RomeGroups, geo: GeoReference) -> dict[str, Any]:
    """Return the stored fields of a valid pledge (duplicates removed); raise InvalidInputError otherwise."""
    problems = _problems(pledge, rome, geo)
    if problems:
        raise InvalidInputError(problems)
    fields = pledge.model_dump(mode="json", include=set(PledgeInput.model_fields))
    for name in ("kinds", "job_groups", "domains", "languages", "availability"):
        fields[name] = sorted(set(fields[name]))
    if not MEETING_HELPS.intersection(pledge.kinds):
        fields["coffee"] = None
    return fields


def new_pledge(
    user_id: str, pledge: PledgeCreate, *, now: datetime, rome: RomeGroups, geo: GeoReference
) -> dict[str, Any]:
    """Return a new pledge document, waiting for the email confirmation."""
    return {
        "_id": user_id,
        **validated(pledge, rome, geo),
        "first_name": pledge.first_name,
        "status": PledgeStatus.PENDING_CONFIRMATION.value,
        "paused_until": None,
        "created_at": iso(now),
        "updated_at": iso(now),
        "confirmed_at": None,
    }


def updated(
    pledge: Mapping[str, Any], update: PledgeUpdate, *, now: datetime, rome: RomeGroups, geo: GeoReference
) -> Changes:
    """Return the changes of a partial update, validated as a whole pledge."""
    status = PledgeStatus(pledge["status"])
    if status is PledgeStatus.WITHDRAWN:
        raise ConflictError("pledge_state", action="update", status=status.value)
    merged = {k: pledge[k] for k in PledgeInput.model_fields if k in pledge}
    merged.update(update.model_dump(mode="json", exclude_unset=True))
    # Re-validate the merged pledge: a change of one field may break a rule about another.
    try:
        whole = PledgeInput.model_validate(merged)
    except ValidationError as error:
        raise InvalidInputError(problems_from_validation(error)) from None
    fields = validated(whole, rome, geo)
    return {**fields, "updated_at": iso(now)}


def confirmed(pledge: Mapping[str, Any], *, now: datetime) -> Changes:
    """Return the changes when the email is confirmed (confirming twice changes nothing)."""
    status = PledgeStatus(pledge["status"])
    if status is PledgeStatus.PENDING_CONFIRMATION:
        return {"status": PledgeStatus.ACTIVE.value, "confirmed_at": iso(now), "updated_at": iso(now)}
    if status is PledgeStatus.WITHDRAWN:
        raise ConflictError("pledge_state", action="confirm", status=status.value)
    return {}


def paused(pledge: Mapping[str, Any], *, until: date | None, now: datetime) -> Changes:
    """Return the changes when the volunteer pauses (optionally until a day)."""
    status = PledgeStatus(pledge["status"])
    if status not in {PledgeStatus.ACTIVE, PledgeStatus.PAUSED}:
        raise ConflictError("pledge_state", action="pause", status=status.value)
    if until is not None and until <= now.date():
        raise ConflictError("date_in_the_past")
    return {
        "status": PledgeStatus.PAUSED.value,
        "paused_until": until.isoformat() if until else None,
        "updated_at": iso(now),
    }


def resumed(pledge: Mapping[str, Any], *, now: datetime) -> Changes:
    """Return the changes when the pause ends."""
    status = PledgeStatus(pledge["status"])
    if status is not PledgeStatus.PAUSED:
        raise ConflictError("pledge_state", action="resume", status=status.value)
    return {"status": PledgeStatus.ACTIVE.value, "paused_until": None, "updated_at": iso(now)}


def pause_is_over(pledge: Mapping[str, Any], *, today: date) -> bool:
    """Return True when a pause with an end day reached it."""
    until = pledge.get("paused_until")
    return pledge["status"] == PledgeStatus.PAUSED and until is not None and date.fromisoformat(until) <= today


def withdrawn(pledge: Mapping[str, Any], *, now: datetime) -> Changes:
    """Return the changes when the volunteer withdraws (their live matches go to other volunteers)."""
    status = PledgeStatus(pledge["status"])
    if status is PledgeStatus.WITHDRAWN:
        raise ConflictError("pledge_state", action="withdraw", status=status.value)
    return {"status": PledgeStatus.WITHDRAWN.value, "withdrawn_at": iso(now), "updated_at": iso(now)}
