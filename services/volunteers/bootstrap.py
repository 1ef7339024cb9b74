"""Composition root of the volunteers service."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from services.volunteers.handlers import on_action_due, on_user_erased
from services.volunteers.repository import INDEXES
from services.volunteers.routes import router
from services.volunteers.settings import VolunteersSettings
from shared.consumer import Subscription
from shared.contracts.advice import ActionDue
from shared.contracts.profile import UserErased
from shared.service import ServiceDefinition, ServiceRuntime, create_service_app


def subscriptions(runtime: ServiceRuntime) -> dict[str, Subscription[Any]]:
    return {
        ActionDue.topic: Subscription(ActionDue, on_action_due),
        UserErased.topic: Subscription(UserErased, on_user_erased),
    }


def create_app(settings: VolunteersSettings | None = None) -> FastAPI:
    """Return the volunteers service app."""
    return create_service_app(
        ServiceDefinition(
            settings=settings or VolunteersSettings(),
            indexes=INDEXES,
            subscriptions=subscriptions,
            routers=[router],
            title="volunteers service (internal API)",
        )
    )
