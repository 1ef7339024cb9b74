"""Typed clients of the services' internal HTTP APIs: one class per service, one method per route.

A client owns the method, the path and the body of each call; the caller it wraps owns the wire
(connection pools, timeouts, tracing, what an error answer becomes). The gateway wraps its pooled
``Services``; a peer service wraps a caller of its own. The answers are the JSON of the contract
models in ``shared/contracts/api/<service>.py``, not validated again here: the gateway re-serialises
them through its public ``response_model`` and a second validation would cost CPU on every call.

The clients live beside the contracts, not in them: the contract modules are models only (the
services validate with them, AsyncAPI and OpenAPI are built from them) and carry no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Protocol

import httpx


class Caller(Protocol):
    """What sends a call to a service: the gateway's pooled ``Services`` or a peer's own caller."""

    async def call(self, service: str, method: str, path: str, **kwargs: Any) -> Any:
        """Return the JSON answer of a service (None when empty); raise for an error answer."""
        ...

    async def answer(self, service: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Return a service's successful answer as it came (for files); raise for an error answer."""
        ...


class ServiceAnswerError(Exception):
    """A service answered with an error status (a peer's caller raises it; the gateway has its own)."""

    def __init__(self, status: int, body: Any) -> None:
        super().__init__(status)
        self.status = status
        self.body = body


class PeerCaller:
    """The caller of a service that calls a peer: one httpx client (carrying the internal token) and the
    peers' base URLs. An error answer raises ``ServiceAnswerError``; no answer raises httpx's error."""

    def __init__(
        self, client: httpx.AsyncClient, urls: Mapping[str, str], *, headers: Mapping[str, str] | None = None
    ) -> None:
        self._client = client
        self._urls = {name: url.rstrip("/") for name, url in urls.items()}
        self._headers = dict(headers or {})  # sent with every call, for a client shared with other uses

    async def answer(self, service: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
        if self._headers:
            kwargs["headers"] = {**self._headers, **kwargs.get("headers", {})}
        response = await self._client.request(method, self._urls[service] + path, **kwargs)
        if response.status_code >= 400:
            try:
                body = response.json()
            except ValueError:
                body = None
            raise ServiceAnswerError(response.status_code, body)
        return response

    async def call(self, service: str, method: str, path: str, **kwargs: Any) -> Any:
        response = await self.answer(service, method, path, **kwargs)
        return response.json() if response.content else None


class ServiceClient:
    """The calls to one service, sent through a caller."""

    service: ClassVar[str]

    def __init__(self, caller: Caller) -> None:
        self._caller = caller

    async def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        return await self._caller.call(self.service, method, path, **kwargs)

    async def export(self, user_id: str) -> Any:
        """Return what the service holds about the person (its ``UserExport``, JSON): every service that
        keeps personal data answers this route."""
        return await self._call("GET", f"/internal/users/{user_id}/export")
