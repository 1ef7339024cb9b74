"""Public routes behind the links in our emails: unsubscribe, surveys; and the impact figures.

No login is needed where the link is signed: the token in the link names the
person and the purpose, and the notifications service verifies it. An expired
or altered link gets a 403 ``invalid_link`` problem that tells the person what
to do instead; the link of an account deleted since gets 410 ``account_deleted``:
the account no longer exists and nothing more will come.

The one-click address of ``List-Unsubscribe`` is POSTed by mail clients (RFC 8058);
opened in a browser (GET) it answers a small page that says what the button stops
and offers it, so a link scanner's visit changes nothing. Its texts are the web
client's (``web/i18n``), in the person's language and register.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Awaitable
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from markupsafe import escape
from pydantic import BaseModel

from services.gateway import problems
from services.gateway.deps import CurrentUser, ServicesDep
from services.gateway.routes.web import ASSETS, WEB_DIR, web_client
from services.gateway.upstream import Services, UpstreamError
from shared.contracts.api.notifications import (
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


ACCOUNT_GONE_TITLE = ("Compte supprimé", "Account deleted")
# The web client's text files for each locale: fr-tu overrides the sentences that address the person.
LOCALE_FILES = {"fr": ("fr",), "fr@tu": ("fr", "fr-tu"), "en": ("en",)}


class AccountDeleted(BaseModel):
    status: Literal["account-deleted"] = "account-deleted"


@functools.cache
def texts(locale: str) -> dict[str, str]:
    """Return the web client's texts of a locale (fr, fr@tu or en; French otherwise)."""
    merged: dict[str, str] = {}
    for name in LOCALE_FILES.get(locale, LOCALE_FILES["fr"]):
        merged.update(json.loads((WEB_DIR / "i18n" / f"{name}.json").read_text(encoding="utf-8")))
    return merged


def _link_problem(request: Request, status: int, code: str, title: str, detail: str) -> JSONResponse:
    lang = problems.language(request)
    body = {
        "type": f"https://coach.example/problems/{code}",
        "title": title,
        "status": status,
        "code": code,
        "detail": detail,
    }
    return JSONResponse(
        body, status_code=status, media_type=problems.PROBLEM_JSON, headers={"Content-Language": "en" if lang else "fr"}
    )


def invalid_link(request: Request) -> JSONResponse:
    """Return the 403 problem for an expired or altered email link, in the reader's language."""
    lang = problems.language(request)
    return _link_problem(request, 403, "invalid_link", problems.TITLES[403][lang], INVALID_LINK[lang])


def account_gone(request: Request) -> JSONResponse:
    """Return the 410 problem for the link of an account deleted since: nothing more will come."""
    lang = problems.language(request)
    detail = texts("en" if lang else "fr")["emails.account-gone"]
    return _link_problem(request, 410, "account_deleted", ACCOUNT_GONE_TITLE[lang], detail)


async def _relay(request: Request, answer: Awaitable[Any]) -> Any:
    """Return the notifications service's answer; an invalid link or a deleted account becomes its public problem."""
    try:
        return await answer
    except UpstreamError as error:
        if error.status == 403:
            return invalid_link(request)
        if error.status == 410:
            return account_gone(request)
        raise


@router.get("/v1/emails/unsubscribe", response_model=UnsubscribePage)
async def unsubscribe_page(request: Request, token: TokenQuery, services: ServicesDep) -> Any:
    """What the page behind "get fewer emails" shows: the current frequency and the choices."""
    return await _relay(request, services.notifications.read_unsubscribe_page(token))


@router.post("/v1/emails/unsubscribe", response_model=UnsubscribeResult | AccountDeleted)
async def unsubscribe(request: Request, body: UnsubscribeChoice, services: ServicesDep) -> Any:
    """Apply the choice made on the page: another frequency, stop every email, start again, or delete the account."""
    if body.choice != "delete-account":
        return await _relay(request, services.notifications.unsubscribe(body))
    if not body.confirm:
        lang = problems.language(request)
        return problems.problem(
            request,
            422,
            "invalid_input",
            errors=[{"field": "confirm", "code": "confirmation_required", "reason": CONFIRM_DELETION[lang]}],
        )
    verified = await _relay(
        request, services.notifications.verify_link(LinkCheck(token=body.token, purpose="unsubscribe"))
    )
    if isinstance(verified, JSONResponse):
        return verified
    await services.profile.erase_user(verified["subject"])
    return AccountDeleted()


def _wants_page(request: Request) -> bool:
    # A browser asks for HTML (the page's own form posting here); a mail client's RFC 8058 POST does not.
    return "text/html" in request.headers.get("accept", "")


def _page(lang: str, title: str, *paragraphs: str, form: str = "", link: tuple[str, str] | None = None) -> str:
    """Return a small self-contained page in the web client's style (no script: it works anywhere)."""
    body = "".join(f"<p>{escape(text)}</p>" for text in paragraphs) + form
    if link is not None:
        body += f'<p><a href="{escape(link[0])}">{escape(link[1])}</a></p>'
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title>"
        f'<link rel="stylesheet" href="{ASSETS}/{web_client().version}/css/app.css"></head>'
        f'<body><main id="main"><h1>{escape(title)}</h1>{body}</main></body></html>'
    )


