"""The composition root: the advice service consumes what it must and loads its content at start-up."""

from __future__ import annotations

from pathlib import Path

from services.advice.bootstrap import create_app, subscriptions
from services.advice.render import Wording
from tests.unit.advice.support import Clock, make_runtime
from tests.unit.advice.test_handlers import MORNING


async def test_subscriptions_cover_diagnoses_profiles_and_erasures(tmp_path: Path) -> None:
    runtime = await make_runtime(tmp_path / "advice.sqlite3", Clock(MORNING))
    found = subscriptions(runtime)
    assert set(found) == {"diagnosis-ready", "profile-updated", "user-erased"}
    assert isinstance(runtime.state.wording, Wording)
    assert runtime.state.wording.labels.departement("69") == "Rhône"  # the reference data is read


def test_the_app_exposes_the_internal_api() -> None:
    paths = set(create_app().openapi()["paths"])
    assert {
        "/internal/advice/{subject}",
        "/internal/plans/{subject}",
        "/internal/plans/{subject}/actions/{action_id}",
        "/internal/plans/{subject}/actions",
        "/internal/plans/{subject}/days-off",
        "/internal/users/{subject}/export",
    } <= paths
