"""Nobody is let in: the cross-user access matrix over every route, tokens, headers, hostile bodies.

The matrix is generated from the gateway's OpenAPI document, so a new route is
checked without anyone remembering to add it: it must either be in the list of
public routes, or refuse a request without a token, and a path that names
someone else's resource must not let another person read or change it.
"""

from __future__ import annotations

import base64
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
import orjson
import pytest

from tests.integration.test_volunteers import sign_up_volunteer
from tests.support.journey import Person, complete_profile, sign_up
from tests.support.system import Broker, System, eventually, start_system

pytestmark = pytest.mark.integration

# Routes anyone may call (the rest must answer 401 without a token).
PUBLIC = re.compile(
    r"^/(health/.*|v1/auth/.*|v1/reference/.*|v1/market/.*|v1/impact|v1/emails/.*|v1/surveys/.*|v1/volunteers/(counters|signup|confirm)|"
    r"v1/me/events)$"
)


@pytest.fixture(scope="module")
async def secured(broker: Broker, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[dict[str, Any]]:
    system = await start_system(
        broker, tmp_path_factory.mktemp("security") / "var", extra_env={"VOLUNTEERS_UPKEEP_INTERVAL_S": "0.5"}
    )
    async with httpx.AsyncClient(base_url=system.url("gateway"), timeout=15) as client:
        alice = await sign_up(client)
        await complete_profile(client, alice)
        mallory = await sign_up(client)
        counsellor = await sign_up(client, role="counsellor")
        stranger = await sign_up(client, role="counsellor")  # a counsellor Alice never invited
        invitation = (await client.post("/v1/me/counsellor-invitations", headers=alice.auth)).json()
        accepted = await client.post(
            "/v1/counsellor/invitations/accept",
            headers=counsellor.auth,
            json={"token": invitation["link"].split("#", 1)[1]},
        )
        assert accepted.status_code == 200
        # Alice asks for a CV review, a volunteer is matched and accepts, Alice uploads her CV.
        victor = await sign_up_volunteer(client, system)
        eve = await sign_up_volunteer(client, system)  # another volunteer, as an attacker
        request = await client.post(
            "/v1/me/help-requests",
            headers=alice.auth,
            json={"kind": "cv-review", "sharing": {"share_first_name": True, "rome_code": "D1202"}},
        )
        assert request.status_code == 201, request.text
        request_id = request.json()["request_id"]

        async def matched() -> list[dict[str, Any]]:
            found = []
            for volunteer in (victor, eve):
                found += [
                    m | {"by": volunteer}
                    for m in (await client.get("/v1/volunteers/me/matches", headers=volunteer.auth)).json()
                ]
            return found

        (match,) = await eventually(matched, timeout=30)
        helper, attacker_volunteer = (victor, eve) if match["by"] is victor else (eve, victor)
        await client.post(f"/v1/volunteers/me/matches/{match['match_id']}/accept", headers=helper.auth)
        document = await client.put(
            f"/v1/me/help-requests/{request_id}/document",
            headers=alice.auth,
            files={"file": ("cv.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf")},
        )
        assert document.status_code == 201, document.text
        ids = {
            "project_id": "p1",
            "counsellor_id": counsellor.user_id,
            "user_id": alice.user_id,
            "purpose": "partner-events",
            "request_id": request_id,
            "match_id": match["match_id"],
            "document_id": document.json()["document_id"],
        }

        async def first_action() -> str | None:
            actions = (await client.get("/v1/me/plan", headers=alice.auth)).json().get("actions", [])
            return actions[0]["action_id"] if actions else None

        ids["action_id"] = await eventually(first_action, timeout=30)
        openapi = (await client.get("/openapi.json")).json()
        yield {
            "system": system,
            "alice": alice,
            "mallory": mallory,
            "counsellor": counsellor,
            "openapi": openapi,
            "ids": ids,
            "attackers": [mallory, attacker_volunteer, stranger],
        }
    system.stop()


def operations(openapi: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (path, method.upper())
        for path, item in openapi["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    ]


def fill(path: str, ids: dict[str, str]) -> str:
    """Return the path with Alice's identifiers; fail for a parameter nobody taught the matrix."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in ids:
            pytest.fail(f"the access matrix has no identifier for path parameter {{{name}}} in {path}")
        return ids[name]

    return re.sub(r"\{(\w+)\}", value, path)


async def test_every_non_public_route_refuses_a_request_without_a_valid_token(secured: dict[str, Any]) -> None:
    system: System = secured["system"]
    ids = secured["ids"]
    async with httpx.AsyncClient(base_url=system.url("gateway"), timeout=15) as client:
        for path, method in operations(secured["openapi"]):
            if PUBLIC.match(path):
                continue
            response = await client.request(method, fill(path, ids), json={})
            assert response.status_code == 401, f"{method} {path} answered {response.status_code} without a token"


async def test_nobody_reads_or_changes_another_persons_data(secured: dict[str, Any]) -> None:
    system: System = secured["system"]
    alice: Person = secured["alice"]
    ids = secured["ids"]
    async with httpx.AsyncClient(base_url=system.url("gateway"), timeout=15) as client:

        async def alices_state() -> list[Any]:
            return [
                (await client.get("/v1/me/profile", headers=alice.auth)).json(),
                (await client.get(f"/v1/me/help-requests/{ids['request_id']}", headers=alice.auth)).json(),
                (await client.get("/v1/me/consents", headers=alice.auth)).json(),
                (await client.get("/v1/me/plan", headers=alice.auth)).json(),
            ]

        before = await alices_state()
        markers = (alice.user_id, alice.first_name, alice.email or "", ids["document_id"])
        checked = 0
        for attacker in secured["attackers"]:
            for path, method in operations(secured["openapi"]):
                if PUBLIC.match(path) or (path, method) == ("/v1/me", "DELETE"):
                    continue
                response = await client.request(method, fill(path, ids), headers=attacker.auth, json={"revision": 0})
                checked += 1
                where = f"{method} {path} as {attacker.first_name}"
                if response.status_code < 300:
                    for marker in markers:
                        assert marker not in response.text, f"{where} showed Alice's data"
                else:
                    assert response.status_code in (400, 403, 404, 405, 409, 413, 415, 422), (
                        f"{where}: {response.status_code}"
                    )
        after = await alices_state()
    assert checked >= 3 * 40
    assert after == before, "another person's requests changed Alice's data"


def _forge(claims: dict[str, Any], alg: str = "none") -> str:
    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(orjson.dumps(value)).rstrip(b"=").decode()

    return f"{part({'alg': alg, 'typ': 'JWT'})}.{part(claims)}."


async def test_expired_forged_and_unsigned_tokens_are_refused(secured: dict[str, Any]) -> None:
    system: System = secured["system"]
    alice: Person = secured["alice"]
    now = datetime.now(UTC)
    claims = {
        "sub": alice.user_id,
        "role": "counsellor",
        "iss": "coach-gateway",
        "typ": "access",
        "exp": int((now + timedelta(minutes=5)).timestamp()),
    }
    expired = jwt.encode(
        claims | {"exp": int((now - timedelta(minutes=1)).timestamp())},
        "development-only-secret-do-not-use-in-production",
        "HS256",
    )
    forged = jwt.encode(claims, "a-guessed-secret-of-enough-length!", "HS256")
    tampered = alice.access_token.rsplit(".", 1)[0] + "." + "A" * 43
    async with httpx.AsyncClient(base_url=system.url("gateway"), timeout=15) as client:
        for token in (expired, forged, _forge(claims), tampered):
            response = await client.get("/v1/me/profile", headers={"authorization": f"Bearer {token}"})
            assert response.status_code == 401, token
            assert response.headers["www-authenticate"] == "Bearer"


async def test_security_headers_on_every_answer(secured: dict[str, Any]) -> None:
    system: System = secured["system"]
    async with httpx.AsyncClient(base_url=system.url("gateway"), timeout=15) as client:
        for path in ("/health/live", "/v1/reference/cities?q=lyon", "/v1/me/profile", "/docs", "/nowhere"):
            headers = (await client.get(path)).headers
            assert "frame-ancestors 'none'" in headers["content-security-policy"], path
            assert headers["x-content-type-options"] == "nosniff"
            assert "strict-transport-security" not in headers  # only over TLS


async def test_hostile_bodies_are_refused_with_4xx(secured: dict[str, Any]) -> None:
    system: System = secured["system"]
    alice: Person = secured["alice"]
    json_headers = alice.auth | {"content-type": "application/json"}
    async with httpx.AsyncClient(base_url=system.url("gateway"), timeout=30) as client:
        huge = await client.patch(
            "/v1/me/profile", headers=json_headers, content=b'{"revision": 0, "x": "' + b"a" * 2_000_000 + b'"}'
        )
        assert huge.status_code == 413
        assert huge.json()["code"] == "body_too_large"
        bad_utf8 = await client.patch(
            "/v1/me/profile", headers=json_headers, content=b'{"revision": 0, "profile": {"custom_gender": "\xff\xfe"}}'
        )
        assert 400 <= bad_utf8.status_code < 500
        deep = await client.patch(
            "/v1/me/profile",
            headers=json_headers,
            content=b'{"revision": 0, "profile": ' + b"[" * 5000 + b"]" * 5000 + b"}",
        )
        assert 400 <= deep.status_code < 500
        many = await client.patch(
            "/v1/me/profile",
            headers=json_headers,
            json={"revision": 0, "profile": {"frustrations": ["NO_OFFERS"] * 100_000}},
        )
        assert many.status_code in (413, 422)
        not_json = await client.patch("/v1/me/profile", headers=json_headers, content=b"revision=0")
        assert not_json.status_code == 422
