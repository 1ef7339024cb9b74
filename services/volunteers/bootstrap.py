"""Composition root of the volunteers service."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from services.volunteers.documents import DocumentRefusedError
from services.volunteers.handlers import on_user_erased
from services.volunteers.references import load_reference
from services.volunteers.repository import INDEXES
from services.volunteers.routes import router
from services.volunteers.settings import VolunteersSettings
from services.volunteers.state import VolunteersRuntime, VolunteersState
from services.volunteers.upkeep import run_upkeep
from shared.consumer import Subscription
from shared.contracts.profile import UserErased
from shared.service import ServiceDefinition, ServiceRuntime, create_service_app


def subscriptions(runtime: ServiceRuntime) -> dict[str, Subscription[Any]]:
    return {
        UserErased.topic: Subscription(UserErased, on_user_erased),
    }


async def load_references(runtime: VolunteersRuntime) -> None:
    """Load ROME, mobility links and communes (off the event loop: about half a second)."""
    runtime.state.reference = await asyncio.to_thread(load_reference, runtime.settings.data_dir)


async def document_refused(_: Request, error: Exception) -> JSONResponse:
    """Answer a refused upload with its own status (413, 415 or 422) and code."""
    assert isinstance(error, DocumentRefusedError)
    return JSONResponse({"code": error.code, "params": error.params}, status_code=error.status)


def create_app(settings: VolunteersSettings | None = None) -> FastAPI:
    """Return the volunteers service app."""
    app = create_service_app(
        ServiceDefinition(
            settings=settings or VolunteersSettings(),
            indexes=INDEXES,
            subscriptions=subscriptions,
            routers=[router],
            background=[run_upkeep],
            on_startup=load_references,
            title="volunteers service (internal API)",
            state=VolunteersState,
        )
    )
    app.add_exception_handler(DocumentRefusedError, document_refused)
    return app
