"""The mailer: sends queued messages through SMTP, each at most once.

A message goes queued → sending → sent. The address is asked from the profile
service at send time (it is never on Kafka). An SMTP failure puts the message
back in the queue with a growing delay; a process killed between the SMTP
server's acceptance and the ``sent`` mark leaves the message ``sending``, and
it is then marked ``uncertain`` rather than sent twice.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any

import aiosmtplib
import httpx
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from services.notifications.repository import MESSAGES
from services.notifications.settings import NotificationsSettings
from shared.envelope import iso
from shared.service import ServiceRuntime
from shared.store import StoreUnavailableError

log = logging.getLogger(__name__)
TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)
SUBJECTS = {"welcome": {"fr": "Votre diagnostic est prêt", "fr@tu": "Ton diagnostic est prêt", "en": "Your diagnosis is ready"}}
MAX_ATTEMPTS = 8


async def fetch_contact(settings: NotificationsSettings, client: httpx.AsyncClient, subject: str) -> dict[str, Any] | None:
    """Return the person's contact details from the profile service, or None if the account is gone."""
    response = await client.get(
        f"{settings.profile_url}/internal/contacts/{subject}",
        headers={"authorization": f"Bearer {settings.internal_token.get_secret_value()}"},
    )
    if response.status_code == 404:
        return None
    response.raise_for_status()
    contact: dict[str, Any] = response.json()
    return contact


def render(message: dict[str, Any], contact: dict[str, Any], settings: NotificationsSettings) -> EmailMessage:
    """Return the email for a queued message."""
    locale = contact["locale"]
    email = EmailMessage()
    email["From"] = settings.sender
    email["To"] = contact["email"]
    email["Subject"] = SUBJECTS[message["campaign"]][locale]
    email["Message-ID"] = make_msgid(idstring=message["_id"].replace(":", "."))
    email.set_content(
        TEMPLATES.get_template(f"{message['campaign']}.txt.j2").render(
            locale=locale, first_name=contact["first_name"] or "", app_url=settings.public_url, **message["variables"]
        )
    )
    return email


async def send_queued(runtime: ServiceRuntime, client: httpx.AsyncClient, *, limit: int = 100) -> int:
    """Send the messages whose time has come; return how many were handled."""
    settings = runtime.settings
    assert isinstance(settings, NotificationsSettings)
    messages = runtime.store.collection(MESSAGES)
    now = runtime.clock()
    due = await messages.find({"status": "queued", "send_after": {"$lte": iso(now)}}, sort=[("send_after", 1)], limit=limit)
    for message in due:
        contact = await fetch_contact(settings, client, message["subject"])
        if contact is None or not contact.get("email"):
            await messages.update({"_id": message["_id"]}, set={"status": "skipped", "reason": "no-address"})
            continue
        # Claim the message before talking to SMTP: a second sender (or a restart) will not resend it.
        if not await messages.update({"_id": message["_id"], "status": "queued"}, set={"status": "sending"}):
            continue
        try:
            await aiosmtplib.send(
                render(message, contact, settings),
                hostname=settings.smtp_host, port=settings.smtp_port, start_tls=settings.smtp_starttls,
                username=settings.smtp_username,
                password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
                timeout=10,
            )
        except (aiosmtplib.SMTPException, OSError) as error:
            attempts = message["attempts"] + 1
            status = "queued" if attempts < MAX_ATTEMPTS else "failed"
            retry_at = now + timedelta(seconds=min(30 * 2**attempts, 6 * 3600))
            await messages.update(
                {"_id": message["_id"]},
                set={"status": status, "attempts": attempts, "send_after": iso(retry_at), "error": type(error).__name__},
            )
            runtime.metrics.emails_sent.labels(message["campaign"], "retry" if status == "queued" else "failed").inc()
            continue
        await messages.update({"_id": message["_id"]}, set={"status": "sent", "sent_at": iso(runtime.clock())})
        runtime.metrics.emails_sent.labels(message["campaign"], "sent").inc()
    return len(due)


async def run_mailer(runtime: ServiceRuntime, *, interval_s: float = 0.5) -> None:
    """Send queued messages until cancelled."""
    messages = runtime.store.collection(MESSAGES)
    # A message left "sending" by a killed process may have left: never send it twice.
    await messages.update({"status": "sending"}, set={"status": "uncertain"})
    async with httpx.AsyncClient(timeout=10) as client:
        while True:
            try:
                await send_queued(runtime, client)
            except (StoreUnavailableError, httpx.HTTPError) as error:
                log.warning("mailer paused: %s", type(error).__name__)
            await asyncio.sleep(interval_s)
