"""Notifications on the real broker, services and SMTP sink: a due action becomes one digest, once.

The advice service publishes ``action-due`` for the actions due today; the
notifications service groups them into the day's digest and sends it through
SMTP. A restart of the notifications service must not send anything twice,
and the one-click unsubscribe link of the email must work without a login.

Emails keep their word: no "your diagnosis is ready" and no digest while the
person is still answering the questionnaire; an unsubscribe is the frequency
Settings shows, and choosing one again there starts the emails again; a send
cut by a crash (the SMTP server and the mailer both gone mid-send) arrives once
both are back, with the same Message-ID.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import signal
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller

from deploy.local.smtp_sink import MailDirHandler
from deploy.local.smtp_sink import serve as serve_smtp
from services.notifications.links import UNSUBSCRIBE, sign
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
        # No quiet hours, so the digest leaves at once whatever the hour of the test run; the person says the
        # questionnaire is finished (the welcome and the digest wait for it).
        response = await client.patch(
            "/v1/me/profile",
            headers=auth,
            json={
                "revision": 0,
                "questionnaire_finished": True,
                "preferences": {"quiet_hours_start": "00:00:00", "quiet_hours_end": "00:00:00"},
            },
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
        # One fact: Settings shows what the one-click chose.
        profile = (await client.get("/v1/me/profile", headers=auth)).json()
        assert profile["preferences"]["coaching_email_frequency"] == "EMAIL_NONE"
        # The same address opened in a browser is a page, not JSON.
        opened = await client.get(one_click, headers={"accept": "text/html"})
        assert opened.status_code == 200 and opened.headers["content-type"].startswith("text/html")
        assert "Vous ne recevez déjà plus d&#39;e-mails" in opened.text and "/emails/unsubscribe?token=" in opened.text


def signed_unsubscribe(system: System, subject: str) -> str:
    """Return an unsubscribe token for the person, as the links of our emails carry it."""
    expires = datetime.now(UTC) + timedelta(days=30)
    return sign(system.secret_key, purpose=UNSUBSCRIBE, subject=subject, expires_at=expires)


async def known_here(system: System, subject: str, check: Callable[[dict[str, Any]], bool]) -> bool:
    """Return True when what the notifications service knows of the person passes the check."""
    async with httpx.AsyncClient(base_url=system.url("notifications"), headers=system.internal_headers) as internal:
        exported = (await internal.get(f"/internal/users/{subject}/export")).json()
    return exported["recipient"] is not None and check(exported["recipient"])


async def test_emails_wait_for_the_questionnaire_and_an_unsubscribe_is_the_frequency_settings_shows(
    mail_system: System,
) -> None:
    system = mail_system
    async with httpx.AsyncClient(base_url=system.url("gateway"), timeout=10) as client:
        response = await client.post(
            "/v1/auth/signup", json={"first_name": "Josiane", "email": ADDRESS, "password": "un long mot de passe"}
        )
        assert response.status_code == 201, response.text
        subject = response.json()["user_id"]
        auth = {"authorization": f"Bearer {response.json()['access_token']}"}
        response = await client.patch(
            "/v1/me/profile",
            headers=auth,
            json={"revision": 0, "preferences": {"quiet_hours_start": "00:00:00", "quiet_hours_end": "00:00:00"}},
        )
        # The first answers: a project, hence a diagnosis with a main challenge and a plan with actions due today.
        response = await client.post(
            "/v1/me/projects",
            headers=auth,
            json={
                "revision": response.json()["revision"],
                "project": {"job_code_ogr": "12694", "city_insee": "69123", "kind": "FIND_A_NEW_JOB"},
            },
        )
        assert response.status_code == 201, response.text
        await eventually(lambda: known_here(system, subject, lambda r: bool(r.get("main_challenge"))), timeout=30)

        async def actions_seen() -> bool:
            async with httpx.AsyncClient() as metrics:
                text = (await metrics.get(system.metrics_url("notifications"))).text
            return any("action-due" in line and 'outcome="applied"' in line for line in text.splitlines())

        await eventually(actions_seen, timeout=30)
        # Mid-questionnaire: neither "your diagnosis is ready" nor "your actions for today".
        assert (await client.get("/v1/me/emails", headers=auth)).json() == []

        # One-click unsubscribe (RFC 8058), then Settings: it shows "no emails".
        token = signed_unsubscribe(system, subject)
        response = await client.post(
            "/v1/emails/unsubscribe/one-click", params={"token": token}, content=b"List-Unsubscribe=One-Click"
        )
        assert response.status_code == 200, response.text
        profile = (await client.get("/v1/me/profile", headers=auth)).json()
        assert profile["preferences"]["coaching_email_frequency"] == "EMAIL_NONE"

        # The end of the questionnaire: still nothing, the person stopped every email.
        response = await client.patch(
            "/v1/me/profile", headers=auth, json={"revision": profile["revision"], "questionnaire_finished": True}
        )
        assert response.status_code == 200 and response.json()["questionnaire_finished_at"], response.text
        await eventually(
            lambda: known_here(system, subject, lambda r: bool(r.get("questionnaire_finished_at"))), timeout=30
        )
        assert (await client.get("/v1/me/emails", headers=auth)).json() == []

        # A frequency chosen again in Settings starts the emails again: the welcome, now true, leaves.
        response = await client.patch(
            "/v1/me/profile",
            headers=auth,
            json={
                "revision": response.json()["revision"],
                "preferences": {"coaching_email_frequency": "EMAIL_ONCE_A_MONTH"},
            },
        )
        assert response.status_code == 200, response.text
        welcomes = await eventually(lambda: received(system, "welcome"), timeout=30)
        assert len(welcomes) == 1 and welcomes[0]["Subject"] == "Votre diagnostic est prêt"
        page = (await client.get("/v1/emails/unsubscribe", params={"token": token})).json()
        assert (page["coaching_email_frequency"], page["stopped"]) == ("EMAIL_ONCE_A_MONTH", False)
        log = (await client.get("/v1/me/emails", headers=auth)).json()
        assert [(m["campaign"], m["status"]) for m in log] == [("welcome", "sent")]


class StalledSink(MailDirHandler):
    """An SMTP server that takes a message's DATA and then hangs without answering (until it is stopped)."""

    def __init__(self, directory: Path) -> None:
        super().__init__(directory)
        self.message_ids: list[str] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd API
        content = envelope.original_content or envelope.content
        parsed = email.message_from_bytes(content, policy=email.policy.default)
        self.message_ids.append(str(parsed["Message-ID"]))
        while True:  # never answers: the mailer is killed meanwhile, then this server
            await asyncio.sleep(0.05)


