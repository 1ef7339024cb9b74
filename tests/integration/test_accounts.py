"""Accounts through the public API: sessions, guests, generic answers, validation in two languages,
rate limits per account and per client address, CORS."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

from tests.support.journey import complete_profile, sign_up, sign_up_as_guest
from tests.support.system import Broker, System, start_system

pytestmark = pytest.mark.integration
ALLOWED_ORIGIN = "https://coach.example"
PER_IP_LOGINS, PER_IP_LINKS = 4, 3


@pytest.fixture(scope="module")
async def guarded(broker: Broker, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[System]:
    """A gateway with tight limits per client address (loose per account) and one allowed web origin."""
    running = await start_system(
        broker,
        tmp_path_factory.mktemp("guarded") / "var",
        services=["profile", "notifications", "gateway"],
        extra_env={
            "GATEWAY_RATE_LIMIT_LOGIN": f'{{"per_address": "{PER_IP_LOGINS}/minute"}}',
            "GATEWAY_RATE_LIMIT_LINK": f'{{"per_address": "{PER_IP_LINKS}/minute"}}',
            "GATEWAY_CORS_ORIGINS": f'["{ALLOWED_ORIGIN}"]',
        },
    )
    yield running
    running.stop()


def someone() -> str:
    return f"personne-{uuid.uuid4().hex[:8]}@example.org"


async def test_refresh_tokens_rotate_and_a_replayed_one_ends_the_session(client: httpx.AsyncClient) -> None:
    person = await sign_up(client)
    first = (await client.post("/v1/auth/refresh", json={"refresh_token": person.refresh_token})).json()
    assert first["refresh_token"] != person.refresh_token
    second = (await client.post("/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})).json()
    replay = await client.post("/v1/auth/refresh", json={"refresh_token": person.refresh_token})
    assert replay.status_code == 401 and replay.json()["code"] == "session_expired"
    after = await client.post("/v1/auth/refresh", json={"refresh_token": second["refresh_token"]})
    assert after.status_code == 401  # the whole family was revoked


async def test_a_refresh_whose_answer_was_lost_can_be_asked_for_again(client: httpx.AsyncClient) -> None:
    person = await sign_up(client)
    lost = (await client.post("/v1/auth/refresh", json={"refresh_token": person.refresh_token})).json()
    again = await client.post("/v1/auth/refresh", json={"refresh_token": person.refresh_token})
    assert again.status_code == 200 and again.json()["user_id"] == person.user_id
    assert (await client.post("/v1/auth/refresh", json={"refresh_token": lost["refresh_token"]})).status_code == 401
    going_on = await client.post("/v1/auth/refresh", json={"refresh_token": again.json()["refresh_token"]})
    assert going_on.status_code == 200


async def test_logout_revokes_the_session(client: httpx.AsyncClient) -> None:
    person = await sign_up(client)
    assert (await client.post("/v1/auth/logout", json={"refresh_token": person.refresh_token})).status_code == 204
    assert (await client.post("/v1/auth/refresh", json={"refresh_token": person.refresh_token})).status_code == 401


async def test_login_failures_do_not_reveal_whether_the_email_exists(client: httpx.AsyncClient) -> None:
    person = await sign_up(client)
    wrong_password = await client.post("/v1/auth/login", json={"email": person.email, "password": "pas le bon mot"})
    unknown = await client.post("/v1/auth/login", json={"email": "nobody@example.org", "password": "pas le bon mot"})
    assert wrong_password.status_code == unknown.status_code == 401
    assert wrong_password.json() == unknown.json()
    good = await client.post(
        "/v1/auth/login", json={"email": (person.email or "").upper(), "password": "un long mot de passe"}
    )
    assert good.status_code == 200 and good.json()["user_id"] == person.user_id

    known_link = await client.post("/v1/auth/login-link", json={"email": person.email})
    unknown_link = await client.post("/v1/auth/login-link", json={"email": "nobody@example.org"})
    assert known_link.status_code == unknown_link.status_code == 202
    assert known_link.json() == unknown_link.json()


async def test_login_is_rate_limited_per_account(client: httpx.AsyncClient) -> None:
    person = await sign_up(client)
    statuses = [
        (await client.post("/v1/auth/login", json={"email": person.email, "password": "faux mot de passe"})).status_code
        for _ in range(7)
    ]
    assert statuses[:5] == [401] * 5
    assert statuses[5] == 429
    limited = await client.post("/v1/auth/login", json={"email": person.email, "password": "un long mot de passe"})
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1


async def test_a_guest_keeps_everything_when_upgrading(client: httpx.AsyncClient) -> None:
    guest = await sign_up_as_guest(client)
    await client.post("/v1/me/projects", headers=guest.auth, json={"revision": 0, "project": {"job_code_ogr": "12694"}})
    upgraded = await client.post(
        "/v1/me/upgrade",
        headers=guest.auth,
        json={"email": f"{guest.user_id}@example.org", "password": "un long mot de passe"},
    )
    assert upgraded.status_code == 200, upgraded.text
    login = await client.post(
        "/v1/auth/login", json={"email": f"{guest.user_id}@example.org", "password": "un long mot de passe"}
    )
    assert login.json()["user_id"] == guest.user_id
    profile = (
        await client.get("/v1/me/profile", headers={"authorization": "Bearer " + login.json()["access_token"]})
    ).json()
    assert profile["is_guest"] is False and profile["projects"][0]["rome_code"] == "D1202"


async def test_bad_values_get_422_with_the_field_and_the_reason_in_french_or_english(client: httpx.AsyncClient) -> None:
    person = await sign_up(client)
    body = {"revision": 0, "project": {"city_insee": "99999", "job_search_started_at": "2031-02-30"}}
    french = await client.post("/v1/me/projects", headers=person.auth, json=body)
    assert french.status_code == 422
    assert french.headers["content-type"] == "application/problem+json"
    assert french.json()["errors"][0]["field"] == "project.job_search_started_at"
    english = await client.post(
        "/v1/me/projects",
        headers=person.auth | {"accept-language": "en-GB,en"},
        json={"revision": 0, "project": {"city_insee": "99999"}},
    )
    assert english.status_code == 422
    assert english.json()["errors"] == [
        {
            "field": "project.city_insee",
            "code": "unknown_code",
            "reason": "This code does not exist in the reference data.",
        }
    ]
    french_unknown = await client.post(
        "/v1/me/projects", headers=person.auth, json={"revision": 0, "project": {"city_insee": "99999"}}
    )
    assert french_unknown.json()["errors"][0]["reason"] == "Ce code n'existe pas dans le référentiel."


async def test_every_error_of_a_save_comes_in_one_answer(client: httpx.AsyncClient) -> None:
    """A bad format and an unknown job code in one save: one 422 names both, not one round each."""
    person = await sign_up(client)
    response = await client.post(
        "/v1/me/projects",
        headers=person.auth,
        json={"revision": 0, "project": {"min_salary": "beaucoup", "job_code_ogr": "99999", "city_insee": "99999"}},
    )
    assert response.status_code == 422, response.text
    fields = {(error["field"], error["code"]) for error in response.json()["errors"]}
    assert ("project.min_salary", "int_parsing") in fields
    assert {field for field, _ in fields} >= {"project.min_salary", "project.job_code_ogr", "project.city_insee"}
    assert all(error["reason"] for error in response.json()["errors"])


async def test_a_stale_revision_gets_409_and_nothing_is_half_saved(client: httpx.AsyncClient) -> None:
    person = await sign_up(client)
    await complete_profile(client, person)
    stale = await client.patch(
        "/v1/me/profile", headers=person.auth, json={"revision": 0, "profile": {"year_of_birth": 1990}}
    )
    assert stale.status_code == 409 and stale.json()["code"] == "stale_revision"
    half = await client.patch(
        "/v1/me/profile",
        headers=person.auth,
        json={"revision": 2, "profile": {"highest_degree": "BAC_BACPRO", "year_of_birth": 1800}},
    )
    assert half.status_code == 422
    profile = (await client.get("/v1/me/profile", headers=person.auth)).json()
    assert profile["revision"] == 2 and profile["profile"]["highest_degree"] == "CAP_BEP"


async def test_fields_a_client_must_not_set_are_refused(client: httpx.AsyncClient) -> None:
    person = await sign_up(client)
    for body in (
        {"revision": 0, "user_id": "u_someoneelse00000"},
        {"revision": 0, "profile": {"role": "admin"}},
        {"revision": 0, "project": {"project_id": "p9", "job_code_ogr": "12694"}},
    ):
        path = "/v1/me/projects" if "project" in body else "/v1/me/profile"
        response = await client.request("POST" if "project" in body else "PATCH", path, headers=person.auth, json=body)
        assert response.status_code == 422, (body, response.text)
        assert response.json()["errors"][0]["code"] == "extra_forbidden"


async def test_login_is_rate_limited_per_client_address_whatever_the_email(guarded: System) -> None:
    async with httpx.AsyncClient(base_url=guarded.url("gateway"), timeout=10) as client:
        person = await sign_up(client)
        statuses = [
            (await client.post("/v1/auth/login", json={"email": someone(), "password": "pas le bon mot"})).status_code
            for _ in range(PER_IP_LOGINS + 1)
        ]
        assert statuses == [401] * PER_IP_LOGINS + [429]  # each email tried once: the address is what counts
        # Even the right password of a real account waits: the limit is on the address.
        right = await client.post("/v1/auth/login", json={"email": person.email, "password": "un long mot de passe"})
        assert right.status_code == 429 and int(right.headers["retry-after"]) >= 1
        assert right.json()["code"] == "rate_limited"


async def test_a_forwarded_for_header_does_not_dodge_the_limit_per_address(guarded: System) -> None:
    """No proxy is trusted by default: the connection's peer is the address, whatever a header says."""
    async with httpx.AsyncClient(base_url=guarded.url("gateway"), timeout=10) as client:
        statuses = [
            (
                await client.post(
                    "/v1/auth/login",
                    headers={"x-forwarded-for": f"198.51.100.{n}", "x-real-ip": f"198.51.100.{n}"},
                    json={"email": someone(), "password": "pas le bon mot"},
                )
            ).status_code
            for n in range(PER_IP_LOGINS + 1)
        ]
    # The previous test may have used this address's allowance already: at most PER_IP_LOGINS got through.
    assert statuses[-1] == 429 and statuses.count(401) <= PER_IP_LOGINS


