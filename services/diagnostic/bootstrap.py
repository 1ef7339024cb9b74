"""Composition root of the diagnostic service."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from services.diagnostic.handlers import on_profile_updated, on_user_erased
from services.diagnostic.repository import INDEXES
from services.diagnostic.routes import router
from services.diagnostic.settings import DiagnosticSettings
from shared.consumer import Subscription
from shared.contracts.profile import ProfileUpdated, UserErased
from shared.service import ServiceDefinition, ServiceRuntime, create_service_app


def subscriptions(runtime: ServiceRuntime) -> dict[str, Subscription[Any]]:
    return {
        ProfileUpdated.topic: Subscription(ProfileUpdated, on_profile_updated),
        UserErased.topic: Subscription(UserErased, on_user_erased),
    }


def create_app(settings: DiagnosticSettings | None = None) -> FastAPI:
    """Return the diagnostic service app."""
    return create_service_app(
        ServiceDefinition(
            settings=settings or DiagnosticSettings(),
            indexes=INDEXES,
            subscriptions=subscriptions,
            routers=[router],
            title="diagnostic service (internal API)",
        )
    )
