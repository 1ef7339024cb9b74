"""Retention: guests go after 7 idle days; accounts get a notice, then go after 2 idle years."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from services.profile.credentials import ONE_TIME_TOKENS, issue_one_time_token
from services.profile.repository import ACCOUNTS, PROFILES
from services.profile.retention import sweep, verdict
from services.profile.settings import ProfileSettings
from services.profile.state import ProfileState
from shared.envelope import iso
from shared.metrics import ServiceMetrics
from shared.outbox import OUTBOX, Outbox
from shared.service import ServiceRuntime
from shared.store.sqlite import SqliteStore
from shared.telemetry import new_metrics_registry

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def account(days_idle: float, *, guest: bool = False, notified_days_ago: float | None = None) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "_id": "u_0000000000000001",
        "is_guest": guest,
        "created_at": iso(NOW - timedelta(days=900)),
        "last_seen_at": iso(NOW - timedelta(days=days_idle)),
    }
    if notified_days_ago is not None:
        doc["deletion_notice_at"] = iso(NOW - timedelta(days=notified_days_ago))
    return doc


def test_guests_are_erased_after_seven_idle_days() -> None:
    assert verdict(account(6.9, guest=True), NOW).decision == "keep"
    assert verdict(account(7, guest=True), NOW).decision == "erase"


def test_accounts_get_a_notice_a_month_before_two_idle_years_then_go() -> None:
    assert verdict(account(699), NOW).decision == "keep"
    notice = verdict(account(700), NOW)
    assert notice.decision == "notify" and notice.deletion_date == NOW + timedelta(days=30)
    assert verdict(account(720, notified_days_ago=20), NOW).decision == "keep"  # notified, not yet due
    assert verdict(account(731, notified_days_ago=10), NOW).decision == "keep"  # a notice gives 30 days
    assert verdict(account(731, notified_days_ago=31), NOW).decision == "erase"
    # Never erased without a notice, even long overdue.
    assert verdict(account(900), NOW).decision == "notify"


def test_coming_back_after_the_notice_cancels_it() -> None:
    back = account(1, notified_days_ago=40)
    assert verdict(back, NOW).decision == "keep"


async def test_the_sweep_erases_notifies_and_purges_expired_links() -> None:
    store = SqliteStore(":memory:")
    runtime = ServiceRuntime(
        settings=ProfileSettings(),
        store=store,
        broker=None,  # type: ignore[arg-type]
        outbox=Outbox(),
        metrics=ServiceMetrics(new_metrics_registry()),
        state=ProfileState(),
        clock=lambda: NOW,
    )
    guest = account(10, guest=True) | {"_id": "u_000000000000000a"}
    old = account(710) | {"_id": "u_000000000000000b"}
    fresh = account(1) | {"_id": "u_000000000000000c"}
    await store.collection(ACCOUNTS).insert_many([guest, old, fresh])
    await store.collection(PROFILES).insert_many([{"_id": a["_id"], "revision": 0} for a in (guest, old, fresh)])
    await issue_one_time_token(
        store.collection(ONE_TIME_TOKENS), user_id=fresh["_id"], purpose="login-link", now=NOW - timedelta(hours=1)
    )
    notified: list[str] = []

    async def notify(subject: str, _: datetime) -> bool:
        notified.append(subject)
        return True

    counts = await sweep(runtime, notify)
    assert counts == {"notified": 1, "erased": 1, "purged": 1}
    assert notified == [old["_id"]]
    assert {a["_id"] for a in await store.collection(ACCOUNTS).find()} == {old["_id"], fresh["_id"]}
    (erased,) = await store.collection(OUTBOX).find()
    assert '"user-erased"' in erased["value"] and '"inactivity"' in erased["value"]
    assert (await sweep(runtime, notify))["notified"] == 0  # notified once
