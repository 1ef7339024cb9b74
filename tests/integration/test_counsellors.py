"""Counsellors see only people who invited them, read-only, only what each person chose to share, until the
person revokes — and are then told that the person ended the sharing."""

from __future__ import annotations

import httpx
import pytest

from tests.support.journey import complete_profile, sign_up
from tests.support.system import System

pytestmark = pytest.mark.integration


@pytest.fixture
def counsellor_system(shared_system: System) -> System:
    return shared_system  # each test signs its own people and counsellors up


async def test_a_counsellor_follows_with_consent_and_loses_access_on_revocation(counsellor_system: System) -> None:
    async with httpx.AsyncClient(base_url=counsellor_system.url("gateway"), timeout=15) as client:
        person = await sign_up(client)
        await complete_profile(client, person)
        counsellor = await sign_up(client, role="counsellor")
        stranger = await sign_up(client, role="counsellor")

        assert (await client.get(f"/v1/counsellor/people/{person.user_id}", headers=counsellor.auth)).status_code == 404
        invitation = (await client.post("/v1/me/counsellor-invitations", headers=person.auth)).json()
        token = invitation["link"].split("#", 1)[1]
        # A job seeker cannot use the counsellor routes.
        assert (
            await client.post("/v1/counsellor/invitations/accept", headers=person.auth, json={"token": token})
        ).status_code == 403
        accepted = await client.post(
            "/v1/counsellor/invitations/accept", headers=counsellor.auth, json={"token": token}
        )
        assert accepted.status_code == 200, accepted.text
        # The link works once.
        assert (
            await client.post("/v1/counsellor/invitations/accept", headers=stranger.auth, json={"token": token})
        ).status_code == 404

        people = (await client.get("/v1/counsellor/people", headers=counsellor.auth)).json()
        assert [p["user_id"] for p in people] == [person.user_id]
        view = await client.get(f"/v1/counsellor/people/{person.user_id}", headers=counsellor.auth)
        assert view.status_code == 200 and view.json()["summary"]["first_name"] == person.first_name
        assert (await client.get(f"/v1/counsellor/people/{person.user_id}", headers=stranger.auth)).status_code == 404

        consents = (await client.get("/v1/me/consents", headers=person.auth)).json()
        assert consents["current"]["counsellor-sharing"] is True
        assert any(e["counsellor_id"] == counsellor.user_id for e in consents["history"])

        revoked = await client.delete(f"/v1/me/counsellors/{counsellor.user_id}", headers=person.auth)
        assert revoked.status_code == 204
        # Ended by the person: the counsellor is told so and when (it used to be a bare 404 « not found »).
        ended = await client.get(f"/v1/counsellor/people/{person.user_id}", headers=counsellor.auth)
        assert ended.status_code == 410 and ended.json()["code"] == "sharing_ended", ended.text
        assert ended.json()["params"]["ended_at"] and "mis fin au partage" in ended.json()["detail"]
        assert person.first_name not in ended.text
        assert (await client.get(f"/v1/counsellor/people/{person.user_id}", headers=stranger.auth)).status_code == 404
        consents = (await client.get("/v1/me/consents", headers=person.auth)).json()
        assert consents["current"]["counsellor-sharing"] is False
        assert [e["granted"] for e in consents["history"] if e["purpose"] == "counsellor-sharing"] == [True, False]


async def test_withdrawing_a_consent_is_one_call(counsellor_system: System) -> None:
    async with httpx.AsyncClient(base_url=counsellor_system.url("gateway"), timeout=15) as client:
        person = await sign_up(client)
        for granted in (True, False):
            response = await client.put(
                "/v1/me/consents/partner-events", headers=person.auth, json={"granted": granted}
            )
            assert response.status_code == 200 and response.json()["current"]["partner-events"] is granted
        profile = (await client.get("/v1/me/profile", headers=person.auth)).json()
        assert profile["revision"] == 2 and profile["consents"]["partner-events"] is False


async def test_coaching_cannot_be_withdrawn_the_account_is_deleted_instead(counsellor_system: System) -> None:
    async with httpx.AsyncClient(base_url=counsellor_system.url("gateway"), timeout=15) as client:
        person = await sign_up(client)
        refused = await client.put("/v1/me/consents/coaching", headers=person.auth, json={"granted": False})
        assert refused.status_code == 409
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["code"] == "coaching_required_delete_account"
        consents = (await client.get("/v1/me/consents", headers=person.auth)).json()
        assert consents["current"]["coaching"] is True
        assert [(e["purpose"], e["granted"]) for e in consents["history"]] == [("coaching", True)]
        profile = (await client.get("/v1/me/profile", headers=person.auth)).json()
        assert profile["revision"] == 0  # nothing was written


async def test_a_counsellor_reads_only_what_the_person_chose_to_share(counsellor_system: System) -> None:
    async with httpx.AsyncClient(base_url=counsellor_system.url("gateway"), timeout=15) as client:
        person = await sign_up(client)
        await complete_profile(client, person)
        profile = (await client.get("/v1/me/profile", headers=person.auth)).json()
        saved = await client.patch(
            "/v1/me/profile",
            headers=person.auth,
            json={"revision": profile["revision"], "profile": {"gender": "FEMININE", "frustrations": ["MOTIVATION"]}},
        )
        assert saved.status_code == 200, saved.text
        counsellor = await sign_up(client, role="counsellor")
        invitation = await client.post(
            "/v1/me/counsellor-invitations", headers=person.auth, json={"shared": ["plan-progress"]}
        )
        assert invitation.status_code == 201, invitation.text
        token = invitation.json()["link"].split("#", 1)[1]
        accepted = await client.post(
            "/v1/counsellor/invitations/accept", headers=counsellor.auth, json={"token": token}
        )
        assert accepted.status_code == 200 and accepted.json()["shared"] == ["plan-progress"], accepted.text

        url = f"/v1/counsellor/people/{person.user_id}"
        view = (await client.get(url, headers=counsellor.auth)).json()
        assert view["shared"] == ["plan-progress"] and view["summary"]["gender"] == "FEMININE"
        assert view["diagnoses"] is None and view["summary"]["frustrations"] is None  # not shared: not read
        progress = view["plan_progress"]
        assert progress is not None and {"done", "due_not_done", "set_aside"} <= set(progress)

        # She shares her diagnosis and what is hard for her, from her side only.
        refused = await client.put(
            f"/v1/me/counsellors/{counsellor.user_id}/sharing", headers=counsellor.auth, json={"shared": []}
        )
        assert refused.status_code in (403, 404)
        changed = await client.put(
            f"/v1/me/counsellors/{counsellor.user_id}/sharing",
            headers=person.auth,
            json={"shared": ["diagnosis", "frustrations"]},
        )
        assert changed.status_code == 200 and changed.json()["shared"] == ["diagnosis", "frustrations"], changed.text
        view = (await client.get(url, headers=counsellor.auth)).json()
        assert view["plan_progress"] is None and view["summary"]["frustrations"] == ["MOTIVATION"]
        assert isinstance(view["diagnoses"], list)
        # Codes and figures, never the sentences the diagnosis addresses to her (« Vous… »).
        for diagnosis in view["diagnoses"]:
            assert set(diagnosis) == {
                "project_id",
                "main_challenge",
                "overall_score",
                "challenges",
                "missing_fields",
                "contains_estimates",
                "diagnosed_at",
            }
        consents = (await client.get("/v1/me/consents", headers=person.auth)).json()
        assert [e["shared"] for e in consents["history"] if e["purpose"] == "counsellor-sharing"] == [
            ["plan-progress"],
            ["diagnosis", "frustrations"],
        ]
