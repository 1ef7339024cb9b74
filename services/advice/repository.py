"""Where the advice service keeps plans and the action schedule."""

from __future__ import annotations

from shared.store import Index

PLANS = "plans"
ACTIONS = "actions"
INDEXES = (
    Index(PLANS, ("subject",)),
    Index(ACTIONS, ("subject",)),
    Index(ACTIONS, ("emitted", "due_on")),
)


def plan_id(subject: str, project_id: str) -> str:
    """Return the id of the current plan of a person's project."""
    return f"{subject}:{project_id}"
