"""The public volunteer routes through the real gateway app and the real volunteers service.

The profile and notifications services are stand-ins here (accounts, contacts,
and a record of the emails asked for); the integration test uses the real ones.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from services.gateway.bootstrap import create_app as create_gateway
from services.gateway.settings import GatewaySettings
from services.gateway.upstream import Services
from services.volunteers.references import Reference
from tests.unit.volunteers.conftest import NOW
from tests.unit.volunteers.harness import PDF, Clock, Volunteers, running_volunteers

PLEDGE = {
    "kinds": ["cv-review", "coffee-chat"],
    "monthly_capacity": 2,
    "job_groups": ["D1202"],
    "coffee": {"in_person": False, "remote": True},
}


@dataclass
class Stand:
    """Stand-ins for the profile and notifications services."""

    accounts: dict[str, dict[str, Any]] = field(default_factory=dict)
    emails: list[dict[str, Any]] = field(default_factory=list)

    def profile(self) -> FastAPI:
        app = FastAPI()

        @app.post("/internal/accounts", status_code=201)
        async def create(body: dict[str, Any]) -> dict[str, Any]:
            user_id = "u_" + secrets.token_hex(8)
            self.accounts[user_id] = body
            return {"user_id": user_id, "role": body.get("role", "job-seeker"), "refresh_token": "r_" + user_id}

        @app.get("/internal/contacts/{user_id}")
        async def contact(user_id: str) -> dict[str, Any]:
            account = self.accounts[user_id]
            return {
                "user_id": user_id,
                "email": account["email"],
                "first_name": account["first_name"],
                "locale": "fr",
                "gender": "UNKNOWN",
                "role": account.get("role", "job-seeker"),
            }

        return app

    def notifications(self) -> FastAPI:
        app = FastAPI()

        @app.post("/internal/messages", status_code=202)
        async def queue(body: dict[str, Any]) -> dict[str, str]:
            self.emails.append(body)
            return {"message_id": "m_1", "status": "queued"}

        return app


class Mesh(httpx.AsyncBaseTransport):
    """Routes each service's host to its app, in process."""

    def __init__(self, apps: dict[str, Any]) -> None:
        self.transports = {host: httpx.ASGITransport(app=app) for host, app in apps.items()}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self.transports[request.url.host].handle_async_request(request)


@dataclass
class World:
    http: httpx.AsyncClient
    service: Volunteers
    stand: Stand
    profile: httpx.AsyncClient

    async def job_seeker(self, first_name: str = "Martine") -> tuple[str, dict[str, str]]:
        answer = await self.profile.post(
            "/internal/accounts", json={"first_name": first_name, "email": f"{first_name.lower()}@example.org"}
        )
        user_id = answer.json()["user_id"]
        return user_id, self.auth(user_id, "job-seeker")

    def auth(self, user_id: str, role: str) -> dict[str, str]:
        from services.gateway.tokens import Principal, issue_access_token
        from shared.settings import DEVELOPMENT_SECRET

        token = issue_access_token(
            Principal(user_id, role), secret=DEVELOPMENT_SECRET, now=NOW.now(tz=NOW.tzinfo), minutes=15
        )
        return {"authorization": f"Bearer {token}"}

    async def volunteer(self, first_name: str = "Claire", **pledge: Any) -> tuple[str, dict[str, str]]:
        body = {
            "first_name": first_name,
            "email": f"{first_name.lower()}@example.org",
            "password": "un long mot de passe",
            "pledge": {**PLEDGE, **pledge},
        }
        answer = await self.http.post("/v1/volunteers/signup", json=body)
        assert answer.status_code == 201, answer.text
        link = self.stand.emails[-1]["variables"]["link"]
        confirmed = await self.http.post("/v1/volunteers/confirm", json={"token": link.split("#", 1)[1]})
        assert confirmed.json()["status"] == "active"
        user_id = answer.json()["tokens"]["user_id"]
        return user_id, {"authorization": f"Bearer {answer.json()['tokens']['access_token']}"}


