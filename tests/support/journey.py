"""Steps of a person's journey through the public API, shared by the integration and end-to-end tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx


@dataclass
class Person:
    user_id: str
    first_name: str
    email: str | None
    access_token: str
    refresh_token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"authorization": f"Bearer {self.access_token}"}


def unique_name(base: str = "Zéphyrine") -> str:
    """Return a first name nobody else in the test run has (so it can be searched for)."""
    return f"{base}{uuid.uuid4().hex[:6]}"


async def sign_up(client: httpx.AsyncClient, *, role: str = "job-seeker", first_name: str | None = None) -> Person:
    name = first_name or unique_name()
    email = f"{name.lower()}@example.org".replace("é", "e")
    response = await client.post(
        "/v1/auth/signup",
        json={"first_name": name, "email": email, "password": "un long mot de passe", "role": role},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    return Person(body["user_id"], name, email, body["access_token"], body["refresh_token"])


async def sign_up_as_guest(client: httpx.AsyncClient) -> Person:
    name = unique_name("Invité")
    response = await client.post("/v1/auth/guest", json={"first_name": name})
    assert response.status_code == 201, response.text
    body = response.json()
    return Person(body["user_id"], name, None, body["access_token"], body["refresh_token"])


COMPLETE_PROJECT: dict[str, Any] = {
    "job_code_ogr": "12694",
    "city_insee": "69123",
    "area_type": "DEPARTEMENT",
    "kind": "FIND_A_NEW_JOB",
    "job_search_started_at": "2026-06-01",
    "previous_job_similarity": "DONE_THIS",
    "seniority": "SENIOR",
    "passionate_level": "LIKEABLE",
    "weekly_applications_estimate": "SOME",
    "weekly_offers_estimate": "SOME",
    "total_interview_count": 1,
    "network_estimate": 2,
    "training_fulfillment_estimate": "ENOUGH_DIPLOMAS",
    "employment_types": ["CDI"],
    "workloads": ["FULL_TIME"],
    "min_salary": 21000,
    "has_resume": True,
}


async def complete_profile(
    client: httpx.AsyncClient,
    person: Person,
    *,
    secrets: dict[str, str] | None = None,
    project: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Fill the personal situation and one complete project (COMPLETE_PROJECT | project); return the profile."""
    secrets = secrets or {}
    revision = (await client.get("/v1/me/profile", headers=person.auth)).json()["revision"]
    response = await client.patch(
        "/v1/me/profile",
        headers=person.auth,
        json={
            "revision": revision,
            "questionnaire_finished": True,  # as the last question does: the welcome and reminders wait for it
            "profile": {
                "gender": "CUSTOM" if "custom_gender" in secrets else "FEMININE",
                **({"custom_gender": secrets["custom_gender"]} if "custom_gender" in secrets else {}),
                "year_of_birth": 1968,
                "family_situation": "FAMILY_WITH_KIDS",
                "highest_degree": "CAP_BEP",
                "frustrations": ["NO_OFFER_ANSWERS"],
                **({"custom_frustrations": [secrets["custom_frustration"]]} if "custom_frustration" in secrets else {}),
            },
        },
    )
    assert response.status_code == 200, response.text
    response = await client.post(
        "/v1/me/projects",
        headers=person.auth,
        json={"revision": revision + 1, "project": COMPLETE_PROJECT | (project or {})},
    )
    assert response.status_code == 201, response.text
    profile: dict[str, Any] = response.json()
    return profile
