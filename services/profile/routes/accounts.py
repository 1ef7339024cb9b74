"""Accounts and credentials (internal API, called by the gateway only).

Answers about unknown emails are plain 404s here; the gateway turns them into
generic public answers that never reveal whether an address has an account.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel, EmailStr, Field

from services.profile.accounts import hash_password, new_user_id, normalize_email, verify_password
from services.profile.consents import ledger_entry
from services.profile.credentials import (
    ONE_TIME_TOKENS,
    REFRESH_TOKENS,
    Purpose,
    RefreshRefusedError,
    credentials_changed,
    issue_one_time_token,
    issue_refresh_token,
    new_family,
    revoke_family_of,
    rotate_refresh_token,
    spend_one_time_token,
    valid_one_time_token,
)
from services.profile.facts import profile_updated
from services.profile.password_policy import password_problem
from services.profile.profiles import commit_in, load
from services.profile.repository import ACCOUNTS, CONSENTS, PROFILES
from shared.contracts.api.profile import FirstName
from shared.contracts.passwords import NewPassword, TypedPassword
from shared.contracts.profile import Preferences
from shared.contracts.vocabulary import ConsentPurpose
from shared.envelope import iso
from shared.problems import ConflictError, FieldProblem, InvalidInputError, NotFoundError
from shared.service import RuntimeDep, ServiceRuntime
from shared.store import DuplicateKeyError

router = APIRouter(prefix="/internal", tags=["accounts"])


class AccountCreate(BaseModel):
    first_name: FirstName
    email: EmailStr | None = None
    password: NewPassword | None = None
    role: Literal["job-seeker", "volunteer", "counsellor"] = "job-seeker"
    locale: Literal["fr", "fr@tu", "en"] = "fr"


class Session(BaseModel):
    """Who logged in, and the refresh token of a new session."""

    user_id: str
    role: str
    refresh_token: str
    session_id: str = Field(description="The session (refresh-token family): kept when its own password changes.")


class PasswordLogin(BaseModel):
    email: str
    password: TypedPassword


class RefreshRequest(BaseModel):
    refresh_token: str


class OneTimeRequest(BaseModel):
    email: str
    purpose: Literal["login-link", "password-reset"]


class OneTimeIssued(BaseModel):
    user_id: str
    token: str


class EmailChangeIssued(BaseModel):
    """A confirmation token for a free address, or none when the address already has an account."""

    user_id: str
    token: str | None
    already_registered: bool


class TokenRedeem(BaseModel):
    token: str = Field(max_length=200)


class PasswordResetConfirm(BaseModel):
    token: str = Field(max_length=200)
    password: NewPassword


class GuestUpgrade(BaseModel):
    email: EmailStr
    password: NewPassword


class EmailChange(BaseModel):
    new_email: EmailStr


class PasswordChange(BaseModel):
    current_password: TypedPassword
    new_password: NewPassword
    keep_session: str | None = Field(None, max_length=64, description="The session that asked: it goes on.")


async def _session(runtime: ServiceRuntime, account: dict[str, object]) -> Session:
    family = new_family()
    token = await issue_refresh_token(
        runtime.store.collection(REFRESH_TOKENS), user_id=str(account["_id"]), now=runtime.clock(), family=family
    )
    return Session(user_id=str(account["_id"]), role=str(account["role"]), refresh_token=token, session_id=family)


def _require_good_password(password: str, *, field: str, email: object, first_name: object) -> None:
    """Refuse (422, naming the field) a new password that is personal, common or easy to guess."""
    problem = password_problem(
        password,
        email=email if isinstance(email, str) else None,
        first_name=first_name if isinstance(first_name, str) else None,
    )
    if problem is not None:
        raise InvalidInputError([FieldProblem(field=field, code=problem)])


async def _credentials_changed(runtime: ServiceRuntime, user_id: str, *, keep_family: str | None = None) -> None:
    await credentials_changed(
        runtime.store.collection(REFRESH_TOKENS),
        runtime.store.collection(ONE_TIME_TOKENS),
        user_id,
        keep_family=keep_family,
    )


async def _account_by_email(runtime: ServiceRuntime, email: str) -> dict[str, object] | None:
    found = await runtime.store.collection(ACCOUNTS).find({"email": normalize_email(email)}, limit=1)
    return found[0] if found else None


@router.post("/accounts", response_model=Session, status_code=201)
async def create_account(body: AccountCreate, runtime: RuntimeDep) -> Session:
    """Create an account (email and password, or a guest with a first name only) and its empty profile."""
    if body.password:
        _require_good_password(body.password, field="password", email=body.email, first_name=body.first_name)
    now = runtime.clock()
    user_id = new_user_id()
    is_guest = body.email is None
    account = {
        "_id": user_id,
        "role": body.role,
        "first_name": body.first_name,
        "email_verified": False,
        "password_hash": await hash_password(body.password) if body.password else None,
        "is_guest": is_guest,
        "created_at": iso(now),
        "last_seen_at": iso(now),
    }
    if body.email:
        account["email"] = normalize_email(body.email)  # guests have no email key (sparse unique index)
    doc = {
        "_id": user_id,
        "revision": 0,
        "registered_at": now.date().isoformat(),
        "updated_at": iso(now),
        "profile": {},
        "projects": [],
        "preferences": Preferences(locale=body.locale).model_dump(mode="json"),
        "consents": {"coaching": True},
    }
    try:
        async with runtime.unit_of_work() as uow:
            await uow.collection(ACCOUNTS).insert(account)
            await uow.collection(PROFILES).insert(doc)
            # Coaching is what the account is for: consenting to it is part of signing up.
            await uow.collection(CONSENTS).insert(ledger_entry(user_id, ConsentPurpose.COACHING, True, now))
            uow.publish(profile_updated(doc, is_guest=is_guest))
    except DuplicateKeyError:
        raise ConflictError("email_taken") from None
    return await _session(runtime, account)


@router.post("/auth/password", response_model=Session)
async def login_with_password(body: PasswordLogin, runtime: RuntimeDep) -> Session:
    """Open a session for a correct email and password; 404 otherwise (same time either way)."""
    account = await _account_by_email(runtime, body.email)
    stored_hash = account.get("password_hash") if account else None
    correct = await verify_password(stored_hash if isinstance(stored_hash, str) else None, body.password)
    if not correct or account is None:
        raise NotFoundError("account")
    await runtime.store.collection(ACCOUNTS).update({"_id": account["_id"]}, set={"last_seen_at": iso(runtime.clock())})
    return await _session(runtime, account)


@router.post("/auth/refresh", response_model=Session)
async def refresh(body: RefreshRequest, runtime: RuntimeDep) -> Session:
    """Spend a refresh token and return the next one; a reused token revokes its whole family (409)."""
    try:
        user_id, token, family = await rotate_refresh_token(
            runtime.store.collection(REFRESH_TOKENS), body.refresh_token, now=runtime.clock()
        )
    except RefreshRefusedError as refused:
        raise ConflictError("refresh_refused", reason=refused.reason) from None
    account = await runtime.store.collection(ACCOUNTS).get(user_id)
    if account is None:
        raise ConflictError("refresh_refused", reason="unknown")
    await runtime.store.collection(ACCOUNTS).update({"_id": user_id}, set={"last_seen_at": iso(runtime.clock())})
    return Session(user_id=user_id, role=account["role"], refresh_token=token, session_id=family)


@router.post("/auth/logout", status_code=204)
async def logout(body: RefreshRequest, runtime: RuntimeDep) -> Response:
    """Revoke the session (the refresh token's family)."""
    await revoke_family_of(runtime.store.collection(REFRESH_TOKENS), body.refresh_token)
    return Response(status_code=204)


@router.post("/auth/one-time-tokens", response_model=OneTimeIssued)
async def issue_token(body: OneTimeRequest, runtime: RuntimeDep) -> OneTimeIssued:
    """Return a login-link or password-reset token for an email; 404 when there is no such account."""
    account = await _account_by_email(runtime, body.email)
    if account is None:
        raise NotFoundError("account")
    purpose: Purpose = body.purpose
    token = await issue_one_time_token(
        runtime.store.collection(ONE_TIME_TOKENS), user_id=str(account["_id"]), purpose=purpose, now=runtime.clock()
    )
    return OneTimeIssued(user_id=str(account["_id"]), token=token)


@router.post("/auth/login-link/redeem", response_model=Session)
async def redeem_login_link(body: TokenRedeem, runtime: RuntimeDep) -> Session:
    """Open a session from a login link (which also proves the address)."""
    stored = await spend_one_time_token(
        runtime.store.collection(ONE_TIME_TOKENS), body.token, purpose="login-link", now=runtime.clock()
    )
    account = await runtime.store.collection(ACCOUNTS).get(stored["user_id"]) if stored else None
    if account is None:
        raise NotFoundError("token")
    await runtime.store.collection(ACCOUNTS).update(
        {"_id": account["_id"]}, set={"email_verified": True, "last_seen_at": iso(runtime.clock())}
    )
    return await _session(runtime, account)


@router.post("/auth/password-reset/confirm", response_model=Session)
async def reset_password(body: PasswordResetConfirm, runtime: RuntimeDep) -> Session:
    """Set a new password from a reset link; every session ends and every other link stops working."""
    links = runtime.store.collection(ONE_TIME_TOKENS)
    # The password is judged before the link is spent: a refused password must not cost the person their link.
    stored = await valid_one_time_token(links, body.token, purpose="password-reset", now=runtime.clock())
    account = await runtime.store.collection(ACCOUNTS).get(stored["user_id"]) if stored else None
    if account is None:
        raise NotFoundError("token")
    _require_good_password(
        body.password, field="password", email=account.get("email"), first_name=account["first_name"]
    )
    if not await spend_one_time_token(links, body.token, purpose="password-reset", now=runtime.clock()):
        raise NotFoundError("token")
    password_hash = await hash_password(body.password)
    await runtime.store.collection(ACCOUNTS).update(
        {"_id": account["_id"]}, set={"password_hash": password_hash, "email_verified": True}
    )
    await _credentials_changed(runtime, account["_id"])
    return await _session(runtime, account)


@router.post("/accounts/{user_id}/upgrade", response_model=Session)
async def upgrade_guest(user_id: str, body: GuestUpgrade, runtime: RuntimeDep) -> Session:
    """Give a guest account an email and a password, keeping everything it holds."""
    doc, account = await load(runtime, user_id)
    if not account.get("is_guest"):
        raise ConflictError("not_a_guest")
    _require_good_password(body.password, field="password", email=body.email, first_name=account["first_name"])
    changes = {
        "email": normalize_email(body.email),
        "password_hash": await hash_password(body.password),
        "is_guest": False,
    }
    try:
        async with runtime.unit_of_work() as uow:
            # Only this guest's own row is written: an address that belongs to someone else is a conflict.
            if not await uow.collection(ACCOUNTS).update({"_id": user_id, "is_guest": True}, set=changes):
                raise ConflictError("not_a_guest")
            account.update(changes)
            await commit_in(uow, doc, account, doc["revision"])
    except DuplicateKeyError:
        raise ConflictError("email_taken") from None
    return await _session(runtime, account)


@router.post("/accounts/{user_id}/email-change", response_model=EmailChangeIssued)
async def request_email_change(user_id: str, body: EmailChange, runtime: RuntimeDep) -> EmailChangeIssued:
    """Return a token to confirm a new address, or say the address already has an account.

    Either way an email goes to that address (the gateway answers the same): the person who asked
    cannot learn from the answer whether someone else has an account there.
    """
    await load(runtime, user_id)
    if await _account_by_email(runtime, body.new_email) is not None:
        return EmailChangeIssued(user_id=user_id, token=None, already_registered=True)
    token = await issue_one_time_token(
        runtime.store.collection(ONE_TIME_TOKENS),
        user_id=user_id,
        purpose="email-change",
        now=runtime.clock(),
        new_email=normalize_email(body.new_email),
    )
    return EmailChangeIssued(user_id=user_id, token=token, already_registered=False)


@router.post("/auth/email-change/confirm", status_code=204)
async def confirm_email_change(body: TokenRedeem, runtime: RuntimeDep) -> Response:
    """Apply a confirmed email change; every session is revoked."""
    stored = await spend_one_time_token(
        runtime.store.collection(ONE_TIME_TOKENS), body.token, purpose="email-change", now=runtime.clock()
    )
    if stored is None:
        raise NotFoundError("token")
    try:
        changed = await runtime.store.collection(ACCOUNTS).update(
            {"_id": stored["user_id"]}, set={"email": stored["new_email"], "email_verified": True}
        )
    except DuplicateKeyError:
        raise ConflictError("email_taken") from None
    if not changed:
        raise NotFoundError("token")
    await _credentials_changed(runtime, stored["user_id"])
    return Response(status_code=204)


@router.post("/accounts/{user_id}/password", status_code=204)
async def change_password(user_id: str, body: PasswordChange, runtime: RuntimeDep) -> Response:
    """Change the password when the current one is right; every other session ends, every link stops working."""
    _, account = await load(runtime, user_id)
    # The cheap check first: a refused new password costs no hashing at all.
    _require_good_password(
        body.new_password, field="new_password", email=account.get("email"), first_name=account["first_name"]
    )
    if not await verify_password(account.get("password_hash"), body.current_password):
        raise ConflictError("wrong_password")
    password_hash = await hash_password(body.new_password)
    await runtime.store.collection(ACCOUNTS).update({"_id": user_id}, set={"password_hash": password_hash})
    await _credentials_changed(runtime, user_id, keep_family=body.keep_session)
    return Response(status_code=204)
