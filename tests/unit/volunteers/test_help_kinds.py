"""The kinds of help (a mock interview among them) and who makes a request: only the person, never an event."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta

import pytest
import yaml

from services.gateway.routes.web import WEB_DIR
from services.volunteers.bootstrap import subscriptions
from services.volunteers.matching import RequestCard, VolunteerCard, assess, match_requests
from services.volunteers.reasons import TEXTS
from services.volunteers.references import Reference
from shared.contracts.vocabulary import MEETING_HELPS, Help
from tests.support.system import ROOT
from tests.unit.volunteers.conftest import NOW
from tests.unit.volunteers.harness import Clock, Volunteers, running_volunteers

SEEKER = "u_seeker001"
MOCK = Help.MOCK_INTERVIEW


@pytest.fixture
async def service(reference: Reference) -> AsyncIterator[Volunteers]:
    async with running_volunteers(reference, Clock(NOW)) as running:
        yield running


# --- Nobody is asked for help on the person's behalf -----------------------------------------------


def test_the_service_no_longer_follows_action_due(service: Volunteers) -> None:
    # An action of the plan that needs a volunteer used to make a request by itself: the person
    # then found a request they had not asked for. Only the person makes one now.
    assert set(subscriptions(service.runtime)) == {"user-erased"}


async def test_a_request_is_made_when_the_person_asks_from_their_plan(service: Volunteers) -> None:
    assert await service.ok("GET", f"/users/{SEEKER}/help-requests") == []
    asked = await service.ask_from_action(SEEKER, "a_00aa", kind=MOCK)
    assert asked["kind"] == "mock-interview" and asked["status"] == "awaiting-sharing-choice"
    assert await service.ask_from_action(SEEKER, "a_00aa", kind=MOCK) == asked  # a second tap: the same request

    # Cancelled, then asked again for the same action: a new request.
    await service.ok("POST", f"/users/{SEEKER}/help-requests/{asked['request_id']}/cancel")
    again = await service.ask_from_action(SEEKER, "a_00aa", kind=MOCK)
    assert again["request_id"] != asked["request_id"] and again["status"] == "awaiting-sharing-choice"

    # Asked with the sharing choice at once: open for matching.
    opened = await service.ok(
        "POST",
        f"/users/{SEEKER}/help-requests",
        json={"kind": "cv-review", "action_id": "a_00bb", "sharing": {"rome_code": "D1202"}},
    )
    assert opened["status"] == "open"
    kinds = sorted(r["kind"] for r in await service.ok("GET", f"/users/{SEEKER}/help-requests"))
    assert kinds == ["cv-review", "mock-interview", "mock-interview"]


async def test_another_persons_action_gives_nothing_of_theirs(service: Volunteers) -> None:
    mine = await service.ask_from_action(SEEKER, "a_00cc")
    theirs = await service.ask_from_action("u_other0001", "a_00cc")
    assert theirs["request_id"] != mine["request_id"]
    assert [r["request_id"] for r in await service.ok("GET", "/users/u_other0001/help-requests")] == [
        theirs["request_id"]
    ]


# --- A mock interview is a meeting, like a coffee chat ----------------------------------------------


async def test_a_pledge_of_mock_interviews_says_where_the_volunteer_meets(service: Volunteers) -> None:
    pledge = {"first_name": "Claire", "kinds": ["mock-interview"], "monthly_capacity": 2}
    refused = await service.call("POST", "/pledges/u_volunteer1", json=pledge)
    assert refused.status_code == 422 and "coffee" in refused.text
    pledge = await service.pledge(
        "u_volunteer1",
        kinds=["cv-review", "cover-letter-review", "coffee-chat", "mock-interview"],
        coffee={"in_person": False, "remote": True},
    )
    assert pledge["kinds"] == sorted(kind.value for kind in Help)
    assert pledge["coffee"] == {"in_person": False, "city_insee": None, "max_distance_km": 10, "remote": True}


async def test_a_mock_interview_is_matched_and_scheduled_like_a_meeting(service: Volunteers) -> None:
    await service.pledge("u_coffee001", kinds=["coffee-chat"], coffee={"in_person": False, "remote": True})
    await service.pledge("u_mock00001", kinds=["mock-interview"], coffee={"in_person": False, "remote": True})
    request = await service.open_request(SEEKER, kind="mock-interview", meet_in_person=False)
    assert (await service.round()).proposed == 1
    (proposed,) = await service.events("match-proposed")
    assert proposed["data"]["volunteer_subject"] == "u_mock00001"
    # The events of version 1 know three kinds: a mock interview is published as the meeting it is
    # (coffee-chat), and as itself in the field added for it.
    assert proposed["data"]["kind"] == "coffee-chat" and proposed["data"]["help"] == "mock-interview"
    assert "place-remote-interview" in proposed["data"]["reason_codes"]
    (match,) = await service.ok("GET", "/users/u_mock00001/matches")
    await service.ok("POST", f"/users/u_mock00001/matches/{match['match_id']}/accept")
    at = (service.clock.now + timedelta(days=2)).isoformat()
    scheduled = await service.call("POST", f"/users/{SEEKER}/matches/{match['match_id']}/schedule", json={"at": at})
    assert scheduled.status_code == 200, scheduled.text
    no_document = await service.call(
        "PUT", f"/users/{SEEKER}/help-requests/{request['request_id']}/document", files={"file": ("cv.pdf", b"%PDF")}
    )
    assert no_document.status_code == 409


def test_in_person_a_mock_interview_is_never_given_to_a_coffee_only_volunteer(reference: Reference) -> None:
    lyon, villeurbanne = reference.geo.communes["69123"], reference.geo.communes["69266"]
    coffee_only = VolunteerCard(
        volunteer_id="u_a0000001",
        kinds=frozenset({Help.COFFEE_CHAT}),
        capacity=3,
        commune=villeurbanne,
        max_distance_km=10,
    )
    interviewer = replace(coffee_only, volunteer_id="u_b0000001", kinds=frozenset({MOCK}))
    request = RequestCard(
        request_id="rq_1", subject=SEEKER, kind=MOCK, opened_at=NOW, rome_code="D1202", commune=lyon, remote=False
    )
    assert assess(request, coffee_only, reference.trades, now=NOW) is None
    proposal = assess(request, interviewer, reference.trades, now=NOW)
    assert proposal is not None and proposal.in_person
    assert "place-in-person-interview" in {r.code for r in proposal.reasons} <= set(TEXTS)
    (chosen,) = match_requests([request], [coffee_only, interviewer], reference.trades, now=NOW)
    assert chosen.volunteer_id == "u_b0000001"


# --- Every kind is named everywhere kinds are listed ------------------------------------------------


def test_every_kind_has_its_words_in_the_emails_and_the_web_client() -> None:
    common = yaml.safe_load((ROOT / "services/notifications/content/common.yaml").read_text(encoding="utf-8"))
    for locale in ("fr", "fr@tu", "en"):
        assert set(common[locale]["help_kinds"]) == {kind.value for kind in Help}, locale
    for name in ("fr", "en"):
        texts = json.loads((WEB_DIR / "i18n" / f"{name}.json").read_text(encoding="utf-8"))
        for kind in Help:
            for key in ("enum.help-kind", "help.kind-hint", "volunteer.kind-hint", "plan.ask-help"):
                assert f"{key}.{kind.value}" in texts, (name, key, kind)
    for page in ("help.js", "volunteer.js"):
        source = (WEB_DIR / "js" / "pages" / page).read_text(encoding="utf-8")
        listed = re.search(r"const KINDS = \[([^\]]*)\]", source)
        assert listed and set(re.findall(r"'([a-z-]+)'", listed.group(1))) == {kind.value for kind in Help}, page
        meetings = re.search(r"const MEETINGS = new Set\(\[([^\]]*)\]\)", source)
        assert meetings and set(re.findall(r"'([a-z-]+)'", meetings.group(1))) == {k.value for k in MEETING_HELPS}, page
