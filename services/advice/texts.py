"""Localised, gendered texts of the advice content, compiled once at start-up.

A text is written per locale: ``fr`` (vous), ``fr@tu`` (tu) and ``en``. French
texts may carry grammatical-gender alternatives written ``{masculine|feminine}``
or ``{masculine|feminine|neutral}``; when the neutral form is not given it is
derived (``prêt|prête`` gives ``prêt·e``). Other ``{name}`` fields are
placeholders filled when the text is rendered (figures, job labels).

A word that agrees with a number is written ``{name#singular|plural}``: the
value of the placeholder ``name`` picks the form by the locale's rule (French:
0 and 1 take the singular, "0 entretien, 1 entretien, 2 entretiens"; English:
only 1 does, "0 interviews, 1 interview"). It is the one plural rule of the
advice texts: none writes "(s)".

Every form is computed at load time, so rendering is a dictionary lookup plus,
for texts with placeholders, one ``str.format_map``.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass

from shared.contracts.vocabulary import Gender, Locale

LOCALES: tuple[str, ...] = tuple(locale.value for locale in Locale)
GENDER_KEYS = ("m", "f", "n")

_GENDER_ALTERNATIVE = re.compile(r"\{([^{}|#]*)\|([^{}|]*)(?:\|([^{}|]*))?\}")
_PLURAL = re.compile(r"\{(\w+)#([^{}|]*)\|([^{}|]*)\}")
# A French text that addresses the person formally needs its informal twin.
# ("rendez-vous" is a noun, not an address.)
_FORMAL = re.compile(r"(?<!rendez-)\b(vous|votre|vos)\b", re.IGNORECASE)
_INFORMAL = re.compile(r"\b(tu|ton|ta|tes|toi|te)\b", re.IGNORECASE)


class TextError(ValueError):
    """A text is malformed (missing locale, bad placeholder, vous without tu...)."""


def gender_key(gender: Gender) -> str:
    """Return the key of the grammatical form for a gender: m, f or n (neutral)."""
    if gender is Gender.MASCULINE:
        return "m"
    if gender is Gender.FEMININE:
        return "f"
    return "n"


def _neutral(masculine: str, feminine: str) -> str:
    if feminine.startswith(masculine) and feminine != masculine:
        return masculine + "·" + feminine[len(masculine) :]
    return f"{masculine}/{feminine}" if masculine != feminine else masculine


def _gendered(text: str, key: str) -> str:
    def pick(match: re.Match[str]) -> str:
        masculine, feminine, neutral = match.group(1), match.group(2), match.group(3)
        if key == "m":
            return masculine
        if key == "f":
            return feminine
        return neutral if neutral is not None else _neutral(masculine, feminine)

    return _GENDER_ALTERNATIVE.sub(pick, text)


def is_singular(count: float, locale: str) -> bool:
    """Return True when a number takes the singular in the locale (CLDR: French 0 ≤ n < 2, English n = 1)."""
    if locale.startswith("fr"):
        return 0 <= count < 2
    return count == 1


def placeholders(text: str) -> frozenset[str]:
    """Return the names of the ``{name}`` placeholders of a text (a plural's number included, gender excluded)."""
    bare = _GENDER_ALTERNATIVE.sub("", _PLURAL.sub(r"{\1}", text))
    try:
        return frozenset(name for _, name, _, _ in string.Formatter().parse(bare) if name)
    except ValueError as error:
        raise TextError(f"malformed placeholder: {error}") from None


@dataclass(frozen=True, slots=True)
class Text:
    """One text in every locale and grammatical gender."""

    forms: Mapping[tuple[str, str], str]
    fields: frozenset[str]
    plural: bool = False  # some word agrees with a number: {name#singular|plural}

    def render(
        self,
        locale: str,
        gender: str = "n",
        values: Mapping[str, str] | None = None,
        numbers: Mapping[str, float] | None = None,
    ) -> str:
        """Return the text in the locale and gender, its plurals agreed with ``numbers`` and its placeholders filled."""
        form = self.forms.get((locale, gender)) or self.forms[("fr", gender)]
        if self.plural:
            counts = numbers or {}

            def agree(match: re.Match[str]) -> str:
                count = counts.get(match.group(1))
                # Without its number (a text rendered bare, e.g. in a test) a word keeps its plural form.
                singular = count is not None and is_singular(count, locale)
                return match.group(2) if singular else match.group(3)

            form = _PLURAL.sub(agree, form)
        if values is None or not self.fields:
            return form
        return form.format_map(values)


def compile_text(raw: Mapping[str, str], *, addresses_person: bool = True) -> Text:
    """Return the compiled text; raise TextError when a locale is missing or inconsistent."""
    unknown = set(raw) - set(LOCALES)
    if unknown:
        raise TextError(f"unknown locales {sorted(unknown)}; use {list(LOCALES)}")
    for required in ("fr", "en"):
        if not raw.get(required, "").strip():
            raise TextError(f"missing the {required!r} text")
    french = raw["fr"]
    informal = raw.get("fr@tu")
    if informal is None:
        if addresses_person and _FORMAL.search(french):
            raise TextError("the 'fr' text says vous: give its 'fr@tu' twin")
        informal = french
    elif _FORMAL.search(informal):
        raise TextError("the 'fr@tu' text says vous/votre/vos")
    if raw.get("fr@tu") is not None and _INFORMAL.search(french):
        raise TextError("the 'fr' text says tu/ton/ta")
    texts = {"fr": french, "fr@tu": informal, "en": raw["en"]}
    fields = placeholders(french)
    for locale, text in texts.items():
        if placeholders(text) != fields:
            raise TextError(
                f"placeholders differ: 'fr' has {sorted(fields)}, {locale!r} has {sorted(placeholders(text))}"
            )
    forms = {(locale, key): _gendered(text, key) for locale, text in texts.items() for key in GENDER_KEYS}
    plural = any(_PLURAL.search(text) for text in texts.values())
    return Text(forms=forms, fields=fields, plural=plural)


def format_number(value: float, locale: str, *, decimals: int = 1) -> str:
    """Return a number written the way the locale writes it (4,2 and 21 000 in French)."""
    whole = value == int(value) and abs(value) >= 10
    text = f"{int(value):,}" if whole else f"{value:,.{decimals}f}"
    if locale.startswith("fr"):
        return text.replace(",", "\u202f").replace(".", ",")
    return text


def format_share(value: float, locale: str) -> str:
    """Return a share between 0 and 1 as a percentage in the locale's typography."""
    percent = round(value * 100)
    return f"{percent}\u202f%" if locale.startswith("fr") else f"{percent}%"
