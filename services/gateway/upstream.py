"""Calls from the gateway to the services' internal HTTP APIs."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from services.gateway import problems
from services.gateway.settings import GatewaySettings
from shared.clients import ServiceClient
from shared.clients.advice import AdviceClient
from shared.clients.diagnostic import DiagnosticClient
from shared.clients.notifications import NotificationsClient
from shared.clients.partners import PartnersClient
from shared.clients.profile import ProfileClient
from shared.clients.volunteers import VolunteersClient


class UpstreamError(Exception):
    """A service answered with an error (or did not answer)."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(status)
        self.status = status
        self.body = body


def busy(settings: GatewaySettings) -> UpstreamError:
    """Return the refusal of a request that found no free connection to a service (nothing was sent)."""
    return UpstreamError(503, {"code": "busy", "params": {"retry_after": settings.busy_retry_after_s}})


# Attempts after a failed connect, at once then 0.5 s later (httpcore's backoff).
CONNECT_RETRIES = 2


class Services:
    """A pooled HTTP client per service, carrying the internal token, and the typed client of each service.

    Routes call a service through its typed client (``services.advice.read_plan(...)``), which owns
    the internal paths; ``call`` and ``answer`` are the wire those clients share.

    One pool per service rather than one for all: httpcore checks every pooled connection on each
    request, so a single pool over six services cost more CPU per call than the call itself.
    """

    def __init__(self, settings: GatewaySettings, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.settings = settings
        self.urls = settings.service_urls()
        limits = httpx.Limits(max_connections=settings.upstream_connections, max_keepalive_connections=16)
        self.clients = {
            name: httpx.AsyncClient(
                headers={"authorization": f"Bearer {settings.internal_token.get_secret_value()}"},
                timeout=httpx.Timeout(settings.upstream_timeout_s, connect=2.0, pool=settings.upstream_queue_s),
                # A connection that could not be made carried no request: trying again is always safe.
                # On a starved machine a local connect can outlast its 2 s (the event loop is late to
                # see it), and a refused one may be a service restarting; a person should not see 502.
                transport=transport or httpx.AsyncHTTPTransport(limits=limits, retries=CONNECT_RETRIES),
            )
            for name in self.urls
        }
        # Readiness checks have a connection of their own: queued behind the traffic, they would
        # fail under a wave, and the orchestrator would take the gateway out just when it is needed.
        self.probes = httpx.AsyncClient(
            headers={"authorization": f"Bearer {settings.internal_token.get_secret_value()}"},
            timeout=3.0,
            limits=httpx.Limits(max_connections=len(self.urls)),
            transport=transport,
        )
        self.profile = ProfileClient(self)
        self.diagnostic = DiagnosticClient(self)
        self.advice = AdviceClient(self)
        self.notifications = NotificationsClient(self)
        self.volunteers = VolunteersClient(self)
        self.partners = PartnersClient(self)
        self._typed: dict[str, ServiceClient] = {
            client.service: client
            for client in (
                self.profile,
                self.diagnostic,
                self.advice,
                self.notifications,
                self.volunteers,
                self.partners,
            )
        }

    def client(self, service: str) -> ServiceClient:
        """Return the typed client of a service by its name."""
        return self._typed[service]

    async def readiness(self, service: str) -> httpx.Response:
        """Return a service's readiness answer, asked outside the traffic's connections."""
        return await self.probes.get(self.urls[service] + "/health/ready")

    async def answer(self, service: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Return a service's successful answer as it came; raise UpstreamError for an error or no answer."""
        try:
            response = await self.clients[service].request(method, self.urls[service] + path, **kwargs)
        except httpx.InvalidURL:
            raise UpstreamError(404, {"code": "not_found"}) from None
        except httpx.PoolTimeout:
            raise busy(self.settings) from None
        except httpx.ConnectTimeout:
            raise UpstreamError(502, {"code": "service_unavailable"}) from None
        except httpx.TimeoutException:
            # Sent, but no answer in time: the change may have been made, so the client must not
            # simply send it again (it reloads and sees).
            raise UpstreamError(504, {"code": "service_slow"}) from None
        except httpx.HTTPError:
            raise UpstreamError(502, {"code": "service_unavailable"}) from None
        if response.status_code >= 400:
            try:
                body = response.json()
            except ValueError:
                body = {}
            raise UpstreamError(response.status_code if response.status_code < 500 else 502, body)
        return response

    async def call(self, service: str, method: str, path: str, **kwargs: Any) -> Any:
        """Return the JSON answer of a service; raise UpstreamError for an error answer."""
        response = await self.answer(service, method, path, **kwargs)
        return response.json() if response.content else None

    async def close(self) -> None:
        for client in self.clients.values():
            await client.aclose()
        await self.probes.aclose()


def install(app: FastAPI) -> None:
    """Turn service errors into public problem+json answers."""

    @app.exception_handler(UpstreamError)
    async def upstream_error(request: Request, error: UpstreamError) -> JSONResponse:
        body = error.body
        if error.status == 422 and "errors" in body:
            return problems.problem(
                request, 422, "invalid_input", errors=problems.field_errors(request, body["errors"])
            )
        code = body.get("code") or ("service_unavailable" if error.status == 502 else "error")
        return problems.problem(request, error.status, code, params=body.get("params") or {})
