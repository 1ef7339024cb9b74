"""Events published by the notifications service."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from shared.envelope import Contract, Event


class MessageSentData(Contract):
    message_id: str = Field(description="Id of the message in the message log.", examples=["m_41ac"])
    campaign_id: str = Field(
        description="Id of the email campaign (template) the message belongs to.", examples=["welcome"]
    )
    channel: Literal["email"] = Field("email", description='Always "email" for now.', examples=["email"])
    status: Literal["sent", "failed", "skipped"] = Field(
        description="sent: handed to the mail server; failed: given up after retries; skipped: deliberately not sent.",
        examples=["sent"],
    )
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
    event_type: Literal["message-sent"] = Field(
        "message-sent", description='Always "message-sent".', examples=["message-sent"]
    )
    producer: str = Field(
        "notifications", description='Always "notifications", the publishing service.', examples=["notifications"]
    )
    data: MessageSentData = Field(description="Which message, through which channel, and what became of it.")
