"""The one message engine: every text a person reads is chosen by locale, grammatical gender and number here.

Syntax of a text (the same in every service's content; translators read it in
``docs/MESSAGES.md``):

* ``{masculine|feminine}`` picks the person's grammatical gender. A person whose gender is unknown or
  their own (CUSTOM) reads the inclusive form derived from the two: ``{prêt|prête}`` and ``prêt{|e}``
  give "prêt·e"; two words that do not share a stem give "acteur / actrice". A third form,
  ``{masculine|feminine|neutral}``, replaces that derived form ("{inscrit|inscrite|avec un compte}").
* ``{name#singular|plural}`` is a word that agrees with the number in the value ``name``, by the
  locale's rule: French takes the singular for 0 and 1 ("0 entretien, 2 entretiens"), English only
  for 1 ("0 interviews, 1 interview"). No text writes "(s)" or "(e)".
* ``{name}`` inserts a value; ``{name:format}`` inserts it through one of the service's formats
  (diagnostic's ``money``, ``rome``...). Formats belong to the services; this grammar does not.
* ``{{ ... }}``, ``{% ... %}`` and ``{# ... #}`` are left as they are, for the email layout (Jinja).

Locales: ``fr`` (says "vous") and ``en`` are required; ``fr@tu`` (says "tu") is required when the
French text addresses the person, and falls back to ``fr`` for a text that does not.

A text is parsed once, when its catalogue loads (``compile_message`` for a text in every locale,
``template_at`` for one; both name the file and key of a malformed text); rendering is then a lookup
or one ``str.format_map``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from shared.contracts.vocabulary import Gender, Locale

LOCALES: tuple[str, ...] = tuple(locale.value for locale in Locale)
GENDER_FORMS = ("m", "f", "n")  # masculine, feminine, and the form for an unknown or custom gender

# A formatter turns one value into words: (name, format or None, value) -> text.
Formatter = Callable[[str, str | None, Any], str]

# Jinja's own delimiters pass through; any other brace opens one of the forms above.
_TOKEN = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|\{([^{}]*)\}|[{}]", re.DOTALL)
_PLURAL = re.compile(r"(\w+)#([^|#]*)\|([^|#]*)")
_FIELD = re.compile(r"(\w+)(?::(\w+))?")
# A French text that addresses the person formally needs its informal twin ("rendez-vous" is a noun).
_FORMAL = re.compile(r"(?<!rendez-)\b(vous|votre|vos)\b", re.IGNORECASE)
_INFORMAL = re.compile(r"\b(tu|ton|ta|tes|toi|te)\b", re.IGNORECASE)
_FORM_OF: dict[str, str] = {"m": "m", "f": "f", "n": "n", Gender.MASCULINE: "m", Gender.FEMININE: "f"}


class MessageError(ValueError):
    """A text is malformed (an unclosed brace, a missing locale, vous without tu...); names where it is."""


def gender_form(gender: Gender | str) -> str:
    """Return the key of a gender's grammatical form: m, f, or n for an unknown or custom gender."""
    return _FORM_OF.get(gender, "n")


def is_singular(count: float, locale: str) -> bool:
    """Return True when a number takes the singular in the locale (CLDR: French 0 ≤ n < 2, English n = 1)."""
    if locale.startswith("fr"):
        return 0 <= count < 2
    return count == 1


def inclusive(masculine: str, feminine: str) -> str:
    """Return the form for an unknown or custom gender: "prêt·e" from prêt/prête, else "acteur / actrice"."""
    if masculine == feminine:
        return masculine
    if feminine.startswith(masculine):
        return masculine + "·" + feminine[len(masculine) :]
    return f"{masculine} / {feminine}"


@dataclass(frozen=True, slots=True)
class Field:
    """A value inserted into the text, optionally through a format of the service."""

    name: str
    kind: str | None
    source: str  # as written, shown when a text is rendered without values


@dataclass(frozen=True, slots=True)
class Plural:
    """A word agreeing with the number in the value ``name``."""

    name: str
    singular: str
    plural: str


Piece = str | Field | Plural


