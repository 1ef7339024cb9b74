"""The notifications service's internal HTTP API (called by the gateway and the profile service).

Signed links (unsubscribe, surveys) are verified here, where the tokens are
made; the gateway only relays them, so the people who click need no login.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any, Literal

import httpx
from fastapi import APIRouter, HTTPException
from pydantic import ValidationError

from services.notifications import links
from services.notifications.catalogue import SurveyKind, default_catalogue
from services.notifications.choices import RESUMED, AccountGoneError, choose_frequency
from services.notifications.contacts import FrequencySetting, ProfileClient
from services.notifications.impact import impact, tally
from services.notifications.render import gendered
from services.notifications.repository import (
    DUE_ACTIONS,
    IMPACT_COUNTERS,
    MESSAGES,
    RECIPIENTS,
    SURVEY_ANSWERS,
    load_recipient,
    message_id,
    public_message,
    queue_message,
)
from services.notifications.settings import NotificationsSettings
from services.notifications.state import NotificationsRuntime
from shared.contracts.api.notifications import (
    ANSWER_MODELS,
    Impact,
    LinkCheck,
    MessageAccepted,
    MessageRequest,
    MessageView,
    OneClick,
    SurveyPage,
    SurveyQuestion,
    SurveyRecorded,
    SurveySubmission,
    UnsubscribeChoice,
    UnsubscribePage,
    UnsubscribeResult,
    UserExport,
    VerifiedLink,
)
from shared.contracts.vocabulary import CoachingEmailFrequency
from shared.envelope import iso
from shared.inbox import subject_erased
from shared.problems import FieldProblem, InvalidInputError, NotFoundError
from shared.service import RuntimeDep, ServiceRuntime
from shared.store import Collection

router = APIRouter(prefix="/internal")
ACCOUNT_ERASED = "account_erased"
ADDRESS = re.compile(r"[^@\s<>,;\"]{1,64}@[^@\s<>,;\"]{1,255}")


def _settings(runtime: ServiceRuntime) -> NotificationsSettings:
    settings = runtime.settings
    assert isinstance(settings, NotificationsSettings)
    return settings


def _subject(runtime: ServiceRuntime, token: str, purpose: str) -> str:
    """Return the subject of a valid signed link; 403 ``invalid_link`` otherwise."""
    subject = links.verify(
        _settings(runtime).secret_key.get_secret_value(), token, purpose=purpose, now=runtime.clock()
    )
    if subject is None:
        raise HTTPException(status_code=403, detail="invalid_link")
    return subject


async def _living_subject(runtime: ServiceRuntime, token: str, purpose: str) -> str:
    """Return the subject of a valid signed link of a person who was not erased.

    403 ``invalid_link`` for an altered or expired link; 410 ``account_erased`` for a valid link of an account
    deleted since: its holder is told the account no longer exists, and that nothing more will come.
    """
    subject = _subject(runtime, token, purpose)
    if await subject_erased(runtime.store, subject):
        raise HTTPException(status_code=410, detail=ACCOUNT_ERASED)
    return subject


def _profile(runtime: NotificationsRuntime) -> FrequencySetting:
    if runtime.state.profile is None:
        runtime.state.profile = ProfileClient(_settings(runtime), httpx.AsyncClient(timeout=10))
    return runtime.state.profile


# --- messages -----------------------------------------------------------------------------------


@router.post("/messages", response_model=MessageAccepted, status_code=202)
async def queue(body: MessageRequest, runtime: RuntimeDep) -> MessageAccepted:
    """Queue an email asked for by another service (login link, password reset, deletion notice...)."""
    campaign = default_catalogue().campaigns.get(body.campaign)
    if campaign is None or not campaign.api:
        raise InvalidInputError([FieldProblem(field="campaign", code="unknown_code")])
    problems = [
        FieldProblem(field=f"variables.{name}", code="missing")
        for name in campaign.variables
        if name not in body.variables
    ]
    if campaign.link is not None and campaign.link.variable in body.variables:
        url = body.variables[campaign.link.variable]
        if not url.startswith(("https://", "http://")):
            problems.append(FieldProblem(field=f"variables.{campaign.link.variable}", code="string_pattern_mismatch"))
    target = body.variables.get(campaign.address_variable or "")
    if target is not None and not ADDRESS.fullmatch(target):
        problems.append(FieldProblem(field=f"variables.{campaign.address_variable}", code="value_error"))
    if problems:
        raise InvalidInputError(problems)
    # The caller's key is scoped by campaign and person, so two callers cannot collide.
    key = f"api:{campaign.id}:{body.subject}:{body.dedupe_key}"
    async with runtime.unit_of_work() as uow:
        queued = await queue_message(
            uow.collection(MESSAGES),
            dedupe_key=key,
            subject=body.subject,
            campaign=campaign.id,
            now=uow.now,
            variables=dict(body.variables),
        )
    return MessageAccepted(message_id=message_id(key), status="queued" if queued else "duplicate")


async def _message_log(runtime: ServiceRuntime, subject: str) -> list[MessageView]:
    found = await runtime.store.collection(MESSAGES).find({"subject": subject}, sort=[("created_at", -1)], limit=500)
    campaigns = default_catalogue().campaigns
    views = []
    for doc in found:
        view = public_message(doc)
        campaign = campaigns.get(doc["campaign"])
        if campaign is not None and campaign.logged_as:
            view["campaign"] = campaign.logged_as
        views.append(MessageView.model_validate(view))
    return views


@router.get("/messages/{subject}", response_model=list[MessageView])
async def message_log(subject: str, runtime: RuntimeDep) -> list[MessageView]:
    """Return the person's message log, newest first (for their settings page)."""
    return await _message_log(runtime, subject)


