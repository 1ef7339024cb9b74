"""Refresh tokens (rotating, in families) and one-time tokens (login links, password resets, email changes).

Only a SHA-256 of each token is stored: a copy of the store cannot be used to
log in. A refresh token is used once; presenting it again means it was stolen
(or replayed), so its whole family is revoked and the person must log in again.

One exception keeps people logged in on poor connections: the answer to a refresh can be lost
on the way (the phone goes through a tunnel, the page reloads while the answer travels). The
browser then still holds the spent token and presents it again. Within REUSE_GRACE of its use,
while the token issued in its place was never used, that is a lost answer, not a theft: the
unused successor is revoked and a new one issued in the same family. For a guest, who has no
other way back into the account, losing the session would lose everything.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any, Literal

from shared.envelope import iso
from shared.store import Collection

REFRESH_TOKENS = "refresh_tokens"
ONE_TIME_TOKENS = "one_time_tokens"
REFRESH_LIFETIME = timedelta(days=30)
# Long enough for a refresh answer lost on the way to be asked for again, short enough that a
# stolen token is of no use a minute after the person refreshed.
REUSE_GRACE = timedelta(seconds=60)
ONE_TIME_LIFETIME: dict[str, timedelta] = {
    "login-link": timedelta(minutes=20),
    "password-reset": timedelta(hours=1),
    "email-change": timedelta(days=2),
}
Purpose = Literal["login-link", "password-reset", "email-change"]


def token_hash(token: str) -> str:
    """Return the stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    """Return a new random token (256 bits)."""
    return secrets.token_urlsafe(32)


def new_family() -> str:
    """Return the id of a new session (a family of refresh tokens, each issued from the one before)."""
    return secrets.token_hex(8)


async def issue_refresh_token(
    tokens: Collection, *, user_id: str, now: datetime, family: str | None = None, token: str | None = None
) -> str:
    """Store and return a new refresh token (or the one given), in a new family unless one is given."""
    token = token or new_token()
    await tokens.insert(
        {
            "_id": token_hash(token),
            "user_id": user_id,
            "family": family or new_family(),
            "issued_at": iso(now),
            "expires_at": iso(now + REFRESH_LIFETIME),
            "used_at": None,
            "revoked": False,
        }
    )
    return token


class RefreshRefusedError(Exception):
    """The refresh token is unknown, expired, revoked, or was already used (reuse: the family is revoked)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


async def rotate_refresh_token(tokens: Collection, token: str, *, now: datetime) -> tuple[str, str, str]:
    """Return (user id, the next refresh token, the session's family) and spend the given one.

    Raise RefreshRefusedError when the token cannot be spent.
    """
    stored = await tokens.get(token_hash(token))
    if stored is None:
        raise RefreshRefusedError("unknown")
    if stored["revoked"]:
        raise RefreshRefusedError("revoked")
    if stored["expires_at"] <= iso(now):
        raise RefreshRefusedError("expired")
    following = new_token()
    if stored["used_at"] is not None:
        if not await _answer_was_lost(tokens, stored, now=now):
            await tokens.update({"family": stored["family"]}, set={"revoked": True})
            raise RefreshRefusedError("reused")
        # Point the spent token at the new successor, only if nobody did it in between.
        if not await tokens.update({"_id": stored["_id"], "next": stored["next"]}, set={"next": token_hash(following)}):
            raise RefreshRefusedError("reused")
    # Spend the token only if nobody spent it in between (two tabs refreshing at once).
    elif not await tokens.update(
        {"_id": stored["_id"], "used_at": None}, set={"used_at": iso(now), "next": token_hash(following)}
    ):
        raise RefreshRefusedError("reused")
    await issue_refresh_token(tokens, user_id=stored["user_id"], now=now, family=stored["family"], token=following)
    return stored["user_id"], following, stored["family"]


async def _answer_was_lost(tokens: Collection, stored: dict[str, Any], *, now: datetime) -> bool:
    """Return True (and revoke the unused successor) when a spent token comes back within the grace.

    The successor must never have been used: once the browser used it, the answer had arrived,
    and the old token coming back is a replay.
    """
    if iso(now - REUSE_GRACE) >= stored["used_at"] or not stored.get("next"):
        return False
    return bool(await tokens.update({"_id": stored["next"], "used_at": None, "revoked": False}, set={"revoked": True}))


async def revoke_family_of(tokens: Collection, token: str) -> None:
    """Revoke the family of a refresh token (logout)."""
    stored = await tokens.get(token_hash(token))
    if stored is not None:
        await tokens.update({"family": stored["family"]}, set={"revoked": True})


async def revoke_all(tokens: Collection, user_id: str, *, keep_family: str | None = None) -> None:
    """Revoke every refresh token of a person, except those of the session that asked, if named."""
    where: dict[str, Any] = {"user_id": user_id}
    if keep_family is not None:
        where["family"] = {"$ne": keep_family}
    await tokens.update(where, set={"revoked": True})


async def spend_all_links(tokens: Collection, user_id: str, *, purpose: Purpose | None = None) -> None:
    """Mark used every outstanding one-time link of a person (of one purpose, or all of them)."""
    where: dict[str, Any] = {"user_id": user_id, "used": False}
    if purpose is not None:
        where["purpose"] = purpose
    await tokens.update(where, set={"used": True})


async def credentials_changed(
    refresh_tokens: Collection, one_time_tokens: Collection, user_id: str, *, keep_family: str | None = None
) -> None:
    """End every other session and spend every outstanding link: the old secret may be in other hands."""
    await revoke_all(refresh_tokens, user_id, keep_family=keep_family)
    await spend_all_links(one_time_tokens, user_id)


async def issue_one_time_token(
    tokens: Collection, *, user_id: str, purpose: Purpose, now: datetime, **extra: Any
) -> str:
    """Store and return a single-use token for a purpose; the person's older links of that purpose stop working."""
    await spend_all_links(tokens, user_id, purpose=purpose)
    token = new_token()
    await tokens.insert(
        {
            "_id": token_hash(token),
            "user_id": user_id,
            "purpose": purpose,
            "used": False,
            "expires_at": iso(now + ONE_TIME_LIFETIME[purpose]),
            **extra,
        }
    )
    return token


async def valid_one_time_token(
    tokens: Collection, token: str, *, purpose: Purpose, now: datetime
) -> dict[str, Any] | None:
    """Return the token's record if it may still be spent for the purpose, without spending it."""
    stored = await tokens.get(token_hash(token))
    if stored is None or stored["purpose"] != purpose or stored["used"] or stored["expires_at"] <= iso(now):
        return None
    return stored


async def spend_one_time_token(
    tokens: Collection, token: str, *, purpose: Purpose, now: datetime
) -> dict[str, Any] | None:
    """Return the token's record and mark it used, or None if it is unknown, used, expired or for another purpose."""
    stored = await valid_one_time_token(tokens, token, purpose=purpose, now=now)
    if stored is None:
        return None
    if not await tokens.update({"_id": stored["_id"], "used": False}, set={"used": True}):
        return None
    return stored
