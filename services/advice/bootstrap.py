"""Composition root of the advice service."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from services.advice.handlers import on_diagnosis_ready, on_user_erased
from services.advice.repository import INDEXES
from services.advice.routes import router
from services.advice.schedule import run_scheduler
from services.advice.settings import AdviceSettings
from shared.consumer import Subscription
from shared.contracts.diagnostic import DiagnosisReady
from shared.contracts.profile import UserErased
from shared.service import ServiceDefinition, ServiceRuntime, create_service_app


def subscriptions(runtime: ServiceRuntime) -> dict[str, Subscription[Any]]:
    return {
        DiagnosisReady.topic: Subscription(DiagnosisReady, on_diagnosis_ready),
        UserErased.topic: Subscription(UserErased, on_user_erased),
    }


def create_app(settings: AdviceSettings | None = None) -> FastAPI:
    """Return the advice service app."""
    return create_service_app(
        ServiceDefinition(
            settings=settings or AdviceSettings(),
            indexes=INDEXES,
            subscriptions=subscriptions,
            routers=[router],
            background=[run_scheduler],
            title="advice service (internal API)",
        )
    )
