"""Pledges: checked against the real references, and their states (confirm, pause, resume, withdraw)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from services.volunteers import pledges
from services.volunteers.references import Reference
from shared.contracts.api.volunteers import PledgeCreate, PledgeInput, PledgeUpdate
from shared.problems import ConflictError, InvalidInputError
from tests.unit.volunteers.conftest import NOW


def new(reference: Reference, **fields: object) -> dict[str, object]:
    body = {"first_name": "Claire", "kinds": ["cv-review"], "monthly_capacity": 2, **fields}
    return pledges.new_pledge(
        "u_volunteer1", PledgeCreate.model_validate(body), now=NOW, rome=reference.rome, geo=reference.geo
    )


def test_a_new_pledge_waits_for_its_email_confirmation(reference: Reference) -> None:
    pledge = new(reference, job_groups=["D1202", "D1202"], languages=["fr", "en"])
    assert pledge["status"] == "pending-confirmation" and pledge["job_groups"] == ["D1202"]
    confirmed = {**pledge, **pledges.confirmed(pledge, now=NOW)}
    assert confirmed["status"] == "active"
    assert pledges.confirmed(confirmed, now=NOW) == {}  # confirming twice changes nothing


def test_codes_and_coffee_options_are_checked(reference: Reference) -> None:
    with pytest.raises(InvalidInputError) as refused:
        pledges.validated(
            PledgeInput.model_validate(
                {
                    "kinds": ["coffee-chat"],
                    "monthly_capacity": 1,
                    "coffee": {"in_person": True, "city_insee": "99999", "remote": False},
                }
            ),
            reference.rome,
            reference.geo,
        )
    assert [(p.field, p.code) for p in refused.value.problems] == [("coffee.city_insee", "unknown_code")]
    fine = pledges.validated(
        PledgeInput.model_validate({"kinds": ["cv-review"], "monthly_capacity": 1, "coffee": {"remote": True}}),
        reference.rome,
        reference.geo,
    )
    assert fine["coffee"] is None  # no coffee pledged: its options are not kept


def test_an_update_is_checked_as_a_whole_pledge(reference: Reference) -> None:
    pledge = new(reference)
    changes = pledges.updated(pledge, PledgeUpdate(monthly_capacity=4), now=NOW, rome=reference.rome, geo=reference.geo)
    assert changes["monthly_capacity"] == 4 and changes["kinds"] == ["cv-review"]
    with pytest.raises(InvalidInputError):
        pledges.updated(
            pledge,
            PledgeUpdate.model_validate({"kinds": ["coffee-chat"]}),
            now=NOW,
            rome=reference.rome,
            geo=reference.geo,
        )


def test_pause_resume_and_withdraw(reference: Reference) -> None:
    active = {**new(reference), "status": "active"}
    until = NOW.date() + timedelta(days=5)
    paused = {**active, **pledges.paused(active, until=until, now=NOW)}
    assert not pledges.pause_is_over(paused, today=until - timedelta(days=1))
    assert pledges.pause_is_over(paused, today=until)
    assert {**paused, **pledges.resumed(paused, now=NOW)}["status"] == "active"
    with pytest.raises(ConflictError, match="date_in_the_past"):
        pledges.paused(active, until=date(2020, 1, 1), now=NOW)
    gone = {**active, **pledges.withdrawn(active, now=NOW)}
    with pytest.raises(ConflictError, match="pledge_state"):
        pledges.paused(gone, until=None, now=NOW)
    with pytest.raises(ConflictError, match="pledge_state"):
        pledges.confirmed(gone, now=NOW)
