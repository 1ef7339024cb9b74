"""What a person shares with a counsellor who follows them, as the profile service answers it to the gateway.

The person chooses, per counsellor, which parts of their follow-up the counsellor reads (``SharedItem``):
the choice is made with the invitation, can be changed at any time, is recorded in the consent ledger,
and is enforced by the services — a part not shared is never read for the counsellor, not merely hidden.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.vocabulary import Frustration, Gender


class SharedItem(StrEnum):
    """A part of the follow-up a person may share with a counsellor (besides first name and projects)."""

    DIAGNOSIS = "diagnosis"  # the priority, the score and the challenges of each project
    PLAN_PROGRESS = "plan-progress"  # how many actions were done, are due, were set aside
    FRUSTRATIONS = "frustrations"  # what the person finds hardest: morale, confidence, fears of discrimination


# What an invitation shares when the person did not choose (older invitations, clients that do not ask):
# the diagnosis and the progress, which is what following someone needs; never their frustrations.
DEFAULT_SHARED: tuple[SharedItem, ...] = (SharedItem.DIAGNOSIS, SharedItem.PLAN_PROGRESS)
# Health data never reaches a counsellor through the "frustrations" item (the deprecated answer that
# named a disability): the diagnosis is where a person's situation is taken into account.
NEVER_SHARED_FRUSTRATIONS = frozenset({Frustration.HANDICAPED})

SharedItems = list[SharedItem]


def shared_items(items: Any) -> SharedItems:
    """Return the items of a stored link or invitation, in their canonical order (the default when absent)."""
    chosen = set(DEFAULT_SHARED if items is None else items)
    return [item for item in SharedItem if item in chosen]


class SharingChoice(BaseModel):
    """What the person shares with one counsellor (the rest stays private)."""

    model_config = ConfigDict(extra="forbid")

    shared: SharedItems = Field(
        max_length=len(SharedItem),
        description="diagnosis: the priority, score and challenges; plan-progress: actions done, due and set "
        "aside; frustrations: what the person finds hardest. First name and projects are always shown.",
        examples=[["diagnosis", "plan-progress"]],
    )


class CounsellorLink(BaseModel):
    """A counsellor who follows a person, from either side."""

    user_id: str
    counsellor_id: str
    first_name: str | None = Field(None, description="The other side's first name.")
    since: str
    shared: SharedItems = Field(default_factory=lambda: list(DEFAULT_SHARED), description="What the person shares.")


class PersonSummary(BaseModel):
    """What a consenting person lets a counsellor read from their profile."""

    user_id: str
    first_name: str | None
    registered_at: str
    projects: list[dict[str, Any]]
    action_pace: str | None
    missing_fields: list[str]
    gender: Gender = Field(
        Gender.UNKNOWN,
        description="Only to write about the person in the third person (« elle », « il »); "
        "a custom gender is UNKNOWN here (both forms are written) and its label is never shared.",
    )
    shared: SharedItems = Field(default_factory=list, description="What the person shares with this counsellor.")
    frustrations: list[Frustration] | None = Field(
        None, description="What the person finds hardest; null unless they share « frustrations »."
    )


class SharingEnded(BaseModel):
    """The parameters of a 410 ``sharing_ended``: the person stopped sharing with this counsellor."""

    ended_at: str = Field(description="When the person ended the sharing.", examples=["2026-11-20T09:30:00Z"])
