"""Email confirmation of a pledge: a signed, expiring token (HMAC-SHA256 with the secret key).

The token names the volunteer and its expiry, so the link works without a
session; the purpose is part of what is signed, so a token made for anything
else cannot confirm a pledge.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime

PURPOSE = b"volunteer-confirm|"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(payload: bytes, secret: str) -> bytes:
    return hmac.new(secret.encode(), PURPOSE + payload, hashlib.sha256).digest()


def sign_confirmation(user_id: str, *, secret: str, expires_at: datetime) -> str:
    """Return a token that confirms this volunteer's pledge until ``expires_at``."""
    payload = f"{user_id}|{int(expires_at.timestamp())}".encode()
    return f"{_b64(payload)}.{_b64(_signature(payload, secret))}"


def read_confirmation(token: str, *, secret: str, now: datetime) -> str | None:
    """Return the volunteer's user id, or None when the token is forged, damaged or expired."""
    encoded_payload, _, encoded_signature = token.partition(".")
    try:
        payload, signature = _unb64(encoded_payload), _unb64(encoded_signature)
    except (ValueError, TypeError):
        return None
    if not hmac.compare_digest(signature, _signature(payload, secret)):
        return None
    user_id, _, expiry = payload.decode(errors="replace").rpartition("|")
    if not user_id or not expiry.isdigit():
        return None
    if now >= datetime.fromtimestamp(int(expiry), tz=UTC):
        return None
    return user_id
