"""Nobody is let in: the cross-user access matrix over every route, tokens, headers, hostile bodies.

The matrix is generated from the gateway app's route table (``app.routes``, every
``APIRoute``, in the OpenAPI document or not), so a new route is checked without
anyone remembering to add it: it must either be public, or refuse a request
without a token; a route whose path names a resource refuses another person
with 403 or 404 — never anything else, since each request carries a body valid
for the route, so no validation error can answer before the access check.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import jwt
import orjson
import pytest
from fastapi import FastAPI, UploadFile
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import BaseModel, TypeAdapter, ValidationError

from services.gateway.bootstrap import create_app
from services.gateway.routes import web
from services.gateway.settings import GatewaySettings
from tests.integration.test_volunteers import sign_up_volunteer
from tests.support.journey import Person, complete_profile, sign_up
from tests.support.system import Broker, System, eventually, start_system

pytestmark = pytest.mark.integration

# Routes anyone may call (the rest must answer 401 without a token): health and Prometheus metrics
# (counters by route template, no id), sign-up and log-in, reference data, signed email links. The web
# client's pages and assets (services/gateway/routes/web.py) are public too: static files, no data.
PUBLIC = re.compile(
    r"^/(health/.*|metrics|v1/auth/.*|v1/reference/.*|v1/market/.*|v1/impact|v1/emails/.*|v1/surveys/.*|"
    r"v1/volunteers/(counters|signup|confirm))$"
)
# Authenticates by itself (bearer or ticket) and then streams the caller's own events forever.
STREAM = ("GET", "/v1/me/events")
# Path parameters that do not name anyone's resource (a consent purpose of the caller).
NOT_A_RESOURCE = {"purpose"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SOON = date.today() + timedelta(days=3)

# A body valid for each route that takes one ("revision" is replaced by the caller's current one).
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("PATCH", "/v1/me/profile"): {"revision": 0, "profile": {"year_of_birth": 1980}},
    ("POST", "/v1/me/counsellor-invitations"): {"shared": ["diagnosis", "plan-progress"]},
    ("PUT", "/v1/me/counsellors/{counsellor_id}/sharing"): {"shared": ["diagnosis"]},
    ("POST", "/v1/me/projects"): {"revision": 0, "project": {"job_code_ogr": "12694"}},
    ("PATCH", "/v1/me/projects/{project_id}"): {"revision": 0, "project": {"min_salary": 22000}},
    ("DELETE", "/v1/me/projects/{project_id}"): {"revision": 0},
    ("PUT", "/v1/me/consents/{purpose}"): {"granted": True},
    ("POST", "/v1/me/upgrade"): {"email": "devenu-membre@example.org", "password": "un long mot de passe"},
    ("POST", "/v1/me/email"): {"new_email": "nouvelle-adresse@example.org"},
    ("POST", "/v1/me/password"): {"current_password": "un long mot de passe", "new_password": "un autre mot de passe"},
    ("POST", "/v1/counsellor/invitations/accept"): {"token": "<invitation_token>"},
    ("PATCH", "/v1/me/plan/actions/{action_id}"): {"status": "done"},
    ("POST", "/v1/me/plan/actions"): {"title": "Appeler Mme Martin au sujet du poste"},
    ("PUT", "/v1/me/plan/days-off"): {"days_off": [SOON.isoformat()]},
    ("POST", "/v1/volunteers/me/pledge"): {"kinds": ["cv-review"], "monthly_capacity": 2, "job_groups": ["D1202"]},
    ("PATCH", "/v1/volunteers/me/pledge"): {"monthly_capacity": 3},
    ("POST", "/v1/volunteers/me/pledge/pause"): {"until": SOON.isoformat()},
    ("POST", "/v1/me/help-requests"): {"kind": "cv-review", "sharing": {"rome_code": "D1202"}},
    ("PUT", "/v1/me/help-requests/{request_id}/sharing"): {"share_first_name": False, "rome_code": "D1202"},
}
# The same actions exist on both sides of a match (the volunteer's and the job seeker's).
for side in ("/v1/volunteers/me/matches/{match_id}", "/v1/me/help-requests/{request_id}"):
    BODIES |= {
        ("POST", f"{side}/schedule"): {"at": f"{SOON.isoformat()}T10:00:00+01:00"},
        ("POST", f"{side}/feedback"): {"rating": 5},
        ("PUT", f"{side}/contact-sharing"): {"share": True},
        ("POST", f"{side}/messages"): {"body": "Bonjour, je peux vous aider ?"},
        ("POST", f"{side}/report"): {"reason": "no-show"},
    }
del side


@dataclass(frozen=True)
class Operation:
    """One method of one route of the gateway app."""

    method: str
    path: str
    params: tuple[str, ...]
    body: Any  # the annotation of the JSON body, or None
    upload: bool  # a multipart file instead of JSON
    public: bool

    @property
    def names_a_resource(self) -> bool:
        return bool(set(self.params) - NOT_A_RESOURCE)

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def _is_upload(annotation: Any) -> bool:
    return (
        isinstance(annotation, type)
        and issubclass(annotation, BaseModel)
        and any(field.annotation is UploadFile for field in annotation.model_fields.values())
    )


def route_table(app: FastAPI) -> list[Operation]:
    """Return every operation of the app's route table (FastAPI's own /docs and /openapi.json are not APIRoutes)."""
    found = []
    for context in iter_route_contexts(app.routes):
        if not isinstance(context.original_route, APIRoute):
            continue
        path = context.path or ""
        body_field = context.body_field
        annotation = body_field.field_info.annotation if body_field is not None else None
        if annotation is None and (context.original_route.openapi_extra or {}).get("requestBody"):
            annotation = dict  # a body forwarded whole to the service (services/gateway/forwarded.py)
        public = bool(PUBLIC.match(path)) or getattr(context.endpoint, "__module__", "") == web.__name__
        for method in sorted((context.methods or set()) - {"HEAD"}):
            found.append(
                Operation(
                    method=method,
                    path=path,
                    params=tuple(re.findall(r"\{(\w+)(?::\w+)?\}", path)),
                    body=None if _is_upload(annotation) else annotation,
                    upload=_is_upload(annotation),
                    public=public,
                )
            )
    return found


@pytest.fixture(scope="module")
def operations(tmp_path_factory: pytest.TempPathFactory) -> list[Operation]:
    """The route table of the gateway app, built as the gateway process builds it."""
    app = create_app(GatewaySettings(var_dir=tmp_path_factory.mktemp("route-table")))
    table = route_table(app)
    assert len([op for op in table if not op.public]) >= 50, "the route table looks empty"
    return table


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
        invitation_token = invitation["link"].split("#", 1)[1]
        accepted = await client.post(
            "/v1/counsellor/invitations/accept", headers=counsellor.auth, json={"token": invitation_token}
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
            files={"file": ("cv.pdf", PDF, "application/pdf")},
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
            "invitation_token": invitation_token,
        }

        async def first_action() -> str | None:
            actions = (await client.get("/v1/me/plan", headers=alice.auth)).json().get("actions", [])
            return actions[0]["action_id"] if actions else None

        ids["action_id"] = await eventually(first_action, timeout=30)
        yield {
            "system": system,
            "alice": alice,
            "mallory": mallory,
            "counsellor": counsellor,
            "helper": helper,
            "ids": ids,
            "attackers": [mallory, attacker_volunteer, stranger],
        }
    system.stop()


def fill(path: str, ids: dict[str, str]) -> str:
    """Return the path with Alice's identifiers; fail for a parameter nobody taught the matrix."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in ids:
            pytest.fail(f"the access matrix has no identifier for path parameter {{{name}}} in {path}")
        return ids[name]

    return re.sub(r"\{(\w+)\}", value, path)


