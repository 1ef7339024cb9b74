"""Public authentication routes: sign up, guest, log in."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, EmailStr, Field

from services.gateway.deps import ServicesDep, SettingsDep
from services.gateway.tokens import Principal, issue_access_token
from services.gateway.upstream import UpstreamError
from services.profile.schemas import FirstName
from shared.envelope import utc_now

router = APIRouter(prefix="/v1/auth", tags=["auth"])


class SignUp(BaseModel):
    model_config = ConfigDict(extra="forbid")
    first_name: FirstName = Field(examples=["Martine"])
    email: EmailStr = Field(examples=["martine@example.org"])
    password: str = Field(min_length=10, max_length=200, examples=["un long mot de passe"])
    locale: Literal["fr", "fr@tu", "en"] = "fr"


class GuestSignUp(BaseModel):
    model_config = ConfigDict(extra="forbid")
    first_name: FirstName = Field(examples=["Karim"])
    locale: Literal["fr", "fr@tu", "en"] = "fr"


class Login(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: str = Field(max_length=320, examples=["martine@example.org"])
    password: str = Field(max_length=200)


class Tokens(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth token type, not a secret
    expires_in: int = Field(description="Seconds until the access token expires.")
    user_id: str
    role: str


def _tokens(settings: SettingsDep, user_id: str, role: str) -> Tokens:
    token = issue_access_token(
        Principal(user_id, role),
        secret=settings.secret_key.get_secret_value(),
        now=utc_now(),
        minutes=settings.access_token_minutes,
    )
    return Tokens(access_token=token, expires_in=settings.access_token_minutes * 60, user_id=user_id, role=role)


@router.post("/signup", response_model=Tokens, status_code=201)
async def sign_up(body: SignUp, services: ServicesDep, settings: SettingsDep) -> Tokens:
    """Create an account with an email and a password."""
    created = await services.call("profile", "POST", "/internal/accounts", json=body.model_dump())
    return _tokens(settings, created["user_id"], created["role"])


@router.post("/guest", response_model=Tokens, status_code=201)
async def sign_up_as_guest(body: GuestSignUp, services: ServicesDep, settings: SettingsDep) -> Tokens:
    """Start as a guest with a first name only; the account can be completed later without losing anything."""
    created = await services.call("profile", "POST", "/internal/accounts", json=body.model_dump())
    return _tokens(settings, created["user_id"], created["role"])


@router.post("/login", response_model=Tokens)
async def log_in(body: Login, services: ServicesDep, settings: SettingsDep) -> Tokens:
    """Log in with an email and a password."""
    try:
        account = await services.call("profile", "POST", "/internal/auth/password", json=body.model_dump())
    except UpstreamError as error:
        if error.status == 404:
            raise UpstreamError(401, {"code": "invalid_credentials"}) from None
        raise
    return _tokens(settings, account["user_id"], account["role"])
