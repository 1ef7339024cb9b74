"""What each side of a match may see, as pure functions of the stored documents.

* A volunteer sees only what the job seeker chose to share, the reasons of the
  match and, once they accepted, the document to review. Never the job
  seeker's user id, and no contact details unless both sides accepted (the
  gateway then reads them from the profile service).
* A job seeker sees the volunteer's first name once the volunteer accepted,
  and the reasons; never the volunteer's user id.
* Once either side blocked (or reported) the other, neither is given the
  other's contact details, nor even the description of the other's documents
  (name, size), whatever the match's status: what ``documents.can_read`` refuses
  to open is not described either.
* An export gives the person their own data, with the other side's id removed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from services.volunteers.lifecycle import ENGAGED, MatchStatus, Role
from services.volunteers.reasons import both_languages
from services.volunteers.safety import pair_blocked
from shared.contracts.api.volunteers import (
    CodeLabel,
    ContactSharing,
    DocumentInfo,
    FeedbackView,
    HelpRequestView,
    MatchSummary,
    MessageView,
    ReasonView,
    SharedFacts,
    VolunteerMatchView,
)
from shared.reference.geo import GeoReference
from shared.reference.rome import RomeGroups

Doc = Mapping[str, Any]


@dataclass(frozen=True)
class Labels:
    """Labels of codes shown to people (job groups, communes)."""

    rome: RomeGroups
    geo: GeoReference

    def job_group(self, code: str | None) -> CodeLabel | None:
        if code is None:
            return None
        group = self.rome.job_groups.get(code)
        return CodeLabel(code=code, label=group.label if group else code)

    def city(self, code: str | None) -> CodeLabel | None:
        if code is None:
            return None
        commune = self.geo.communes.get(code)
        return CodeLabel(code=code, label=commune.name if commune else code)


def document_info(document: Doc | None) -> DocumentInfo | None:
    """Return a document's description (never its content)."""
    if document is None:
        return None
    return DocumentInfo(
        document_id=document["_id"],
        filename=document["filename"],
        content_type=document["content_type"],
        size=document["size"],
        uploaded_at=document["uploaded_at"],
        delete_after=document.get("delete_after"),
    )


def shared_facts(sharing: Doc | None, labels: Labels) -> SharedFacts:
    """Return what the job seeker shared, with labels."""
    if not sharing:
        return SharedFacts()
    return SharedFacts(
        first_name=sharing.get("first_name"),
        job_group=labels.job_group(sharing.get("rome_code")),
        city=labels.city(sharing.get("city_insee")),
        languages=list(sharing.get("languages", [])),
        meet_in_person=bool(sharing.get("meet_in_person")),
        remote_ok=bool(sharing.get("remote_ok")),
        availability=list(sharing.get("availability", [])),
        note=sharing.get("note"),
    )


def _reasons(match: Doc) -> list[ReasonView]:
    return [ReasonView(**both_languages(r["code"], r.get("params", {}))) for r in match.get("reasons", [])]


def _contact(match: Doc, role: Role) -> ContactSharing:
    consent = match.get("contact_consent") or {}
    other = Role.VOLUNTEER if role is Role.SEEKER else Role.SEEKER
    return ContactSharing(mine=bool(consent.get(role.value)), theirs=bool(consent.get(other.value)))


def _feedback(match: Doc, role: Role) -> tuple[FeedbackView | None, bool]:
    given = match.get("feedback") or {}
    mine = given.get(role.value)
    other = Role.VOLUNTEER if role is Role.SEEKER else Role.SEEKER
    return (FeedbackView(**mine) if mine else None), bool(given.get(other.value))


def contacts_shared(match: Doc) -> bool:
    """Return True when both sides accepted to share contact details."""
    consent = match.get("contact_consent") or {}
    return bool(consent.get(Role.SEEKER.value)) and bool(consent.get(Role.VOLUNTEER.value))


def contact_given(match: Doc, blocks: Iterable[Doc]) -> bool:
    """Return True when each side may be given the other's contact details.

    Both must have accepted, on an engaged match, and neither blocked the other
    (``blocks``: the blocks between the two sides).
    """
    return contacts_shared(match) and MatchStatus(match["status"]) in ENGAGED and not pair_blocked(match, blocks)