@dataclass(frozen=True, slots=True)
class Template:
    """One locale's text, parsed: for each gender form, its pieces (the gender already chosen)."""

    source: str
    fields: frozenset[str]  # the values it needs, numbers of plurals included
    kinds: frozenset[str]  # the formats it names
    forms: Mapping[str, tuple[Piece, ...]]
    # Each form as a str.format pattern ({name}; a plural's word as {#0}, {#1}...) and its plurals: a text
    # whose values are already words renders in one C-level format_map.
    patterns: Mapping[str, tuple[str, tuple[Plural, ...]]]

    @property
    def plural(self) -> bool:
        """Return True when a word agrees with a number."""
        return any(isinstance(piece, Plural) for pieces in self.forms.values() for piece in pieces)

    @property
    def placeholders(self) -> frozenset[str]:
        """Return the names of the ``{name}`` and ``{name:format}`` values (numbers of plurals excluded)."""
        return frozenset(piece.name for piece in self.forms["n"] if isinstance(piece, Field))

    def render(
        self,
        locale: str,
        gender: Gender | str = "n",
        values: Mapping[str, Any] | None = None,
        counts: Mapping[str, Any] | None = None,
        *,
        formatter: Formatter | None = None,
    ) -> str:
        """Return the text in a gender, its words agreed with ``counts`` (default: the values), values filled in.

        Without values (a bare text, e.g. in a test) a placeholder stays as written and a word agreeing with a
        number keeps its plural.
        """
        form = _FORM_OF.get(gender, "n")
        pieces = self.forms[form]
        if len(pieces) == 1 and isinstance(pieces[0], str):
            return pieces[0]
        numbers = values if counts is None else counts
        if formatter is None and values is not None:
            pattern, plurals = self.patterns[form]
            if plurals:
                values = {**values, **{f"#{i}": _agreed(p, numbers, locale) for i, p in enumerate(plurals)}}
            try:
                return pattern.format_map(values)
            except KeyError as missing:
                raise MessageError(f"no value for {{{missing.args[0]}}} in {self.source!r}") from None
        # A service's formats, or no values at all: piece by piece.
        out: list[str] = []
        for piece in pieces:
            if isinstance(piece, str):
                out.append(piece)
            elif isinstance(piece, Plural):
                out.append(_agreed(piece, numbers, locale))
            elif values is None or formatter is None:
                out.append(piece.source)
            else:
                out.append(formatter(piece.name, piece.kind, values.get(piece.name)))
        return "".join(out)


def _agreed(plural: Plural, numbers: Mapping[str, Any] | None, locale: str) -> str:
    # Without its number a word keeps its plural form.
    count = None if numbers is None else numbers.get(plural.name)
    return plural.singular if isinstance(count, int | float) and is_singular(count, locale) else plural.plural


def _pattern(pieces: tuple[Piece, ...]) -> tuple[str, tuple[Plural, ...]]:
    plurals = tuple(piece for piece in pieces if isinstance(piece, Plural))
    written = []
    for piece in pieces:
        if isinstance(piece, str):
            written.append(piece.replace("{", "{{").replace("}", "}}"))
        elif isinstance(piece, Plural):
            written.append(f"{{#{plurals.index(piece)}}}")
        else:
            written.append(f"{{{piece.name}}}")
    return "".join(written), plurals


def _parse(source: str) -> list[Piece | tuple[str, str, str]]:
    # A gender alternative is kept as a (masculine, feminine, neutral) triple until the forms are built.
    found: list[Piece | tuple[str, str, str]] = []
    position = 0
    for match in _TOKEN.finditer(source):
        found.append(source[position : match.start()])
        position = match.end()
        token, body = match.group(0), match.group(1)
        if body is None:
            if token in ("{", "}"):
                raise MessageError(f"an unmatched {token!r} at character {match.start()}")
            found.append(token)  # Jinja
        elif plural := _PLURAL.fullmatch(body):
            found.append(Plural(*plural.groups()))
        elif field := _FIELD.fullmatch(body):
            found.append(Field(field.group(1), field.group(2), token))
        elif "|" in body and body.count("|") <= 2:
            masculine, feminine, *neutral = body.split("|")
            found.append((masculine, feminine, neutral[0] if neutral else inclusive(masculine, feminine)))
        else:
            raise MessageError(
                f"cannot read {token!r}: write {{name}}, {{name:format}}, {{masculine|feminine}}, "
                "{masculine|feminine|neutral} or {name#singular|plural}"
            )
    found.append(source[position:])
    return found


def _joined(pieces: list[Piece]) -> tuple[Piece, ...]:
    # Neighbouring words become one string, so that a text without values renders as one lookup.
    joined: list[Piece] = []
    for piece in pieces:
        if isinstance(piece, str) and joined and isinstance(joined[-1], str):
            joined[-1] += piece
        elif piece != "":
            joined.append(piece)
    return tuple(joined) or ("",)


