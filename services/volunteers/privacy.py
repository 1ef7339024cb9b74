"""Every collection of the service that holds data about a person, and the fields that name them.

The export and the erasure cover exactly these (a test checks it). Erasure runs in this order: the
matches first, while the requests and documents they point to are still there.
"""

from __future__ import annotations

from services.volunteers.erasure import forget_documents, forget_matches
from services.volunteers.repository import (
    BLOCKS,
    DOCUMENT_CONTENTS,
    DOCUMENTS,
    MATCHES,
    MESSAGES,
    PLEDGES,
    REPORTS,
    REQUESTS,
)
from shared.personal_data import PersonalCollection

PERSONAL_DATA = (
    PersonalCollection(
        MATCHES,
        ("subject", "volunteer"),
        "who helps whom, its steps and the feedback of both sides",
        "until erasure; completed ones are kept without the erased side, for the counters",
        erase=forget_matches,
    ),
    PersonalCollection(PLEDGES, ("_id",), "what the volunteer pledges, to match them", "until erasure"),
    PersonalCollection(REQUESTS, ("subject",), "help requests and what the job seeker chose to share", "until erasure"),
    PersonalCollection(
        DOCUMENTS,
        ("owner",),
        "documents for review (description)",
        "30 days after the help",
        erase=forget_documents,
    ),
    PersonalCollection(DOCUMENT_CONTENTS, ("owner",), "documents for review (files)", "30 days after the help"),
    PersonalCollection(MESSAGES, ("sender", "recipient"), "messages relayed between the two sides", "until erasure"),
    PersonalCollection(BLOCKS, ("blocker", "blocked"), "who blocked whom, never to match them again", "until erasure"),
    PersonalCollection(REPORTS, ("reporter", "reported"), "reports for moderation", "until erasure"),
)
