"""Health of the whole system as seen from the gateway."""

from __future__ import annotations

import asyncio

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from services.gateway.deps import ServicesDep

router = APIRouter(tags=["health"])


@router.get("/health/live", include_in_schema=False)
async def live() -> dict[str, str]:
    return {"status": "alive"}


@router.get("/health/ready", include_in_schema=False)
async def ready(request: Request, services: ServicesDep) -> JSONResponse:
    """200 only when every service reports ready (its broker and store reachable)."""

    async def check(name: str, url: str) -> tuple[str, str]:
        try:
            response = await services.readiness(name)
        except httpx.HTTPError as error:
            return name, f"unreachable: {type(error).__name__}"
        if response.status_code == 200 and response.json().get("service", name) == name:
            return name, "ok"
        if response.status_code == 200:
            # A wrong URL in the settings: another service answers in this one's place.
            return name, f"misconfigured: {response.json().get('service')} answers at {url}"
        return name, f"not-ready: {response.json().get('checks', {})}"

    results = dict(await asyncio.gather(*(check(n, u) for n, u in services.urls.items())))
    broker = request.app.state.broker
    results["gateway-broker"] = (
        "ok" if request.app.state.broker_started and await broker.ping(timeout=2) else "unreachable"
    )
    ok = all(v == "ok" for v in results.values())
    return JSONResponse(
        {"service": "gateway", "status": "ready" if ok else "not-ready", "services": results},
        status_code=200 if ok else 503,
    )