def body_of(operation: Operation, ids: dict[str, str], revision: int = 0) -> dict[str, Any]:
    """Return request arguments with a body valid for the route (a JSON body, or a file)."""
    if operation.upload:
        return {"files": {"file": ("cv.pdf", PDF, "application/pdf")}}
    if operation.body is None:
        return {}
    key = (operation.method, operation.path)
    if key not in BODIES:
        pytest.fail(f"the access matrix has no valid body for {operation}: add one to BODIES")
    body = json.loads(json.dumps(BODIES[key]).replace('"<invitation_token>"', json.dumps(ids["invitation_token"])))
    if "revision" in body:
        body["revision"] = revision
    return {"json": body}


def protected(operations: list[Operation]) -> Iterator[Operation]:
    return (op for op in operations if not op.public)


def test_every_body_of_the_matrix_is_valid_for_its_route(operations: list[Operation]) -> None:
    checked = 0
    for operation in protected(operations):
        if operation.body is None:
            continue
        try:
            TypeAdapter(operation.body).validate_json(
                json.dumps(body_of(operation, {"invitation_token": "t" * 43})["json"])
            )
        except ValidationError as error:
            pytest.fail(f"the body the matrix sends to {operation} is invalid: {error}")
        checked += 1
    assert checked == len(BODIES)
    table = {(op.method, op.path) for op in operations}
    assert set(BODIES) <= table, f"BODIES names routes the app does not have: {set(BODIES) - table}"


