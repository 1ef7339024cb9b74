"""Calls to the services under load: a request finds no free connection and is refused at once (503,
Retry-After, nothing sent), and a service that answers too late gives 504 (the change may be made).

The service is a real loopback TCP server that holds each request until told to answer, because
httpx keeps its connection pool (and the pool wait) only on its real network transport.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any
from unittest.mock import patch

import httpcore
import httpx
import pytest
from fastapi import FastAPI, Request

from services.gateway import problems, upstream
from services.gateway.settings import GatewaySettings
from services.gateway.upstream import Services, UpstreamError

ANSWER = b'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\n\r\n{"ok":true}'
READY = b'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 21\r\n\r\n{"service":"profile"}'


@dataclass
class HeldService:
    """A service that answers each request only when ``release`` is set (its readiness at once)."""

    release: asyncio.Event = field(default_factory=asyncio.Event)
    received: int = 0

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while head := await reader.readuntil(b"\r\n\r\n"):
                if head.startswith(b"GET /health/ready "):
                    writer.write(READY)
                    continue
                self.received += 1
                await self.release.wait()
                writer.write(ANSWER)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


@pytest.fixture
async def held() -> AsyncIterator[tuple[HeldService, str]]:
    service = HeldService()
    server = await asyncio.start_server(service.serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield service, f"http://127.0.0.1:{port}"
    finally:
        service.release.set()
        server.close()


def settings(url: str, *, timeout_s: float = 10.0, retry_after_s: int = 3) -> GatewaySettings:
    """One connection to the profile service, and a short wait for it."""
    return GatewaySettings(
        profile_url=url,
        upstream_connections=1,
        upstream_queue_s=0.2,
        upstream_timeout_s=timeout_s,
        busy_retry_after_s=retry_after_s,
    )


async def test_a_call_that_finds_every_connection_taken_is_refused_with_retry_after(
    held: tuple[HeldService, str],
) -> None:
    service, url = held
    services = Services(settings(url, retry_after_s=4))
    try:
        first = asyncio.create_task(services.call("profile", "GET", "/internal/slow"))
        while service.received == 0:
            await asyncio.sleep(0.01)
        with pytest.raises(UpstreamError) as refused:
            await services.call("profile", "POST", "/internal/second")
        assert refused.value.status == 503
        assert refused.value.body == {"code": "busy", "params": {"retry_after": 4}}
        assert service.received == 1  # the refused request was never sent: retrying it is safe
        # Readiness is asked on a connection of its own: a full pool does not make the gateway "not ready".
        assert (await services.readiness("profile")).json() == {"service": "profile"}
        service.release.set()
        assert await first == {"ok": True}  # the call in flight is not disturbed
        assert await services.call("profile", "GET", "/internal/again") == {"ok": True}
    finally:
        await services.close()


async def test_a_service_that_answers_too_late_gives_504_not_a_refusal(held: tuple[HeldService, str]) -> None:
    _, url = held
    services = Services(settings(url, timeout_s=0.3))
    try:
        with pytest.raises(UpstreamError) as slow:
            await services.call("profile", "GET", "/internal/slow")
        assert (slow.value.status, slow.value.body["code"]) == (504, "service_slow")
    finally:
        await services.close()


async def test_the_refusal_reaches_the_person_in_french_with_retry_after(held: tuple[HeldService, str]) -> None:
    service, url = held
    services = Services(settings(url))
    app = FastAPI()
    problems.install(app)
    upstream.install(app)

    @app.get("/v1/thing")
    async def thing(request: Request) -> object:
        return await services.call("profile", "GET", "/internal/thing")

    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway")
    try:
        first = asyncio.create_task(client.get("/v1/thing"))
        while service.received == 0:
            await asyncio.sleep(0.01)
        refused = await client.get("/v1/thing")
        english = await client.get("/v1/thing", headers={"accept-language": "en"})
        service.release.set()
        assert (await first).status_code == 200
    finally:
        await client.aclose()
        await services.close()
    assert refused.status_code == 503
    assert refused.headers["retry-after"] == "3"
    assert refused.headers["content-type"] == problems.PROBLEM_JSON
    body = refused.json()
    assert body["code"] == "busy" and body["params"] == {"retry_after": 3}
    assert body["detail"].startswith("Beaucoup de personnes") and "3 secondes" in body["detail"]
    assert "3 seconds" in english.json()["detail"]


async def test_a_connection_refused_at_first_is_made_again_and_the_call_answers() -> None:
    """A service that starts listening just after the first connect (a restart) answers; nobody sees 502."""
    service = HeldService()
    service.release.set()
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))  # the port is ours, nothing listens on it yet: connecting is refused
    port = probe.getsockname()[1]
    refused = asyncio.Event()
    real_connect = httpcore.AnyIOBackend.connect_tcp

    async def connect_then_listen(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return await real_connect(self, *args, **kwargs)
        except httpcore.ConnectError:
            refused.set()  # the test starts the service only once a connection was refused
            raise

    services = Services(settings(f"http://127.0.0.1:{port}"))
    server: asyncio.Server | None = None
    try:
        with patch.object(httpcore.AnyIOBackend, "connect_tcp", connect_then_listen):
            call = asyncio.create_task(services.call("profile", "GET", "/internal/after-a-restart"))
            await asyncio.wait_for(refused.wait(), timeout=10)
            probe.close()
            server = await asyncio.start_server(service.serve, "127.0.0.1", port)
            assert await asyncio.wait_for(call, timeout=10) == {"ok": True}
        assert service.received == 1
    finally:
        if server is not None:
            server.close()
        await services.close()
