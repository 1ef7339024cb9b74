"""Whether a new password is good enough (OWASP ASVS 5.0 §6.2), said as one reason a person can act on.

The length is checked at the edge (``shared/contracts/passwords.py``). Here: the
password must not be the person's email address or first name (or be built
mostly from them), nor one of the most common passwords, nor easy to guess.
Guessability comes from zxcvbn, which bundles the 30,000 most common passwords
and word lists, and finds keyboard walks, sequences, repeats and dates; French
passwords such as "motdepasse" and "azertyuiop" are in its list, and the words
below add what a French speaker reaches for first.
"""

from __future__ import annotations

import unicodedata
from typing import Any, Literal

PasswordProblem = Literal["password_is_personal", "password_too_common", "password_too_guessable"]
# zxcvbn's score 3 means about 10^8 guesses or more: "safely unguessable" against an online attack
# that our rate limits slow further, and reasonable against a stolen argon2id hash.
MIN_SCORE = 3
ZXCVBN_MAX_LENGTH = 72
# Fewer letters or digits than this besides the email address or the first name: a variant of them.
PERSONAL_REMAINDER = 8
# Words French speakers put in passwords, which zxcvbn's English-centred lists weigh too lightly.
FRENCH_WORDS = (
    "motdepasse",
    "azerty",
    "azertyuiop",
    "soleil",
    "bonjour",
    "doudou",
    "chouchou",
    "loulou",
    "marseille",
    "paris",
    "france",
    "coucou",
    "jetaime",
    "amour",
    "emploi",
    "travail",
    "chomage",
    "coach",
    "coachemploi",
    "bob",
    "bobemploi",
    "poleemploi",
    "francetravail",
)


def _plain(text: str) -> str:
    """Return the text lower-cased, without accents, spaces or punctuation, for comparisons."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if c.isalnum())


def _guess(password: str, personal: list[str]) -> Any:
    # Imported on the first password checked, not with the service: zxcvbn builds its frequency lists
    # (about 12 MB of Python objects) as it is imported, and most processes never check a password
    # (guests have none). The first check waits for it once (about 60 ms); the answers are the same.
    from zxcvbn import zxcvbn

    # zxcvbn refuses more than 72 characters (its matching grows faster than the length); what comes
    # after them can only add to the strength of a password.
    return zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=[*personal, *FRENCH_WORDS], max_length=ZXCVBN_MAX_LENGTH)


def password_problem(password: str, *, email: str | None, first_name: str | None) -> PasswordProblem | None:
    """Return why a new password is refused, or None when it is good enough."""
    plain = _plain(password)
    personal = [value for value in (email, email.split("@")[0] if email else None, first_name) if value]
    plain_personal = {_plain(value) for value in personal if len(_plain(value)) >= 3}
    # The address itself, or the name with something weak around it ("martine1234567"), is no password:
    # whoever knows the person knows those words, so what is left without them must be strong on its own.
    rest = plain
    for value in sorted(plain_personal, key=len, reverse=True):
        rest = rest.replace(value, "")
    if len(rest) < len(plain) and (len(rest) < PERSONAL_REMAINDER or _guess(rest, [])["score"] < MIN_SCORE):
        return "password_is_personal"
    result = _guess(password, personal)
    if result["score"] >= MIN_SCORE:
        return None
    dictionaries = {match.get("dictionary_name") for match in result["sequence"] if match["pattern"] == "dictionary"}
    personal_tokens = {
        _plain(match["token"])
        for match in result["sequence"]
        if match.get("dictionary_name") == "user_inputs" and _plain(match["token"]) in plain_personal
    }
    if personal_tokens:
        return "password_is_personal"
    if "passwords" in dictionaries or "user_inputs" in dictionaries:
        return "password_too_common"
    return "password_too_guessable"
