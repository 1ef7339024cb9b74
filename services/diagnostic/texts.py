"""The diagnosis texts: read from the YAML files in content/, rendered in a locale and a gender.

Locales, grammatical gender, plurals and ``{name}`` placeholders are the shared message engine's
(``shared/messages.py``, described for translators in ``docs/MESSAGES.md``); every text is parsed
when the catalogue loads, and a malformed one stops the service naming its file and key.

The formats of ``{name:format}`` are the diagnosis's own: ``int``, ``num`` (one decimal),
``duration`` (months as a person says them), ``money`` (euros), ``pct`` (a 0-1 share), ``value``
(an enumeration, labelled from ``values:``), ``rank`` (a diploma level 0-5), ``month``, ``months``
(a list of months), ``rome`` (a job group's label), ``dep`` (a département's name), ``challenge``
(a main challenge's label), ``text`` (as is; lists are joined).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import yaml

from shared.contracts.vocabulary import Gender, Locale
from shared.messages import Message, compile_message, is_singular

CONTENT_DIR = Path(__file__).parent / "content"
FORMATS = frozenset(
    {"int", "num", "duration", "money", "pct", "value", "rank", "month", "months", "rome", "dep", "challenge", "text"}
)
_NARROW_NBSP = "\u202f"
# A text's place in the catalogue: section, key, and the part of an entry ("why") or None.
TextKey = tuple[str, str, str | None]


class Labels(Protocol):
    """Where job and département names come from (the reference data)."""

    def job_label(self, rome: str) -> str:
        """Return a job group's label."""
        ...

    def departement_label(self, code: str) -> str:
        """Return a département's name with its code."""
        ...


class NoLabels:
    """Labels that only repeat the codes (tests, or a reference without names)."""

    def job_label(self, rome: str) -> str:
        """Return the code itself."""
        return rome

    def departement_label(self, code: str) -> str:
        """Return the code itself."""
        return code


class MissingTextError(KeyError):
    """The catalogue has no text for a key."""


def _number(value: float, locale: str, decimals: int) -> str:
    text = f"{value:,.{decimals}f}"
    if locale.startswith("fr"):
        text = text.replace(",", _NARROW_NBSP).replace(".", ",")
    return text


class TextCatalogue:
    """Every text of the diagnostic service, by section and key, each parsed once."""

    def __init__(self, sections: Mapping[str, Mapping[str, Any]], messages: Mapping[TextKey, Message]) -> None:
        self.sections = sections
        self.messages = messages

    def message(self, section: str, key: str, sub: str | None = None) -> Message:
        """Return a parsed text, or raise MissingTextError."""
        try:
            return self.messages[(section, key, sub)]
        except KeyError:
            raise MissingTextError(".".join(part for part in (section, key, sub) if part)) from None

    def has(self, section: str, key: str) -> bool:
        """Return True when the section has a text for the key."""
        return (section, key, None) in self.messages

    def render(
        self,
        section: str,
        key: str,
        *,
        locale: Locale,
        gender: Gender = Gender.UNKNOWN,
        params: Mapping[str, Any] | None = None,
        labels: Labels | None = None,
        sub: str | None = None,
    ) -> str:
        """Return a text rendered in a locale and gender, with its parameters filled in."""
        shown_with = labels or NoLabels()

        def formatter(name: str, kind: str | None, value: Any) -> str:
            return self.format(value, kind or "text", locale, shown_with)

        values = params or {}
        return self.message(section, key, sub).render(locale.value, gender, values, formatter=formatter)

    def value(self, value: object, locale: Locale) -> str:
        """Return the label of an enumeration value (or the value itself when unlabelled)."""
        key = str(getattr(value, "value", value))
        if not self.has("values", key):
            return key
        return self.message("values", key).render(locale.value)

    def format(self, value: Any, kind: str, locale: Locale, labels: Labels) -> str:
        """Return one parameter formatted for the reader."""
        if value is None:
            return "—"
        loc = locale.value
        if kind == "int":
            return _number(float(value), loc, 0)
        if kind == "num":
            number = float(value)
            return _number(number, loc, 0 if number.is_integer() else 1)
        if kind == "duration":
            # A number of months as a person says it: "moins d'un mois", "1 mois", "8 mois"; "1 month".
            months = round(float(value))
            french = loc.startswith("fr")
            if months < 1:
                return "moins d'un mois" if french else "less than a month"
            unit = "mois" if french else ("month" if is_singular(months, loc) else "months")
            return f"{_number(months, loc, 0)} {unit}"
        if kind == "money":
            amount = _number(float(value), loc, 0)
            return f"{amount}{_NARROW_NBSP}€" if loc.startswith("fr") else f"€{amount}"
        if kind == "pct":
            percent = _number(float(value) * 100, loc, 0)
            return f"{percent}{_NARROW_NBSP}%" if loc.startswith("fr") else f"{percent}%"
        if kind == "value":
            return self.value(value, locale)
        if kind == "rank":
            return self.value(f"rank.{int(value)}", locale)
        if kind == "month":
            return self.value(f"month.{int(value)}", locale)
        if kind == "months":
            names = [self.value(f"month.{int(m)}", locale) for m in value]
            return _enumerate(names, locale)
        if kind == "rome":
            # Job names are the ROME's, in French: an English page quotes them as names.
            label = labels.job_label(str(value))
            return label if loc.startswith("fr") else f"“{label}”"
        if kind == "dep":
            return labels.departement_label(str(value))
        if kind == "challenge":
            return self.render("challenges", str(getattr(value, "value", value)), locale=locale)
        if isinstance(value, Sequence) and not isinstance(value, str):
            return " ; ".join(str(v) for v in value)
        return str(value)


def _enumerate(items: list[str], locale: Locale) -> str:
    if len(items) <= 1:
        return "".join(items)
    last = " et " if locale.value.startswith("fr") else " and "
    return ", ".join(items[:-1]) + last + items[-1]


@cache
def catalogue(folder: Path = CONTENT_DIR) -> TextCatalogue:
    """Return the texts read from every YAML file of the content folder, each parsed (cached).

    Raise MessageError naming the file and key of a malformed text, ValueError for a key given twice.
    """
    sections: dict[str, dict[str, Any]] = {}
    messages: dict[TextKey, Message] = {}
    for path in sorted(folder.glob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for section, entries in document.items():
            duplicated = set(sections.get(section, {})) & set(entries)
            if duplicated:
                raise ValueError(f"{path.name}: duplicated text keys {sorted(duplicated)}")
            sections.setdefault(section, {}).update(entries)
            for key, entry in entries.items():
                messages.update(_parsed(entry, path.name, section, key))
    return TextCatalogue(sections, messages)


def _parsed(entry: Mapping[str, Any], file: str, section: str, key: str) -> dict[TextKey, Message]:
    # An entry holds its locales and, for an observation, the locales of its "why".
    parts: dict[str | None, Mapping[str, str]] = {None: {k: v for k, v in entry.items() if isinstance(v, str)}}
    parts |= {sub: texts for sub, texts in entry.items() if isinstance(texts, Mapping)}
    return {
        (section, key, sub): compile_message(
            texts, where=f"{file}: {section}.{key}" + (f".{sub}" if sub else ""), kinds=FORMATS
        )
        for sub, texts in parts.items()
    }
