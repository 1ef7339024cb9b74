"""A help request's whole life through the service, with a fixed clock: sharing, proposal, decline,
no answer, re-match, acceptance, review, completion, feedback, counters, expiry of documents, stale reviews."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from services.volunteers.references import Reference
from services.volunteers.upkeep import upkeep_round
from shared.lease import Lease
from tests.unit.volunteers.conftest import NOW
from tests.unit.volunteers.harness import PDF, Clock, Volunteers, running_volunteers

SEEKER = "u_seeker0001"


@pytest.fixture
async def service(reference: Reference) -> AsyncIterator[Volunteers]:
    async with running_volunteers(reference, Clock(NOW)) as running:
        yield running


async def test_a_pledge_is_matched_only_once_its_email_is_confirmed(service: Volunteers) -> None:
    pending = await service.pledge("u_volunteer1", confirm=False, job_groups=["D1202"])
    assert pending["status"] == "pending-confirmation"
    await service.open_request(SEEKER)
    assert (await service.round()).proposed == 0
    token = (await service.ok("POST", "/pledges/u_volunteer1/confirmation"))["confirmation_token"]
    assert (await service.ok("POST", "/pledge-confirmations", json={"token": token}))["status"] == "active"
    assert (await service.round()).proposed == 1
    forged = token[:-4] + "AAAA"
    response = await service.call("POST", "/pledge-confirmations", json={"token": forged})
    assert response.status_code == 409 and response.json()["code"] == "confirmation_invalid"


async def test_from_the_action_plan_to_a_completed_review(service: Volunteers) -> None:
    await service.pledge("u_near_trade", job_groups=["D1202"])
    await service.pledge("u_far_trade", domains=["D"])

    # The person asks from an action of the plan; nothing is shared nor matched before they choose.
    asked = await service.ask_from_action(SEEKER, "a_0001")
    assert await service.ask_from_action(SEEKER, "a_0001") == asked  # asked twice (a double tap): one request
    (request,) = await service.ok("GET", f"/users/{SEEKER}/help-requests")
    assert request["status"] == "awaiting-sharing-choice" and request["request_id"] == asked["request_id"]
    assert (await service.round()).proposed == 0

    sharing = {"share_first_name": True, "first_name": "Martine", "rome_code": "D1202", "city_insee": "69123"}
    opened = await service.ok("PUT", f"/users/{SEEKER}/help-requests/{request['request_id']}/sharing", json=sharing)
    assert opened["status"] == "open" and opened["sharing"]["job_group"]["label"] == "Coiffure"

    # The volunteer of the same job group is proposed first, with reasons, and an event without any name.
    assert (await service.round()).proposed == 1
    (proposed,) = await service.events("match-proposed")
    assert proposed["subject"] == SEEKER and proposed["data"]["volunteer_subject"] == "u_near_trade"
    assert proposed["data"]["reason_codes"][0] == "trade-same-job-group"
    assert "Martine" not in await service.outbox_text() and "Claire" not in await service.outbox_text()
    (match,) = await service.ok("GET", "/users/u_near_trade/matches")
    assert match["status"] == "proposed" and match["seeker"]["first_name"] == "Martine"
    assert match["reasons"][0]["fr"] == "Connaît votre métier : Coiffure."
    assert match["reasons"][0]["en"] == "Knows your job: Coiffure."

    # Declined: the next volunteer, never the same one again.
    await service.ok("POST", f"/users/u_near_trade/matches/{match['match_id']}/decline")
    assert (await service.round()).proposed == 1
    second = (await service.events("match-proposed"))[-1]
    assert second["data"]["volunteer_subject"] == "u_far_trade"

    # No answer in 3 days: expired; nobody else is left, the request waits (and keeps its place in line).
    service.clock.advance(days=3)
    report = await service.round()
    assert (report.timed_out, report.proposed) == (1, 0)
    view = await service.ok("GET", f"/users/{SEEKER}/help-requests/{request['request_id']}")
    assert view["status"] == "open" and view["volunteers_asked"] == 2 and view["match"] is None

    # A new volunteer arrives; they accept and the document is uploaded, the review returned and confirmed.
    await service.pledge("u_newcomer", open_to_any_trade=True)
    assert (await service.round()).proposed == 1
    (match,) = await service.ok("GET", "/users/u_newcomer/matches")
    accepted = await service.ok("POST", f"/users/u_newcomer/matches/{match['match_id']}/accept")
    assert accepted["status"] == "accepted"
    assert (await service.events("match-accepted"))[0]["data"]["volunteer_subject"] == "u_newcomer"
    document = await service.ok(
        "PUT",
        f"/users/{SEEKER}/help-requests/{request['request_id']}/document",
        content=PDF,
        headers={"x-filename": "CV%20Martine.pdf", "content-type": "application/pdf"},
    )
    assert document["filename"] == "CV Martine.pdf"
    seen = await service.ok("GET", f"/users/u_newcomer/matches/{match['match_id']}")
    assert seen["document"]["document_id"] == document["document_id"]
    review = await service.ok(
        "PUT", f"/users/u_newcomer/matches/{match['match_id']}/review", content=PDF, headers={"x-filename": "cv.pdf"}
    )
    view = await service.ok("GET", f"/users/{SEEKER}/help-requests/{request['request_id']}")
    assert view["match"]["status"] == "in-progress" and view["match"]["volunteer_first_name"] == "Claire"
    assert view["match"]["review_document"]["document_id"] == review["document_id"]
    done = await service.ok("POST", f"/users/{SEEKER}/matches/{match['match_id']}/complete")
    assert done["status"] == "completed" and done["match"]["status"] == "completed"
    assert (await service.events("match-completed"))[0]["subject"] == SEEKER

    # Feedback from both sides feeds the volunteer's stats and the public counters.
    await service.ok(
        "POST", f"/users/{SEEKER}/matches/{match['match_id']}/feedback", json={"rating": 5, "comment": "Très utile"}
    )
    await service.ok("POST", f"/users/u_newcomer/matches/{match['match_id']}/feedback", json={"rating": 4})
    pledge = await service.ok("GET", "/pledges/u_newcomer")
    assert pledge["stats"]["completed"] == 1 and pledge["stats"]["average_rating"] == 5.0
    assert pledge["stats"]["helps_this_month"] == 1 and pledge["stats"]["remaining_this_month"] == 1
    counters = await service.ok("GET", "/counters")
    assert counters["helps_completed"] == 1 and counters["active_volunteers"] == 3
    assert counters["helps_pledged_per_month"] == 6 and counters["by_kind"]["cv-review"]["completed"] == 1

    # Documents are deleted 30 days after completion.
    service.clock.advance(days=29)
    assert (await service.round()).documents_deleted == 0
    service.clock.advance(days=1)
    assert (await service.round()).documents_deleted == 2
    gone = await service.call("GET", f"/users/{SEEKER}/documents/{document['document_id']}")
    assert gone.status_code == 404


async def test_a_stale_review_expires_and_the_request_is_offered_again(service: Volunteers) -> None:
    await service.pledge("u_slow_vol01", job_groups=["D1202"])
    await service.pledge("u_other_vol1", job_groups=["D1202"])
    request = await service.open_request(SEEKER)
    await service.round()
    (first,) = ((await service.ok("GET", f"/users/{SEEKER}/help-requests"))[0]["match"]["match_id"],)
    volunteer = (await service.events("match-proposed"))[0]["data"]["volunteer_subject"]
    await service.ok("POST", f"/users/{volunteer}/matches/{first}/accept")
    service.clock.advance(days=7)
    report = await service.round()
    assert report.timed_out == 1 and report.proposed == 1
    again = (await service.events("match-proposed"))[-1]["data"]["volunteer_subject"]
    assert again != volunteer
    view = await service.ok("GET", f"/users/{SEEKER}/help-requests/{request['request_id']}")
    assert view["status"] == "proposed" and view["opened_at"] == request["opened_at"]
    lapsed = await service.ok("GET", f"/users/{volunteer}/matches/{first}")
    assert lapsed["status"] == "lapsed" and lapsed["document"] is None


async def test_nobody_gets_more_than_they_pledged_this_month(service: Volunteers) -> None:
    await service.pledge("u_only_vol01", job_groups=["D1202"], monthly_capacity=1)
    await service.open_request("u_seeker0001")
    await service.open_request("u_seeker0002")
    assert (await service.round()).proposed == 1
    assert (await service.round()).proposed == 0
    service.clock.advance(days=11)  # a new month: room again, once the first proposal ended
    assert (await service.round()).proposed == 1


async def test_pause_with_an_end_day_resumes_by_itself_and_withdrawal_hands_matches_over(service: Volunteers) -> None:
    await service.pledge("u_pausing_01", job_groups=["D1202"])
    paused = await service.ok("POST", "/pledges/u_pausing_01/pause", json={"until": "2026-11-25"})
    assert paused["status"] == "paused"
    await service.open_request(SEEKER)
    assert (await service.round()).proposed == 0
    service.clock.advance(days=5)
    report = await service.round()
    assert report.pauses_ended == 1 and report.proposed == 1
    await service.pledge("u_second_vol", job_groups=["D1202"])
    withdrawn = await service.ok("POST", "/pledges/u_pausing_01/withdraw")
    assert withdrawn["status"] == "withdrawn"
    assert (await service.round()).proposed == 1
    assert (await service.events("match-proposed"))[-1]["data"]["volunteer_subject"] == "u_second_vol"


async def test_the_weekly_quota_refuses_a_fourth_request(service: Volunteers) -> None:
    for kind in ("cv-review", "cover-letter-review", "coffee-chat"):
        await service.open_request(SEEKER, kind=kind, remote_ok=True)
    for request in await service.ok("GET", f"/users/{SEEKER}/help-requests"):
        await service.ok("POST", f"/users/{SEEKER}/help-requests/{request['request_id']}/cancel")
    response = await service.call("POST", f"/users/{SEEKER}/help-requests", json={"kind": "cv-review", "sharing": {}})
    assert response.status_code == 409
    assert response.json() == {"code": "request_quota_reached", "params": {"max": 3, "retry_after_days": 7}}


async def test_a_pledge_is_checked_against_the_references(service: Volunteers) -> None:
    response = await service.call(
        "POST",
        "/pledges/u_volunteer1",
        json={
            "first_name": "Claire",
            "kinds": ["coffee-chat"],
            "monthly_capacity": 2,
            "job_groups": ["N9999"],
            "domains": ["D99"],
            "coffee": {"in_person": True},
        },
    )
    assert response.status_code == 422
    fields = {(e["field"], e["code"]) for e in response.json()["errors"]}
    assert fields == {("job_groups.0", "unknown_code"), ("domains.0", "unknown_code"), ("coffee.city_insee", "missing")}


async def test_an_upkeep_round_stops_when_another_replica_took_the_expired_lease(service: Volunteers) -> None:
    await service.pledge("u_volunteer1", job_groups=["D1202"])
    await service.open_request(SEEKER)
    first = Lease(service.store, "volunteers-upkeep", holder="first", ttl=timedelta(seconds=60), clock=service.clock)
    second = Lease(service.store, "volunteers-upkeep", holder="second", ttl=timedelta(seconds=60), clock=service.clock)

    class SlowLease(Lease):
        """Each duty outlasts the lease, and the other replica takes it over before the matching."""

        renewals = 0

        async def acquire(self) -> bool:
            held = await super().acquire()
            self.renewals += 1
            if self.renewals == 3:
                service.clock.advance(seconds=61)
                assert await second.acquire()
            return held

    assert await first.acquire()
    slow = SlowLease(service.store, "volunteers-upkeep", holder="first", ttl=timedelta(seconds=60), clock=service.clock)
    assert (await upkeep_round(service.runtime, slow)).proposed == 0  # stopped before matching
    assert slow.renewals == 4  # renewed before each duty; the fourth found the lease gone
    assert (await upkeep_round(service.runtime, second)).proposed == 1  # the replica holding it matches
