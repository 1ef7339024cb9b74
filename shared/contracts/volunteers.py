"""Events published by the volunteers service. ``subject`` is the job seeker."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from shared.contracts.vocabulary import Help, HelpKind
from shared.envelope import Contract, Event


class MatchData(Contract):
    match_id: str = Field(description="Id of the match between the job seeker and the volunteer.", examples=["mt_71e2"])
    request_id: str = Field(description="Id of the job seeker's help request the match answers.", examples=["rq_09af"])
    kind: HelpKind = Field(
        description="The help asked for: CV review, cover letter review or coffee chat; a mock interview, "
        "a meeting too, is published as coffee-chat here and as itself in `help`.",
        examples=["cv-review"],
    )
    help: Help | None = Field(
        None,
        description="The help asked for, mock interviews included (events published before this field have none).",
        examples=["mock-interview"],
    )
    volunteer_subject: str = Field(description="Pseudonymous id of the volunteer.", examples=["u_1a2b3c4d5e6f7a8b"])
    respond_by: datetime | None = Field(
        None,
        description="When the proposal expires without an answer (UTC, ISO 8601); null when no deadline is set.",
        examples=["2026-11-25T09:30:00Z"],
    )
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
    event_type: Literal["match-proposed"] = Field(
        "match-proposed", description='Always "match-proposed".', examples=["match-proposed"]
    )
    producer: str = Field(
        "volunteers", description='Always "volunteers", the publishing service.', examples=["volunteers"]
    )
    data: MatchData = Field(description="The proposed match: who may help, with what, why, and until when to answer.")


class MatchAccepted(Event):
    """The volunteer accepted to help."""

    topic = "match-accepted"
    event_type: Literal["match-accepted"] = Field(
        "match-accepted", description='Always "match-accepted".', examples=["match-accepted"]
    )
    producer: str = Field(
        "volunteers", description='Always "volunteers", the publishing service.', examples=["volunteers"]
    )
    data: MatchData = Field(description="The accepted match: who helps, with what, and why they were matched.")


class MatchCompleted(Event):
    """The help took place (review returned or coffee held)."""

    topic = "match-completed"
    event_type: Literal["match-completed"] = Field(
        "match-completed", description='Always "match-completed".', examples=["match-completed"]
    )
    producer: str = Field(
        "volunteers", description='Always "volunteers", the publishing service.', examples=["volunteers"]
    )
    data: MatchData = Field(description="The completed match: who helped, with what, and why they were matched.")
