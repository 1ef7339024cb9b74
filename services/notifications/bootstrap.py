"""Composition root of the notifications service."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from services.notifications.handlers import on_diagnosis_ready, on_user_erased
from services.notifications.mailer import run_mailer
from services.notifications.repository import INDEXES
from services.notifications.settings import NotificationsSettings
from shared.consumer import Subscription
from shared.contracts.diagnostic import DiagnosisReady
from shared.contracts.profile import UserErased
from shared.service import ServiceDefinition, ServiceRuntime, create_service_app


def subscriptions(runtime: ServiceRuntime) -> dict[str, Subscription[Any]]:
    return {
        DiagnosisReady.topic: Subscription(DiagnosisReady, on_diagnosis_ready),
        UserErased.topic: Subscription(UserErased, on_user_erased),
    }


def create_app(settings: NotificationsSettings | None = None) -> FastAPI:
    """Return the notifications service app."""
    return create_service_app(
        ServiceDefinition(
            settings=settings or NotificationsSettings(),
            indexes=INDEXES,
            subscriptions=subscriptions,
            background=[run_mailer],
            title="notifications service (internal API)",
        )
    )
