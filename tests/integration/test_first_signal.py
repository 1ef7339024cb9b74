"""The first real signal through every hop: HTTP → profile → diagnostic → advice → notifications/volunteers."""

from __future__ import annotations

import httpx

from tests.support.system import System, eventually

pytestmark = __import__("pytest").mark.integration


async def sign_up_with_project(client: httpx.AsyncClient, email: str) -> dict[str, str]:
    response = await client.post(
        "/v1/auth/signup", json={"first_name": "Martine", "email": email, "password": "un long mot de passe"}
    )
    assert response.status_code == 201, response.text
    tokens = response.json()
    headers = {"authorization": f"Bearer {tokens['access_token']}"}
    response = await client.post(
        "/v1/me/projects",
        headers=headers,
        json={
            "revision": 0,
            "project": {
                "job_code_ogr": "12694",
                "city_insee": "69123",
                "job_search_started_at": "2026-06-01",
                "kind": "FIND_A_NEW_JOB",
            },
        },
    )
    assert response.status_code == 201, response.text
    return {"user_id": tokens["user_id"], **headers}


async def test_signup_reaches_every_service_and_sends_an_email(system: System) -> None:
    async with httpx.AsyncClient(base_url=system.url("gateway"), timeout=10) as client:
        auth = await sign_up_with_project(client, "martine@example.org")
        user_id = auth.pop("user_id")

        mails = await eventually(system.mails, timeout=10)
        assert "martine@example.org" in mails[0].read_text()

        diagnosis = (await client.get("/v1/me/diagnosis", headers=auth)).json()
        assert diagnosis[0]["main_challenge"] is not None
        plan = (await client.get("/v1/me/plan", headers=auth)).json()
        assert plan["actions"], plan

    async with httpx.AsyncClient(base_url=system.url("volunteers"), timeout=10) as internal:
        token = {"authorization": "Bearer development-only-internal-token"}

        async def help_request() -> list[object]:
            response = await internal.get(f"/internal/requests/{user_id}", headers=token)
            return list(response.json())

        requests = await eventually(help_request, timeout=10)
        assert requests[0]["kind"] == "cv-review"  # type: ignore[index]
