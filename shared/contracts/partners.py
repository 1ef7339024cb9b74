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
    kind: Literal["diagnosis"] = Field("diagnosis", description='Always "diagnosis".', examples=["diagnosis"])
    main_challenge: MainChallenge | None = Field(description="The main challenge found.", examples=["stuck-market"])
    overall_score: int | None = Field(
        None,
        ge=0,
        le=100,
        description="Overall score 0-100 (higher is better); null while the main challenge is undecided.",
        examples=[40],
    )
    rome_code: str | None = Field(None, description="Target ROME job group.", examples=["K2204"])
    departement: str | None = Field(None, description="Département of the search.", examples=["69"])


class PartnerAdvice(Contract):
    kind: Literal["advice"] = Field("advice", description='Always "advice".', examples=["advice"])
    advice: list[str] = Field(
        default_factory=list, description="Advice ids, best first.", examples=[["network-application"]]
    )
    pace: str = Field(description="Actions a day the person chose.", examples=["ONE_TO_TWO"])


class PartnerActionDue(Contract):
    kind: Literal["action-due"] = Field("action-due", description='Always "action-due".', examples=["action-due"])
    template_id: str = Field(
        description="Action catalogue id of the action that became due.", examples=["ask-cv-review"]
    )
    needs_help: HelpKind | None = Field(
        None,
        description="The help a volunteer could give for this action; null when none is needed.",
        examples=["cv-review"],
    )


class PartnerMatch(Contract):
    kind: Literal["match"] = Field("match", description='Always "match".', examples=["match"])
    stage: Literal["proposed", "accepted", "completed"] = Field(
        description="Where the volunteer match stands: proposed, accepted by the volunteer, or help completed.",
        examples=["proposed"],
    )
    help_kind: HelpKind = Field(description="The help the volunteer gives.", examples=["cv-review"])


class PartnerMessage(Contract):
    kind: Literal["message"] = Field("message", description='Always "message".', examples=["message"])
    campaign_id: str = Field(description="Id of the email campaign the message belongs to.", examples=["focus-network"])
    status: str = Field(
        description="What became of the message: sent, failed (given up after retries) or skipped.", examples=["sent"]
    )


PartnerData = Annotated[
    PartnerDiagnosis | PartnerAdvice | PartnerActionDue | PartnerMatch | PartnerMessage,
    Field(discriminator="kind"),
]


class PartnerEventPublished(Event):
    """Something happened for a person who consented to partner events (as seen by one partner)."""

    topic = PARTNER_TOPIC_PREFIX + "{partner}"
    event_type: Literal["partner-event"] = Field(
        "partner-event", description='Always "partner-event".', examples=["partner-event"]
    )
    producer: str = Field("partners", description='Always "partners", the publishing service.', examples=["partners"])
    partner_id: str = Field(description="The partner this copy is for.", examples=["example-partner"])
    source_event_type: str = Field(description="The internal event this one reflects.", examples=["diagnosis-ready"])
    data: PartnerData = Field(
        description="What partners may see of the internal event; its kind says which shape it has.",
        examples=[{"kind": "diagnosis", "main_challenge": "stuck-market", "overall_score": 40, "rome_code": "K2204"}],
    )

    def destination(self) -> str:
        """Return the partner's own topic."""
        return partner_topic(self.partner_id)
