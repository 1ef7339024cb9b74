"""Advice and the action plan: pure functions of the diagnosis, the pace and the date.

Foundation version: one action chosen from the main challenge. The advice
modules, strategies and pace scheduling arrive with the advice issue.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from shared.contracts.diagnostic import DiagnosisReadyData
from shared.contracts.vocabulary import HelpKind, MainChallenge


@dataclass(frozen=True)
class PlannedAction:
    action_id: str
    template_id: str
    advice_id: str | None
    title: str
    duration_minutes: int
    due_on: date
    needs_help: HelpKind | None


def action_id(subject: str, project_id: str, template_id: str) -> str:
    """Return a stable id, so replaying events plans the same actions."""
    return "a_" + hashlib.sha256(f"{subject}:{project_id}:{template_id}".encode()).hexdigest()[:16]


def plan_actions(subject: str, diagnosis: DiagnosisReadyData, today: date) -> list[PlannedAction]:
    """Return the actions to plan for a diagnosis."""
    if diagnosis.main_challenge is None:
        template, advice, title, help_kind = "complete-profile", None, "Compléter mon profil", None
    elif diagnosis.main_challenge is MainChallenge.BRAVO:
        template, advice, title, help_kind = "ask-cv-review", "improve-resume", "Faire relire mon CV", HelpKind.CV_REVIEW
    else:
        template, advice, title, help_kind = "first-step", None, "Faire un premier pas", None
    return [
        PlannedAction(
            action_id=action_id(subject, diagnosis.project_id, template),
            template_id=template,
            advice_id=advice,
            title=title,
            duration_minutes=30,
            due_on=today,
            needs_help=help_kind,
        )
    ]
