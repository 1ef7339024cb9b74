"""The diagnosis texts: read from the YAML files in content/, rendered in a locale and a gender.

Template syntax (kept small on purpose, so translators can edit the files):

* ``[masculine|feminine]`` picks the person's grammatical gender; without a
  known gender both forms are shown ("prêt·e", or "a / b" when they differ
  more than by an ending);
* ``{name}`` or ``{name:format}`` inserts a parameter; formats: ``int``,
  ``num`` (one decimal), ``money`` (euros), ``pct`` (a 0-1 share), ``value``
  (an enumeration, labelled from ``values:``), ``rank`` (a diploma level 0-5),
  ``month``, ``months`` (a list of months), ``rome`` (a job group's label),
  ``dep`` (a département's name), ``challenge`` (a main challenge's label),
  ``text`` (as is; lists are joined).

"fr" is required and means "vous"; "fr@tu" falls back to "fr" for texts that do
not address the person; "en" is required.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import yaml

from shared.contracts.vocabulary import Gender, Locale

CONTENT_DIR = Path(__file__).parent / "content"
_GENDERED = re.compile(r"\[([^\[\]|]*)\|([^\[\]|]*)\]")
_PARAM = re.compile(r"\{(\w+)(?::(\w+))?\}")
_NARROW_NBSP = "\u202f"


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
    """A text key has no text in the requested locale."""


def _both(masculine: str, feminine: str) -> str:
    if feminine.startswith(masculine) and masculine:
        return masculine + "·" + feminine[len(masculine) :]
    return f"{masculine} / {feminine}"


def _number(value: float, locale: str, decimals: int) -> str:
    text = f"{value:,.{decimals}f}"
    if locale.startswith("fr"):
        text = text.replace(",", _NARROW_NBSP).replace(".", ",")
    return text


class TextCatalogue:
    """Every text of the diagnostic service, by section and key."""

    def __init__(self, sections: Mapping[str, Mapping[str, Any]]) -> None:
        self.sections = sections

    def entry(self, section: str, key: str) -> Mapping[str, Any]:
        """Return the raw entry of a text (its locales), or raise MissingTextError."""
        try:
            entry: Mapping[str, Any] = self.sections[section][key]
        except KeyError:
            raise MissingTextError(f"{section}.{key}") from None
        return entry

    def has(self, section: str, key: str) -> bool:
        """Return True when the section has a text for the key."""
        return key in self.sections.get(section, {})

    def template(self, entry: Mapping[str, Any], locale: Locale) -> str:
        """Return the template of an entry for a locale (fr@tu falls back to fr)."""
        text = entry.get(locale.value)
        if text is None and locale is Locale.FR_TU:
            text = entry.get(Locale.FR.value)
        if not isinstance(text, str):
            raise MissingTextError(f"no {locale.value} text")
        return text

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
        entry = self.entry(section, key)
        if sub is not None:
            entry = entry[sub]
        return self.fill(
            self.template(entry, locale), locale=locale, gender=gender, params=params or {}, labels=labels or NoLabels()
        )

    def value(self, value: object, locale: Locale) -> str:
        """Return the label of an enumeration value (or the value itself when unlabelled)."""
        key = getattr(value, "value", value)
        if not self.has("values", str(key)):
            return str(key)
        return self.template(self.sections["values"][str(key)], locale)

    def fill(self, template: str, *, locale: Locale, gender: Gender, params: Mapping[str, Any], labels: Labels) -> str:
        """Return a template with genders resolved and parameters formatted."""

        def gendered(match: re.Match[str]) -> str:
            masculine, feminine = match.group(1), match.group(2)
            if gender is Gender.FEMININE:
                return feminine
            if gender is Gender.MASCULINE:
                return masculine
            return _both(masculine, feminine)

        def parameter(match: re.Match[str]) -> str:
            name, kind = match.group(1), match.group(2) or "text"
            return self.format(params.get(name), kind, locale, labels)

        return _PARAM.sub(parameter, _GENDERED.sub(gendered, template))

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
            unit = "mois" if french else ("month" if months == 1 else "months")
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
    """Return the texts read from every YAML file of the content folder (cached)."""
    sections: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.glob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for section, entries in document.items():
            duplicated = set(sections.get(section, {})) & set(entries)
            if duplicated:
                raise ValueError(f"{path.name}: duplicated text keys {sorted(duplicated)}")
            sections.setdefault(section, {}).update(entries)
    return TextCatalogue(sections)