@router.get("/users/{subject}/export", response_model=UserExport)
async def export(subject: str, runtime: RuntimeDep) -> UserExport:
    """Return everything this service holds about the person."""
    store = runtime.store
    recipient = await store.collection(RECIPIENTS).get(subject)
    if recipient is not None:
        recipient.pop("bounced_address", None)  # a keyed hash: meaningless to the person, and it is ours
    return UserExport(
        subject=subject,
        recipient=recipient,
        messages=await _message_log(runtime, subject),
        survey_answers=await store.collection(SURVEY_ANSWERS).find({"subject": subject}),
        due_actions=await store.collection(DUE_ACTIONS).find({"subject": subject}),
    )


# --- signed links and unsubscribe ---------------------------------------------------------------


@router.post("/links/verify", response_model=VerifiedLink)
async def verify_link(body: LinkCheck, runtime: RuntimeDep) -> VerifiedLink:
    """Return whom a signed link is for (the gateway uses it before deleting an account from the page)."""
    return VerifiedLink(subject=_subject(runtime, body.token, body.purpose), purpose=body.purpose)


@router.get("/unsubscribe", response_model=UnsubscribePage)
async def unsubscribe_page(token: str, runtime: RuntimeDep) -> UnsubscribePage:
    """Return what the unsubscribe page shows to the person the link is for: the frequency that applies now."""
    recipient = await load_recipient(
        runtime.store.collection(RECIPIENTS), await _living_subject(runtime, token, links.UNSUBSCRIBE)
    )
    return UnsubscribePage(
        locale=recipient.locale, coaching_email_frequency=recipient.email_frequency, stopped=recipient.stopped
    )


async def _choose(runtime: ServiceRuntime, subject: str, frequency: CoachingEmailFrequency) -> UnsubscribeResult:
    try:
        before, after = await choose_frequency(runtime, _profile(runtime), subject, frequency)
    except AccountGoneError:
        raise HTTPException(status_code=410, detail=ACCOUNT_ERASED) from None
    status: Literal["frequency-changed", "stopped", "resumed"] = "frequency-changed"
    if after.stopped:
        status = "stopped"
    elif before.stopped:
        status = "resumed"
    return UnsubscribeResult(status=status, coaching_email_frequency=after.email_frequency, stopped=after.stopped)


@router.post("/unsubscribe", response_model=UnsubscribeResult)
async def unsubscribe(body: UnsubscribeChoice, runtime: RuntimeDep) -> UnsubscribeResult:
    """Apply the person's choice: a frequency, stop every email (EMAIL_NONE), or start again.

    One fact with the profile's frequency (choices.py): Settings shows what is chosen here, and a frequency
    chosen there starts the emails again.
    """
    subject = await _living_subject(runtime, body.token, links.UNSUBSCRIBE)
    if body.choice == "frequency" and body.frequency is not None:
        return await _choose(runtime, subject, body.frequency)
    if body.choice == "stop":
        return await _choose(runtime, subject, CoachingEmailFrequency.EMAIL_NONE)
    if body.choice == "resume":
        recipient = await load_recipient(runtime.store.collection(RECIPIENTS), subject)
        if recipient.stopped:
            return await _choose(runtime, subject, RESUMED)
        return UnsubscribeResult(
            status="resumed", coaching_email_frequency=recipient.email_frequency, stopped=recipient.stopped
        )
    # Deleting the account is the profile service's erasure; the gateway calls it directly.
    raise InvalidInputError([FieldProblem(field="choice", code="enum")])


