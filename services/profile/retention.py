"""How long accounts are kept (pure), and the daily sweep that applies it.

* Guest accounts (first name only, no way to reach them): erased 7 days after the last visit.
* Other accounts: a notice 30 days before the end, erased 2 years after the last visit.
* Expired sessions, links and invitations: deleted (they can no longer be used).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

import httpx

from services.profile.counsellors import INVITATIONS
from services.profile.credentials import ONE_TIME_TOKENS, REFRESH_TOKENS
from services.profile.erasure import erase
from services.profile.repository import ACCOUNTS
from shared.clients import PeerCaller, ServiceAnswerError
from shared.clients.notifications import NotificationsClient
from shared.envelope import iso
from shared.lease import Lease
from shared.service import ServiceRuntime
from shared.store import StoreUnavailableError

log = logging.getLogger(__name__)
GUEST_IDLE = timedelta(days=7)
ACCOUNT_IDLE = timedelta(days=730)
NOTICE_BEFORE = timedelta(days=30)

Decision = Literal["keep", "notify", "erase"]


@dataclass(frozen=True)
class Verdict:
    decision: Decision
    deletion_date: datetime | None = None


def verdict(account: dict[str, Any], now: datetime) -> Verdict:
    """Return what to do with an account today, from its last visit and whether it was warned."""
    last_seen = datetime.fromisoformat(account.get("last_seen_at") or account["created_at"])
    if account.get("is_guest"):
        return Verdict("erase") if now - last_seen >= GUEST_IDLE else Verdict("keep")
    end = last_seen + ACCOUNT_IDLE
    notified_at = account.get("deletion_notice_at")
    if notified_at is not None and datetime.fromisoformat(notified_at) < last_seen:
        notified_at = None  # the person came back after the notice: it no longer counts
    if now >= end and notified_at is not None and now - datetime.fromisoformat(notified_at) >= NOTICE_BEFORE:
        return Verdict("erase")
    if now >= end - NOTICE_BEFORE and notified_at is None:
        return Verdict("notify", deletion_date=max(end, now + NOTICE_BEFORE))
    return Verdict("keep")


async def purge_expired_credentials(runtime: ServiceRuntime) -> int:
    """Delete refresh tokens, one-time links and invitations past their expiry; return how many."""
    now = iso(runtime.clock())
    removed = 0
    for name in (REFRESH_TOKENS, ONE_TIME_TOKENS, INVITATIONS):
        removed += await runtime.store.collection(name).delete({"expires_at": {"$lt": now}})
    return removed


async def sweep(runtime: ServiceRuntime, notify: Any) -> dict[str, int]:
    """Apply the retention rules once; return how many accounts were notified and erased."""
    now = runtime.clock()
    threshold = iso(now - min(GUEST_IDLE, ACCOUNT_IDLE - NOTICE_BEFORE))
    counts = {"notified": 0, "erased": 0, "purged": await purge_expired_credentials(runtime)}
    async for account in runtime.store.collection(ACCOUNTS).iterate({"last_seen_at": {"$lt": threshold}}):
        decided = verdict(account, now)
        if decided.decision == "erase":
            await erase(runtime, account["_id"], "inactivity")
            counts["erased"] += 1
        elif (
            decided.decision == "notify"
            and decided.deletion_date is not None
            and await notify(account["_id"], decided.deletion_date)
        ):
            await runtime.store.collection(ACCOUNTS).update(
                {"_id": account["_id"]}, set={"deletion_notice_at": iso(now)}
            )
            counts["notified"] += 1
    return counts


async def run_retention(runtime: ServiceRuntime, *, interval_s: float = 3600.0) -> None:
    """Sweep every interval while holding the retention lease (one replica at a time)."""
    settings = runtime.settings
    lease = Lease(runtime.store, "retention", holder=uuid.uuid4().hex, ttl=timedelta(minutes=30), clock=runtime.clock)
    token = settings.internal_token.get_secret_value()
    notifications_url = getattr(settings, "notifications_url", "http://127.0.0.1:8004")
    async with httpx.AsyncClient(timeout=10, headers={"authorization": f"Bearer {token}"}) as client:
        notifications = NotificationsClient(PeerCaller(client, {"notifications": notifications_url}))

        async def notify(subject: str, deletion_date: datetime) -> bool:
            try:
                await notifications.queue_message(
                    campaign="account-deletion-notice",
                    subject=subject,
                    dedupe_key=f"deletion-notice:{subject}:{deletion_date.date().isoformat()}",
                    variables={"deletion_date": deletion_date.strftime("%d/%m/%Y")},
                )
            except ServiceAnswerError:
                return False
            return True

        while True:
            try:
                if await lease.acquire():
                    counts = await sweep(runtime, notify)
                    if any(counts.values()):
                        log.info("retention sweep: %s", counts)
            except (StoreUnavailableError, httpx.HTTPError) as error:
                log.warning("retention sweep postponed: %s", type(error).__name__)
            await asyncio.sleep(interval_s)
