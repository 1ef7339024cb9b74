"""Composition root of the advice service."""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from services.advice.catalogue import catalogue
from services.advice.handlers import on_diagnosis_ready, on_profile_updated, on_user_erased
from services.advice.render import Wording, load_labels
from services.advice.repository import INDEXES
from services.advice.routes import router
from services.advice.schedule import run_scheduler
from services.advice.settings import AdviceSettings
from services.advice.state import AdviceRuntime, AdviceState
from shared.consumer import Subscription
from shared.contracts.diagnostic import DiagnosisReady
from shared.contracts.profile import ProfileUpdated, UserErased
from shared.problems import FieldProblem
from shared.service import ServiceDefinition, create_service_app


def subscriptions(runtime: AdviceRuntime) -> dict[str, Subscription[Any]]:
    """Return the service's subscriptions, bound to its catalogue and reference labels."""
    wording = runtime.state.wording = Wording(catalogue(), load_labels(runtime.settings.data_dir))
    return {
        DiagnosisReady.topic: Subscription(DiagnosisReady, partial(on_diagnosis_ready, wording=wording)),
        ProfileUpdated.topic: Subscription(ProfileUpdated, partial(on_profile_updated, wording=wording)),
        UserErased.topic: Subscription(UserErased, on_user_erased),
    }


async def invalid_request(_: Request, error: Exception) -> JSONResponse:
    """Return malformed input as the shared problem shape: 422 naming each field and the reason."""
    assert isinstance(error, RequestValidationError)
    problems = [
        FieldProblem(
            field=".".join(str(p) for p in item.get("loc", ()) if p not in ("body", "query", "path")) or "body",
            code=item["type"],
            params={k: v for k, v in (item.get("ctx") or {}).items() if isinstance(v, (int, float, str))},
        )
        for item in error.errors()
    ]
    return JSONResponse({"errors": [p.model_dump() for p in problems]}, status_code=422)


def create_app(settings: AdviceSettings | None = None) -> FastAPI:
    """Return the advice service app; a broken content file stops it here, naming the file and entry."""
    catalogue()
    app = create_service_app(
        ServiceDefinition(
            settings=settings or AdviceSettings(),
            indexes=INDEXES,
            subscriptions=subscriptions,
            routers=[router],
            background=[run_scheduler],
            title="advice service (internal API)",
            state=AdviceState,
        )
    )
    app.add_exception_handler(RequestValidationError, invalid_request)
    return app
