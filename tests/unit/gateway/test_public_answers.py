"""What every answer of the public API says beyond its body, through the real gateway app with stand-in services:
personal answers and tokens are not stored by caches, every 401 names its scheme, a 405 lists every method of the
path, an erased person gets no live-stream ticket, and plan days off are dates.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import JSONResponse

from services.gateway.bootstrap import create_app
from services.gateway.settings import GatewaySettings
from services.gateway.tokens import Principal, issue_access_token
from services.gateway.upstream import Services
from shared.envelope import utc_now
from shared.settings import DEVELOPMENT_SECRET

ALIVE, ERASED = "u_00000000000000a1", "u_00000000000000e2"
NOT_FOUND = JSONResponse({"code": "not_found"}, status_code=404)


@dataclass
class Stand:
    """Stand-ins for the services behind the gateway: the profile knows one living person."""

    advice_calls: list[dict[str, Any]] = field(default_factory=list)

    def profile(self) -> FastAPI:
        app = FastAPI()

        @app.get("/internal/contacts/{user_id}", response_model=None)
        async def contact(user_id: str) -> dict[str, Any] | JSONResponse:
            if user_id != ALIVE:
                return NOT_FOUND  # erased
            return {"user_id": user_id, "email": "zoe@example.org", "first_name": "Zoé", "locale": "fr",
                    "gender": "UNKNOWN", "role": "job-seeker"}  # fmt: skip

        @app.get("/internal/profiles/{user_id}")
        async def profile(user_id: str) -> dict[str, Any]:
            return {
                "user_id": user_id,
                "revision": 1,
                "first_name": "Zoé",
                "is_guest": False,
                "registered_at": "2026-11-02",
                "profile": {},
                "projects": [],
                "preferences": {},
                "missing_fields": [],
                "consents": {},
            }

        @app.post("/internal/auth/refresh", response_model=None)
        async def refresh(body: dict[str, Any]) -> dict[str, Any] | JSONResponse:
            if body["refresh_token"] != "r_good":
                return NOT_FOUND
            return {"user_id": ALIVE, "role": "job-seeker", "refresh_token": "r_next"}

        @app.post("/internal/auth/password")
        async def password() -> JSONResponse:
            return NOT_FOUND

        @app.post("/internal/auth/login-link/redeem")
        async def redeem() -> JSONResponse:
            return NOT_FOUND

        return self.with_export(app)

    def advice(self) -> FastAPI:
        app = FastAPI()

        @app.put("/internal/plans/{user_id}/days-off")
        async def days_off(user_id: str, body: dict[str, Any]) -> JSONResponse:
            self.advice_calls.append(body)
            return NOT_FOUND  # reached: that is all these tests ask

        return self.with_export(app)

    @staticmethod
    def with_export(app: FastAPI) -> FastAPI:
        @app.get("/internal/users/{user_id}/export")
        async def export(user_id: str) -> dict[str, Any]:
            return {"subject": user_id}

        return app


class Mesh(httpx.AsyncBaseTransport):
    """Routes each service's host to its app, in process."""

    def __init__(self, apps: dict[str, FastAPI]) -> None:
        self.transports = {host: httpx.ASGITransport(app=app) for host, app in apps.items()}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self.transports[request.url.host].handle_async_request(request)


@pytest.fixture
async def stand() -> Stand:
    return Stand()


@pytest.fixture
async def gateway(stand: Stand) -> AsyncIterator[httpx.AsyncClient]:
    names = ("profile", "diagnostic", "advice", "notifications", "volunteers", "partners")
    settings = GatewaySettings.model_validate(
        {"environment": "development"}  # in process, on the public development secrets
        | {f"{name}_url": f"http://{name}" for name in names}
    )
    apps = {name: Stand.with_export(FastAPI()) for name in names} | {
        "profile": stand.profile(),
        "advice": stand.advice(),
    }
    transport = Mesh(apps)
    app = create_app(settings, transport)
    app.state.services = Services(settings, transport)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway") as http:
        yield http
    await app.state.services.close()


def auth(user_id: str = ALIVE) -> dict[str, str]:
    token = issue_access_token(Principal(user_id, "job-seeker"), secret=DEVELOPMENT_SECRET, now=utc_now(), minutes=5)
    return {"authorization": f"Bearer {token}"}