@pytest.fixture
async def world(reference: Reference) -> AsyncIterator[World]:
    stand = Stand()
    async with running_volunteers(reference, Clock(NOW)) as service:
        settings = GatewaySettings(
            environment="development",  # in process, on the public development secrets
            profile_url="http://profile",
            volunteers_url="http://volunteers",
            notifications_url="http://notifications",
            public_url="https://coach.example",
        )
        transport = Mesh(
            {
                "profile": stand.profile(),
                "notifications": stand.notifications(),
                "volunteers": service.app,
            }
        )
        gateway = create_gateway(settings, transport)
        gateway.state.services = Services(settings, transport)
        async with (
            httpx.AsyncClient(transport=httpx.ASGITransport(app=gateway), base_url="http://gateway") as http,
            httpx.AsyncClient(transport=transport, base_url="http://profile") as profile,
        ):
            yield World(http=http, service=service, stand=stand, profile=profile)
        await gateway.state.services.close()


async def test_a_volunteer_signs_up_confirms_by_email_and_is_counted(world: World) -> None:
    volunteer_id, auth = await world.volunteer()
    confirm = world.stand.emails[0]
    assert confirm["campaign"] == "volunteer-confirm" and confirm["subject"] == volunteer_id
    assert confirm["dedupe_key"] == f"volunteer-confirm:{volunteer_id}"
    assert confirm["variables"]["link"].startswith("https://coach.example/link/volunteer-confirm#")
    assert world.stand.accounts[volunteer_id]["role"] == "volunteer"
    pledge = (await world.http.get("/v1/volunteers/me/pledge", headers=auth)).json()
    assert pledge["status"] == "active" and pledge["first_name"] == "Claire"
    counters = await world.http.get("/v1/volunteers/counters")  # no login
    assert counters.status_code == 200 and counters.json()["active_volunteers"] == 1
    assert counters.headers["cache-control"] == "public, max-age=60"


async def test_an_invalid_pledge_is_refused_before_any_account_is_made(world: World) -> None:
    body = {
        "first_name": "Claire",
        "email": "claire@example.org",
        "password": "un long mot de passe",
        "pledge": {**PLEDGE, "job_groups": ["N9999"]},
    }
    answer = await world.http.post("/v1/volunteers/signup", json=body, headers={"accept-language": "en"})
    assert answer.status_code == 422 and answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["errors"] == [
        {"field": "job_groups.0", "code": "unknown_code", "reason": "This code does not exist in the reference data."}
    ]
    assert world.stand.accounts == {}


async def test_a_forged_confirmation_link_gets_a_clear_problem(world: World) -> None:
    answer = await world.http.post("/v1/volunteers/confirm", json={"token": "u_forged.AAAAAAAAAAAA"})
    assert answer.status_code == 409
    assert answer.json()["detail"] == "Ce lien de confirmation n'est plus valable ; demandez-en un nouveau."


