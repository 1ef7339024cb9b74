"""Public routes of the volunteers: sign-up and pledge, matches, and the job seekers' help requests.

* ``/v1/volunteers/...``: sign up (account in the profile service, pledge in the
  volunteers service, confirmation email by the notifications service), confirm,
  the pledge, the volunteer's matches; the public counters need no login.
* ``/v1/me/help-requests/...``: the job seeker's requests, what they share, the
  document to review, and the match of each request.

The acting person is always the one of the access token; the volunteers service
checks they own what they touch or are on the right side of the match, and
answers 404 otherwise. Contact details come from the profile service, and only
when both sides accepted to share them.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, BackgroundTasks, File, Request, Response, UploadFile
from pydantic import BaseModel, EmailStr, Field

from services.gateway import problems
from services.gateway.deps import CurrentUser, DocumentId, MatchId, RequestId, ServicesDep, SettingsDep
from services.gateway.sessions import Tokens, tokens_for
from services.gateway.settings import GatewaySettings
from services.gateway.tokens import one_time_key
from services.gateway.upstream import Services, UpstreamError
from shared.clients.volunteers import Side
from shared.contracts.api.volunteers import (
    ConfirmInput,
    ContactSharingInput,
    Counters,
    DocumentInfo,
    FeedbackInput,
    FirstName,
    HelpRequestCreate,
    HelpRequestView,
    MessageInput,
    MessageView,
    PauseInput,
    PledgeInput,
    PledgeUpdate,
    PledgeView,
    ReportInput,
    ScheduleInput,
    SharingChoice,
    VolunteerMatchView,
)
from shared.contracts.passwords import NewPassword
from shared.contracts.strict import Strict

router = APIRouter(tags=["volunteers"], responses=problems.PROBLEM_RESPONSES)
log = logging.getLogger(__name__)

DOCUMENT_MAX_BYTES = 5_000_000
# The gateway's body-size limit must let documents through on the upload routes:
# ``BodySizeLimit(..., overrides=UPLOAD_BODY_LIMITS)`` (room for the multipart envelope).
UPLOAD_BODY_LIMITS = {
    "/v1/me/help-requests/": DOCUMENT_MAX_BYTES + 100_000,
    "/v1/volunteers/me/matches/": DOCUMENT_MAX_BYTES + 100_000,
}
CONFIRM_LINK_PATH = "/link/volunteer-confirm"
SEEKER_SPACE_PATH = "/help-requests"
VOLUNTEER_SPACE_PATH = "/volunteer/matches"

# The reasons of this router's refusals, French first, English second (one error format: problem+json).
DETAILS: dict[str, tuple[str, str]] = {
    "pledge_exists": ("Vous avez déjà un engagement de bénévole.", "You already have a volunteer pledge."),
    "pledge_state": (
        "Ce n'est pas possible dans l'état actuel de votre engagement.",
        "This is not possible in your pledge's current state.",
    ),
    "confirmation_invalid": (
        "Ce lien de confirmation n'est plus valable ; demandez-en un nouveau.",
        "This confirmation link is no longer valid; ask for a new one.",
    ),
    "request_already_active": (
        "Vous avez déjà une demande de ce type en cours.",
        "You already have a request of this kind under way.",
    ),
    "request_quota_reached": (
        "Vous avez fait {max} demandes cette semaine ; "
        "vous pourrez en faire une autre dans {retry_after_days} {retry_after_days#jour|jours}.",
        "You made {max} requests this week; you can make another one in "
        "{retry_after_days} {retry_after_days#day|days}.",
    ),
    "request_state": (
        "Ce n'est pas possible dans l'état actuel de la demande.",
        "This is not possible in the request's current state.",
    ),
    "no_match": (
        "Aucun bénévole n'est encore associé à cette demande.",
        "No volunteer is matched with this request yet.",
    ),
    "match_state": ("Ce n'est pas possible à cette étape de l'aide.", "This is not possible at this step of the help."),
    "match_changed": (
        "L'aide a changé entre-temps ; rechargez la page.",
        "The help changed meanwhile; reload the page.",
    ),
    "not_a_review": ("Cette aide n'est pas une relecture.", "This help is not a review."),
    "not_a_coffee": ("Cette aide n'est pas un café.", "This help is not a coffee chat."),
    "date_in_the_past": ("Cette date est passée.", "This date is in the past."),
    "date_too_far": ("Cette date est trop lointaine.", "This date is too far ahead."),
    "coffee_not_held_yet": ("Le café n'a pas encore eu lieu.", "The coffee has not taken place yet."),
    "feedback_already_given": ("Vous avez déjà donné votre avis.", "You already gave your feedback."),
    "rating_out_of_range": ("La note va de 1 à 5.", "The rating goes from 1 to 5."),
    "messages_closed": ("Les messages ne sont pas ouverts pour cette aide.", "Messages are not open for this help."),
    "message_limit_reached": (
        "Vous avez envoyé beaucoup de messages aujourd'hui ; réessayez demain.",
        "You sent many messages today; try again tomorrow.",
    ),
    "contact_not_shared": (
        "Les coordonnées sont partagées seulement quand les deux personnes l'acceptent.",
        "Contact details are shared only when both people accept.",
    ),
    "coffee_needs_a_place": (
        "Indiquez si le café peut avoir lieu en personne ou à distance.",
        "Say whether the coffee can take place in person or remotely.",
    ),
    "no_document_for_coffee": ("Un café ne demande pas de document.", "A coffee chat needs no document."),
    "document_empty": ("Le fichier est vide.", "The file is empty."),
    "document_too_large": (
        "Le document est trop volumineux (5 Mo au plus).",
        "The document is too large (5 MB at most).",
    ),
    "document_type_not_supported": (
        "Envoyez un PDF ou un document Word (.docx).",
        "Send a PDF or a Word document (.docx).",
    ),
    "document_active_content": (
        "Ce document contient des macros ou du code : enregistrez-le en PDF simple puis réessayez.",
        "This document contains macros or code: save it as a plain PDF and try again.",
    ),
}
FIELD_REASONS: dict[str, tuple[str, str]] = {
    "coffee_needs_a_place": DETAILS["coffee_needs_a_place"],
    "no_coordinates": ("Cette commune n'a pas de coordonnées connues.", "This commune has no known coordinates."),
}
# Registered with the gateway's problem texts (never replacing one that exists).
for _code, _texts in DETAILS.items():
    problems.DETAILS.setdefault(_code, _texts)
for _code, _texts in FIELD_REASONS.items():
    problems.REASONS.setdefault(_code, _texts)


class VolunteerSignUp(Strict):
    first_name: FirstName = Field(examples=["Claire"], description="Shown to the job seekers you help.")
    email: EmailStr = Field(examples=["claire@example.org"])
    password: NewPassword
    locale: Literal["fr", "fr@tu", "en"] = "fr"
    pledge: PledgeInput


class VolunteerSignedUp(BaseModel):
    tokens: Tokens
    pledge: PledgeView
    confirmation_email: Literal["sent", "not-sent"] = Field(
        description="The pledge becomes active once the link in this email is opened."
    )


class ConfirmationSent(BaseModel):
    confirmation_email: Literal["sent", "not-sent"]


class SharedContact(BaseModel):
    """The other side's contact details, given only when both accepted to share them."""

    first_name: str | None
    email: str | None