@router.post("/unsubscribe/one-click")
async def one_click(body: OneClick, runtime: RuntimeDep) -> dict[str, str]:
    """RFC 8058 one-click unsubscribe: the frequency EMAIL_NONE, every email but those asked for or required."""
    subject = await _living_subject(runtime, body.token, links.UNSUBSCRIBE)
    recipient = await load_recipient(runtime.store.collection(RECIPIENTS), subject)
    if not recipient.stopped:
        # An account already gone from the profile service is stopped here all the same; its erasure follows.
        with contextlib.suppress(AccountGoneError):
            await choose_frequency(runtime, _profile(runtime), subject, CoachingEmailFrequency.EMAIL_NONE)
    return {"status": "stopped"}


# --- surveys ----------------------------------------------------------------------------------------


def _kind(kind: str) -> SurveyKind:
    if kind not in ANSWER_MODELS:
        raise NotFoundError("survey")
    return kind  # type: ignore[return-value]


async def _answer(answers: Collection, kind: str, subject: str) -> dict[str, Any] | None:
    return await answers.get(f"{kind}:{subject}")


@router.get("/surveys/{kind}", response_model=SurveyPage)
async def survey_page(kind: str, token: str, runtime: RuntimeDep) -> SurveyPage:
    """Return the survey's questions in the person's language, and the answers already given."""
    survey_kind = _kind(kind)
    subject = await _living_subject(runtime, token, links.survey_purpose(kind))
    recipient = await load_recipient(runtime.store.collection(RECIPIENTS), subject)
    survey = default_catalogue().surveys[survey_kind][recipient.locale]
    given = await _answer(runtime.store.collection(SURVEY_ANSWERS), kind, subject)
    gender = recipient.gender
    return SurveyPage(
        kind=kind,
        locale=recipient.locale,
        title=gendered(survey.title, gender, recipient.locale),
        introduction=gendered(survey.introduction, gender, recipient.locale),
        questions=[
            SurveyQuestion.model_validate(
                q.model_dump()
                | {
                    "label": gendered(q.label, gender, recipient.locale),
                    "choices": {value: gendered(text, gender, recipient.locale) for value, text in q.choices.items()},
                }
            )
            for q in survey.questions
        ],
        answered=given is not None,
        answers=given["answers"] if given else None,
    )


@router.post("/surveys/{kind}", response_model=SurveyRecorded, status_code=201)
async def answer_survey(kind: str, body: SurveySubmission, runtime: RuntimeDep) -> SurveyRecorded:
    """Record (or replace) the person's answers to a survey."""
    survey_kind = _kind(kind)
    subject = await _living_subject(runtime, body.token, links.survey_purpose(kind))
    try:
        answers = ANSWER_MODELS[kind].model_validate(body.answers)
    except ValidationError as error:
        raise InvalidInputError(
            [
                FieldProblem(
                    field=".".join(["answers", *(str(p) for p in e["loc"])]),
                    code=e["type"],
                    params={k: v for k, v in (e.get("ctx") or {}).items() if isinstance(v, (int, float, str))},
                )
                for e in error.errors()
            ]
        ) from None
    async with runtime.unit_of_work() as uow:
        recipient = await load_recipient(uow.collection(RECIPIENTS), subject)
        await uow.collection(SURVEY_ANSWERS).put(
            {
                "_id": f"{kind}:{subject}",
                "subject": subject,
                "kind": kind,
                "answers": answers.model_dump(mode="json", exclude_none=True),
                # The challenge at answer time: impact figures are read by main challenge.
                "main_challenge": recipient.main_challenge,
                "answered_at": iso(uow.now),
            }
        )
    thanks = default_catalogue().surveys[survey_kind][recipient.locale].thanks
    return SurveyRecorded(kind=kind, thanks=gendered(thanks, recipient.gender, recipient.locale))


@router.get("/impact", response_model=Impact)
async def impact_figures(runtime: RuntimeDep) -> Impact:
    """Return the aggregate figures; groups under the minimum size are hidden."""
    tallies: list[tuple[str | None, dict[str, int]]] = []
    async for answer in runtime.store.collection(SURVEY_ANSWERS).iterate():
        tallies.append((answer.get("main_challenge"), dict(tally(answer["kind"], answer["answers"]))))
    for counters in await runtime.store.collection(IMPACT_COUNTERS).find():
        group = counters.pop("_id")
        tallies.append((None if group == "none" else group, counters))
    return impact(tallies)
