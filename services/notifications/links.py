"""Signed links: unsubscribe and survey links that work without logging in.

A token is ``<payload>.<signature>``: the payload names the purpose, the
pseudonymous subject and the expiry; the signature is an HMAC-SHA256 of it with
the service's secret key. Nothing personal is in the link beyond the
pseudonymous id, and a token for one purpose cannot be used for another.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote

from shared.envelope import SUBJECT_PATTERN

UNSUBSCRIBE = "unsubscribe"
_SUBJECT = re.compile(SUBJECT_PATTERN)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def survey_purpose(kind: str) -> str:
    """Return the purpose of a survey link."""
    return f"survey:{kind}"


def sign(secret: str, *, purpose: str, subject: str, expires_at: datetime) -> str:
    """Return a token allowing ``purpose`` for ``subject`` until ``expires_at``."""
    payload = f"{purpose}|{subject}|{int(expires_at.timestamp())}".encode()
    signature = hmac.new(secret.encode(), payload, hashlib.sha256).digest()[:18]
    return f"{_b64(payload)}.{_b64(signature)}"


def verify(secret: str, token: str, *, purpose: str, now: datetime) -> str | None:
    """Return the subject of a valid token for this purpose; None when forged, expired or for another purpose."""
    encoded, _, signature = token.partition(".")
    try:
        payload = _unb64(encoded)
        given = _unb64(signature)
    except (ValueError, TypeError):
        return None
    expected = hmac.new(secret.encode(), payload, hashlib.sha256).digest()[:18]
    if not hmac.compare_digest(given, expected):
        return None
    try:
        token_purpose, subject, expiry = payload.decode().split("|")
        expires = int(expiry)
    except ValueError:
        return None
    if token_purpose != purpose or expires < now.timestamp() or not _SUBJECT.match(subject):
        return None
    return subject


@dataclass(frozen=True)
class LinkMaker:
    """Builds the absolute links an email carries, signed for one person."""

    public_url: str
    secret: str
    now: datetime
    unsubscribe_days: int = 400
    survey_days: int = 60

    def app(self, path: str) -> str:
        """Return the link to a page of the web app."""
        return self.public_url.rstrip("/") + path

    def _token(self, purpose: str, subject: str, days: int) -> str:
        return quote(sign(self.secret, purpose=purpose, subject=subject, expires_at=self.now + timedelta(days=days)))

    def unsubscribe_page(self, subject: str) -> str:
        """Return the page where the person lowers the frequency, stops, or deletes the account."""
        return self.app(f"/emails/unsubscribe?token={self._token(UNSUBSCRIBE, subject, self.unsubscribe_days)}")

    def one_click(self, subject: str) -> str:
        """Return the RFC 8058 one-click unsubscribe URL (POSTed by the mail client)."""
        token = self._token(UNSUBSCRIBE, subject, self.unsubscribe_days)
        return self.app(f"/v1/emails/unsubscribe/one-click?token={token}")

    def survey(self, kind: str, subject: str) -> str:
        """Return the survey page link for one person."""
        return self.app(f"/surveys/{kind}?token={self._token(survey_purpose(kind), subject, self.survey_days)}")
