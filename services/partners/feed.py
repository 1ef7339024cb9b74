"""The partner view of an event (pure): a per-partner pseudonym and only the fields partners may see."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

from shared.contracts.advice import ActionDue, AdviceReady
from shared.contracts.diagnostic import DiagnosisReady
from shared.contracts.notifications import MessageSent
from shared.contracts.partners import (
    PartnerActionDue,
    PartnerAdvice,
    PartnerData,
    PartnerDiagnosis,
    PartnerEventPublished,
    PartnerMatch,
    PartnerMessage,
)
from shared.contracts.volunteers import MatchAccepted, MatchCompleted, MatchProposed
from shared.envelope import Event

SHARED_EVENTS = (DiagnosisReady, AdviceReady, ActionDue, MatchProposed, MatchAccepted, MatchCompleted, MessageSent)
_STAGES = {MatchProposed: "proposed", MatchAccepted: "accepted", MatchCompleted: "completed"}


def pseudonym(partner_key: str, subject: str) -> str:
    """Return the person's pseudonym for one partner (stable for that partner, unlinkable across partners)."""
    return "p_" + hmac.new(partner_key.encode(), subject.encode(), hashlib.sha256).hexdigest()[:32]


def partner_data(event: Event) -> PartnerData | None:
    """Return what partners may see of an event, or None when they see nothing of it."""
    if isinstance(event, DiagnosisReady):
        basis = next((p for p in event.data.basis.projects if p.project_id == event.data.project_id), None)
        return PartnerDiagnosis(
            main_challenge=event.data.main_challenge,
            overall_score=event.data.overall_score,
            rome_code=basis.rome_code if basis else None,
            departement=basis.departement if basis else None,
        )
    if isinstance(event, AdviceReady):
        return PartnerAdvice(advice=[a.advice_id for a in event.data.advice], pace=event.data.pace.value)
    if isinstance(event, ActionDue):
        return PartnerActionDue(template_id=event.data.template_id, needs_help=event.data.needs_help)
    if isinstance(event, (MatchProposed, MatchAccepted, MatchCompleted)):
        return PartnerMatch(stage=_STAGES[type(event)], help_kind=event.data.kind)
    if isinstance(event, MessageSent):
        return PartnerMessage(campaign_id=event.data.campaign_id, status=event.data.status)
    return None


def partner_events(event: Event, keys: Mapping[str, str]) -> list[PartnerEventPublished]:
    """Return one partner event per partner for a shared event (empty for events partners do not see)."""
    data = partner_data(event)
    if data is None:
        return []
    return [
        PartnerEventPublished(
            subject=pseudonym(key, event.subject),
            partner_id=partner_id,
            source_event_type=event.event_type,
            occurred_at=event.occurred_at,
            data=data,
        )
        for partner_id, key in sorted(keys.items())
    ]