async def test_a_send_cut_by_a_crash_arrives_once_both_are_back_with_the_same_message_id(
    broker: Broker, tmp_path: Path
) -> None:
    system = await start_system(
        broker,
        tmp_path / "var",
        services=["profile", "notifications", "gateway"],
        extra_env={"NOTIFICATIONS_STALE_CLAIM_S": "3", "NOTIFICATIONS_MAILER_INTERVAL_S": "0.2"},
    )
    try:
        # The SMTP sink of the system is replaced by one that stalls in the middle of the send.
        system._smtp.stop()
        stalled = StalledSink(system.mail_dir)
        system._smtp = Controller(stalled, hostname="127.0.0.1", port=system.smtp_port)
        system._smtp.start()
        async with httpx.AsyncClient(base_url=system.url("gateway"), timeout=10) as client:
            response = await client.post(
                "/v1/auth/signup", json={"first_name": "Josiane", "email": ADDRESS, "password": "un long mot de passe"}
            )
            assert response.status_code == 201, response.text
            subject, auth = response.json()["user_id"], {"authorization": f"Bearer {response.json()['access_token']}"}
            async with httpx.AsyncClient(
                base_url=system.url("notifications"), headers=system.internal_headers, timeout=10
            ) as internal:
                queued = await internal.post(
                    "/internal/messages",
                    json={
                        "campaign": "login-link",
                        "subject": subject,
                        "dedupe_key": "cut",
                        "variables": {"link": "http://127.0.0.1/link/login#t"},
                    },
                )
                assert queued.status_code == 202, queued.text
            await eventually(lambda: stalled.message_ids, timeout=15)
            # Mid-send: the mailer dies, then the SMTP server (its socket closes with it).
            system.signal("notifications", signal.SIGKILL)
            system._smtp.stop()
            assert received(system, "login-link") == []

            # Both come back: the message left "sending" is sent again, once, with the same Message-ID.
            system._smtp = serve_smtp(system.smtp_port, system.mail_dir)
            system.start_service("notifications")
            await system.wait_ready(["notifications"])
            arrived = await eventually(lambda: received(system, "login-link"), timeout=30)
            assert [str(m["Message-ID"]) for m in arrived] == stalled.message_ids
            log = (await client.get("/v1/me/emails", headers=auth)).json()
            assert [(m["status"], m["reason"]) for m in log] == [("sent", "resent-after-interruption")]
            await asyncio.sleep(1)  # another round of the mailer: nothing more
            assert len(received(system, "login-link")) == 1
        # Operations see it: a counter and a log line, with the message id and no address.
        async with httpx.AsyncClient() as metrics:
            text = (await metrics.get(system.metrics_url("notifications"))).text
        assert 'coach_emails_sent_total{campaign="login-link",status="interrupted"} 1.0' in text
        lines = [line for line in system.log("notifications").splitlines() if "interrupted mid-send" in line]
        assert lines and all(ADDRESS not in line and "Josiane" not in line for line in lines)
    finally:
        system.stop()