async def test_from_request_to_review_through_the_public_api(world: World) -> None:
    volunteer_id, volunteer = await world.volunteer()
    seeker_id, seeker = await world.job_seeker()
    asked = await world.http.post(
        "/v1/me/help-requests",
        headers=seeker,
        json={"kind": "cv-review", "sharing": {"share_first_name": True, "rome_code": "D1202"}},
    )
    assert asked.status_code == 201, asked.text
    request_id = asked.json()["request_id"]
    upload = await world.http.put(
        f"/v1/me/help-requests/{request_id}/document",
        headers=seeker,
        files={"file": ("Mon CV.pdf", PDF, "application/pdf")},
    )
    assert upload.status_code == 201 and upload.json()["filename"] == "Mon CV.pdf"
    await world.service.round()
    (match,) = (await world.http.get("/v1/volunteers/me/matches", headers=volunteer)).json()
    assert match["seeker"]["first_name"] == "Martine" and seeker_id not in str(match)
    accepted = await world.http.post(f"/v1/volunteers/me/matches/{match['match_id']}/accept", headers=volunteer)
    document_id = accepted.json()["document"]["document_id"]
    download = await world.http.get(
        f"/v1/volunteers/me/matches/{match['match_id']}/documents/{document_id}", headers=volunteer
    )
    assert download.status_code == 200 and download.content == PDF
    assert download.headers["cache-control"] == "private, no-store"

    # Messages are relayed; the recipient is told by email, without the text.
    written = await world.http.post(
        f"/v1/me/help-requests/{request_id}/messages", headers=seeker, json={"body": "Merci beaucoup"}
    )
    assert written.status_code == 201 and "recipient_id" not in written.json()
    notice = world.stand.emails[-1]
    assert notice["campaign"] == "match-message" and notice["subject"] == volunteer_id
    assert "Merci" not in str(notice)
    thread = (await world.http.get(f"/v1/volunteers/me/matches/{match['match_id']}/messages", headers=volunteer)).json()
    assert [m["body"] for m in thread] == ["Merci beaucoup"]

    # Contact details only once both accept.
    early = await world.http.get(f"/v1/me/help-requests/{request_id}/contact", headers=seeker)
    assert early.status_code == 409 and early.json()["code"] == "contact_not_shared"
    for path, auth in (
        (f"/v1/me/help-requests/{request_id}", seeker),
        (f"/v1/volunteers/me/matches/{match['match_id']}", volunteer),
    ):
        assert (await world.http.put(path + "/contact-sharing", headers=auth, json={"share": True})).status_code == 200
    contact = await world.http.get(f"/v1/me/help-requests/{request_id}/contact", headers=seeker)
    assert contact.json() == {"first_name": "Claire", "email": "claire@example.org"}

    done = await world.http.post(f"/v1/me/help-requests/{request_id}/complete", headers=seeker)
    assert done.json()["status"] == "completed"
    rated = await world.http.post(f"/v1/me/help-requests/{request_id}/feedback", headers=seeker, json={"rating": 5})
    assert rated.json()["match"]["my_feedback"]["rating"] == 5


async def test_files_that_are_not_pdf_or_docx_are_refused_with_a_reason(world: World) -> None:
    _, seeker = await world.job_seeker()
    asked = await world.http.post("/v1/me/help-requests", headers=seeker, json={"kind": "cv-review", "sharing": {}})
    answer = await world.http.put(
        f"/v1/me/help-requests/{asked.json()['request_id']}/document",
        headers={**seeker, "accept-language": "en"},
        files={"file": ("cv.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")},
    )
    assert answer.status_code == 415
    assert answer.json()["detail"] == "Send a PDF or a Word document (.docx)."


async def test_the_weekly_quota_answers_in_the_readers_language(world: World) -> None:
    _, seeker = await world.job_seeker()
    for kind in ("cv-review", "cover-letter-review", "coffee-chat"):
        asked = await world.http.post("/v1/me/help-requests", headers=seeker, json={"kind": kind, "sharing": {}})
        await world.http.post(f"/v1/me/help-requests/{asked.json()['request_id']}/cancel", headers=seeker)
    refused = await world.http.post("/v1/me/help-requests", headers=seeker, json={"kind": "cv-review", "sharing": {}})
    assert refused.status_code == 409
    assert refused.json()["detail"] == (
        "Vous avez fait 3 demandes cette semaine ; vous pourrez en faire une autre dans 7 jours."
    )


