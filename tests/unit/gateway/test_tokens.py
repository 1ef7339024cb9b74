"""Access tokens: only our own, unexpired, HS256-signed access tokens are accepted."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import jwt
import orjson

from services.gateway.tokens import ISSUER, Principal, issue_access_token, read_access_token

SECRET = "a-test-secret-that-is-long-enough-32b"
NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def test_a_fresh_token_names_the_user_and_the_role() -> None:
    token = issue_access_token(Principal("u_1", "counsellor"), secret=SECRET, now=datetime.now(UTC), minutes=15)
    assert read_access_token(token, secret=SECRET) == Principal("u_1", "counsellor")


def test_an_expired_token_is_refused() -> None:
    token = issue_access_token(Principal("u_1", "job-seeker"), secret=SECRET, now=NOW - timedelta(hours=1), minutes=15)
    assert read_access_token(token, secret=SECRET) is None


def test_a_token_signed_with_another_key_is_refused() -> None:
    token = issue_access_token(
        Principal("u_1", "job-seeker"), secret="another-secret-of-32-characters!!", now=datetime.now(UTC), minutes=15
    )
    assert read_access_token(token, secret=SECRET) is None


def _unsigned(claims: dict[str, object]) -> str:
    def part(value: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(orjson.dumps(value)).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


def test_an_alg_none_token_is_refused() -> None:
    claims = {
        "sub": "u_1",
        "role": "counsellor",
        "iss": ISSUER,
        "typ": "access",
        "exp": int((datetime.now(UTC) + timedelta(minutes=5)).timestamp()),
    }
    assert read_access_token(_unsigned(claims), secret=SECRET) is None


def test_a_token_of_another_type_or_without_expiry_is_refused() -> None:
    future = int((datetime.now(UTC) + timedelta(minutes=5)).timestamp())
    refresh_like = jwt.encode({"sub": "u_1", "iss": ISSUER, "typ": "refresh", "exp": future}, SECRET, "HS256")
    no_expiry = jwt.encode({"sub": "u_1", "iss": ISSUER, "typ": "access"}, SECRET, "HS256")
    other_issuer = jwt.encode({"sub": "u_1", "iss": "evil", "typ": "access", "exp": future}, SECRET, "HS256")
    for token in (refresh_like, no_expiry, other_issuer, "garbage", ""):
        assert read_access_token(token, secret=SECRET) is None
