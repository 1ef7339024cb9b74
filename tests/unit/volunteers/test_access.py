"""Authorization: only the owner or the matched volunteer reads or acts; 0 cross-user reads.

A stranger gets 404 on everything (nobody learns what exists for others); the
volunteer sees only what the job seeker chose to share, and never their id.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from services.volunteers.references import Reference
from tests.unit.volunteers.conftest import NOW
from tests.unit.volunteers.harness import PDF, Clock, Volunteers, running_volunteers

SEEKER, VOLUNTEER, STRANGER, OTHER_VOLUNTEER = "u_seeker0001", "u_volunteer1", "u_stranger01", "u_othervol01"


@dataclass
class Scene:
    service: Volunteers
    request_id: str
    match_id: str
    document_id: str
    review_id: str


@pytest.fixture
async def scene(reference: Reference) -> AsyncIterator[Scene]:
    """A job seeker and their volunteer in the middle of a review; a stranger and another volunteer around."""
    async with running_volunteers(reference, Clock(NOW)) as service:
        await service.pledge(VOLUNTEER, job_groups=["D1202"])
        await service.pledge(OTHER_VOLUNTEER, domains=["K"])
        await service.pledge(STRANGER, open_to_any_trade=True)
        await service.open_request(STRANGER, rome_code="K2204")  # the stranger has a request of their own
        request = await service.open_request(SEEKER, share_first_name=False, city_insee=None, note="Merci d'avance")
        await service.round()
        (match,) = await service.ok("GET", f"/users/{VOLUNTEER}/matches")
        await service.ok("POST", f"/users/{VOLUNTEER}/matches/{match['match_id']}/accept")
        document = await service.ok(
            "PUT", f"/users/{SEEKER}/help-requests/{request['request_id']}/document", content=PDF
        )
        review = await service.ok("PUT", f"/users/{VOLUNTEER}/matches/{match['match_id']}/review", content=PDF)
        yield Scene(service, request["request_id"], match["match_id"], document["document_id"], review["document_id"])


def routes(scene: Scene, actor: str) -> list[tuple[str, str, dict[str, object]]]:
    """Every route that reads or changes the scene's request, match or documents, as ``actor``."""
    request, match = f"/users/{actor}/help-requests/{scene.request_id}", f"/users/{actor}/matches/{scene.match_id}"
    return [
        ("GET", request, {}),
        ("PUT", request + "/sharing", {"json": {}}),
        ("POST", request + "/cancel", {}),
        ("PUT", request + "/document", {"content": PDF}),
        ("GET", match, {}),
        ("POST", match + "/accept", {}),
        ("POST", match + "/decline", {}),
        ("PUT", match + "/review", {"content": PDF}),
        ("POST", match + "/schedule", {"json": {"at": "2026-12-01T10:00:00+01:00"}}),
        ("POST", match + "/complete", {}),
        ("POST", match + "/feedback", {"json": {"rating": 1}}),
        ("PUT", match + "/contact-sharing", {"json": {"share": True}}),
        ("GET", match + "/counterpart", {}),
        ("GET", match + "/messages", {}),
        ("POST", match + "/messages", {"json": {"body": "hello"}}),
        ("POST", match + "/report", {"json": {"reason": "spam-or-sales"}}),
        ("POST", match + "/block", {}),
        ("GET", f"/users/{actor}/documents/{scene.document_id}", {}),
        ("GET", f"/users/{actor}/documents/{scene.review_id}", {}),
    ]


async def test_a_stranger_reads_and_changes_nothing(scene: Scene) -> None:
    before = await scene.service.ok("GET", f"/users/{SEEKER}/help-requests/{scene.request_id}")
    for method, path, kwargs in routes(scene, STRANGER):
        response = await scene.service.call(method, path, **kwargs)
        assert response.status_code == 404, (method, path, response.status_code, response.text)
        assert SEEKER not in response.text and "Merci d'avance" not in response.text
    for method, path, kwargs in routes(scene, OTHER_VOLUNTEER):
        response = await scene.service.call(method, path, **kwargs)
        assert response.status_code == 404, (method, path, response.status_code)
    after = await scene.service.ok("GET", f"/users/{SEEKER}/help-requests/{scene.request_id}")
    assert after == before
    # Lists never leak either.
    assert await scene.service.ok("GET", f"/users/{STRANGER}/matches") == []
    assert [r["request_id"] for r in await scene.service.ok("GET", f"/users/{STRANGER}/help-requests")] != [
        scene.request_id
    ]


async def test_each_side_reads_what_is_theirs(scene: Scene) -> None:
    service = scene.service
    for reader in (SEEKER, VOLUNTEER):
        for document_id in (scene.document_id, scene.review_id):
            response = await service.call("GET", f"/users/{reader}/documents/{document_id}")
            assert response.status_code == 200 and response.content == PDF
            assert response.headers["content-type"] == "application/pdf"
            assert response.headers["x-content-type-options"] == "nosniff"
    # The job seeker's request view is theirs only; the volunteer's match view is theirs only.
    assert (await service.call("GET", f"/users/{VOLUNTEER}/help-requests/{scene.request_id}")).status_code == 404
    seen_by_seeker = await service.ok("GET", f"/users/{SEEKER}/matches/{scene.match_id}")
    assert "request_id" in seen_by_seeker and VOLUNTEER not in json.dumps(seen_by_seeker)


async def test_the_volunteer_sees_only_what_was_shared_and_never_the_job_seekers_id(scene: Scene) -> None:
    view = await scene.service.ok("GET", f"/users/{VOLUNTEER}/matches/{scene.match_id}")
    assert view["seeker"]["first_name"] is None  # not shared
    assert view["seeker"]["city"] is None  # not shared
    assert view["seeker"]["job_group"] == {"code": "D1202", "label": "Coiffure"}
    assert view["seeker"]["note"] == "Merci d'avance"
    assert SEEKER not in json.dumps(view)


async def test_a_proposed_volunteer_does_not_read_the_document_before_accepting(reference: Reference) -> None:
    async with running_volunteers(reference, Clock(NOW)) as service:
        await service.pledge(VOLUNTEER, job_groups=["D1202"])
        request = await service.open_request(SEEKER)
        document = await service.ok(
            "PUT", f"/users/{SEEKER}/help-requests/{request['request_id']}/document", content=PDF
        )
        await service.round()
        (match,) = await service.ok("GET", f"/users/{VOLUNTEER}/matches")
        assert match["status"] == "proposed" and match["document"] is None
        response = await service.call("GET", f"/users/{VOLUNTEER}/documents/{document['document_id']}")
        assert response.status_code == 404
        await service.ok("POST", f"/users/{VOLUNTEER}/matches/{match['match_id']}/decline")
        response = await service.call("GET", f"/users/{VOLUNTEER}/documents/{document['document_id']}")
        assert response.status_code == 404


async def test_only_the_volunteer_answers_a_proposal(reference: Reference) -> None:
    async with running_volunteers(reference, Clock(NOW)) as service:
        await service.pledge(VOLUNTEER, job_groups=["D1202"])
        await service.open_request(SEEKER)
        await service.round()
        (match,) = await service.ok("GET", f"/users/{VOLUNTEER}/matches")
        for action in ("accept", "decline"):
            response = await service.call("POST", f"/users/{SEEKER}/matches/{match['match_id']}/{action}")
            assert response.status_code == 404
        upload = await service.call("PUT", f"/users/{SEEKER}/matches/{match['match_id']}/review", content=PDF)
        assert upload.status_code == 404
