"""The internal API and the gateway routes behind email links, in process (no broker, in-memory store)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta

import httpx
import pytest
from fastapi import Depends, FastAPI

from services.gateway import problems, upstream
from services.gateway.routes import emails
from services.gateway.settings import GatewaySettings
from services.gateway.upstream import Services
from services.notifications.bootstrap import subscriptions
from services.notifications.contacts import ProfileUnavailableError
from services.notifications.links import UNSUBSCRIBE, LinkMaker, sign, survey_purpose
from services.notifications.repository import MESSAGES, RECIPIENTS, SURVEY_ANSWERS
from services.notifications.routes import router
from shared.consumer import EventConsumer
from shared.contracts.profile import UserErased
from shared.contracts.vocabulary import CoachingEmailFrequency
from shared.problems import install_problem_handlers
from shared.service import ServiceRuntime, require_internal_token
from tests.unit.notifications.support import SUBJECT, Clock, build_runtime
from tests.unit.shared.fakes import record

INTERNAL = {"authorization": "Bearer development-only-internal-token"}


@dataclass
class FakeProfile:
    frequencies: list[CoachingEmailFrequency] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    down: bool = False

    async def set_frequency(self, subject: str, frequency: CoachingEmailFrequency) -> int | None:
        if self.down:
            raise ProfileUnavailableError("down")
        self.frequencies.append(frequency)
        return len(self.frequencies) if subject == SUBJECT else None


@dataclass
class World:
    runtime: ServiceRuntime
    clock: Clock
    profile: FakeProfile
    internal: httpx.AsyncClient
    public: httpx.AsyncClient

    def token(self, purpose: str = UNSUBSCRIBE, subject: str = SUBJECT) -> str:
        secret = self.runtime.settings.secret_key.get_secret_value()
        return sign(secret, purpose=purpose, subject=subject, expires_at=self.clock() + timedelta(days=30))


@pytest.fixture
async def world() -> AsyncIterator[World]:
    clock = Clock()
    runtime = await build_runtime(clock)
    profile = FakeProfile()
    runtime.state.profile = profile
    service = FastAPI()
    install_problem_handlers(service)
    service.include_router(router, dependencies=[Depends(require_internal_token)])
    service.state.runtime = runtime
    to_service = httpx.ASGITransport(app=service)

    async def profile_service(request: httpx.Request) -> httpx.Response:
        profile.deleted.append(request.url.path.rsplit("/", 1)[1])
        return httpx.Response(202, json={"status": "erasing"})

    class Route(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if request.url.port == 8001:  # the profile service's default port
                return await profile_service(request)
            return await to_service.handle_async_request(request)

    gateway = FastAPI()
    gateway.state.settings = GatewaySettings()
    gateway.state.services = Services(gateway.state.settings, Route())
    problems.install(gateway)
    upstream.install(gateway)
    gateway.include_router(emails.router)
    async with (
        httpx.AsyncClient(transport=to_service, base_url="http://notifications", headers=INTERNAL) as internal,
        httpx.AsyncClient(transport=httpx.ASGITransport(app=gateway), base_url="http://gateway") as public,
    ):
        yield World(runtime, clock, profile, internal, public)
    await gateway.state.services.close()


async def test_services_queue_transactional_messages_once_per_dedupe_key(world: World) -> None:
    body = {
        "campaign": "login-link",
        "subject": SUBJECT,
        "dedupe_key": "login:abc",
        "variables": {"link": "https://coach.example/login#t"},
    }
    first = await world.internal.post("/internal/messages", json=body)
    second = await world.internal.post("/internal/messages", json=body)
    assert first.status_code == second.status_code == 202
    assert (first.json()["status"], second.json()["status"]) == ("queued", "duplicate")
    assert first.json()["message_id"] == second.json()["message_id"]
    assert await world.runtime.store.collection(MESSAGES).count() == 1


async def test_unknown_campaigns_missing_variables_and_bad_links_are_refused(world: World) -> None:
    for body, field_name in (
        ({"campaign": "focus-network", "subject": SUBJECT, "dedupe_key": "k"}, "campaign"),
        ({"campaign": "password-reset", "subject": SUBJECT, "dedupe_key": "k"}, "variables.link"),
        (
            {
                "campaign": "password-reset",
                "subject": SUBJECT,
                "dedupe_key": "k",
                "variables": {"link": "javascript:alert(1)"},
            },
            "variables.link",
        ),
    ):
        response = await world.internal.post("/internal/messages", json=body)
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == field_name
    assert (await world.internal.post("/internal/messages", json={})).status_code == 422
    assert (
        await world.internal.get(f"/internal/messages/{SUBJECT}", headers={"authorization": "x"})
    ).status_code == 401


async def test_the_unsubscribe_page_needs_no_login_and_applies_each_choice(world: World) -> None:
    token = world.token()
    page = await world.public.get("/v1/emails/unsubscribe", params={"token": token})
    assert page.status_code == 200, page.text
    assert page.json()["stopped"] is False and "delete-account" in page.json()["choices"]
    assert "@" not in page.text  # never the address

    changed = await world.public.post(
        "/v1/emails/unsubscribe", json={"token": token, "choice": "frequency", "frequency": "EMAIL_ONCE_A_MONTH"}
    )
    assert changed.json()["status"] == "frequency-changed"
    assert world.profile.frequencies == [CoachingEmailFrequency.EMAIL_ONCE_A_MONTH]

    # "Stop" is the frequency EMAIL_NONE, written to the profile: Settings shows it (one fact).
    stopped = await world.public.post("/v1/emails/unsubscribe", json={"token": token, "choice": "stop"})
    assert stopped.json() == {"status": "stopped", "coaching_email_frequency": "EMAIL_NONE", "stopped": True}
    recipient = await world.runtime.store.collection(RECIPIENTS).get(SUBJECT)
    assert recipient is not None and recipient["coaching_email_frequency"] == "EMAIL_NONE"
    assert recipient["frequency_to_save"] is None and recipient["plan_at"] is None
    assert world.profile.frequencies[-1] == CoachingEmailFrequency.EMAIL_NONE

    resumed = await world.public.post("/v1/emails/unsubscribe", json={"token": token, "choice": "resume"})
    assert resumed.json() == {"status": "resumed", "coaching_email_frequency": "EMAIL_ONCE_A_MONTH", "stopped": False}
    assert world.profile.frequencies == [
        CoachingEmailFrequency.EMAIL_ONCE_A_MONTH,
        CoachingEmailFrequency.EMAIL_NONE,
        CoachingEmailFrequency.EMAIL_ONCE_A_MONTH,
    ]
    page = await world.public.get("/v1/emails/unsubscribe", params={"token": token})
    assert (page.json()["coaching_email_frequency"], page.json()["stopped"]) == ("EMAIL_ONCE_A_MONTH", False)


async def test_rfc_8058_one_click_stops_the_emails(world: World) -> None:
    url = LinkMaker("http://gateway", world.runtime.settings.secret_key.get_secret_value(), world.clock()).one_click(
        SUBJECT
    )
    response = await world.public.post(
        url.removeprefix("http://gateway"),
        content=b"List-Unsubscribe=One-Click",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 200, response.text
    recipient = await world.runtime.store.collection(RECIPIENTS).get(SUBJECT)
    assert recipient is not None and recipient["coaching_email_frequency"] == "EMAIL_NONE"
    assert world.profile.frequencies == [CoachingEmailFrequency.EMAIL_NONE]  # Settings shows it


async def test_an_altered_or_expired_link_gets_a_clear_problem(world: World) -> None:
    token = world.token()
    for bad in (token[:-2] + "xx", world.token(purpose=survey_purpose("nps"))):
        response = await world.public.get(
            "/v1/emails/unsubscribe", params={"token": bad}, headers={"accept-language": "en"}
        )
        assert response.status_code == 403
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["code"] == "invalid_link" and "Settings" in response.json()["detail"]
    world.clock.advance(days=31)
    assert (await world.public.get("/v1/emails/unsubscribe", params={"token": token})).status_code == 403


async def test_deleting_the_account_from_the_page_needs_a_confirmation(world: World) -> None:
    token = world.token()
    refused = await world.public.post("/v1/emails/unsubscribe", json={"token": token, "choice": "delete-account"})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "confirm"
    assert world.profile.deleted == []
    done = await world.public.post(
        "/v1/emails/unsubscribe", json={"token": token, "choice": "delete-account", "confirm": True}
    )
    assert done.json() == {"status": "account-deleted"}
    assert world.profile.deleted == [SUBJECT]


async def test_survey_answers_arrive_by_signed_link_are_validated_and_count_in_the_impact(world: World) -> None:
    token = world.token(purpose=survey_purpose("employment-status"))
    page = await world.public.get("/v1/surveys/employment-status", params={"token": token})
    assert page.status_code == 200 and page.json()["answered"] is False
    assert [q["field"] for q in page.json()["questions"]] == ["still_searching", "has_new_job", "contract", "helped"]
    wrong = await world.public.post(
        "/v1/surveys/employment-status", json={"token": token, "answers": {"still_searching": False, "helped": "MAYBE"}}
    )
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "answers.helped"
    assert (
        await world.public.post("/v1/surveys/nps", json={"token": token, "answers": {"score": 9}})
    ).status_code == 403
    answer = {"still_searching": False, "has_new_job": True, "contract": "CDI", "helped": "YES_A_LOT"}
    recorded = await world.public.post("/v1/surveys/employment-status", json={"token": token, "answers": answer})
    assert recorded.status_code == 201 and recorded.json()["thanks"]
    again = await world.public.get("/v1/surveys/employment-status", params={"token": token})
    assert again.json()["answered"] is True and again.json()["answers"] == answer

    impact = (await world.public.get("/v1/impact")).json()
    assert impact["min_group_size"] == 10
    assert impact["overall"]["found_job_share"] == {"value": None, "answers": None, "hidden": True}


async def test_the_person_can_export_and_read_their_message_log(world: World) -> None:
    await world.internal.post(
        "/internal/messages",
        json={
            "campaign": "login-link",
            "subject": SUBJECT,
            "dedupe_key": "login:abc",
            "variables": {"link": "https://coach.example/login#secret"},
        },
    )
    log = (await world.internal.get(f"/internal/messages/{SUBJECT}")).json()
    assert [(m["campaign"], m["status"]) for m in log] == [("login-link", "queued")]
    assert "secret" not in str(log)
    exported = (await world.internal.get(f"/internal/users/{SUBJECT}/export")).json()
    assert exported["subject"] == SUBJECT and len(exported["messages"]) == 1
    other = (await world.internal.get("/internal/messages/u_someone_else")).json()
    assert other == []


async def test_the_other_services_campaigns_are_accepted_and_addresses_are_checked(world: World) -> None:
    for campaign, variables in (
        ("volunteer-confirm", {"link": "https://coach.example/link/volunteer#t"}),
        ("match-message", {"link": "https://coach.example/help"}),
        ("email-change-confirm", {"link": "https://coach.example/link/confirm-email#t", "to": "new@example.org"}),
        ("account-deletion-notice", {"deletion_date": "24/12/2026"}),
    ):
        body = {"campaign": campaign, "subject": SUBJECT, "dedupe_key": "k1", "variables": variables}
        response = await world.internal.post("/internal/messages", json=body)
        assert response.status_code == 202, (campaign, response.text)
    injected = {
        "campaign": "email-change-confirm",
        "subject": SUBJECT,
        "dedupe_key": "k2",
        "variables": {"link": "https://coach.example/l#t", "to": "a@example.org\r\nBcc: b@example.org"},
    }
    response = await world.internal.post("/internal/messages", json=injected)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "variables.to"


async def every_signed_link(world: World) -> list[tuple[str, int, object]]:
    """Call each route behind a signed email link for the person; return (route, status, detail)."""
    unsubscribe, survey = world.token(), world.token(purpose=survey_purpose("nps"))
    calls = [
        ("unsubscribe page", world.internal.get("/internal/unsubscribe", params={"token": unsubscribe})),
        ("unsubscribe", world.internal.post("/internal/unsubscribe", json={"token": unsubscribe, "choice": "stop"})),
        ("one-click", world.internal.post("/internal/unsubscribe/one-click", json={"token": unsubscribe})),
        ("survey page", world.internal.get("/internal/surveys/nps", params={"token": survey})),
        (
            "survey answer",
            world.internal.post("/internal/surveys/nps", json={"token": survey, "answers": {"score": 9}}),
        ),
    ]
    seen = []
    for route, call in calls:
        response = await call
        seen.append((route, response.status_code, response.json().get("detail")))
    return seen


async def test_the_signed_links_of_an_erased_person_are_refused(world: World) -> None:
    assert [status for _, status, _ in await every_signed_link(world)] == [200, 200, 200, 200, 201]
    erasure = EventConsumer(
        settings=world.runtime.settings,
        store=world.runtime.store,
        outbox=world.runtime.outbox,
        broker=world.runtime.broker,
        subscriptions=subscriptions(world.runtime),
        metrics=world.runtime.metrics,
        clock=world.runtime.clock,
    )
    await erasure.process([record("user-erased", UserErased(subject=SUBJECT), offset=1)])
    # The links were signed before the erasure and have not expired: the erasure refuses them, and says so.
    assert await every_signed_link(world) == [
        (route, 410, "account_erased")
        for route in ("unsubscribe page", "unsubscribe", "one-click", "survey page", "survey answer")
    ]
    # Nothing about the person is written again.
    for name in (RECIPIENTS, SURVEY_ANSWERS):
        assert await world.runtime.store.collection(name).count() == 0, name


async def test_the_one_click_address_opened_in_a_browser_is_a_page_that_changes_nothing(world: World) -> None:
    token = world.token()
    page = await world.public.get(
        "/v1/emails/unsubscribe/one-click", params={"token": token}, headers={"accept": "text/html"}
    )
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    text = page.text
    assert '<html lang="fr">' in text and 'name="viewport"' in text
    # It says what the button stops and what still comes, and offers the button (a POST to the same address).
    assert "Ce bouton arrête tous nos e-mails" in text and "lien de connexion" in text
    assert '<form method="post" action="/v1/emails/unsubscribe/one-click?token=' in text
    assert "Ne plus recevoir d&#39;e-mails</button>" in text
    assert f'href="/emails/unsubscribe?token={token}"' in text  # fewer emails, or delete the account
    # A GET (a link scanner, a preview) changes nothing.
    assert world.profile.frequencies == []
    recipient = await world.runtime.store.collection(RECIPIENTS).get(SUBJECT)
    assert recipient is None or recipient.get("coaching_email_frequency") != "EMAIL_NONE"

    # The page's button: a browser's form POST gets a page back; a mail client's POST keeps its JSON answer.
    done = await world.public.post(
        "/v1/emails/unsubscribe/one-click",
        params={"token": token},
        content=b"List-Unsubscribe=One-Click",
        headers={"content-type": "application/x-www-form-urlencoded", "accept": "text/html,*/*"},
    )
    assert done.status_code == 200 and done.headers["content-type"].startswith("text/html")
    assert "C&#39;est fait" in done.text and "choisissez une fréquence dans vos paramètres" in done.text
    assert world.profile.frequencies == [CoachingEmailFrequency.EMAIL_NONE]
    again = await world.public.get("/v1/emails/unsubscribe/one-click", params={"token": token})
    assert "Vous ne recevez déjà plus d&#39;e-mails" in again.text
    client = await world.public.post(
        "/v1/emails/unsubscribe/one-click", params={"token": token}, content=b"List-Unsubscribe=One-Click"
    )
    assert client.json() == {"status": "stopped"}


async def test_the_page_speaks_the_persons_language_and_register(world: World) -> None:
    async with world.runtime.unit_of_work() as uow:
        await uow.collection(RECIPIENTS).put({"_id": SUBJECT, "locale": "fr@tu"})
    page = await world.public.get("/v1/emails/unsubscribe/one-click", params={"token": world.token()})
    assert "Ce bouton arrête tous nos e-mails : conseils, rappel de tes actions" in page.text.replace("\u00a0", " ")
    async with world.runtime.unit_of_work() as uow:
        await uow.collection(RECIPIENTS).put({"_id": SUBJECT, "locale": "en"})
    page = await world.public.get("/v1/emails/unsubscribe/one-click", params={"token": world.token()})
    assert '<html lang="en">' in page.text and "Stop receiving emails</button>" in page.text


async def test_after_the_account_is_deleted_its_old_links_say_it_no_longer_exists(world: World) -> None:
    token = world.token()
    erasure = EventConsumer(
        settings=world.runtime.settings,
        store=world.runtime.store,
        outbox=world.runtime.outbox,
        broker=world.runtime.broker,
        subscriptions=subscriptions(world.runtime),
        metrics=world.runtime.metrics,
        clock=world.runtime.clock,
    )
    await erasure.process([record("user-erased", UserErased(subject=SUBJECT), offset=1)])
    gone = "Ce compte n'existe plus\u00a0: vous ne recevrez plus rien de nous."
    page = await world.public.get("/v1/emails/unsubscribe/one-click", params={"token": token})
    assert page.status_code == 410 and gone.replace("'", "&#39;") in page.text
    assert "depuis votre compte" not in page.text
    problem = await world.public.get("/v1/emails/unsubscribe", params={"token": token})
    assert problem.status_code == 410
    assert (problem.json()["code"], problem.json()["detail"]) == ("account_deleted", gone)
    english = await world.public.post(
        "/v1/emails/unsubscribe", json={"token": token, "choice": "stop"}, headers={"accept-language": "en"}
    )
    assert english.json()["detail"] == "This account no longer exists: you will receive nothing more from us."
    # An altered link still says what to do instead.
    altered = await world.public.get("/v1/emails/unsubscribe/one-click", params={"token": token[:-2] + "xx"})
    assert altered.status_code == 403 and "rubrique Paramètres" in altered.text


async def test_the_survey_page_speaks_to_the_persons_gender(world: World) -> None:
    token = world.token(purpose=survey_purpose("employment-status"))
    for gender, words in (
        ("FEMININE", "vous a-t-il aidée"),
        ("MASCULINE", "vous a-t-il aidé "),
        ("UNKNOWN", "été utile"),
    ):
        async with world.runtime.unit_of_work() as uow:
            await uow.collection(RECIPIENTS).put({"_id": SUBJECT, "gender": gender})
        page = (await world.public.get("/v1/surveys/employment-status", params={"token": token})).json()
        labels = " ".join(q["label"] for q in page["questions"]).replace("\u00a0", " ")
        assert words in labels + " ", (gender, labels)