async def test_every_non_public_route_refuses_a_request_without_a_valid_token(
    secured: dict[str, Any], operations: list[Operation]
) -> None:
    system: System = secured["system"]
    ids = secured["ids"]
    async with httpx.AsyncClient(base_url=system.url("gateway"), timeout=15) as client:
        for operation in protected(operations):
            path = fill(operation.path, ids)
            response = await client.request(operation.method, path, **body_of(operation, ids))
            assert response.status_code == 401, f"{operation} answered {response.status_code} without a token"


async def test_the_live_stream_ticket_opens_the_live_stream_only(
    secured: dict[str, Any], operations: list[Operation]
) -> None:
    system: System = secured["system"]
    alice: Person = secured["alice"]
    ids = secured["ids"]
    async with httpx.AsyncClient(base_url=system.url("gateway"), timeout=15) as client:
        issued = await client.post("/v1/me/events/ticket", headers=alice.auth)
        assert issued.status_code == 200, issued.text
        ticket = issued.json()["ticket"]
        async with client.stream("GET", "/v1/me/events", params={"ticket": ticket}) as stream:
            assert stream.status_code == 200 and stream.headers["content-type"].startswith("text/event-stream")
        as_bearer = {"authorization": f"Bearer {ticket}"}
        refused = await client.get("/v1/me/profile", headers=as_bearer)
        assert refused.status_code == 401, refused.text
        for operation in protected(operations):
            if (operation.method, operation.path) == STREAM:
                continue
            response = await client.request(
                operation.method, fill(operation.path, ids), headers=as_bearer, **body_of(operation, ids)
            )
            assert response.status_code == 401, f"{operation} accepted the live-stream ticket: {response.status_code}"
        # Nor does the stream take a ticket in place of an access token in the header.
        assert (await client.get("/v1/me/events", headers=as_bearer)).status_code == 401


async def _revision(client: httpx.AsyncClient, who: Person) -> int:
    answer = await client.get("/v1/me/profile", headers=who.auth)
    return int(answer.json()["revision"]) if answer.status_code == 200 else 0


async def test_nobody_reads_or_changes_another_persons_data(
    secured: dict[str, Any], operations: list[Operation]
) -> None:
    system: System = secured["system"]
    alice: Person = secured["alice"]
    helper: Person = secured["helper"]
    ids = secured["ids"]
    async with httpx.AsyncClient(base_url=system.url("gateway"), timeout=15) as client:

        async def alices_state() -> list[Any]:
            return [
                (await client.get(path, headers=who.auth)).json()
                for path, who in (
                    ("/v1/me/profile", alice),
                    (f"/v1/me/help-requests/{ids['request_id']}", alice),
                    (f"/v1/me/help-requests/{ids['request_id']}/messages", alice),
                    ("/v1/me/consents", alice),
                    ("/v1/me/counsellors", alice),
                    ("/v1/me/plan", alice),
                    (f"/v1/volunteers/me/matches/{ids['match_id']}", helper),
                )
            ]

        before = await alices_state()
        markers = (alice.user_id, alice.first_name, alice.email or "", ids["document_id"])
        naming = [op for op in protected(operations) if op.names_a_resource]
        # The attackers' own data comes second (creating their own project p1 first would make
        # /v1/me/projects/p1 theirs), and erasing their own account last.
        own = sorted(
            (op for op in protected(operations) if not op.names_a_resource and (op.method, op.path) != STREAM),
            key=lambda op: (op.method, op.path) == ("DELETE", "/v1/me"),
        )
        assert len(naming) >= 30 and len(own) >= 20
        breaches: list[str] = []
        for attacker in secured["attackers"]:
            for operation in [*naming, *own]:
                revisioned = "revision" in BODIES.get((operation.method, operation.path), {})
                revision = await _revision(client, attacker) if revisioned else 0
                response = await client.request(
                    operation.method,
                    fill(operation.path, ids),
                    headers=attacker.auth,
                    **body_of(operation, ids, revision),
                )
                where = f"{operation} as {attacker.first_name}: {response.status_code} {response.text[:200]}"
                if operation.names_a_resource and response.status_code not in (403, 404):
                    breaches.append(where)
                elif response.status_code >= 500 or response.status_code in (401, 422):
                    breaches.append(where)  # a valid request of one's own must not fail like this
                elif response.status_code < 300 and any(marker in response.text for marker in markers):
                    breaches.append(f"{where} (showed Alice's data)")
        after = await alices_state()
    assert breaches == [], "\n".join(breaches)
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
    # Signed with the system's real key: only the expiry is wrong.
    expired = jwt.encode(claims | {"exp": int((now - timedelta(minutes=1)).timestamp())}, system.secret_key, "HS256")
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
