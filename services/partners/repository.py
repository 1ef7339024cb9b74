"""What the partners feed keeps: each person's latest partner-events consent (pseudonymous id and a flag)."""

from __future__ import annotations

from shared.personal_data import PersonalCollection

CONSENTS = "partner_consents"
PERSONAL_DATA = (
    PersonalCollection(CONSENTS, ("_id",), "publish partner events only for people who consented", "until erasure"),
)
