"""Where the profile service keeps accounts, profiles and the consent ledger."""

from __future__ import annotations

from typing import Any

from shared.store import Collection, Index

ACCOUNTS = "accounts"
PROFILES = "profiles"
CONSENTS = "consents"

INDEXES = (
    Index(ACCOUNTS, ("email",), unique=True, sparse=True),
    Index(ACCOUNTS, ("last_seen_at",)),
    Index("refresh_tokens", ("expires_at",)),
    Index("one_time_tokens", ("expires_at",)),
    Index(CONSENTS, ("user_id", "at")),
    Index("counsellor_links", ("user_id",)),
    Index("counsellor_links", ("counsellor_id",)),
    Index("refresh_tokens", ("user_id",)),
    Index("refresh_tokens", ("family",)),
    Index("one_time_tokens", ("user_id",)),
    Index("counsellor_invitations", ("user_id",)),
)


async def save_profile(profiles: Collection, doc: dict[str, Any], *, expected_revision: int) -> bool:
    """Write the profile only if its stored revision is still ``expected_revision``; return False otherwise."""
    if expected_revision == -1:
        await profiles.insert(doc)
        return True
    changed = await profiles.update(
        {"_id": doc["_id"], "revision": expected_revision},
        set={k: v for k, v in doc.items() if k != "_id"},
    )
    return changed == 1
