"""Access tokens: short-lived signed JWTs (HS256) naming the user and the role."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from shared.lean_imports import without

# PyJWT loads cryptography whenever it is installed (about 9 MB), for RSA, EC and EdDSA keys; the
# tokens are HS256 (hmac, in the standard library), and production installs no cryptography.
with without("cryptography"):
    import jwt

ALGORITHM = "HS256"
ISSUER = "coach-gateway"


@dataclass(frozen=True)
class Principal:
    user_id: str
    role: str
    # The session (refresh-token family) the token was issued in: a password change ends the others.
    session_id: str | None = None


TokenKind = Literal["access", "events"]


def one_time_key(token: str) -> str:
    """Return a stable key for a one-time token (e.g. to de-duplicate its email) that does not reveal it."""
    return hashlib.sha256(token.encode()).hexdigest()[:24]


def issue_access_token(
    principal: Principal, *, secret: str, now: datetime, minutes: int, kind: TokenKind = "access"
) -> str:
    """Return a signed token valid for ``minutes``: an access token, or a ticket that only opens the live stream."""
    claims: dict[str, str | int] = {
        "sub": principal.user_id,
        "role": principal.role,
        "iss": ISSUER,
        "typ": kind,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(minutes=minutes)).timestamp()),
        "jti": secrets.token_hex(8),
    }
    if principal.session_id:
        claims["sid"] = principal.session_id
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def read_access_token(token: str, *, secret: str, kind: TokenKind = "access") -> Principal | None:
    """Return who the token names, or None when it is expired, forged or not of this kind."""
    try:
        # Pinning the algorithm refuses "alg": "none" and algorithm-confusion tokens.
        claims = jwt.decode(
            token, secret, algorithms=[ALGORITHM], issuer=ISSUER, options={"require": ["exp", "sub", "iss"]}
        )
    except jwt.PyJWTError:
        return None
    if claims.get("typ") != kind:
        return None
    session = claims.get("sid")
    return Principal(
        user_id=str(claims["sub"]),
        role=str(claims.get("role", "job-seeker")),
        session_id=session if isinstance(session, str) else None,
    )
