"""Public routes about the current person: profile, projects, preferences, consents, counsellors, account,
diagnosis, plan, and the rights of access and erasure."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, EmailStr, Field

from services.gateway.deps import CurrentUser, ProjectId, ServicesDep, SettingsDep, UserId
from services.gateway.forwarded import forwarded_body, json_object
from services.gateway.problems import PROBLEM_RESPONSES
from services.gateway.sessions import Tokens, tokens_for
from services.gateway.tokens import one_time_key
from services.gateway.upstream import Services, UpstreamError
from shared.contracts.api.profile import MAX_REVISION, ConsentChange, Consents, ProfilePatch, ProfileView, ProjectWrite
from shared.contracts.counsellors import CounsellorLink, SharedItem, SharingChoice
from shared.contracts.passwords import NewPassword, TypedPassword
from shared.contracts.strict import Strict
from shared.contracts.vocabulary import ConsentPurpose
from shared.envelope import iso, utc_now

router = APIRouter(prefix="/v1/me", tags=["me"], responses=PROBLEM_RESPONSES)
ForwardedBody = Annotated[dict[str, Any], Depends(json_object)]
# Every service that holds data about a person exports it (ServiceClient.export).
SERVICES_WITH_PERSONAL_DATA = ("profile", "diagnostic", "advice", "notifications", "volunteers", "partners")


class Revision(Strict):
    revision: int = Field(ge=0, le=MAX_REVISION)


class Upgrade(Strict):
    email: EmailStr
    password: NewPassword


class EmailChange(Strict):
    new_email: EmailStr


class PasswordChange(Strict):
    current_password: TypedPassword
    new_password: NewPassword


class EmailChangeSent(BaseModel):
    status: str = Field("confirmation-sent", examples=["confirmation-sent"])
    detail: str = (
        "Un email part vers la nouvelle adresse : suivez son lien pour confirmer le changement. / "
        "An email is on its way to the new address: follow its link to confirm the change."
    )


class Invitation(BaseModel):
    link: str = Field(description="Give this link to your counsellor; it works once, for 14 days.")
    expires_at: str


class InvitationChoice(Strict):
    shared: list[SharedItem] = Field(
        max_length=len(SharedItem),
        description="What the counsellor will read (diagnosis, plan-progress, frustrations); "
        "without a body: the diagnosis and the plan progress.",
        examples=[["diagnosis", "plan-progress"]],
    )


class Erasure(BaseModel):
    status: str = "erasure-started"
    detail: str = (
        "Votre compte est supprimé ; toutes vos données le seront d'ici une minute dans chaque service. / "
        "Your account is deleted; all your data will be gone from every service within a minute."
    )


@router.get("/profile", response_model=ProfileView)
async def read_profile(user: CurrentUser, services: ServicesDep) -> Any:
    """Return the person's profile, projects, preferences and what is still missing."""
    return await services.profile.read_profile(user.user_id)


# The profile service judges these bodies whole: every error of a save comes in one answer (forwarded.py).
# The person is named first: without a valid token the answer is 401, whatever the body.
@router.patch("/profile", response_model=ProfileView, openapi_extra=forwarded_body(ProfilePatch))
async def update_profile(user: CurrentUser, body: ForwardedBody, services: ServicesDep) -> Any:
    """Save personal answers and preferences (step by step); 409 when ``revision`` is stale."""
    return await services.profile.update_profile(user.user_id, body)


@router.post("/projects", response_model=ProfileView, status_code=201, openapi_extra=forwarded_body(ProjectWrite))
async def add_project(user: CurrentUser, body: ForwardedBody, services: ServicesDep) -> Any:
    """Add a job-search project (at most five)."""
    return await services.profile.add_project(user.user_id, body)


@router.patch("/projects/{project_id}", response_model=ProfileView, openapi_extra=forwarded_body(ProjectWrite))
async def update_project(user: CurrentUser, project_id: ProjectId, body: ForwardedBody, services: ServicesDep) -> Any:
    """Change a project (only the fields sent)."""
    return await services.profile.update_project(user.user_id, project_id, body)


@router.delete("/projects/{project_id}", response_model=ProfileView)
async def delete_project(project_id: ProjectId, body: Revision, user: CurrentUser, services: ServicesDep) -> Any:
    """Remove a project."""
    return await services.profile.delete_project(user.user_id, project_id, revision=body.revision)


@router.get("/consents", response_model=Consents)
async def read_consents(user: CurrentUser, services: ServicesDep) -> Any:
    """Return the current consents and every past grant and withdrawal."""
    return await services.profile.read_consents(user.user_id)


@router.put("/consents/{purpose}", response_model=Consents)
async def set_consent(purpose: ConsentPurpose, body: ConsentChange, user: CurrentUser, services: ServicesDep) -> Any:
    """Grant or withdraw a purpose in one call; every service applies it within seconds."""
    return await services.profile.set_consent(user.user_id, purpose, body)


