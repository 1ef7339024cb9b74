"""Where the volunteers service keeps help requests, volunteers and matches."""

from __future__ import annotations

from shared.store import Index

REQUESTS = "help_requests"
INDEXES = (Index(REQUESTS, ("subject",)), Index(REQUESTS, ("status",)))
