"""The consent ledger: every grant and withdrawal, versioned and timestamped; the profile keeps the current state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.contracts.vocabulary import ConsentPurpose
from shared.envelope import iso

CONSENT_VERSION = "2026-11"


def ledger_entry(
    user_id: str, purpose: ConsentPurpose, granted: bool, now: datetime, counsellor_id: str | None = None
) -> dict[str, Any]:
    """Return the ledger document recording one grant or withdrawal."""
    suffix = f":{counsellor_id}" if counsellor_id else ""
    return {
        "_id": f"{user_id}:{iso(now)}:{purpose.value}{suffix}",
        "user_id": user_id,
        "purpose": purpose.value,
        "granted": granted,
        "version": CONSENT_VERSION,
        "at": iso(now),
        "counsellor_id": counsellor_id,
    }


def state_key(purpose: ConsentPurpose) -> str:
    """Return the key of a purpose in the profile's current consent state."""
    return purpose.value.replace("-", "_")