async def test_login_links_are_rate_limited_per_client_address_whatever_the_email(guarded: System) -> None:
    async with httpx.AsyncClient(base_url=guarded.url("gateway"), timeout=10) as client:
        statuses = [
            (await client.post("/v1/auth/login-link", json={"email": someone()})).status_code
            for _ in range(PER_IP_LINKS + 1)
        ]
        assert statuses == [202] * PER_IP_LINKS + [429]
        # Password resets share the limit of link requests.
        reset = await client.post("/v1/auth/password-reset", json={"email": someone()})
        assert reset.status_code == 429 and int(reset.headers["retry-after"]) >= 1


async def test_an_allowed_web_origin_gets_the_cors_headers_and_another_does_not(guarded: System) -> None:
    preflight = {"access-control-request-method": "PATCH", "access-control-request-headers": "authorization"}
    async with httpx.AsyncClient(base_url=guarded.url("gateway"), timeout=10) as client:
        allowed = await client.options("/v1/me/profile", headers={"origin": ALLOWED_ORIGIN, **preflight})
        assert allowed.status_code == 200
        assert allowed.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
        assert "PATCH" in allowed.headers["access-control-allow-methods"]
        assert "authorization" in allowed.headers["access-control-allow-headers"].lower()

        other = await client.options("/v1/me/profile", headers={"origin": "https://elsewhere.example", **preflight})
        assert other.status_code == 400
        assert "access-control-allow-origin" not in other.headers

        simple = await client.get("/v1/reference/cities?q=lyon", headers={"origin": ALLOWED_ORIGIN})
        assert simple.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
        foreign = await client.get("/v1/reference/cities?q=lyon", headers={"origin": "https://elsewhere.example"})
        assert foreign.status_code == 200 and "access-control-allow-origin" not in foreign.headers
