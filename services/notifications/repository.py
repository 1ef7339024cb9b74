"""Where the notifications service keeps its message log (one document per message, keyed by its dedupe key)."""

from __future__ import annotations

from shared.store import Index

MESSAGES = "messages"
INDEXES = (
    Index(MESSAGES, ("subject",)),
    Index(MESSAGES, ("status", "send_after")),
)