def _one_click_html(request: Request, locale: str, state: str, token: str, status_code: int = 200) -> HTMLResponse:
    """Return the page of the one-click address: offer (state "offer"), done, already, gone or invalid."""
    if state in ("gone", "invalid"):
        locale = "en" if problems.language(request) else "fr"  # no account (or no valid link) to read it from
    words = texts(locale)
    lang = "en" if locale == "en" else "fr"
    choices = (f"/emails/unsubscribe?token={quote(token)}", words["one-click.other-choices"])
    if state == "gone":
        html = _page(lang, words["one-click.gone-title"], words["emails.account-gone"])
    elif state == "invalid":
        html = _page(lang, words["one-click.invalid-title"], words["one-click.invalid"])
    elif state == "done":
        html = _page(lang, words["one-click.done-title"], words["one-click.done"], link=choices)
    elif state == "already":
        html = _page(lang, words["one-click.title"], words["one-click.already"], link=choices)
    else:
        form = (
            f'<form method="post" action="/v1/emails/unsubscribe/one-click?token={escape(quote(token))}">'
            '<input type="hidden" name="List-Unsubscribe" value="One-Click">'
            f'<p><button type="submit" class="button">{escape(words["one-click.button"])}</button></p></form>'
        )
        html = _page(
            lang, words["one-click.title"], words["one-click.intro"], words["one-click.kept"], form=form, link=choices
        )
    return HTMLResponse(html, status_code=status_code, headers={"Content-Language": lang})


async def _page_state(services: Services, token: str) -> tuple[str, str]:
    """Return (locale, state) of the person a one-click link is for: offer or already; gone or invalid."""
    try:
        found = await services.notifications.read_unsubscribe_page(token)
    except UpstreamError as error:
        if error.status in (403, 410):
            return "fr", "invalid" if error.status == 403 else "gone"
        raise
    return str(found.get("locale", "fr")), "already" if found.get("stopped") else "offer"


@router.get("/v1/emails/unsubscribe/one-click", response_class=HTMLResponse, include_in_schema=False)
async def one_click_page(request: Request, token: TokenQuery, services: ServicesDep) -> HTMLResponse:
    """The one-click address opened in a browser: a page that says what the button stops and offers it.

    A GET changes nothing (link scanners and previews open it too); the button POSTs to the same address.
    """
    locale, state = await _page_state(services, token)
    return _one_click_html(request, locale, state, token, status_code={"gone": 410, "invalid": 403}.get(state, 200))


@router.post("/v1/emails/unsubscribe/one-click")
async def one_click_unsubscribe(request: Request, token: TokenQuery, services: ServicesDep) -> Any:
    """RFC 8058 one-click unsubscribe, POSTed by the mail client (body ``List-Unsubscribe=One-Click``).

    It chooses the email frequency EMAIL_NONE: every email stops but those the person asks for (login link,
    new password, address change) and the notice the law requires before an inactive account is deleted.
    Posted from the page of the same address (a browser), the answer is a page that says it is done.
    """
    answer = await _relay(request, services.notifications.unsubscribe_in_one_click(token))
    if not _wants_page(request):
        return answer
    if isinstance(answer, JSONResponse):
        state = "gone" if answer.status_code == 410 else "invalid"
        return _one_click_html(request, "fr", state, token, status_code=answer.status_code)
    locale, _ = await _page_state(services, token)
    return _one_click_html(request, locale, "done", token)


@router.get("/v1/surveys/{kind}", response_model=SurveyPage)
async def survey_page(
    request: Request,
    kind: Literal["first-followup", "employment-status", "nps"],
    token: TokenQuery,
    services: ServicesDep,
) -> Any:
    """The survey's questions in the person's language, with the answers already given."""
    return await _relay(request, services.notifications.read_survey(kind, token))


@router.post("/v1/surveys/{kind}", response_model=SurveyRecorded, status_code=201)
async def answer_survey(
    request: Request,
    kind: Literal["first-followup", "employment-status", "nps"],
    body: SurveySubmission,
    services: ServicesDep,
) -> Any:
    """Record the answers (sending them again replaces them)."""
    return await _relay(request, services.notifications.answer_survey(kind, body))


@router.get("/v1/impact", response_model=Impact)
async def impact(services: ServicesDep) -> Any:
    """Aggregate impact figures from the surveys, by main challenge; groups under 10 answers are hidden."""
    return await services.notifications.read_impact()


@router.get("/v1/me/emails", response_model=list[MessageView])
async def my_emails(user: CurrentUser, services: ServicesDep) -> Any:
    """The emails we sent (or did not send) to the person, newest first, for their settings page."""
    return await services.notifications.list_messages(user.user_id)
