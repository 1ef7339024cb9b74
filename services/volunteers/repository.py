"""Where the volunteers service keeps pledges, help requests, matches, documents, messages, blocks and reports.

Every collection is keyed so that one person's data is found by an index:
``subject`` (job seeker), ``volunteer`` / the pledge's ``_id`` (volunteer),
``owner`` (documents), ``sender`` / ``recipient`` (messages). The files of
documents for review live in their own collection, base64-encoded, apart from
their metadata, so that listing requests never loads a file.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any, Protocol

from services.volunteers.safety import pair_blocked
from shared.store import Collection, Filter, Index

PLEDGES = "pledges"
REQUESTS = "help_requests"
MATCHES = "matches"
DOCUMENTS = "documents"  # metadata, read to show and to check access
DOCUMENT_CONTENTS = "document_contents"  # the files, read only to download
MESSAGES = "relayed_messages"
BLOCKS = "blocks"
REPORTS = "reports"

INDEXES = (
    Index(PLEDGES, ("status",)),
    Index(REQUESTS, ("subject",)),
    Index(REQUESTS, ("status", "opened_at")),
    Index(MATCHES, ("subject",)),
    Index(MATCHES, ("volunteer",)),
    Index(MATCHES, ("request_id",)),
    Index(MATCHES, ("month",)),
    Index(MATCHES, ("status", "respond_by")),
    Index(MATCHES, ("status", "work_due_by")),
    Index(MATCHES, ("status", "finish_by")),
    Index(DOCUMENTS, ("owner",)),
    Index(DOCUMENTS, ("request_id",)),
    Index(DOCUMENTS, ("match_id",)),
    Index(DOCUMENTS, ("delete_after",)),
    Index(DOCUMENT_CONTENTS, ("owner",)),
    Index(MESSAGES, ("match_id", "sent_at")),
    Index(MESSAGES, ("sender",)),
    Index(MESSAGES, ("recipient",)),
    Index(BLOCKS, ("blocker",)),
    Index(BLOCKS, ("blocked",)),
    Index(REPORTS, ("reporter",)),
    Index(REPORTS, ("reported",)),
)


def new_id(prefix: str) -> str:
    """Return a random id with a readable prefix (rq_, mt_, doc_, msg_, rp_)."""
    return f"{prefix}_{secrets.token_hex(8)}"


def block_id(blocker: str, blocked: str) -> str:
    """Return the id of a block, so that blocking twice is one block."""
    return f"{blocker}>{blocked}"


def pair_block_ids(first: str, second: str) -> list[str]:
    """Return the ids of the blocks that could stand between two people, one per direction."""
    return [block_id(first, second), block_id(second, first)]


async def by_ids(collection: Collection, ids: Iterable[str | None]) -> dict[str, dict[str, Any]]:
    """Return the documents with these ids (missing ones are left out)."""
    wanted = sorted({i for i in ids if i})
    if not wanted:
        return {}
    return {doc["_id"]: doc for doc in await collection.find({"_id": {"$in": wanted}})}


class _Collections(Protocol):
    def collection(self, name: str) -> Collection: ...


async def blocked_matches(source: _Collections, matches: Iterable[dict[str, Any]]) -> set[str]:
    """Return the ids of the matches whose two sides are cut off: one blocked (or reported) the other."""
    matches = list(matches)
    # One query for every pair on the page, then the same rule as for a single pair.
    found = await by_ids(
        source.collection(BLOCKS), [i for m in matches for i in pair_block_ids(m["subject"], m["volunteer"])]
    )
    blocks = list(found.values())
    return {m["_id"] for m in matches if pair_blocked(m, blocks)}


async def delete_documents(source: _Collections, where: Filter) -> int:
    """Delete the matching documents, metadata and files; return how many."""
    found = await source.collection(DOCUMENTS).find(where)
    if not found:
        return 0
    ids = [doc["_id"] for doc in found]
    await source.collection(DOCUMENT_CONTENTS).delete({"_id": {"$in": ids}})
    return await source.collection(DOCUMENTS).delete({"_id": {"$in": ids}})
