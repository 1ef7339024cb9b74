"""Relayed messages, contact sharing by mutual consent, blocks and reports."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from services.volunteers.references import Reference
from tests.unit.volunteers.conftest import NOW
from tests.unit.volunteers.harness import Clock, Volunteers, running_volunteers

SEEKER, VOLUNTEER = "u_seeker0001", "u_volunteer1"


async def matched(service: Volunteers, seeker: str = SEEKER, volunteer: str = VOLUNTEER) -> str:
    await service.open_request(seeker)
    await service.round()
    match_id = (await service.ok("GET", f"/users/{seeker}/help-requests"))[0]["match"]["match_id"]
    await service.ok("POST", f"/users/{volunteer}/matches/{match_id}/accept")
    return str(match_id)


@pytest.fixture
async def service(reference: Reference) -> AsyncIterator[Volunteers]:
    async with running_volunteers(reference, Clock(NOW), messages_per_day=3) as running:
        await running.pledge(VOLUNTEER, job_groups=["D1202"])
        yield running


async def test_messages_are_relayed_between_the_two_sides_only(service: Volunteers) -> None:
    match_id = await matched(service)
    posted = await service.ok("POST", f"/users/{SEEKER}/matches/{match_id}/messages", json={"body": " Bonjour ! "})
    assert posted["recipient_id"] == VOLUNTEER and posted["body"] == "Bonjour !"
    await service.ok("POST", f"/users/{VOLUNTEER}/matches/{match_id}/messages", json={"body": "Avec plaisir"})
    seen = await service.ok("GET", f"/users/{VOLUNTEER}/matches/{match_id}/messages")
    assert [(m["from_me"], m["body"]) for m in seen] == [(False, "Bonjour !"), (True, "Avec plaisir")]
    assert "Bonjour" not in await service.outbox_text()  # never on Kafka


async def test_messages_wait_for_acceptance_and_are_limited(service: Volunteers) -> None:
    await service.open_request(SEEKER)
    await service.round()
    match_id = (await service.ok("GET", f"/users/{SEEKER}/help-requests"))[0]["match"]["match_id"]
    early = await service.call("POST", f"/users/{VOLUNTEER}/matches/{match_id}/messages", json={"body": "Hi"})
    assert early.status_code == 409 and early.json()["code"] == "messages_closed"
    await service.ok("POST", f"/users/{VOLUNTEER}/matches/{match_id}/accept")
    for _ in range(3):
        await service.ok("POST", f"/users/{VOLUNTEER}/matches/{match_id}/messages", json={"body": "Hi"})
    flood = await service.call("POST", f"/users/{VOLUNTEER}/matches/{match_id}/messages", json={"body": "Hi"})
    assert flood.status_code == 409 and flood.json()["code"] == "message_limit_reached"
    service.clock.advance(days=1, seconds=1)
    await service.ok("POST", f"/users/{VOLUNTEER}/matches/{match_id}/messages", json={"body": "Hi"})


async def test_contact_details_are_given_only_when_both_accept(service: Volunteers) -> None:
    match_id = await matched(service)
    path = f"/users/{SEEKER}/matches/{match_id}"
    await service.ok("PUT", path + "/contact-sharing", json={"share": True})
    assert (await service.call("GET", path + "/counterpart")).json()["code"] == "contact_not_shared"
    await service.ok("PUT", f"/users/{VOLUNTEER}/matches/{match_id}/contact-sharing", json={"share": True})
    assert (await service.ok("GET", path + "/counterpart")) == {"user_id": VOLUNTEER}
    assert (await service.ok("GET", f"/users/{VOLUNTEER}/matches/{match_id}/counterpart")) == {"user_id": SEEKER}
    await service.ok("PUT", f"/users/{VOLUNTEER}/matches/{match_id}/contact-sharing", json={"share": False})
    assert (await service.call("GET", path + "/counterpart")).status_code == 409


async def test_a_block_closes_the_match_and_the_two_are_never_matched_again(service: Volunteers) -> None:
    match_id = await matched(service)
    response = await service.call("POST", f"/users/{VOLUNTEER}/matches/{match_id}/block")
    assert response.status_code == 204
    view = (await service.ok("GET", f"/users/{SEEKER}/help-requests"))[0]
    assert view["status"] == "open" and view["match"] is None  # offered to someone else
    assert (await service.round()).proposed == 0  # the only volunteer blocked this person
    await service.pledge("u_volunteer2", job_groups=["D1202"])
    assert (await service.round()).proposed == 1
    assert (await service.events("match-proposed"))[-1]["data"]["volunteer_subject"] == "u_volunteer2"


async def test_a_volunteer_reported_by_two_job_seekers_is_taken_out_of_matching(service: Volunteers) -> None:
    for seeker in ("u_seeker0001", "u_seeker0002"):
        match_id = await matched(service, seeker=seeker)
        response = await service.call(
            "POST",
            f"/users/{seeker}/matches/{match_id}/report",
            json={"reason": "inappropriate-behaviour", "comment": "Propos déplacés"},
        )
        assert response.status_code == 204
    assert (await service.ok("GET", f"/pledges/{VOLUNTEER}"))["status"] == "suspended"
    await service.open_request("u_seeker0003")
    assert (await service.round()).proposed == 0
