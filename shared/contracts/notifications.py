"""Events published by the notifications service."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from shared.envelope import Contract, Event


class MessageSentData(Contract):
    message_id: str = Field(description="Id of the message in the message log.", examples=["m_41ac"])
    campaign_id: str = Field(examples=["welcome"])
    channel: Literal["email"] = "email"
    status: Literal["sent", "failed", "skipped"] = Field(examples=["sent"])
    reason: str | None = Field(
        None,
        description=(
            "Why a message failed or was skipped, as a code: hard-bounce, gave-up, interrupted, render-error, "
            "unsubscribed, consent-withdrawn, frequency-none, paused, bounced, no-address, not-a-job-seeker, "
            "nothing-due, unknown-campaign. Null when sent."
        ),
        examples=[None, "hard-bounce"],
    )


class MessageSent(Event):
    """A message to a person left (or was given up after retries)."""

    topic = "message-sent"
    event_type: Literal["message-sent"] = "message-sent"
    producer: str = "notifications"
    data: MessageSentData
