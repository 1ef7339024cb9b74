"""Composition root of the profile service."""

from __future__ import annotations

import asyncio

from fastapi import FastAPI

from services.profile.repository import INDEXES
from services.profile.retention import run_retention
from services.profile.routes import accounts, consents, counsellors, privacy, profiles
from services.profile.settings import ProfileSettings
from services.profile.state import ProfileRuntime, ProfileState
from shared.reference.geo import load_geo
from shared.reference.rome import load_rome
from shared.service import ServiceDefinition, create_service_app


async def load_reference(runtime: ProfileRuntime) -> None:
    """Load the ROME and geography used to check codes (once, at start)."""
    data_dir = runtime.settings.data_dir
    runtime.state.rome, runtime.state.geo = await asyncio.gather(
        asyncio.to_thread(load_rome, data_dir), asyncio.to_thread(load_geo, data_dir)
    )


def create_app(settings: ProfileSettings | None = None) -> FastAPI:
    """Return the profile service app."""
    return create_service_app(
        ServiceDefinition(
            settings=settings or ProfileSettings(),
            indexes=INDEXES,
            routers=[accounts.router, profiles.router, consents.router, counsellors.router, privacy.router],
            on_startup=load_reference,
            state=ProfileState,
            background=[run_retention],
            title="profile service (internal API)",
        )
    )