Upload = Annotated[UploadFile, File(description="A PDF or a Word document (.docx), 5 MB at most.")]


# --- Helpers ---------------------------------------------------------------------------------------


async def _send_confirmation(
    services: Services, settings: GatewaySettings, user_id: str, token: str, *, dedupe_key: str
) -> Literal["sent", "not-sent"]:
    """Ask the notifications service for the confirmation email; the pledge works without it until then."""
    link = f"{settings.public_url}{CONFIRM_LINK_PATH}#{token}"
    try:
        await services.notifications.queue_message(
            campaign="volunteer-confirm", subject=user_id, dedupe_key=dedupe_key, variables={"link": link}
        )
    except UpstreamError as error:
        log.warning("volunteer confirmation email not queued: %s", error.status)
        return "not-sent"
    return "sent"


async def _notify_message(
    services: Services, settings: GatewaySettings, posted: dict[str, Any], *, to_volunteer: bool
) -> None:
    """Tell the recipient a message waits (at most one email per match and hour; the text stays in the service)."""
    hour = datetime.now(UTC).strftime("%Y%m%d%H")
    path = VOLUNTEER_SPACE_PATH if to_volunteer else SEEKER_SPACE_PATH
    try:
        await services.notifications.queue_message(
            campaign="match-message",
            subject=posted["recipient_id"],
            dedupe_key=f"match-message:{posted['message_id'][:24]}:{hour}",
            variables={"link": f"{settings.public_url}{path}"},
        )
    except UpstreamError as error:
        log.warning("relayed message notification not queued: %s", error.status)


