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
