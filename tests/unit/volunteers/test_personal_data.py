"""The export (right of access) and the erasure (``user-erased``), as job seeker and as volunteer."""

from __future__ import annotations

import json

from services.volunteers.privacy import PERSONAL_DATA
from services.volunteers.references import Reference
from tests.unit.volunteers.conftest import NOW
from tests.unit.volunteers.harness import PDF, Clock, Volunteers, running_volunteers

SEEKER, VOLUNTEER = "u_seeker0001", "u_volunteer1"


async def helped(service: Volunteers) -> str:
    """A completed review with messages, feedback and documents; a coffee proposed too."""
    await service.pledge(
        VOLUNTEER,
        job_groups=["D1202"],
        monthly_capacity=5,
        kinds=["cv-review", "coffee-chat"],
        coffee={"in_person": False, "remote": True},
    )
    request = await service.open_request(SEEKER, share_first_name=True, first_name="Martine", note="Mon CV")
    await service.round()
    match_id = (await service.ok("GET", f"/users/{SEEKER}/help-requests"))[0]["match"]["match_id"]
    await service.ok("POST", f"/users/{VOLUNTEER}/matches/{match_id}/accept")
    await service.ok("PUT", f"/users/{SEEKER}/help-requests/{request['request_id']}/document", content=PDF)
    await service.ok("PUT", f"/users/{VOLUNTEER}/matches/{match_id}/review", content=PDF)
    await service.ok("POST", f"/users/{SEEKER}/matches/{match_id}/messages", json={"body": "Merci Claire"})
    await service.ok("POST", f"/users/{VOLUNTEER}/matches/{match_id}/messages", json={"body": "Bon courage"})
    await service.ok("POST", f"/users/{SEEKER}/matches/{match_id}/complete")
    await service.ok("POST", f"/users/{SEEKER}/matches/{match_id}/feedback", json={"rating": 5, "comment": "Top"})
    await service.ok(
        "POST", f"/users/{VOLUNTEER}/matches/{match_id}/feedback", json={"rating": 4, "comment": "Motivée"}
    )
    await service.open_request(SEEKER, kind="coffee-chat", remote_ok=True)
    await service.round()
    return str(match_id)


async def test_the_export_holds_everything_about_the_person_without_the_other_sides_id(reference: Reference) -> None:
    async with running_volunteers(reference, Clock(NOW)) as service:
        await helped(service)
        for subject, other in ((SEEKER, VOLUNTEER), (VOLUNTEER, SEEKER)):
            archive = await service.ok("GET", f"/users/{subject}/export")
            assert set(archive) == {"subject", *(entry.collection for entry in PERSONAL_DATA)}
            for collection, count in (await service.everything_mentioning(subject)).items():
                assert len(archive[collection]) >= count, (subject, collection)
            assert other not in json.dumps(archive)
        seeker = await service.ok("GET", f"/users/{SEEKER}/export")
        assert seeker["help_requests"][0]["sharing"]["first_name"] == "Martine"
        assert [m["body"] for m in seeker["relayed_messages"]] == ["Merci Claire", "Bon courage"]
        (match,) = [m for m in seeker["matches"] if m["status"] == "completed"]
        assert match["feedback"] == {"seeker": match["feedback"]["seeker"], "volunteer": {"given": True}}
        assert "Motivée" not in json.dumps(seeker)  # the other side's comment is theirs
        volunteer = await service.ok("GET", f"/users/{VOLUNTEER}/export")
        assert volunteer["pledges"][0]["first_name"] == "Claire"
        assert len(volunteer["document_contents"]) == 1  # the review they wrote


async def test_erasing_the_job_seeker_leaves_nothing_about_them(reference: Reference) -> None:
    async with running_volunteers(reference, Clock(NOW)) as service:
        match_id = await helped(service)
        await service.erase(SEEKER)
        assert await service.everything_mentioning(SEEKER) == {}
        for text in ("Martine", "Merci Claire", "Mon CV", "Motivée", "Top"):
            assert await service.everything_mentioning(text) == {}, text
        # The volunteer keeps the fact that they helped (it counts), not who they helped.
        volunteer = await service.ok("GET", f"/users/{VOLUNTEER}/matches/{match_id}")
        assert volunteer["status"] == "completed" and volunteer["seeker"]["first_name"] is None
        assert (await service.ok("GET", "/counters"))["helps_completed"] == 1
        assert (await service.ok("GET", f"/pledges/{VOLUNTEER}"))["stats"]["average_rating"] == 5.0


async def test_erasing_the_volunteer_hands_their_live_matches_to_another(reference: Reference) -> None:
    async with running_volunteers(reference, Clock(NOW)) as service:
        await helped(service)
        (coffee,) = [r for r in await service.ok("GET", f"/users/{SEEKER}/help-requests") if r["kind"] == "coffee-chat"]
        assert coffee["status"] == "proposed"
        await service.pledge(
            "u_volunteer2", job_groups=["D1202"], kinds=["coffee-chat"], coffee={"in_person": False, "remote": True}
        )
        await service.erase(VOLUNTEER)
        assert (await service.ok("GET", f"/users/{SEEKER}/help-requests/{coffee['request_id']}"))["status"] == "open"
        assert await service.everything_mentioning(VOLUNTEER) == {}
        assert await service.everything_mentioning("Bon courage") == {}
        assert (await service.call("GET", f"/pledges/{VOLUNTEER}")).status_code == 404
        await service.round()
        requests = await service.ok("GET", f"/users/{SEEKER}/help-requests")
        assert {r["kind"]: r["status"] for r in requests} == {"cv-review": "completed", "coffee-chat": "proposed"}
        assert (await service.events("match-proposed"))[-1]["data"]["volunteer_subject"] == "u_volunteer2"
