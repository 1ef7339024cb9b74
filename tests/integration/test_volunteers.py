"""Volunteers end to end, on the real broker and every service: from a CV-review action the person asks help
for to a proposed match, its acceptance, and the emails to both sides.

The action-due is published by the test on the real topic (as the advice
service would), so that the test does not depend on which actions the plan
chooses: it makes no request by itself — only the person's tap on the action's
button does. Everything else is the real system: sign-ups through the gateway,
the volunteer's confirmation link from the real email, the volunteers service's
background round, the match events on Kafka, the notifications service's
message log and the emails in the SMTP sink.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer

from shared.contracts.advice import ActionDue, ActionDueData
from shared.contracts.vocabulary import HelpKind
from tests.support.journey import Person, sign_up, unique_name
from tests.support.mail import Mail, link_token, read_mail
from tests.support.system import Broker, System, eventually, start_system, topic_events

pytestmark = pytest.mark.integration
PLEDGE = {"kinds": ["cv-review"], "monthly_capacity": 2, "job_groups": ["D1202"], "languages": ["fr"]}


@pytest.fixture(scope="module")
async def system(broker: Broker, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[System]:
    running = await start_system(
        broker, tmp_path_factory.mktemp("volunteers") / "var", extra_env={"VOLUNTEERS_UPKEEP_INTERVAL_S": "0.5"}
    )
    yield running
    running.stop()


def mails_to(system: System, address: str) -> list[Mail]:
    return [mail for mail in (read_mail(path) for path in system.mails()) if address in mail.to]


async def sign_up_volunteer(client: httpx.AsyncClient, system: System) -> Person:
    """Sign a volunteer up and confirm their pledge with the link of the real confirmation email."""
    name = unique_name("Claire")
    email = f"{name.lower()}@example.org"
    response = await client.post(
        "/v1/volunteers/signup",
        json={"first_name": name, "email": email, "password": "un long mot de passe", "pledge": PLEDGE},
    )
    assert response.status_code == 201, response.text
    signed = response.json()
    assert signed["pledge"]["status"] == "pending-confirmation" and signed["confirmation_email"] == "sent"
    (mail,) = await eventually(lambda: mails_to(system, email), timeout=20)
    confirmed = await client.post("/v1/volunteers/confirm", json={"token": link_token(mail, "/link/volunteer-confirm")})
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "active", confirmed.text
    tokens = signed["tokens"]
    return Person(tokens["user_id"], name, email, tokens["access_token"], tokens["refresh_token"])


def action_id_of(subject: str) -> str:
    return "a_itest" + subject[-8:]


async def publish_action_due(system: System, subject: str) -> None:
    """Publish a due CV-review action on the real topic, as the advice service does."""
    event = ActionDue(
        subject=subject,
        data=ActionDueData(
            action_id=action_id_of(subject),
            template_id="ask-cv-review",
            project_id="p1",
            due_on=date.today(),
            title="Faire relire mon CV",
            duration_minutes=30,
            needs_help=HelpKind.CV_REVIEW,
            rome_code="D1202",
            city_insee="69123",
        ),
    )
    producer = AIOKafkaProducer(bootstrap_servers=system.broker.bootstrap)
    await producer.start()
    try:
        await producer.send_and_wait(system.prefix + ActionDue.topic, event.model_dump_json().encode(), key=event.key())
    finally:
        await producer.stop()


async def message_log(system: System, subject: str) -> list[dict[str, Any]]:
    async with httpx.AsyncClient(
        base_url=system.url("notifications"), headers=system.internal_headers, timeout=10
    ) as internal:
        response = await internal.get(f"/internal/messages/{subject}")
        return list(response.json()) if response.status_code == 200 else []


async def test_from_a_cv_review_action_to_a_proposed_match_and_the_emails_to_both_sides(system: System) -> None:
    async with httpx.AsyncClient(base_url=system.url("gateway"), timeout=15) as client:
        seeker = await sign_up(client)
        # The action is due: nobody asks a volunteer on the person's behalf (it used to make a request).
        await publish_action_due(system, seeker.user_id)
        volunteer = await sign_up_volunteer(client, system)
        assert (await client.get("/v1/me/help-requests", headers=seeker.auth)).json() == []

        # The person taps « Demander à un ou une bénévole » on the action: the request is made then.
        asked = await client.post(
            "/v1/me/help-requests",
            headers=seeker.auth,
            json={"kind": "cv-review", "action_id": action_id_of(seeker.user_id)},
        )
        assert asked.status_code == 201, asked.text
        request = asked.json()
        assert request["status"] == "awaiting-sharing-choice"  # nothing matched before the person chooses
        assert request["origin"] == "plan" and request["action_id"] == action_id_of(seeker.user_id)
        again = await client.post(
            "/v1/me/help-requests",
            headers=seeker.auth,
            json={"kind": "cv-review", "action_id": action_id_of(seeker.user_id)},
        )
        assert again.json()["request_id"] == request["request_id"]  # a second tap: the same request
        shared = await client.put(
            f"/v1/me/help-requests/{request['request_id']}/sharing",
            headers=seeker.auth,
            json={"share_first_name": True, "rome_code": "D1202", "city_insee": "69123"},
        )
        assert shared.status_code == 200 and shared.json()["status"] == "open", shared.text

        # The match-proposed event: the job seeker is the subject, the volunteer is named by id only.
        async def proposed() -> list[dict[str, Any]]:
            return [
                e for e in await topic_events(system, "match-proposed", idle_ms=1000) if e["subject"] == seeker.user_id
            ]

        (event,) = await eventually(proposed, timeout=20)
        assert event["data"]["volunteer_subject"] == volunteer.user_id
        assert event["data"]["reason_codes"][0] == "trade-same-job-group"
        for personal in (seeker.first_name, volunteer.first_name, seeker.email, volunteer.email):
            assert personal and personal not in json.dumps(event)

        # The volunteer is asked by email, and sees only what was shared.
        (asked,) = await eventually(
            lambda: [m for m in mails_to(system, volunteer.email or "") if "besoin de vous" in m.subject], timeout=20
        )
        assert seeker.first_name not in asked.text  # the email says someone needs help, not who
        log = await eventually(lambda: message_log(system, volunteer.user_id), timeout=10)
        assert "match-proposed-volunteer" in {m["campaign"] for m in log}
        (match,) = (await client.get("/v1/volunteers/me/matches", headers=volunteer.auth)).json()
        assert match["seeker"]["first_name"] == seeker.first_name
        assert match["seeker"]["job_group"]["code"] == "D1202" and seeker.user_id not in json.dumps(match)

        # The volunteer accepts: the job seeker is told by email.
        accepted = await client.post(f"/v1/volunteers/me/matches/{match['match_id']}/accept", headers=volunteer.auth)
        assert accepted.status_code == 200 and accepted.json()["status"] == "accepted", accepted.text
        (told,) = await eventually(
            lambda: [m for m in mails_to(system, seeker.email or "") if "accepté de vous aider" in m.subject],
            timeout=20,
        )
        assert (volunteer.email or "") not in told.text  # contact details are shared only when both accept
        view = (await client.get(f"/v1/me/help-requests/{request['request_id']}", headers=seeker.auth)).json()
        assert view["status"] == "matched" and view["match"]["volunteer_first_name"] == volunteer.first_name
        # Only the request the person asked for exists, though the action was due all along.
        requests = (await client.get("/v1/me/help-requests", headers=seeker.auth)).json()
        assert [r["request_id"] for r in requests] == [request["request_id"]]


async def test_the_public_counters_need_no_login(system: System) -> None:
    async with httpx.AsyncClient(base_url=system.url("gateway"), timeout=15) as client:
        response = await client.get("/v1/volunteers/counters")
    assert response.status_code == 200
    assert set(response.json()) >= {"active_volunteers", "helps_pledged_per_month", "helps_completed"}
