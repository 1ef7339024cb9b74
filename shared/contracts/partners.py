"""Events published for partners: pseudonymous, consented, and limited to the fields partners may see.

Each partner reads its own topic ``partner.<partner id>``. The subject of a
partner event is a per-partner pseudonym (an HMAC of the person's id with the
partner's key): two partners cannot join their data, and none can find the
person. Nothing is published for a person who has not consented to partner
events, or after they withdraw.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from shared.contracts.vocabulary import HelpKind, MainChallenge
from shared.envelope import Contract, Event

PARTNER_TOPIC_PREFIX = "partner."


def partner_topic(partner_id: str) -> str:
    """Return the topic a partner subscribes to."""
    return PARTNER_TOPIC_PREFIX + partner_id


class PartnerDiagnosis(Contract):
    kind: Literal["diagnosis"] = "diagnosis"
    main_challenge: MainChallenge | None = Field(description="The main challenge found.", examples=["stuck-market"])
    overall_score: int | None = Field(None, ge=0, le=100, examples=[40])
    rome_code: str | None = Field(None, description="Target ROME job group.", examples=["K2204"])
    departement: str | None = Field(None, description="Département of the search.", examples=["69"])


class PartnerAdvice(Contract):
    kind: Literal["advice"] = "advice"
    advice: list[str] = Field(
        default_factory=list, description="Advice ids, best first.", examples=[["network-application"]]
    )
    pace: str = Field(description="Actions a day the person chose.", examples=["ONE_TO_TWO"])


class PartnerActionDue(Contract):
    kind: Literal["action-due"] = "action-due"
    template_id: str = Field(examples=["ask-cv-review"])
    needs_help: HelpKind | None = None


class PartnerMatch(Contract):
    kind: Literal["match"] = "match"
    stage: Literal["proposed", "accepted", "completed"] = Field(examples=["proposed"])
    help_kind: HelpKind = Field(examples=["cv-review"])


class PartnerMessage(Contract):
    kind: Literal["message"] = "message"
    campaign_id: str = Field(examples=["focus-network"])
    status: str = Field(examples=["sent"])


PartnerData = Annotated[
    PartnerDiagnosis | PartnerAdvice | PartnerActionDue | PartnerMatch | PartnerMessage,
    Field(discriminator="kind"),
]


class PartnerEventPublished(Event):
    """Something happened for a person who consented to partner events (as seen by one partner)."""

    topic = PARTNER_TOPIC_PREFIX + "{partner}"
    event_type: Literal["partner-event"] = "partner-event"
    producer: str = "partners"
    partner_id: str = Field(description="The partner this copy is for.", examples=["example-partner"])
    source_event_type: str = Field(description="The internal event this one reflects.", examples=["diagnosis-ready"])
    data: PartnerData

    def destination(self) -> str:
        """Return the partner's own topic."""
        return partner_topic(self.partner_id)
