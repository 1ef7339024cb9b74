"""The export of a person's data (right of access): everything the service holds about them, by collection.

As job seeker and as volunteer alike. Each document is shown as this person
may see it: the other side's id is never in it (see ``disclosure``), nor the
other side's comments.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from services.volunteers.disclosure import exported_match, exported_messages
from services.volunteers.lifecycle import Role, role_of
from services.volunteers.privacy import PERSONAL_DATA
from services.volunteers.repository import (
    BLOCKS,
    DOCUMENT_CONTENTS,
    MATCHES,
    MESSAGES,
    REPORTS,
)
from services.volunteers.transitions import Collections


def _presented(collection: str, doc: Mapping[str, Any], subject: str) -> dict[str, Any]:
    """Return one stored document as the person may see it."""
    if collection == MATCHES:
        role = role_of(doc, subject) or Role.SEEKER
        return {**exported_match(doc, role), "my_role": role.value}
    if collection == MESSAGES:
        return exported_messages([doc], subject)[0]
    if collection == BLOCKS:
        return {"match_id": doc.get("match_id"), "at": doc["at"], "by_me": doc["blocker"] == subject}
    if collection == REPORTS:
        mine = doc["reporter"] == subject
        shown = {"match_id": doc["match_id"], "reason": doc["reason"], "at": doc["at"], "by_me": mine}
        return {**shown, "comment": doc.get("comment")} if mine else shown
    if collection == DOCUMENT_CONTENTS:
        return {"document_id": doc["_id"], "content_b64": doc["content_b64"]}
    return dict(doc)


async def export_subject(source: Collections, subject: str) -> dict[str, Any]:
    """Return everything the service holds about the person, by collection."""
    archive: dict[str, Any] = {"subject": subject}
    for entry in PERSONAL_DATA:
        found: dict[str, dict[str, Any]] = {}
        for key in entry.keys:
            for doc in await source.collection(entry.collection).find({key: subject}):
                found[doc["_id"]] = doc
        archive[entry.collection] = [_presented(entry.collection, doc, subject) for doc in found.values()]
    return archive