async def _read_upload(file: UploadFile) -> tuple[bytes, str]:
    data = await file.read(DOCUMENT_MAX_BYTES + 1)
    if len(data) > DOCUMENT_MAX_BYTES:
        raise UpstreamError(413, {"code": "document_too_large", "params": {"max_bytes": DOCUMENT_MAX_BYTES}})
    return data, quote(file.filename or "")


async def _download(services: Services, user_id: str, document_id: str) -> Response:
    """Return a file from the volunteers service as it answered (type, name), never cached."""
    answer = await services.volunteers.download_document(user_id, document_id)
    return Response(
        content=answer.content,
        media_type=answer.headers.get("content-type", "application/octet-stream"),
        headers={
            "content-disposition": answer.headers.get("content-disposition", "attachment"),
            "cache-control": "private, no-store",
        },
    )


def _require_listed(document_id: str, *shown: dict[str, Any] | None) -> None:
    """Refuse (404) a document that the view of this request or match does not show to the caller."""
    if document_id not in {item["document_id"] for item in shown if item}:
        raise UpstreamError(404, {"code": "not_found"})


async def _first_name_if_shared(services: Services, user_id: str, sharing: SharingChoice) -> dict[str, Any]:
    """Return the sharing choice for the service, with the first name from the profile when it is shared."""
    body = sharing.model_dump(mode="json")
    if sharing.share_first_name:
        contact = await services.profile.read_contact(user_id)
        body["first_name"] = contact.get("first_name")
    return body


async def _match_of_request(services: Services, user_id: str, request_id: str) -> str:
    """Return the id of the request's current match; 409 ``no_match`` when there is none yet."""
    view = await services.volunteers.read_help_request(user_id, request_id)
    match = view.get("match")
    if not match:
        raise UpstreamError(409, {"code": "no_match"})
    return str(match["match_id"])


async def _contact(services: Services, user_id: str, match_id: str, side: Side) -> SharedContact:
    other = await services.volunteers.read_counterpart(user_id, match_id, side=side)
    contact = await services.profile.read_contact(other["user_id"])
    return SharedContact(first_name=contact.get("first_name"), email=contact.get("email"))


# --- Volunteers: sign-up, confirmation, counters (no login) ----------------------------------------


@router.post("/v1/volunteers/signup", response_model=VolunteerSignedUp, status_code=201)
async def sign_up_as_volunteer(
    body: VolunteerSignUp, request: Request, services: ServicesDep, settings: SettingsDep
) -> VolunteerSignedUp:
    """Create a volunteer account with its pledge; the pledge is active once the emailed link is opened."""
    await request.app.state.rate_limits.check(request, "signup", body.email)
    pledge = body.pledge.model_dump(mode="json")
    await services.volunteers.check_pledge(pledge)  # refuse before the account
    session = await services.profile.create_account(
        {
            "first_name": body.first_name,
            "email": body.email,
            "password": body.password,
            "locale": body.locale,
            "role": "volunteer",
        }
    )
    user_id = session["user_id"]
    created = await services.volunteers.create_pledge(user_id, {**pledge, "first_name": body.first_name})
    sent = await _send_confirmation(
        services, settings, user_id, created.pop("confirmation_token"), dedupe_key=f"volunteer-confirm:{user_id}"
    )
    return VolunteerSignedUp(
        tokens=tokens_for(settings, session), pledge=PledgeView.model_validate(created), confirmation_email=sent
    )


