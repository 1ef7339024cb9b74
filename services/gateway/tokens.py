"""Access tokens: short-lived signed JWTs (HS256) naming the user and the role."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt

ALGORITHM = "HS256"
ISSUER = "coach-gateway"


@dataclass(frozen=True)
class Principal:
    user_id: str
    role: str


def issue_access_token(principal: Principal, *, secret: str, now: datetime, minutes: int) -> str:
    """Return a signed access token valid for ``minutes``."""
    claims = {
        "sub": principal.user_id,
        "role": principal.role,
        "iss": ISSUER,
        "typ": "access",
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(minutes=minutes)).timestamp()),
        "jti": secrets.token_hex(8),
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def read_access_token(token: str, *, secret: str) -> Principal | None:
    """Return who the token names, or None when it is expired, forged or not an access token."""
    try:
        # Pinning the algorithm refuses "alg": "none" and algorithm-confusion tokens.
        claims = jwt.decode(
            token, secret, algorithms=[ALGORITHM], issuer=ISSUER, options={"require": ["exp", "sub", "iss"]}
        )
    except jwt.PyJWTError:
        return None
    if claims.get("typ") != "access":
        return None
    return Principal(user_id=str(claims["sub"]), role=str(claims.get("role", "job-seeker")))
