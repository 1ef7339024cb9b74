"""What a text a person reads must not hold, in French or in English (issue 18, "words").

One checker for every service's texts (diagnosis, advice, strategies, actions): no "(s)" or "(e)",
no "·" for a person who gave their gender, no internal code, file name, version tag or licence, no
doubled space, no unfilled placeholder, no missed elision ("que une", "de le"), every département
with its article ("dans le Rhône", never "en Rhône"), and nothing French on an English page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from services.advice.render import load_labels
from shared.settings import default_data_dir

LABELS = load_labels(default_data_dir())
CODE = re.compile(
    r"\b[A-N]\d{4}\b"  # a ROME job group
    r"|\b[a-z]+_[a-z_]+\b"  # a snake_case field or enum
    r"|\b[A-Z]{2,}_[A-Z_]+\b"  # an enum value (NO_OFFERS)
    r"|@\d|\.md\b|\.py\b|docs/|AGPL|GPL|licen[cs]e\b.*\bcode\b|market-model|\bv\d+\.\d+\b"
)
# Départements whose name takes "le", "les" or "l'": "dans le Rhône", never "en Rhône".
WITH_ARTICLE = [LABELS.departements[code] for code, kind in LABELS.name_types.items() if kind in (2, 4, 5)]
# "de le" and "à les" are missed contractions ("du", "aux") unless the pronoun goes with a verb: "de le faire".
ELISIONS = re.compile(r"\bque (une?|il|elle|on)\b|\bsi ils?\b|\b(de|à) les? (?!\w+(er|ir|re|oir|dre)\b)\w+")
FRENCH_WORDS = re.compile(
    r"\b(le|la|les|des|du|un|une|et|est|pour|avec|dans|sur|vous|votre|vos|tu|ton|ta|tes|qui|que|pas|au|aux|"
    r"ce|cette|ces|mais|ou|où|très|chez|offres?|métiers?|emploi|recherche|conseils?)\b"
)
# Names kept as they are in English: institutions, schemes and the place and job names of the French references.
PROPER_NAMES = (
    "France Travail",
    "France Services",
    "Mission locale",
    "Cap emploi",
    "La Bonne Boîte",
    "Défenseur des droits",
    "Mon Compte Formation",
    "moncompteformation",
    "Pôle emploi",
)


NAMES = re.compile(
    "|".join(re.escape(n) for n in sorted({*PROPER_NAMES, *LABELS.departements.values()}, key=len, reverse=True))
)


def names_removed(text: str) -> str:
    """Return an English text without the names it keeps in French (quoted job titles, places, institutions)."""
    return NAMES.sub("", re.sub(r"“[^”]*”|«[^»]*»|^.*\(in French\)", "", text))


def problems(text: str, locale: str, *, ids: re.Pattern[str] | None = None) -> list[str]:
    """Return what is wrong with one text a person reads (``ids``: the internal ids of the caller's catalogue)."""
    found = []
    if "(s)" in text or "(e)" in text:
        found.append("a plural or gender written with brackets")
    if "·" in text:
        found.append("a neutral form for a person who gave their gender")
    if match := CODE.search(text):
        found.append(f"an internal code: {match.group(0)!r}")
    if ids is not None and (match := ids.search(text)):
        found.append(f"an internal id: {match.group(0)!r}")
    if "  " in text or text != text.strip():
        found.append("a doubled or stray space")
    if "{" in text or "}" in text or "|" in text:
        found.append("an unfilled placeholder")
    lowered = text.lower()
    if locale.startswith("fr"):
        if missed := ELISIONS.search(lowered):
            found.append(f"a missed elision: {missed.group(0)!r}")
        if wrong := [name for name in WITH_ARTICLE if f"en {name}" in text or f"à {name}" in text]:
            found.append(f"a département without its article: {wrong}")
    elif match := FRENCH_WORDS.search(names_removed(text)):
        found.append(f"French on an English page: {match.group(0)!r}")
    return found


def all_problems(
    texts: Iterable[tuple[str, str]], *, ids: re.Pattern[str] | None = None
) -> list[tuple[str, str, list[str]]]:
    """Return (locale, text, problems) for every (locale, text) that has some."""
    return [(locale, text, found) for locale, text in texts if (found := problems(text, locale, ids=ids))]
