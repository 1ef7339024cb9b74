"""Edge protections: request body size limit and security headers on every answer."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SECURITY_HEADERS = {
    # Scripts, styles and data only from this origin; no framing by other sites.
    "content-security-policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "cross-origin-opener-policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"
# An API answer carries personal data or tokens unless its route says otherwise (public counters do):
# nothing keeps it, neither the browser nor a proxy (RFC 9111 §5.2.2.5; RFC 6749 §5.1 for tokens).
NOT_STORED = {"cache-control": "no-store", "pragma": "no-cache"}


class SecurityHeaders:
    """Adds the security headers (HSTS only over TLS), and ``no-store`` to API answers that set no caching."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        secure = scope.get("scheme") == "https"
        api = scope.get("path", "").startswith("/v1/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                for name, value in SECURITY_HEADERS.items():
                    if name.encode() not in present:
                        headers.append((name.encode(), value.encode()))
                if secure:
                    headers.append((b"strict-transport-security", HSTS.encode()))
                if api and b"cache-control" not in present:
                    headers += [(name.encode(), value.encode()) for name, value in NOT_STORED.items()]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


class BodySizeLimit:
    """Refuses request bodies larger than the limit with 413, whether announced or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int, *, overrides: dict[str, int] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.overrides = overrides or {}

    def _limit(self, path: str) -> int:
        return next((size for prefix, size in self.overrides.items() if path.startswith(prefix)), self.max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope.get("path", ""))
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _too_large(scope, send)
            return
        received = 0

        async def counting() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _BodyTooLargeError
            return message

        try:
            await self.app(scope, counting, send)
        except _BodyTooLargeError:
            await _too_large(scope, send)


class _BodyTooLargeError(StarletteHTTPException):
    # An HTTP exception, not a plain one: FastAPI turns any other error raised while it reads the
    # body into "400 error parsing the body", which would hide the reason from the person.
    def __init__(self) -> None:
        super().__init__(status_code=413, detail="body_too_large")


async def _too_large(scope: Scope, send: Send) -> None:
    english = b"en" in dict(scope.get("headers", [])).get(b"accept-language", b"")[:2]
    body: dict[str, Any] = {
        "type": "https://coach.example/problems/body_too_large",
        "title": "Request too large" if english else "Requête trop volumineuse",
        "status": 413,
        "code": "body_too_large",
        "detail": "The request is too large." if english else "La requête est trop volumineuse.",
    }
    await send(
        {"type": "http.response.start", "status": 413, "headers": [(b"content-type", b"application/problem+json")]}
    )
    await send({"type": "http.response.body", "body": orjson.dumps(body)})
