"""The typed clients of shared/clients: what a peer's caller sends, and what an error answer becomes."""

from __future__ import annotations

import json

import httpx
import pytest

from services.notifications.contacts import ProfileClient as NotificationsProfile
from services.notifications.contacts import ProfileUnavailableError
from services.notifications.settings import NotificationsSettings
from shared.clients import PeerCaller, ServiceAnswerError
from shared.clients.advice import AdviceClient
from shared.clients.notifications import NotificationsClient
from shared.contracts.vocabulary import CoachingEmailFrequency, Locale


def caller(transport: httpx.MockTransport, **urls: str) -> PeerCaller:
    return PeerCaller(httpx.AsyncClient(transport=transport), urls, headers={"authorization": "Bearer t"})


async def test_a_client_owns_the_method_path_and_body_and_the_caller_adds_its_headers() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(202, json={"message_id": "m1", "status": "queued"})

    notifications = NotificationsClient(caller(httpx.MockTransport(answer), notifications="http://n:1/"))
    accepted = await notifications.queue_message(
        campaign="login-link", subject="u_1", dedupe_key="k", variables={"link": "https://x"}
    )
    assert accepted == {"message_id": "m1", "status": "queued"}
    (request,) = seen
    assert (request.method, str(request.url)) == ("POST", "http://n:1/internal/messages")
    assert request.headers["authorization"] == "Bearer t"
    assert json.loads(request.content) == {
        "campaign": "login-link",
        "subject": "u_1",
        "dedupe_key": "k",
        "variables": {"link": "https://x"},
    }


async def test_an_error_answer_raises_with_its_status_and_body_and_an_empty_answer_is_none() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("locale") == "en":
            return httpx.Response(404, json={"code": "not_found"})
        return httpx.Response(204)

    advice = AdviceClient(caller(httpx.MockTransport(answer), advice="http://a:1"))
    assert await advice.read_advice("u_1") is None
    with pytest.raises(ServiceAnswerError) as raised:
        await advice.read_advice("u_1", locale=Locale.EN)
    assert (raised.value.status, raised.value.body) == (404, {"code": "not_found"})


async def test_the_notifications_service_reads_the_profile_again_when_a_save_came_in_between() -> None:
    revisions = iter([3, 4])
    patches: list[dict[str, object]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            return httpx.Response(200, json={"revision": next(revisions)})
        patches.append(json.loads(request.content))
        return httpx.Response(409 if len(patches) == 1 else 200, json={"revision": 5})

    client = httpx.AsyncClient(transport=httpx.MockTransport(answer))
    profile = NotificationsProfile(NotificationsSettings(profile_url="http://p:1"), client)
    frequency = next(iter(CoachingEmailFrequency))
    assert await profile.set_frequency("u_1", frequency) == 5
    assert [p["revision"] for p in patches] == [3, 4]


async def test_the_notifications_service_tells_a_gone_account_from_an_unavailable_profile() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("u_gone"):
            return httpx.Response(404, json={"code": "not_found"})
        if request.url.path.endswith("u_down"):
            return httpx.Response(503)
        raise httpx.ConnectError("refused")

    client = httpx.AsyncClient(transport=httpx.MockTransport(answer))
    profile = NotificationsProfile(NotificationsSettings(profile_url="http://p:1"), client)
    assert await profile.addressee("u_gone") is None
    for subject in ("u_down", "u_unreachable"):
        with pytest.raises(ProfileUnavailableError):
            await profile.addressee(subject)