@router.post("/v1/volunteers/confirm", response_model=PledgeView)
async def confirm_pledge(body: ConfirmInput, services: ServicesDep) -> Any:
    """Confirm the email address with the token of the link: the pledge becomes active."""
    return await services.volunteers.confirm_pledge(body)


@router.get("/v1/volunteers/counters", response_model=Counters)
async def counters(services: ServicesDep, response: Response) -> Any:
    """Public counters: active volunteers, helps pledged each month, helps given (no login)."""
    response.headers["cache-control"] = "public, max-age=60"
    return await services.volunteers.read_counters()


# --- The volunteer's pledge -------------------------------------------------------------------------


@router.post("/v1/volunteers/me/pledge", response_model=PledgeView, status_code=201)
async def pledge(body: PledgeInput, user: CurrentUser, services: ServicesDep, settings: SettingsDep) -> Any:
    """Pledge with an existing account (the confirmation email is sent)."""
    contact = await services.profile.read_contact(user.user_id)
    created = await services.volunteers.create_pledge(
        user.user_id, {**body.model_dump(mode="json"), "first_name": contact.get("first_name") or "—"}
    )
    await _send_confirmation(
        services,
        settings,
        user.user_id,
        created.pop("confirmation_token"),
        dedupe_key=f"volunteer-confirm:{user.user_id}",
    )
    return PledgeView.model_validate(created)


@router.get("/v1/volunteers/me/pledge", response_model=PledgeView)
async def read_pledge(user: CurrentUser, services: ServicesDep) -> Any:
    """Return the pledge, this month's load and the feedback received."""
    return await services.volunteers.read_pledge(user.user_id)


@router.patch("/v1/volunteers/me/pledge", response_model=PledgeView)
async def update_pledge(body: PledgeUpdate, user: CurrentUser, services: ServicesDep) -> Any:
    """Change what you pledge (only the fields sent)."""
    return await services.volunteers.update_pledge(user.user_id, body)


@router.post("/v1/volunteers/me/pledge/pause", response_model=PledgeView)
async def pause(body: PauseInput, user: CurrentUser, services: ServicesDep) -> Any:
    """Pause: no new proposals (until a day, or until resumed); helps already accepted go on."""
    return await services.volunteers.pause_pledge(user.user_id, body)


@router.post("/v1/volunteers/me/pledge/resume", response_model=PledgeView)
async def resume(user: CurrentUser, services: ServicesDep) -> Any:
    return await services.volunteers.resume_pledge(user.user_id)


@router.post("/v1/volunteers/me/pledge/withdraw", response_model=PledgeView)
async def withdraw(user: CurrentUser, services: ServicesDep) -> Any:
    """Withdraw at any time: your helps under way are handed to other volunteers."""
    return await services.volunteers.withdraw_pledge(user.user_id)


@router.post("/v1/volunteers/me/pledge/confirmation", response_model=ConfirmationSent, status_code=202)
async def send_confirmation_again(user: CurrentUser, services: ServicesDep, settings: SettingsDep) -> ConfirmationSent:
    """Send the confirmation email again (a new link)."""
    issued = await services.volunteers.renew_confirmation(user.user_id)
    token = issued["confirmation_token"]
    sent = await _send_confirmation(
        services, settings, user.user_id, token, dedupe_key=f"volunteer-confirm:{user.user_id}:{one_time_key(token)}"
    )
    return ConfirmationSent(confirmation_email=sent)


# --- The volunteer's matches ------------------------------------------------------------------------


@router.get("/v1/volunteers/me/matches", response_model=list[VolunteerMatchView])
async def my_matches(user: CurrentUser, services: ServicesDep) -> Any:
    """Your matches, newest first: only what each job seeker chose to share."""
    return await services.volunteers.list_matches(user.user_id)


@router.get("/v1/volunteers/me/matches/{match_id}", response_model=VolunteerMatchView)
async def my_match(match_id: MatchId, user: CurrentUser, services: ServicesDep) -> Any:
    return await services.volunteers.read_match(user.user_id, match_id, side="volunteer")