@cache
def compile_template(source: str) -> Template:
    """Return a text parsed once (cached by its source); raise MessageError when it is malformed."""
    parsed = _parse(source)
    forms = {
        form: _joined([p[GENDER_FORMS.index(form)] if isinstance(p, tuple) else p for p in parsed])
        for form in GENDER_FORMS
    }
    named = [p for p in parsed if isinstance(p, Field | Plural)]
    return Template(
        source=source,
        fields=frozenset(p.name for p in named),
        kinds=frozenset(p.kind for p in named if isinstance(p, Field) and p.kind),
        forms=forms,
        patterns={form: _pattern(pieces) for form, pieces in forms.items()},
    )


def template_at(source: str, where: str, *, kinds: frozenset[str] | None = None) -> Template:
    """Return a text parsed once; a MessageError names ``where`` (file and key) and any unknown format."""
    try:
        template = compile_template(source)
    except MessageError as error:
        raise MessageError(f"{where}: {error}") from None
    unknown = template.kinds - kinds if kinds is not None else frozenset()
    if unknown:
        raise MessageError(f"{where}: unknown formats {sorted(unknown)}; use {sorted(kinds or ())}")
    return template


@dataclass(frozen=True, slots=True)
class Message:
    """One text in every locale, each parsed; ``fr@tu`` is ``fr`` when the text does not address the person."""

    templates: Mapping[str, Template]
    # (locale, gender or form key) -> the text, for the forms that have no value to fill: most texts
    # (titles, tips) are then one dictionary lookup.
    plain: Mapping[tuple[str, str], str]

    @property
    def fields(self) -> frozenset[str]:
        """Return the values the text needs (the same in every locale)."""
        return self.templates["fr"].fields

    @property
    def plural(self) -> bool:
        """Return True when a word agrees with a number."""
        return any(template.plural for template in self.templates.values())

    def template(self, locale: str) -> Template:
        """Return the text of a locale (French for a locale it lacks)."""
        return self.templates.get(locale) or self.templates["fr"]

    def render(
        self,
        locale: str,
        gender: Gender | str = "n",
        values: Mapping[str, Any] | None = None,
        counts: Mapping[str, Any] | None = None,
        *,
        formatter: Formatter | None = None,
    ) -> str:
        """Return the text in a locale and gender, see ``Template.render``."""
        plain = self.plain.get((locale, gender))
        if plain is not None:
            return plain
        return self.template(locale).render(locale, gender, values, counts, formatter=formatter)


def compile_message(
    raw: Mapping[str, str],
    *,
    where: str = "",
    addresses_person: bool = True,
    kinds: frozenset[str] | None = None,
) -> Message:
    """Return a text parsed in every locale; raise MessageError (naming ``where``) when one is missing or wrong.

    ``addresses_person=False`` lets a French text that quotes "vous" (a label, a title) stand for tu too.
    """
    prefix = f"{where}: " if where else ""
    unknown = set(raw) - set(LOCALES)
    if unknown:
        raise MessageError(f"{prefix}unknown locales {sorted(unknown)}; use {list(LOCALES)}")
    for required in ("fr", "en"):
        if not isinstance(raw.get(required), str) or not raw[required].strip():
            raise MessageError(f"{prefix}missing the {required!r} text")
    french, informal = raw["fr"], raw.get("fr@tu")
    if informal is None:
        if addresses_person and _FORMAL.search(french):
            raise MessageError(f"{prefix}the 'fr' text says vous: give its 'fr@tu' twin")
    elif _FORMAL.search(informal):
        raise MessageError(f"{prefix}the 'fr@tu' text says vous/votre/vos")
    elif _INFORMAL.search(french):
        raise MessageError(f"{prefix}the 'fr' text says tu/ton/ta")
    templates = {
        locale: template_at(text, f"{where} ({locale})" if where else locale, kinds=kinds)
        for locale, text in raw.items()
    }
    templates.setdefault("fr@tu", templates["fr"])
    fields = templates["fr"].fields
    for locale, template in templates.items():
        if template.fields != fields:
            raise MessageError(
                f"{prefix}placeholders differ: 'fr' has {sorted(fields)}, {locale!r} has {sorted(template.fields)}"
            )
    genders = {key: gender_form(key) for key in (*GENDER_FORMS, *Gender)}
    plain = {
        (locale, key): pieces[0]
        for locale, template in templates.items()
        for key, form in genders.items()
        if len(pieces := template.forms[form]) == 1 and isinstance(pieces[0], str)
    }
    return Message(templates, plain)
