"""Notifications on the real broker, services and SMTP sink: a due action becomes one digest, once.

The advice service publishes ``action-due`` for the actions due today; the
notifications service groups them into the day's digest and sends it through
SMTP. A restart of the notifications service must not send anything twice,
and the one-click unsubscribe link of the email must work without a login.
"""

from __future__ import annotations

import email
import email.policy
import signal
from collections.abc import AsyncIterator
from email.message import EmailMessage
from pathlib import Path

import httpx
import pytest

from tests.support.system import Broker, System, eventually, start_system

pytestmark = pytest.mark.integration
ADDRESS = "josiane@example.org"


@pytest.fixture
async def mail_system(broker: Broker, tmp_path: Path) -> AsyncIterator[System]:
    running = await start_system(
        broker,
        tmp_path / "var",
        extra_env={"NOTIFICATIONS_DIGEST_DELAY_S": "1", "NOTIFICATIONS_MAILER_INTERVAL_S": "0.2"},
    )
    yield running
    running.stop()


def received(system: System, campaign: str) -> list[EmailMessage]:
    """Return the emails of a campaign the SMTP sink received for the test's address."""
    found = []
    for path in system.mails():
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        if message["X-Coach-Campaign"] == campaign and message["To"] == ADDRESS:
            found.append(message)
    return found


async def test_a_due_action_becomes_one_digest_sent_once_across_a_restart(mail_system: System) -> None:
    system = mail_system
    async with httpx.AsyncClient(base_url=system.url("gateway"), timeout=10) as client:
        response = await client.post(
            "/v1/auth/signup", json={"first_name": "Josiane", "email": ADDRESS, "password": "un long mot de passe"}
        )
        assert response.status_code == 201, response.text
        tokens = response.json()
        auth = {"authorization": f"Bearer {tokens['access_token']}"}
        # No quiet hours, so the digest leaves at once whatever the hour of the test run.
        response = await client.patch(
            "/v1/me/profile",
            headers=auth,
            json={"revision": 0, "preferences": {"quiet_hours_start": "00:00:00", "quiet_hours_end": "00:00:00"}},
        )
        assert response.status_code == 200, response.text
        response = await client.post(
            "/v1/me/projects",
            headers=auth,
            json={
                "revision": response.json()["revision"],
                "project": {
                    "job_code_ogr": "12694",
                    "city_insee": "69123",
                    "job_search_started_at": "2026-06-01",
                    "kind": "FIND_A_NEW_JOB",
                },
            },
        )
        assert response.status_code == 201, response.text

        digests = await eventually(lambda: received(system, "action-digest"), timeout=30)
        digest = digests[0]
        assert digest["Subject"] == "Vos actions du jour"
        assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        text = digest.get_body(("plain",))
        html = digest.get_body(("html",))
        assert text is not None and html is not None
        assert "Josiane" in text.get_content() and "min)" in text.get_content()
        assert 'name="viewport"' in html.get_content()

        # Restart the service: nothing queued or sent before may leave twice.
        system.signal("notifications", signal.SIGTERM)
        system.start_service("notifications")
        await system.wait_ready(["notifications"])
        async with httpx.AsyncClient(
            base_url=system.url("notifications"), headers=system.internal_headers, timeout=10
        ) as internal:
            # A barrier: the mailer sends in due order, so once this login link arrives any duplicate would have too.
            response = await internal.post(
                "/internal/messages",
                json={
                    "campaign": "login-link",
                    "subject": tokens["user_id"],
                    "dedupe_key": "barrier",
                    "variables": {"link": "http://127.0.0.1/link/login#t"},
                },
            )
            assert response.status_code == 202, response.text
        await eventually(lambda: received(system, "login-link"), timeout=15)
        assert len(received(system, "action-digest")) == 1
        assert len(received(system, "welcome")) == 1

        log = (await client.get("/v1/me/emails", headers=auth)).json()
        assert {m["campaign"]: m["status"] for m in log} == {
            "action-digest": "sent",
            "welcome": "sent",
            "login-link": "sent",
        }

        # RFC 8058: the mail client POSTs to the List-Unsubscribe URL; no login, no cookie.
        one_click = str(digest["List-Unsubscribe"]).strip("<>")
        response = await client.post(
            one_click,
            content=b"List-Unsubscribe=One-Click",
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        assert response.status_code == 200, response.text
        token = httpx.URL(one_click).params["token"]
        page = (await client.get("/v1/emails/unsubscribe", params={"token": token})).json()
        assert page["stopped"] is True