async def test_zero_cross_user_reads_through_the_public_api(world: World) -> None:
    volunteer_id, volunteer = await world.volunteer("Claire")
    _, other_volunteer = await world.volunteer("Paul", job_groups=["K2204"])
    _, seeker = await world.job_seeker("Martine")
    _, stranger = await world.job_seeker("Sami")
    asked = await world.http.post(
        "/v1/me/help-requests",
        headers=seeker,
        json={"kind": "cv-review", "sharing": {"rome_code": "D1202", "note": "Secret"}},
    )
    request_id = asked.json()["request_id"]
    document = await world.http.put(
        f"/v1/me/help-requests/{request_id}/document",
        headers=seeker,
        files={"file": ("cv.pdf", PDF, "application/pdf")},
    )
    document_id = document.json()["document_id"]
    await world.service.round()
    (match,) = (await world.http.get("/v1/volunteers/me/matches", headers=volunteer)).json()
    match_id = match["match_id"]
    await world.http.post(f"/v1/volunteers/me/matches/{match_id}/accept", headers=volunteer)

    seeker_routes = [
        ("GET", f"/v1/me/help-requests/{request_id}", None),
        ("PUT", f"/v1/me/help-requests/{request_id}/sharing", {}),
        ("POST", f"/v1/me/help-requests/{request_id}/cancel", None),
        ("GET", f"/v1/me/help-requests/{request_id}/documents/{document_id}", None),
        ("GET", f"/v1/me/help-requests/{request_id}/messages", None),
        ("POST", f"/v1/me/help-requests/{request_id}/messages", {"body": "hi"}),
        ("POST", f"/v1/me/help-requests/{request_id}/complete", None),
        ("POST", f"/v1/me/help-requests/{request_id}/feedback", {"rating": 1}),
        ("PUT", f"/v1/me/help-requests/{request_id}/contact-sharing", {"share": True}),
        ("GET", f"/v1/me/help-requests/{request_id}/contact", None),
        ("POST", f"/v1/me/help-requests/{request_id}/report", {"reason": "other"}),
        ("POST", f"/v1/me/help-requests/{request_id}/block", None),
    ]
    volunteer_routes = [
        ("GET", f"/v1/volunteers/me/matches/{match_id}", None),
        ("POST", f"/v1/volunteers/me/matches/{match_id}/accept", None),
        ("POST", f"/v1/volunteers/me/matches/{match_id}/decline", None),
        ("GET", f"/v1/volunteers/me/matches/{match_id}/documents/{document_id}", None),
        ("POST", f"/v1/volunteers/me/matches/{match_id}/complete", None),
        ("POST", f"/v1/volunteers/me/matches/{match_id}/feedback", {"rating": 1}),
        ("PUT", f"/v1/volunteers/me/matches/{match_id}/contact-sharing", {"share": True}),
        ("GET", f"/v1/volunteers/me/matches/{match_id}/contact", None),
        ("GET", f"/v1/volunteers/me/matches/{match_id}/messages", None),
        ("POST", f"/v1/volunteers/me/matches/{match_id}/messages", {"body": "hi"}),
        ("POST", f"/v1/volunteers/me/matches/{match_id}/report", {"reason": "other"}),
        ("POST", f"/v1/volunteers/me/matches/{match_id}/block", None),
    ]
    reads = 0
    # Strangers, the other volunteer, and each side on the other side's routes: nothing.
    for auth, routes in (
        (stranger, seeker_routes),
        (other_volunteer, seeker_routes),
        (volunteer, seeker_routes),
        (stranger, volunteer_routes),
        (other_volunteer, volunteer_routes),
        (seeker, volunteer_routes),
    ):
        for method, path, body in routes:
            answer = await world.http.request(method, path, headers=auth, json=body)
            assert answer.status_code == 404, (method, path, answer.status_code, answer.text)
            reads += "Secret" in answer.text or answer.content == PDF  # the note or the file
    assert reads == 0
    # Uploads as someone else.
    for auth, path in (
        (stranger, f"/v1/me/help-requests/{request_id}/document"),
        (seeker, f"/v1/volunteers/me/matches/{match_id}/review"),
    ):
        answer = await world.http.put(path, headers=auth, files={"file": ("cv.pdf", PDF, "application/pdf")})
        assert answer.status_code == 404
    # Without a token: 401 everywhere but the public routes.
    for method, path, body in [
        *seeker_routes,
        *volunteer_routes,
        ("GET", "/v1/me/help-requests", None),
        ("GET", "/v1/volunteers/me/pledge", None),
        ("GET", "/v1/volunteers/me/matches", None),
    ]:
        assert (await world.http.request(method, path, json=body)).status_code == 401
    # And the match is untouched.
    still = (await world.http.get(f"/v1/volunteers/me/matches/{match_id}", headers=volunteer)).json()
    assert still["status"] == "accepted" and still["my_feedback"] is None
    assert volunteer_id not in str(await world.http.get(f"/v1/me/help-requests/{request_id}", headers=seeker))
