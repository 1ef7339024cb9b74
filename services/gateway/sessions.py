"""Sessions at the edge: access tokens from the gateway, refresh tokens from the profile service."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from services.gateway.settings import GatewaySettings
from services.gateway.tokens import Principal, issue_access_token
from shared.envelope import utc_now


class Tokens(BaseModel):
    """A session: a short-lived access token and a single-use refresh token."""

    access_token: str = Field(description="Send it as `Authorization: Bearer …`; valid a few minutes.")
    refresh_token: str = Field(description="Exchange it once at /v1/auth/refresh for new tokens.")
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth token type, not a secret
    expires_in: int = Field(description="Seconds until the access token expires.", examples=[900])
    user_id: str
    role: str


def tokens_for(settings: GatewaySettings, session: dict[str, Any]) -> Tokens:
    """Return the public tokens for a session opened by the profile service."""
    access = issue_access_token(
        Principal(session["user_id"], session["role"], session.get("session_id")),
        secret=settings.secret_key.get_secret_value(),
        now=utc_now(),
        minutes=settings.access_token_minutes,
    )
    return Tokens(
        access_token=access,
        refresh_token=session["refresh_token"],
        expires_in=settings.access_token_minutes * 60,
        user_id=session["user_id"],
        role=session["role"],
    )
