"""What the profile service holds about a person: the registry behind export and erasure."""

from __future__ import annotations

from services.profile.counsellors import INVITATIONS, LINKS
from services.profile.credentials import ONE_TIME_TOKENS, REFRESH_TOKENS
from services.profile.repository import ACCOUNTS, CONSENTS, PROFILES
from shared.personal_data import PersonalCollection

PERSONAL_DATA = (
    PersonalCollection(
        ACCOUNTS,
        ("_id",),
        "log in; address the person by first name and email",
        "until erasure; guests 7 days and accounts 2 years after the last visit",
        omit=("password_hash",),
    ),
    PersonalCollection(
        PROFILES, ("_id",), "the situation and projects the diagnosis and advice are computed from", "until erasure"
    ),
    PersonalCollection(CONSENTS, ("user_id",), "proof of each consent given or withdrawn", "until erasure"),
    PersonalCollection(
        LINKS, ("user_id", "counsellor_id"), "which counsellor may read the person's summary", "until erasure"
    ),
    PersonalCollection(INVITATIONS, ("user_id",), "counsellor invitation links not yet used", "14 days", omit=("_id",)),
    PersonalCollection(
        REFRESH_TOKENS, ("user_id",), "keep the person logged in; detect stolen tokens", "30 days", omit=("_id",)
    ),
    PersonalCollection(
        ONE_TIME_TOKENS,
        ("user_id",),
        "login links, password resets, email changes",
        "20 minutes to 2 days",
        omit=("_id",),
    ),
)