def assert_not_stored(response: httpx.Response) -> None:
    where = f"{response.request.method} {response.request.url.path}: {response.status_code}"
    assert response.headers.get("cache-control") == "no-store", where
    assert response.headers.get("pragma") == "no-cache", where


async def test_the_export_the_profile_and_tokens_are_not_kept_by_any_cache(gateway: httpx.AsyncClient) -> None:
    export = await gateway.get("/v1/me/export", headers=auth())
    assert export.status_code == 200 and export.json()["services"]["partners"] == {"subject": ALIVE}
    assert_not_stored(export)
    profile = await gateway.get("/v1/me/profile", headers=auth())
    assert profile.status_code == 200
    assert_not_stored(profile)
    tokens = await gateway.post("/v1/auth/refresh", json={"refresh_token": "r_good"})
    assert tokens.status_code == 200 and tokens.json()["refresh_token"] == "r_next"
    assert_not_stored(tokens)  # RFC 6749 §5.1
    assert_not_stored(await gateway.get("/v1/me/profile"))  # refusals too


@pytest.mark.parametrize(
    ("method", "path", "body", "code"),
    [
        ("GET", "/v1/me/profile", None, "not_authenticated"),
        ("GET", "/v1/me/events", None, "not_authenticated"),
        ("POST", "/v1/auth/refresh", {"refresh_token": "r_spent"}, "session_expired"),
        ("POST", "/v1/auth/login", {"email": "zoe@example.org", "password": "pas le bon"}, "invalid_credentials"),
        ("POST", "/v1/auth/login-link/redeem", {"token": "t_used"}, "link_expired"),
    ],
)
async def test_every_401_names_the_bearer_scheme(
    gateway: httpx.AsyncClient, method: str, path: str, body: dict[str, str] | None, code: str
) -> None:
    response = await gateway.request(method, path, json=body)
    assert response.status_code == 401 and response.json()["code"] == code
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", "/v1/me/profile", "GET, PATCH"),  # two routes share the path
        ("DELETE", "/v1/volunteers/me/pledge", "GET, PATCH, POST"),
        ("OPTIONS", "/v1/me/profile", "GET, PATCH"),
        ("GET", "/v1/me/plan/days-off", "PUT"),
    ],
)
async def test_a_405_lists_every_method_of_the_path(
    gateway: httpx.AsyncClient, method: str, path: str, allowed: str
) -> None:
    response = await gateway.request(method, path, headers=auth())
    assert response.status_code == 405
    assert response.headers["allow"] == allowed
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "method_not_allowed"


async def test_an_erased_person_gets_no_live_stream_ticket(gateway: httpx.AsyncClient) -> None:
    # The access token outlives the erasure by a few minutes; the account does not.
    refused = await gateway.post("/v1/me/events/ticket", headers=auth(ERASED) | {"accept-language": "en"})
    assert refused.status_code == 401 and refused.json()["code"] == "session_expired"
    assert refused.headers["www-authenticate"] == "Bearer"
    assert refused.json()["detail"] == "Your session ended; please log in again."
    issued = await gateway.post("/v1/me/events/ticket", headers=auth())
    assert issued.status_code == 200 and issued.json()["expires_in"] == 60


@pytest.mark.parametrize("day", [0, 1_700_006_400, "1700006400", "2026-12-24T00:00:00", "demain", "24/12/2026", None])
async def test_days_off_are_dates(gateway: httpx.AsyncClient, stand: Stand, day: object) -> None:
    response = await gateway.put("/v1/me/plan/days-off", headers=auth(), json={"days_off": ["2026-12-31", day]})
    assert response.status_code == 422, response.text
    (error,) = response.json()["errors"]
    assert error["field"] == "days_off.1"
    assert error["code"] == "date_parsing" and error["reason"] == "Une date AAAA-MM-JJ est attendue."
    assert stand.advice_calls == []


async def test_a_day_off_reaches_the_plan(gateway: httpx.AsyncClient, stand: Stand) -> None:
    response = await gateway.put("/v1/me/plan/days-off", headers=auth(), json={"days_off": ["2026-12-24"]})
    assert response.status_code == 404  # the stand-in's answer: the day went through
    assert stand.advice_calls == [{"days_off": ["2026-12-24"]}]