def volunteer_view(
    match: Doc, request: Doc | None, documents: Mapping[str, Doc], labels: Labels, *, blocked: bool = False
) -> VolunteerMatchView:
    """Return the match as its volunteer sees it (``blocked``: one side blocked the other)."""
    engaged = MatchStatus(match["status"]) in ENGAGED
    to_review = documents.get(request.get("document_id") or "") if request and engaged and not blocked else None
    mine, theirs = _feedback(match, Role.VOLUNTEER)
    return VolunteerMatchView(
        match_id=match["_id"],
        kind=match["kind"],
        status=match["status"],
        score=match.get("score", 0.0),
        proposed_at=match["proposed_at"],
        respond_by=match.get("respond_by"),
        answered_at=match.get("answered_at"),
        work_due_by=match.get("work_due_by"),
        scheduled_at=match.get("scheduled_at"),
        finish_by=match.get("finish_by"),
        completed_at=match.get("completed_at"),
        seeker=shared_facts(request.get("sharing") if request else None, labels),
        reasons=_reasons(match),
        document=document_info(to_review),
        review_document=document_info(documents.get(match.get("review_document_id") or "")),
        contact=_contact(match, Role.VOLUNTEER),
        my_feedback=mine,
        their_feedback_given=theirs,
    )


def match_summary(
    match: Doc, pledge: Doc | None, documents: Mapping[str, Doc], *, blocked: bool = False
) -> MatchSummary:
    """Return the match as its job seeker sees it (``blocked``: one side blocked the other)."""
    status = MatchStatus(match["status"])
    mine, theirs = _feedback(match, Role.SEEKER)
    return MatchSummary(
        match_id=match["_id"],
        status=status.value,
        proposed_at=match["proposed_at"],
        respond_by=match.get("respond_by"),
        answered_at=match.get("answered_at"),
        work_due_by=match.get("work_due_by"),
        scheduled_at=match.get("scheduled_at"),
        completed_at=match.get("completed_at"),
        volunteer_first_name=pledge.get("first_name") if pledge and status in ENGAGED else None,
        reasons=_reasons(match),
        review_document=document_info(documents.get(match.get("review_document_id") or ""))
        if status in ENGAGED and not blocked
        else None,
        contact=_contact(match, Role.SEEKER),
        my_feedback=mine,
        their_feedback_given=theirs,
    )


def request_view(
    request: Doc,
    match: Doc | None,
    pledge: Doc | None,
    documents: Mapping[str, Doc],
    labels: Labels,
    *,
    blocked: bool = False,
) -> HelpRequestView:
    """Return the request as its job seeker sees it (``blocked``: one side of its match blocked the other)."""
    suggested = request.get("suggested") or {}
    return HelpRequestView(
        request_id=request["_id"],
        kind=request["kind"],
        status=request["status"],
        origin=request["origin"],
        action_id=request.get("action_id"),
        created_at=request["created_at"],
        opened_at=request.get("opened_at"),
        suggested_rome_code=suggested.get("rome_code"),
        suggested_city_insee=suggested.get("city_insee"),
        sharing=shared_facts(request["sharing"], labels) if request.get("sharing") else None,
        document=document_info(documents.get(request.get("document_id") or "")),
        match=match_summary(match, pledge, documents, blocked=blocked) if match else None,
        volunteers_asked=request.get("volunteers_asked", 0),
    )


def message_view(message: Doc, reader: str) -> MessageView:
    """Return a relayed message as one side reads it."""
    return MessageView(
        message_id=message["_id"],
        from_me=message["sender"] == reader,
        body=message["body"],
        sent_at=message["sent_at"],
    )


def exported_match(match: Doc, role: Role) -> dict[str, Any]:
    """Return a match for the export of one side: the other side's id and feedback comment are removed."""
    other = Role.VOLUNTEER if role is Role.SEEKER else Role.SEEKER
    hidden = {"volunteer"} if role is Role.SEEKER else {"subject"}
    exported = {k: v for k, v in match.items() if k not in hidden}
    feedback = dict(exported.get("feedback") or {})
    if other.value in feedback:
        feedback[other.value] = {"given": True}
    exported["feedback"] = feedback
    return exported


def exported_messages(messages: Iterable[Doc], subject: str) -> list[dict[str, Any]]:
    """Return the messages the person sent or received, without the other side's id."""
    return [
        {
            "message_id": m["_id"],
            "match_id": m["match_id"],
            "from_me": m["sender"] == subject,
            "body": m["body"],
            "sent_at": m["sent_at"],
        }
        for m in messages
    ]