@router.post("/v1/volunteers/me/matches/{match_id}/accept", response_model=VolunteerMatchView)
async def accept(match_id: MatchId, user: CurrentUser, services: ServicesDep) -> Any:
    """Accept to help: the job seeker is told, and you can read the document to review."""
    return await services.volunteers.accept_match(user.user_id, match_id, side="volunteer")


@router.post("/v1/volunteers/me/matches/{match_id}/decline", response_model=VolunteerMatchView)
async def decline(match_id: MatchId, user: CurrentUser, services: ServicesDep) -> Any:
    """Decline: another volunteer is asked (no reason needed)."""
    return await services.volunteers.decline_match(user.user_id, match_id, side="volunteer")


@router.put("/v1/volunteers/me/matches/{match_id}/review", response_model=DocumentInfo, status_code=201)
async def return_review(match_id: MatchId, file: Upload, user: CurrentUser, services: ServicesDep) -> Any:
    """Upload the reviewed document (PDF or DOCX, 5 MB at most)."""
    data, name = await _read_upload(file)
    return await services.volunteers.return_review(user.user_id, match_id, data, name, side="volunteer")


@router.get("/v1/volunteers/me/matches/{match_id}/documents/{document_id}")
async def volunteer_document(
    match_id: MatchId, document_id: DocumentId, user: CurrentUser, services: ServicesDep
) -> Response:
    """Download the document to review (once accepted) or your returned review."""
    view = await services.volunteers.read_match(user.user_id, match_id, side="volunteer")
    _require_listed(document_id, view.get("document"), view.get("review_document"))
    return await _download(services, user.user_id, document_id)


@router.post("/v1/volunteers/me/matches/{match_id}/schedule", response_model=VolunteerMatchView)
async def schedule_as_volunteer(
    match_id: MatchId, body: ScheduleInput, user: CurrentUser, services: ServicesDep
) -> Any:
    """Set the coffee's date."""
    return await services.volunteers.schedule(user.user_id, match_id, body, side="volunteer")


@router.post("/v1/volunteers/me/matches/{match_id}/complete", response_model=VolunteerMatchView)
async def complete_as_volunteer(match_id: MatchId, user: CurrentUser, services: ServicesDep) -> Any:
    return await services.volunteers.complete(user.user_id, match_id, side="volunteer")


@router.post("/v1/volunteers/me/matches/{match_id}/feedback", response_model=VolunteerMatchView)
async def feedback_as_volunteer(
    match_id: MatchId, body: FeedbackInput, user: CurrentUser, services: ServicesDep
) -> Any:
    return await services.volunteers.give_feedback(user.user_id, match_id, body, side="volunteer")


@router.put("/v1/volunteers/me/matches/{match_id}/contact-sharing", response_model=VolunteerMatchView)
async def contact_sharing_as_volunteer(
    match_id: MatchId, body: ContactSharingInput, user: CurrentUser, services: ServicesDep
) -> Any:
    """Accept (or stop accepting) to show your email; it is shown only when both of you accept."""
    return await services.volunteers.share_contact(user.user_id, match_id, body, side="volunteer")


@router.get("/v1/volunteers/me/matches/{match_id}/contact", response_model=SharedContact)
async def contact_as_volunteer(match_id: MatchId, user: CurrentUser, services: ServicesDep) -> SharedContact:
    """The job seeker's first name and email, once both of you accepted to share them."""
    return await _contact(services, user.user_id, match_id, "volunteer")


@router.get("/v1/volunteers/me/matches/{match_id}/messages", response_model=list[MessageView])
async def messages_as_volunteer(match_id: MatchId, user: CurrentUser, services: ServicesDep) -> Any:
    return await services.volunteers.list_match_messages(user.user_id, match_id, side="volunteer")


