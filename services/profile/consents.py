"""The consent ledger: every grant and withdrawal, versioned and timestamped; the profile keeps the current state."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from shared.contracts.vocabulary import ConsentPurpose
from shared.envelope import iso

CONSENT_VERSION = "2026-11"
# Stands for a counsellor whose account was erased, in the history of the people they followed.
ERASED_COUNSELLOR = "erased-counsellor"


def _entry_id(user_id: str, at: str, purpose: str) -> str:
    # A random suffix keeps entries of the same instant apart without naming anyone but the
    # person: a counsellor's id in the key could not be taken out when the counsellor is erased.
    return f"{user_id}:{at}:{purpose}:{secrets.token_hex(4)}"


def ledger_entry(
    user_id: str,
    purpose: ConsentPurpose,
    granted: bool,
    now: datetime,
    counsellor_id: str | None = None,
    shared: list[str] | None = None,
) -> dict[str, Any]:
    """Return the ledger document recording one grant or withdrawal (``shared``: what a counsellor may read)."""
    at = iso(now)
    entry: dict[str, Any] = {
        "_id": _entry_id(user_id, at, purpose.value),
        "user_id": user_id,
        "purpose": purpose.value,
        "granted": granted,
        "version": CONSENT_VERSION,
        "at": at,
        "counsellor_id": counsellor_id,
    }
    if shared is not None:
        entry["shared"] = shared
    return entry


def without_counsellor(entry: dict[str, Any]) -> dict[str, Any]:
    """Return a ledger entry that no longer names its counsellor, under a new id (ids are never changed in place)."""
    return entry | {
        "_id": _entry_id(entry["user_id"], entry["at"], entry["purpose"]),
        "counsellor_id": ERASED_COUNSELLOR,
    }


def refused_change(purpose: ConsentPurpose, granted: bool) -> str | None:
    """Return the problem code that refuses a consent change through the consent API, or None when it is allowed."""
    if purpose is ConsentPurpose.COACHING and not granted:
        # Coaching is what the service is for: stopping it is deleting the account (one call too).
        return "coaching_required_delete_account"
    if purpose is ConsentPurpose.COUNSELLOR_SHARING and granted:
        # Granted per counsellor, by accepting an invitation the person sent.
        return "counsellor_sharing_needs_invitation"
    return None


def state_key(purpose: ConsentPurpose) -> str:
    """Return the key of a purpose in the profile's current consent state."""
    return purpose.value.replace("-", "_")
