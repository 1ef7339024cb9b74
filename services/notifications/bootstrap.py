"""Composition root of the notifications service."""

from __future__ import annotations

import functools
from typing import Any

from fastapi import FastAPI

from services.notifications.catalogue import default_catalogue
from services.notifications.handlers import (
    on_action_due,
    on_advice_ready,
    on_diagnosis_ready,
    on_match_accepted,
    on_match_completed,
    on_match_proposed,
    on_profile_updated,
    on_user_erased,
)
from services.notifications.mailer import run_mailer
from services.notifications.planner import run_planner
from services.notifications.repository import INDEXES
from services.notifications.routes import router
from services.notifications.settings import NotificationsSettings
from services.notifications.state import NotificationsState
from shared.consumer import Subscription
from shared.contracts.advice import ActionDue, AdviceReady
from shared.contracts.diagnostic import DiagnosisReady
from shared.contracts.profile import ProfileUpdated, UserErased
from shared.contracts.volunteers import MatchAccepted, MatchCompleted, MatchProposed
from shared.service import ServiceDefinition, ServiceRuntime, create_service_app


def subscriptions(runtime: ServiceRuntime) -> dict[str, Subscription[Any]]:
    settings = runtime.settings
    assert isinstance(settings, NotificationsSettings)
    return {
        ProfileUpdated.topic: Subscription(ProfileUpdated, on_profile_updated),
        DiagnosisReady.topic: Subscription(DiagnosisReady, on_diagnosis_ready),
        AdviceReady.topic: Subscription(AdviceReady, on_advice_ready),
        ActionDue.topic: Subscription(ActionDue, functools.partial(on_action_due, delay_s=settings.digest_delay_s)),
        MatchProposed.topic: Subscription(MatchProposed, on_match_proposed),
        MatchAccepted.topic: Subscription(MatchAccepted, on_match_accepted),
        MatchCompleted.topic: Subscription(MatchCompleted, on_match_completed),
        UserErased.topic: Subscription(UserErased, on_user_erased),
    }


def create_app(settings: NotificationsSettings | None = None) -> FastAPI:
    """Return the notifications service app."""
    # Read and validate the campaigns now: a broken content file stops the start, not a send.
    default_catalogue()
    return create_service_app(
        ServiceDefinition(
            settings=settings or NotificationsSettings(),
            indexes=INDEXES,
            subscriptions=subscriptions,
            routers=[router],
            background=[run_mailer, run_planner],
            title="notifications service (internal API)",
            state=NotificationsState,
        )
    )
