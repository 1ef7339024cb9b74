"""Events published by the volunteers service. ``subject`` is the job seeker."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from shared.contracts.vocabulary import HelpKind
from shared.envelope import Contract, Event


class MatchData(Contract):
    match_id: str = Field(examples=["mt_71e2"])
    request_id: str = Field(examples=["rq_09af"])
    kind: HelpKind = Field(examples=["cv-review"])
    volunteer_subject: str = Field(description="Pseudonymous id of the volunteer.", examples=["u_1a2b3c4d5e6f7a8b"])
    respond_by: datetime | None = Field(None, description="When the proposal expires without an answer.")
    reason_codes: list[str] = Field(
        default_factory=list,
        description=(
            "Why this volunteer, as codes (e.g. trade-same-job-group, place-in-person, capacity); "
            "the texts in French and English are in the volunteers API. Never free text."
        ),
        examples=[["trade-same-job-group", "place-remote-review", "language", "capacity", "waiting-new"]],
    )


class MatchProposed(Event):
    """A volunteer was proposed to help a job seeker."""

    topic = "match-proposed"
    event_type: Literal["match-proposed"] = "match-proposed"
    producer: str = "volunteers"
    data: MatchData


class MatchAccepted(Event):
    """The volunteer accepted to help."""

    topic = "match-accepted"
    event_type: Literal["match-accepted"] = "match-accepted"
    producer: str = "volunteers"
    data: MatchData


class MatchCompleted(Event):
    """The help took place (review returned or coffee held)."""

    topic = "match-completed"
    event_type: Literal["match-completed"] = "match-completed"
    producer: str = "volunteers"
    data: MatchData
