"""Composition root of the partners feed: consented, pseudonymous copies of events for partners."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from services.partners.feed import SHARED_EVENTS
from services.partners.handlers import on_profile_updated, on_shared_event, on_user_erased
from services.partners.routes import router
from services.partners.settings import PartnersSettings
from shared.consumer import Subscription
from shared.contracts.profile import ProfileUpdated, UserErased
from shared.service import ServiceDefinition, ServiceRuntime, create_service_app


def subscriptions(runtime: ServiceRuntime) -> dict[str, Subscription[Any]]:
    settings = runtime.settings
    assert isinstance(settings, PartnersSettings)
    republish = on_shared_event({partner: key.get_secret_value() for partner, key in settings.keys.items()})
    return {
        ProfileUpdated.topic: Subscription(ProfileUpdated, on_profile_updated),
        UserErased.topic: Subscription(UserErased, on_user_erased),
        **{event.topic: Subscription(event, republish) for event in SHARED_EVENTS},
    }


def create_app(settings: PartnersSettings | None = None) -> FastAPI:
    """Return the partners feed app."""
    return create_service_app(
        ServiceDefinition(
            settings=settings or PartnersSettings(),
            subscriptions=subscriptions,
            routers=[router],
            title="partners feed (internal API)",
        )
    )
