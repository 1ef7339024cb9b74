"""Relayed messages, contact sharing by mutual consent, blocks and reports."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import pytest

from services.volunteers.disclosure import contact_given
from services.volunteers.lifecycle import Role
from services.volunteers.references import Reference
from services.volunteers.safety import Limits, check_message
from shared.envelope import iso
from shared.problems import ConflictError
from tests.unit.volunteers.conftest import NOW
from tests.unit.volunteers.harness import PDF, Clock, Volunteers, running_volunteers

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


# --- A block cuts the pair off, whatever the match's status -----------------------------------------

COMPLETED = {
    "_id": "mt_1",
    "subject": "u_seeker",
    "volunteer": "u_volunteer",
    "status": "completed",
    "completed_at": iso(NOW - timedelta(days=1)),
    "contact_consent": {"seeker": True, "volunteer": True},
}
BLOCKS_OF_THE_PAIR = (
    [{"blocker": "u_seeker", "blocked": "u_volunteer"}],
    [{"blocker": "u_volunteer", "blocked": "u_seeker"}],
)


@pytest.mark.parametrize("blocks", BLOCKS_OF_THE_PAIR)
@pytest.mark.parametrize("sender", list(Role))
def test_neither_side_of_a_blocked_pair_writes_even_after_the_help(blocks: list[dict[str, str]], sender: Role) -> None:
    check_message(COMPLETED, sender=sender, now=NOW, sent=[], blocks=[], limits=Limits())  # open without a block
    with pytest.raises(ConflictError) as refused:
        check_message(COMPLETED, sender=sender, now=NOW, sent=[], blocks=blocks, limits=Limits())
    assert refused.value.code == "messages_closed"


@pytest.mark.parametrize("blocks", BLOCKS_OF_THE_PAIR)
def test_no_contact_is_given_across_a_blocked_pair_even_after_the_help(blocks: list[dict[str, str]]) -> None:
    assert contact_given(COMPLETED, [])
    assert contact_given(COMPLETED, [{"blocker": "u_seeker", "blocked": "u_other"}])  # another pair
    assert not contact_given(COMPLETED, blocks)


@dataclass
class Helped:
    """A completed review: both documents uploaded and both sides sharing their contact."""

    seeker: str
    match_id: str
    document_id: str
    review_id: str


async def completed_review(service: Volunteers, seeker: str) -> Helped:
    request = await service.open_request(seeker)
    document = await service.ok("PUT", f"/users/{seeker}/help-requests/{request['request_id']}/document", content=PDF)
    await service.round()
    match_id = (await service.ok("GET", f"/users/{seeker}/help-requests"))[0]["match"]["match_id"]
    await service.ok("POST", f"/users/{VOLUNTEER}/matches/{match_id}/accept")
    review = await service.ok("PUT", f"/users/{VOLUNTEER}/matches/{match_id}/review", content=PDF)
    for user in (seeker, VOLUNTEER):
        await service.ok("PUT", f"/users/{user}/matches/{match_id}/contact-sharing", json={"share": True})
    done = await service.ok("POST", f"/users/{seeker}/matches/{match_id}/complete")
    assert done["match"]["status"] == "completed"
    return Helped(seeker, match_id, document["document_id"], review["document_id"])


async def what_each_side_gets(service: Volunteers, helped: Helped) -> list[tuple[str, str, int]]:
    """Return, for each side, the status of posting a message, reading the other's document and their contact."""
    seen = []
    for user, theirs in ((helped.seeker, helped.review_id), (VOLUNTEER, helped.document_id)):
        match = f"/users/{user}/matches/{helped.match_id}"
        posted = await service.call("POST", match + "/messages", json={"body": "Encore une question"})
        read = await service.call("GET", f"/users/{user}/documents/{theirs}")
        contact = await service.call("GET", match + "/counterpart")
        seen += [(user, "message", posted.status_code), (user, "document", read.status_code)]
        seen.append((user, "contact", contact.status_code))
    return seen


async def documents_described(service: Volunteers, helped: Helped) -> dict[str, tuple[str | None, ...]]:
    """Return the ids of the documents each side's views describe for the match (theirs, then their own)."""
    request = next(
        r
        for r in await service.ok("GET", f"/users/{helped.seeker}/help-requests")
        if r["match"]["match_id"] == helped.match_id
    )
    match = next(m for m in await service.ok("GET", f"/users/{VOLUNTEER}/matches") if m["match_id"] == helped.match_id)
    return {
        "seeker": ((request["match"]["review_document"] or {}).get("document_id"), request["document"]["document_id"]),
        "volunteer": ((match["document"] or {}).get("document_id"), match["review_document"]["document_id"]),
    }


@pytest.mark.parametrize(
    ("actor", "action"),
    [(SEEKER, "block"), (VOLUNTEER, "block"), (SEEKER, "report"), (VOLUNTEER, "report")],
)
async def test_a_block_or_a_report_after_the_help_cuts_the_pair_off(
    service: Volunteers, actor: str, action: str
) -> None:
    cut, untouched = await completed_review(service, SEEKER), await completed_review(service, "u_seeker0002")
    body = {"json": {"reason": "inappropriate-behaviour"}} if action == "report" else {}
    response = await service.call("POST", f"/users/{actor}/matches/{cut.match_id}/{action}", **body)
    assert response.status_code == 204
    assert await what_each_side_gets(service, cut) == [
        (user, what, {"message": 409, "document": 404, "contact": 409}[what])
        for user in (SEEKER, VOLUNTEER)
        for what in ("message", "document", "contact")
    ]
    # Each side keeps its own file, and the volunteer's other job seeker is not cut off.
    assert (await service.call("GET", f"/users/{SEEKER}/documents/{cut.document_id}")).status_code == 200
    assert (await service.call("GET", f"/users/{VOLUNTEER}/documents/{cut.review_id}")).status_code == 200
    assert await what_each_side_gets(service, untouched) == [
        (user, what, {"message": 201, "document": 200, "contact": 200}[what])
        for user in ("u_seeker0002", VOLUNTEER)
        for what in ("message", "document", "contact")
    ]
    # What cannot be opened is not described either (name, size); each side's own file still is.
    assert await documents_described(service, cut) == {
        "seeker": (None, cut.document_id),
        "volunteer": (None, cut.review_id),
    }
    assert await documents_described(service, untouched) == {
        "seeker": (untouched.review_id, untouched.document_id),
        "volunteer": (untouched.document_id, untouched.review_id),
    }
