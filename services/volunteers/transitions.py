"""What follows a change of a match's status, in the same unit of work: the request, the events, the documents."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from services.volunteers.help_requests import after_match_change
from services.volunteers.lifecycle import LIVE, MatchStatus, parse
from services.volunteers.repository import DOCUMENTS, MATCHES, REQUESTS, delete_documents
from shared.contracts.vocabulary import Help
from shared.contracts.volunteers import MatchAccepted, MatchCompleted, MatchData
from shared.problems import ConflictError
from shared.store import Collection
from shared.unit_of_work import UnitOfWork


class Collections(Protocol):
    """A store or a unit of work: anything that hands out collections."""

    def collection(self, name: str) -> Collection: ...


def match_data(match: Mapping[str, Any]) -> MatchData:
    """Return the facts of a match that events carry: ids and kind, never a name or a text."""
    return MatchData(
        match_id=match["_id"],
        request_id=match["request_id"],
        kind=Help(match["kind"]).published_kind,
        help=Help(match["kind"]),
        volunteer_subject=match["volunteer"],
        respond_by=parse(match.get("respond_by")),
        reason_codes=[r["code"] for r in match.get("reasons", [])],
    )


async def apply_transition(uow: UnitOfWork, match: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """Write the match's changes if it did not change meanwhile, with what follows; return the match as written."""
    matches = uow.collection(MATCHES)
    if changes and not await matches.update({"_id": match["_id"], "status": match["status"]}, set=changes):
        raise ConflictError("match_changed")
    updated = await matches.get(match["_id"])
    assert updated is not None
    before, after = MatchStatus(match["status"]), MatchStatus(updated["status"])
    if before is after:
        return updated
    requests = uow.collection(REQUESTS)
    request = await requests.get(match["request_id"])
    if request is not None and request.get("current_match_id") == match["_id"]:
        await requests.update({"_id": request["_id"]}, set=after_match_change(after, now=uow.now))
    documents = uow.collection(DOCUMENTS)
    if after is MatchStatus.ACCEPTED:
        uow.publish(MatchAccepted(subject=updated["subject"], data=match_data(updated)))
    elif after is MatchStatus.COMPLETED:
        uow.publish(MatchCompleted(subject=updated["subject"], data=match_data(updated)))
        keep_until = updated["documents_delete_after"]
        await documents.update({"request_id": updated["request_id"]}, set={"delete_after": keep_until})
        await documents.update({"match_id": updated["_id"]}, set={"delete_after": keep_until})
    elif after not in LIVE:
        # Ended without the help: a partial review of this match goes with it.
        await delete_documents(uow, {"match_id": updated["_id"]})
    return updated