@router.post("/counsellor-invitations", response_model=Invitation, status_code=201)
async def invite_counsellor(
    user: CurrentUser, services: ServicesDep, settings: SettingsDep, body: InvitationChoice | None = None
) -> Invitation:
    """Create a link for a counsellor to follow you (read-only, until you revoke it), sharing what you choose."""
    issued = await services.profile.invite_counsellor(user.user_id, body.shared if body is not None else None)
    return Invitation(link=f"{settings.public_url}/link/counsellor#{issued['token']}", expires_at=issued["expires_at"])


@router.get("/counsellors", response_model=list[CounsellorLink])
async def my_counsellors(user: CurrentUser, services: ServicesDep) -> Any:
    """Return the counsellors who can read your summary, and what each reads."""
    return await services.profile.list_counsellors(user.user_id)


@router.put("/counsellors/{counsellor_id}/sharing", response_model=CounsellorLink)
async def change_counsellor_sharing(
    counsellor_id: UserId, body: SharingChoice, user: CurrentUser, services: ServicesDep
) -> Any:
    """Choose what a counsellor reads (diagnosis, plan-progress, frustrations); it applies at once."""
    return await services.profile.set_counsellor_sharing(user.user_id, counsellor_id, body)


@router.delete("/counsellors/{counsellor_id}", status_code=204)
async def revoke_counsellor(counsellor_id: UserId, user: CurrentUser, services: ServicesDep) -> Response:
    """Stop sharing with a counsellor, at once."""
    await services.profile.revoke_counsellor(user.user_id, counsellor_id)
    return Response(status_code=204)


@router.post("/upgrade", response_model=Tokens)
async def upgrade_guest_account(body: Upgrade, user: CurrentUser, services: ServicesDep, settings: SettingsDep) -> Any:
    """Turn a guest account into a full account (email and password), keeping everything."""
    session = await services.profile.upgrade_guest(user.user_id, email=body.email, password=body.password)
    return tokens_for(settings, session)


async def _send_email_change(services: Services, settings: SettingsDep, user_id: str, new_email: str) -> None:
    """Email the new address: its confirmation link, or, when it already has an account, a word saying so."""
    try:
        issued = await services.profile.request_email_change(user_id, new_email)
    except UpstreamError:
        return  # an erased account (or the profile service down): the answer was the same anyway
    if issued["already_registered"]:
        await services.notifications.queue_message(
            campaign="email-change-taken",
            subject=user_id,
            # One such email per address and day at most, however often it is asked for.
            dedupe_key=f"email-change-taken:{one_time_key(new_email)}:{utc_now().date().isoformat()}",
            variables={"link": f"{settings.public_url}/login", "to": new_email},
        )
    else:
        await services.notifications.queue_message(
            campaign="email-change-confirm",
            subject=user_id,
            dedupe_key=f"email-change:{one_time_key(issued['token'])}",
            variables={"link": f"{settings.public_url}/link/confirm-email#{issued['token']}", "to": new_email},
        )


@router.post("/email", status_code=202, response_model=EmailChangeSent)
async def change_email(
    body: EmailChange, user: CurrentUser, services: ServicesDep, settings: SettingsDep, background: BackgroundTasks
) -> EmailChangeSent:
    """Send a confirmation link to the new address; the email changes once the link is followed.

    The answer is the same, and comes as fast, whether or not the address already has an account:
    the work is done after answering, and an address that has one receives an email saying so.
    """
    background.add_task(_send_email_change, services, settings, user.user_id, str(body.new_email))
    return EmailChangeSent()


@router.post("/password", status_code=204)
async def change_password(body: PasswordChange, user: CurrentUser, request: Request, services: ServicesDep) -> Response:
    """Change the password (the current one is asked); every other session ends, every emailed link stops working."""
    limits = request.app.state.rate_limits
    await limits.check(request, "password", user.user_id)
    try:
        await services.profile.change_password(
            user.user_id,
            current_password=body.current_password,
            new_password=body.new_password,
            keep_session=user.session_id,
        )
    except UpstreamError as error:
        if error.status == 409 and error.body.get("code") == "wrong_password":
            await limits.failed(request, "password", user.user_id)
        raise
    return Response(status_code=204)


async def collect_export(services: Services, user_id: str) -> dict[str, Any]:
    """Return what every service holds about the person; fail rather than hand out a partial archive."""
    parts = await asyncio.gather(*(services.client(name).export(user_id) for name in SERVICES_WITH_PERSONAL_DATA))
    return dict(zip(SERVICES_WITH_PERSONAL_DATA, parts, strict=True))


@router.get("/export")
async def export_my_data(user: CurrentUser, services: ServicesDep) -> JSONResponse:
    """Download everything every service holds about you (JSON)."""
    archive = {
        "generated_at": iso(utc_now()),
        "user_id": user.user_id,
        "format": "coach-export/1",
        "services": await collect_export(services, user.user_id),
    }
    return JSONResponse(
        archive,
        headers={"content-disposition": f'attachment; filename="coach-export-{user.user_id}.json"'},
    )


@router.delete("", response_model=Erasure, status_code=202)
async def delete_my_account(user: CurrentUser, services: ServicesDep) -> Erasure:
    """Erase the account and, within a minute, everything every service holds about you."""
    try:
        await services.profile.erase_user(user.user_id)
    except UpstreamError as error:
        if error.status != 404:  # already erased: same answer
            raise
    return Erasure()
