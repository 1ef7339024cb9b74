"""Live events: every save reaches the open pages (without any of the profile), and a save that leaves
the diagnosis unchanged is still followed by a diagnosis-ready once the diagnosis reflects it."""

from __future__ import annotations

import orjson

from services.gateway.live import (
    ACCOUNT_ERASED,
    LIVE_EVENTS,
    PROFILE_SAVED,
    QUEUE_SIZE,
    LiveHub,
    settle,
    settled_event,
    summary,
)
from shared.contracts.profile import ProfileUpdated, ProfileUpdatedData, UserErased

PROFILE_UPDATED = {
    "event_type": "profile-updated",
    "subject": "u_0123456789abcdef",
    "occurred_at": "2026-11-20T09:00:00Z",
    "data": {
        "revision": 7,
        "profile": {"year_of_birth": 1964, "gender": "FEMININE", "has_handicap": True, "frustrations": ["MOTIVATION"]},
        "projects": [
            {"project_id": "p1", "rome_code": "M1203", "city_insee": "69123", "min_salary": 32000},
            {"project_id": "p2", "rome_code": "M1607", "city_insee": "69266"},
        ],
        "preferences": {"locale": "fr"},
    },
}


def test_the_gateway_follows_every_save() -> None:
    assert ProfileUpdated.topic in LIVE_EVENTS
    assert "revision" in ProfileUpdatedData.model_fields


def test_a_save_reaches_the_page_as_a_revision_and_project_ids_only() -> None:
    event = summary(ProfileUpdated.topic, PROFILE_UPDATED)
    assert event == {
        "type": PROFILE_SAVED,
        "revision": 7,
        "project_ids": ["p1", "p2"],
        "occurred_at": "2026-11-20T09:00:00Z",
    }
    text = orjson.dumps(event).decode()
    for personal in ("1964", "FEMININE", "M1203", "69123", "32000", "MOTIVATION", "handicap"):
        assert personal not in text


def test_a_changed_diagnosis_says_which_revision_it_reflects() -> None:
    body = {"occurred_at": "t", "data": {"project_id": "p1", "main_challenge": "bravo", "profile_revision": 7}}
    assert summary("diagnosis-ready", body) == {
        "type": "diagnosis-ready",
        "project_id": "p1",
        "main_challenge": "bravo",
        "occurred_at": "t",
        "revision": 7,
        "changed": True,
    }


async def test_settle_waits_until_every_project_of_the_save_is_diagnosed_at_its_revision() -> None:
    saved = summary(ProfileUpdated.topic, PROFILE_UPDATED)
    readings = iter([{"p1": 6, "p2": 6}, {"p1": 7, "p2": 6}, {"p1": 7, "p2": 7}])
    reads = 0

    async def read() -> dict[str, int]:
        nonlocal reads
        reads += 1
        return next(readings)

    assert await settle(saved, read, timeout_s=2, interval_s=0.01) is True
    assert reads == 3
    event = settled_event(saved, reached=True)
    assert event["type"] == "diagnosis-ready" and event["changed"] is False and event["revision"] == 7


async def test_settle_gives_up_after_its_time_and_survives_a_service_that_does_not_answer() -> None:
    saved = {"revision": 3, "project_ids": ["p1"]}

    async def failing() -> dict[str, int]:
        raise ConnectionError("diagnostic down")

    assert await settle(saved, failing, timeout_s=0.05, interval_s=0.01) is False


def test_a_page_gets_the_events_of_its_person_only() -> None:
    hub = LiveHub()
    mine, theirs = hub.open("u_a"), hub.open("u_b")
    assert hub.push("u_a", summary(ProfileUpdated.topic, PROFILE_UPDATED)) == 1
    assert mine.get_nowait()["type"] == PROFILE_SAVED
    assert theirs.empty()
    hub.close("u_a", mine)
    hub.close("u_b", theirs)
    assert hub.connections == 0


def test_an_erasure_ends_the_stream_with_nothing_of_the_person() -> None:
    assert UserErased.topic in LIVE_EVENTS
    erased = {"event_type": "user-erased", "subject": "u_a", "occurred_at": "t", "data": {"reason": "user-request"}}
    assert summary(UserErased.topic, erased) == {"type": ACCOUNT_ERASED, "occurred_at": "t"}


def test_the_end_of_a_stream_reaches_a_page_that_stopped_reading() -> None:
    hub = LiveHub()
    page = hub.open("u_a")
    for _ in range(QUEUE_SIZE):
        hub.push("u_a", summary(ProfileUpdated.topic, PROFILE_UPDATED))
    hub.push("u_a", {"type": ACCOUNT_ERASED, "occurred_at": "t"})
    events = [page.get_nowait() for _ in range(page.qsize())]
    assert events[-1]["type"] == ACCOUNT_ERASED
    hub.close("u_a", page)
