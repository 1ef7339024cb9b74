"""Public authentication routes: sign up (or as a guest), log in by password or by email link, refresh, log out,
reset a password, confirm an email change.

Answers about an email address never reveal whether it has an account: a link
request is always "sent", a failed login is always "wrong email or password",
and the email call happens after the answer so timing does not tell either.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, BackgroundTasks, Request, Response
from pydantic import BaseModel, EmailStr, Field

from services.gateway.deps import ServicesDep, SettingsDep
from services.gateway.problems import PROBLEM_RESPONSES
from services.gateway.sessions import Tokens, tokens_for
from services.gateway.tokens import one_time_key
from services.gateway.upstream import Services, UpstreamError
from shared.contracts.api.profile import FirstName
from shared.contracts.passwords import NewPassword, TypedPassword
from shared.contracts.strict import Strict

router = APIRouter(prefix="/v1/auth", tags=["auth"], responses=PROBLEM_RESPONSES)
LINK_PATHS = {"login-link": "/link/login", "password-reset": "/link/reset-password"}


class SignUp(Strict):
    first_name: FirstName = Field(examples=["Martine"])
    email: EmailStr = Field(examples=["martine@example.org"])
    password: NewPassword
    locale: Literal["fr", "fr@tu", "en"] = "fr"
    role: Literal["job-seeker", "counsellor"] = Field("job-seeker", description="Counsellors follow consenting people.")


class GuestSignUp(Strict):
    first_name: FirstName = Field(examples=["Karim"])
    locale: Literal["fr", "fr@tu", "en"] = "fr"


class Login(Strict):
    email: str = Field(max_length=320, examples=["martine@example.org"])
    password: TypedPassword


class RefreshToken(Strict):
    refresh_token: str = Field(max_length=200)


class LinkRequest(Strict):
    email: str = Field(max_length=320, examples=["martine@example.org"])


class LinkRedeem(Strict):
    token: str = Field(max_length=200, description="The token from the link in the email.")


class PasswordReset(Strict):
    token: str = Field(max_length=200)
    password: NewPassword


class Accepted(BaseModel):
    status: Literal["accepted"] = "accepted"
    detail: str


@router.post("/signup", response_model=Tokens, status_code=201)
async def sign_up(body: SignUp, request: Request, services: ServicesDep, settings: SettingsDep) -> Tokens:
    """Create an account with an email and a password."""
    await request.app.state.rate_limits.check(request, "signup", body.email)
    session = await services.profile.create_account(body.model_dump())
    return tokens_for(settings, session)


@router.post("/guest", response_model=Tokens, status_code=201)
async def sign_up_as_guest(body: GuestSignUp, request: Request, services: ServicesDep, settings: SettingsDep) -> Tokens:
    """Start as a guest with a first name only; add an email and a password later without losing anything."""
    await request.app.state.rate_limits.check(request, "signup")
    session = await services.profile.create_account(body.model_dump())
    return tokens_for(settings, session)


@router.post("/login", response_model=Tokens)
async def log_in(body: Login, request: Request, services: ServicesDep, settings: SettingsDep) -> Tokens:
    """Log in with an email and a password. Only failures count against the account (see the rate limits)."""
    await request.app.state.rate_limits.check(request, "login", body.email)
    try:
        session = await services.profile.log_in(email=body.email, password=body.password)
    except UpstreamError as error:
        if error.status in (404, 422):
            await request.app.state.rate_limits.failed(request, "login", body.email)
            raise UpstreamError(401, {"code": "invalid_credentials"}) from None
        raise
    return tokens_for(settings, session)


@router.post("/refresh", response_model=Tokens)
async def refresh(body: RefreshToken, services: ServicesDep, settings: SettingsDep) -> Tokens:
    """Exchange a refresh token for new tokens. A token used twice ends every session of its family."""
    try:
        session = await services.profile.refresh(body.refresh_token)
    except UpstreamError as error:
        if error.status in (409, 404, 422):
            raise UpstreamError(401, {"code": "session_expired"}) from None
        raise
    return tokens_for(settings, session)


@router.post("/logout", status_code=204)
async def log_out(body: RefreshToken, services: ServicesDep) -> Response:
    """End the session: its refresh token and every token issued from it stop working."""
    await services.profile.log_out(body.refresh_token)
    return Response(status_code=204)


async def _send_link(services: Services, settings: SettingsDep, email: str, purpose: str) -> None:
    try:
        issued = await services.profile.issue_one_time_token(email=email, purpose=purpose)
    except UpstreamError:
        return  # no such account (or profile down): the answer was the same anyway
    link = f"{settings.public_url}{LINK_PATHS[purpose]}#{issued['token']}"
    await services.notifications.queue_message(
        campaign=purpose,
        subject=issued["user_id"],
        dedupe_key=f"{purpose}:{one_time_key(issued['token'])}",
        variables={"link": link},
    )


LINK_SENT = (
    "Si un compte existe pour cette adresse, un email vient de partir. / "
    "If an account exists for this address, an email is on its way."
)


@router.post("/login-link", response_model=Accepted, status_code=202)
async def request_login_link(
    body: LinkRequest, request: Request, background: BackgroundTasks, services: ServicesDep, settings: SettingsDep
) -> Accepted:
    """Email a link that logs in without a password (valid 20 minutes, once)."""
    await request.app.state.rate_limits.check(request, "link", body.email)
    background.add_task(_send_link, services, settings, body.email, "login-link")
    return Accepted(detail=LINK_SENT)


@router.post("/login-link/redeem", response_model=Tokens)
async def redeem_login_link(body: LinkRedeem, services: ServicesDep, settings: SettingsDep) -> Tokens:
    """Log in with the token of a login link."""
    try:
        session = await services.profile.redeem_login_link(body.token)
    except UpstreamError as error:
        if error.status in (404, 422):
            raise UpstreamError(401, {"code": "link_expired"}) from None
        raise
    return tokens_for(settings, session)


@router.post("/password-reset", response_model=Accepted, status_code=202)
async def request_password_reset(
    body: LinkRequest, request: Request, background: BackgroundTasks, services: ServicesDep, settings: SettingsDep
) -> Accepted:
    """Email a link to choose a new password (valid 1 hour, once)."""
    await request.app.state.rate_limits.check(request, "link", body.email)
    background.add_task(_send_link, services, settings, body.email, "password-reset")
    return Accepted(detail=LINK_SENT)


@router.post("/password-reset/confirm", response_model=Tokens)
async def reset_password(body: PasswordReset, services: ServicesDep, settings: SettingsDep) -> Tokens:
    """Choose a new password with the token of a reset link; every session ends and every other link stops working."""
    try:
        session = await services.profile.confirm_password_reset(token=body.token, password=body.password)
    except UpstreamError as error:
        if error.status == 404:
            raise UpstreamError(401, {"code": "link_expired"}) from None
        raise
    return tokens_for(settings, session)


@router.post("/email-change/confirm", status_code=204)
async def confirm_email_change(body: LinkRedeem, services: ServicesDep) -> Response:
    """Confirm a new email address with the token sent to it; every session ends and every other link stops working."""
    try:
        await services.profile.confirm_email_change(body.token)
    except UpstreamError as error:
        if error.status == 404:
            raise UpstreamError(401, {"code": "link_expired"}) from None
        raise
    return Response(status_code=204)