@router.post("/v1/volunteers/me/matches/{match_id}/messages", response_model=MessageView, status_code=201)
async def write_as_volunteer(
    match_id: MatchId,
    body: MessageInput,
    user: CurrentUser,
    services: ServicesDep,
    settings: SettingsDep,
    background: BackgroundTasks,
) -> Any:
    """Write to the job seeker through the service (your address stays private)."""
    posted = await services.volunteers.write_message(user.user_id, match_id, body, side="volunteer")
    background.add_task(_notify_message, services, settings, posted, to_volunteer=False)
    return posted


@router.post("/v1/volunteers/me/matches/{match_id}/report", status_code=204)
async def report_as_volunteer(
    match_id: MatchId, body: ReportInput, user: CurrentUser, services: ServicesDep
) -> Response:
    """Report the job seeker: the help stops and you are never matched again."""
    await services.volunteers.report(user.user_id, match_id, body, side="volunteer")
    return Response(status_code=204)


@router.post("/v1/volunteers/me/matches/{match_id}/block", status_code=204)
async def block_as_volunteer(match_id: MatchId, user: CurrentUser, services: ServicesDep) -> Response:
    await services.volunteers.block(user.user_id, match_id, side="volunteer")
    return Response(status_code=204)


# --- The job seeker's help requests ------------------------------------------------------------------


@router.get("/v1/me/help-requests", response_model=list[HelpRequestView])
async def my_help_requests(user: CurrentUser, services: ServicesDep) -> Any:
    """Your help requests, newest first, with the volunteer found for each."""
    return await services.volunteers.list_help_requests(user.user_id)


@router.post("/v1/me/help-requests", response_model=HelpRequestView, status_code=201)
async def ask_for_help(body: HelpRequestCreate, user: CurrentUser, services: ServicesDep) -> Any:
    """Ask for a CV or cover-letter review, a coffee chat or a mock interview, choosing what the volunteer will see.

    Without ``sharing`` the request waits for that choice (``PUT …/sharing``); with ``action_id`` (the
    button of an action of the plan), asking again for the same action answers the same request.
    """
    sharing = await _first_name_if_shared(services, user.user_id, body.sharing) if body.sharing else None
    return await services.volunteers.ask_for_help(
        user.user_id, kind=body.kind, sharing=sharing, action_id=body.action_id
    )


@router.get("/v1/me/help-requests/{request_id}", response_model=HelpRequestView)
async def my_help_request(request_id: RequestId, user: CurrentUser, services: ServicesDep) -> Any:
    return await services.volunteers.read_help_request(user.user_id, request_id)


@router.put("/v1/me/help-requests/{request_id}/sharing", response_model=HelpRequestView)
async def choose_what_to_share(
    request_id: RequestId, body: SharingChoice, user: CurrentUser, services: ServicesDep
) -> Any:
    """Choose what the volunteer will see (first name, target job, city, languages...); the request then opens."""
    sharing = await _first_name_if_shared(services, user.user_id, body)
    return await services.volunteers.choose_sharing(user.user_id, request_id, sharing)


@router.post("/v1/me/help-requests/{request_id}/cancel", response_model=HelpRequestView)
async def cancel(request_id: RequestId, user: CurrentUser, services: ServicesDep) -> Any:
    """Cancel the request; its documents are deleted."""
    return await services.volunteers.cancel_help_request(user.user_id, request_id)


@router.put("/v1/me/help-requests/{request_id}/document", response_model=DocumentInfo, status_code=201)
async def upload_document(request_id: RequestId, file: Upload, user: CurrentUser, services: ServicesDep) -> Any:
    """Attach the document to review (PDF or DOCX, 5 MB at most); only your volunteer reads it, once they accept."""
    data, name = await _read_upload(file)
    return await services.volunteers.upload_document(user.user_id, request_id, data, name)


@router.get("/v1/me/help-requests/{request_id}/documents/{document_id}")
async def seeker_document(
    request_id: RequestId, document_id: DocumentId, user: CurrentUser, services: ServicesDep
) -> Response:
    """Download your document or the review your volunteer returned."""
    view = await services.volunteers.read_help_request(user.user_id, request_id)
    _require_listed(document_id, view.get("document"), (view.get("match") or {}).get("review_document"))
    return await _download(services, user.user_id, document_id)


