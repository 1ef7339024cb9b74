"""Public routes behind the links in our emails: unsubscribe, surveys; and the impact figures.

No login is needed where the link is signed: the token in the link names the
person and the purpose, and the notifications service verifies it. An expired
or altered link gets a 403 ``invalid_link`` problem that tells the person what
to do instead.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from services.gateway import problems
from services.gateway.deps import CurrentUser, ServicesDep
from services.gateway.upstream import Services, UpstreamError
from services.notifications.schemas import (
    Impact,
    LinkCheck,
    MessageView,
    SurveyPage,
    SurveyRecorded,
    SurveySubmission,
    UnsubscribeChoice,
    UnsubscribePage,
    UnsubscribeResult,
)

router = APIRouter(tags=["emails"], responses=problems.PROBLEM_RESPONSES)
TokenQuery = Annotated[str, Query(min_length=1, max_length=600, description="The signed token from the email link.")]
INVALID_LINK = (
    "Ce lien n'est plus valable. Vous pouvez changer vos e-mails depuis votre compte, rubrique Paramètres.",
    "This link is no longer valid. You can change your emails from your account, in Settings.",
)
CONFIRM_DELETION = (
    "Confirmez que vous voulez supprimer votre compte et toutes vos données.",
    "Confirm that you want to delete your account and all your data.",
)


class AccountDeleted(BaseModel):
    status: Literal["account-deleted"] = "account-deleted"


def invalid_link(request: Request) -> JSONResponse:
    """Return the 403 problem for an expired or altered email link, in the reader's language."""
    lang = problems.language(request)
    body = {
        "type": "https://coach.example/problems/invalid_link",
        "title": problems.TITLES[403][lang],
        "status": 403,
        "code": "invalid_link",
        "detail": INVALID_LINK[lang],
    }
    return JSONResponse(
        body, status_code=403, media_type=problems.PROBLEM_JSON, headers={"Content-Language": "en" if lang else "fr"}
    )


async def _relay(request: Request, services: Services, method: str, path: str, **kwargs: Any) -> Any:
    """Return the notifications service's answer; an invalid link becomes the public invalid_link problem."""
    try:
        return await services.call("notifications", method, path, **kwargs)
    except UpstreamError as error:
        if error.status == 403:
            return invalid_link(request)
        raise


@router.get("/v1/emails/unsubscribe", response_model=UnsubscribePage)
async def unsubscribe_page(request: Request, token: TokenQuery, services: ServicesDep) -> Any:
    """What the page behind "get fewer emails" shows: the current frequency and the choices."""
    return await _relay(request, services, "GET", "/internal/unsubscribe", params={"token": token})


@router.post("/v1/emails/unsubscribe", response_model=UnsubscribeResult | AccountDeleted)
async def unsubscribe(request: Request, body: UnsubscribeChoice, services: ServicesDep) -> Any:
    """Apply the choice made on the page: another frequency, stop every email, start again, or delete the account."""
    if body.choice != "delete-account":
        return await _relay(request, services, "POST", "/internal/unsubscribe", json=body.model_dump(mode="json"))
    if not body.confirm:
        lang = problems.language(request)
        return problems.problem(
            request,
            422,
            "invalid_input",
            errors=[{"field": "confirm", "code": "confirmation_required", "reason": CONFIRM_DELETION[lang]}],
        )
    verified = await _relay(
        request,
        services,
        "POST",
        "/internal/links/verify",
        json=LinkCheck(token=body.token, purpose="unsubscribe").model_dump(),
    )
    if isinstance(verified, JSONResponse):
        return verified
    await services.call("profile", "DELETE", f"/internal/users/{verified['subject']}")
    return AccountDeleted()


@router.post("/v1/emails/unsubscribe/one-click")
async def one_click_unsubscribe(request: Request, token: TokenQuery, services: ServicesDep) -> Any:
    """RFC 8058 one-click unsubscribe, POSTed by the mail client (body ``List-Unsubscribe=One-Click``)."""
    return await _relay(request, services, "POST", "/internal/unsubscribe/one-click", json={"token": token})


@router.get("/v1/surveys/{kind}", response_model=SurveyPage)
async def survey_page(
    request: Request,
    kind: Literal["first-followup", "employment-status", "nps"],
    token: TokenQuery,
    services: ServicesDep,
) -> Any:
    """The survey's questions in the person's language, with the answers already given."""
    return await _relay(request, services, "GET", f"/internal/surveys/{kind}", params={"token": token})


@router.post("/v1/surveys/{kind}", response_model=SurveyRecorded, status_code=201)
async def answer_survey(
    request: Request,
    kind: Literal["first-followup", "employment-status", "nps"],
    body: SurveySubmission,
    services: ServicesDep,
) -> Any:
    """Record the answers (sending them again replaces them)."""
    return await _relay(request, services, "POST", f"/internal/surveys/{kind}", json=body.model_dump(mode="json"))


@router.get("/v1/impact", response_model=Impact)
async def impact(services: ServicesDep) -> Any:
    """Aggregate impact figures from the surveys, by main challenge; groups under 10 answers are hidden."""
    return await services.call("notifications", "GET", "/internal/impact")


@router.get("/v1/me/emails", response_model=list[MessageView])
async def my_emails(user: CurrentUser, services: ServicesDep) -> Any:
    """The emails we sent (or did not send) to the person, newest first, for their settings page."""
    return await services.call("notifications", "GET", f"/internal/messages/{user.user_id}")