@router.post("/v1/me/help-requests/{request_id}/schedule", response_model=HelpRequestView)
async def schedule_as_seeker(
    request_id: RequestId, body: ScheduleInput, user: CurrentUser, services: ServicesDep
) -> Any:
    """Set the coffee's date with your volunteer."""
    match_id = await _match_of_request(services, user.user_id, request_id)
    return await services.volunteers.schedule(user.user_id, match_id, body, side="seeker")


@router.post("/v1/me/help-requests/{request_id}/complete", response_model=HelpRequestView)
async def complete_as_seeker(request_id: RequestId, user: CurrentUser, services: ServicesDep) -> Any:
    """Say the help took place (review received, coffee held)."""
    match_id = await _match_of_request(services, user.user_id, request_id)
    return await services.volunteers.complete(user.user_id, match_id, side="seeker")


@router.post("/v1/me/help-requests/{request_id}/feedback", response_model=HelpRequestView)
async def feedback_as_seeker(
    request_id: RequestId, body: FeedbackInput, user: CurrentUser, services: ServicesDep
) -> Any:
    """Rate the help (1 to 5) with a comment if you wish."""
    match_id = await _match_of_request(services, user.user_id, request_id)
    return await services.volunteers.give_feedback(user.user_id, match_id, body, side="seeker")


@router.put("/v1/me/help-requests/{request_id}/contact-sharing", response_model=HelpRequestView)
async def contact_sharing_as_seeker(
    request_id: RequestId, body: ContactSharingInput, user: CurrentUser, services: ServicesDep
) -> Any:
    """Accept (or stop accepting) to show your email; it is shown only when both of you accept."""
    match_id = await _match_of_request(services, user.user_id, request_id)
    return await services.volunteers.share_contact(user.user_id, match_id, body, side="seeker")


@router.get("/v1/me/help-requests/{request_id}/contact", response_model=SharedContact)
async def contact_as_seeker(request_id: RequestId, user: CurrentUser, services: ServicesDep) -> SharedContact:
    """Your volunteer's first name and email, once both of you accepted to share them."""
    match_id = await _match_of_request(services, user.user_id, request_id)
    return await _contact(services, user.user_id, match_id, "seeker")


@router.get("/v1/me/help-requests/{request_id}/messages", response_model=list[MessageView])
async def messages_as_seeker(request_id: RequestId, user: CurrentUser, services: ServicesDep) -> Any:
    match_id = await _match_of_request(services, user.user_id, request_id)
    return await services.volunteers.list_match_messages(user.user_id, match_id, side="seeker")


@router.post("/v1/me/help-requests/{request_id}/messages", response_model=MessageView, status_code=201)
async def write_as_seeker(
    request_id: RequestId,
    body: MessageInput,
    user: CurrentUser,
    services: ServicesDep,
    settings: SettingsDep,
    background: BackgroundTasks,
) -> Any:
    """Write to your volunteer through the service (your address stays private)."""
    match_id = await _match_of_request(services, user.user_id, request_id)
    posted = await services.volunteers.write_message(user.user_id, match_id, body, side="seeker")
    background.add_task(_notify_message, services, settings, posted, to_volunteer=True)
    return posted


@router.post("/v1/me/help-requests/{request_id}/report", status_code=204)
async def report_as_seeker(
    request_id: RequestId, body: ReportInput, user: CurrentUser, services: ServicesDep
) -> Response:
    """Report the volunteer: the help stops, another volunteer is asked, and the report is reviewed."""
    match_id = await _match_of_request(services, user.user_id, request_id)
    await services.volunteers.report(user.user_id, match_id, body, side="seeker")
    return Response(status_code=204)


@router.post("/v1/me/help-requests/{request_id}/block", status_code=204)
async def block_as_seeker(request_id: RequestId, user: CurrentUser, services: ServicesDep) -> Response:
    """Block the volunteer: another volunteer is asked, and you are never matched again."""
    match_id = await _match_of_request(services, user.user_id, request_id)
    await services.volunteers.block(user.user_id, match_id, side="seeker")
    return Response(status_code=204)
