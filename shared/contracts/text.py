"""Text typed by people: the one validator of every free-text field of the public API.

What a person types reaches emails, exports, counsellors' and volunteers' screens and log
lines. So every free-text field refuses, with a code the gateway turns into a sentence:

* ``control_character``: C0 and C1 control characters (NUL included: it cuts a text; ESC
  rewrites a terminal) and the Unicode line and paragraph separators. A multi-line text
  (a message, a comment) keeps the line break ``\\n`` and the tab ``\\t``, nothing else.
* ``bidi_control``: the bidirectional embeddings, overrides and isolates (U+202A–U+202E,
  U+2066–U+2069), which reorder what is shown ("Trojan source": ``exe.txt`` displayed for
  ``txt.exe``). The implicit marks U+200E/U+200F (LRM, RLM) stay allowed: Arabic and Hebrew
  keyboards insert them in mixed text, and they only settle the direction of the neutral
  character beside them; they cannot reverse a run of text.

A first name is also written into emails ("Bonjour Martine,"), where a mail client turns an
address into a link, and into HTML pages. So a ``PersonName`` further refuses:

* ``markup``: ``< > { } [ ] \\`` (HTML, template and macro syntax such as ``{{7*7}}``);
* ``looks_like_an_address``: ``@ / :``, ``http``, ``www.`` and a dot followed by lower-case letters to
  the end of a word (``exemple.com``; ``J.Pierre`` stays a name): a name never needs them, a spammer's link does.

Each rule is also written as a JSON-schema ``pattern`` (ECMA-262 syntax, which Python's ``re``
reads the same way here), so the OpenAPI document says exactly what is accepted and generated
clients and fuzzers know it. Surrounding white space is stripped before the checks and the
length limits, and a required text must hold a visible character.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

_CONTROL = r"\x00-\x1f\x7f-\x9f\u2028\u2029"  # C0, DEL, C1, line and paragraph separators
_CONTROL_IN_LINES = r"\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029"  # the same, less \t (09) and \n (0a)
_BIDI = r"\u202a-\u202e\u2066-\u2069"
_MARKUP = r"<>{}\[\]\\"
_ADDRESS_CHARACTERS = r"@/:"
# Case-insensitive without a flag: JSON-schema patterns have none.
# A domain is a dot and lower-case letters to the end of a word ("exemple.com"); "J.Pierre" is a name.
_ADDRESS_WORDS = r"[hH][tT][tT][pP]|[wW][wW][wW]\.|\.[a-z]{2,}\b"

# Each check: the error code, what it finds, and the English message (the gateway says it in French too).
_Check = tuple[str, re.Pattern[str], str]
_CONTROL_CHECK: _Check = ("control_character", re.compile(f"[{_CONTROL}]"), "control characters are not allowed")
_CONTROL_IN_LINES_CHECK: _Check = (
    "control_character",
    re.compile(f"[{_CONTROL_IN_LINES}]"),
    "control characters other than line breaks and tabs are not allowed",
)
_BIDI_CHECK: _Check = ("bidi_control", re.compile(f"[{_BIDI}]"), "bidirectional control characters are not allowed")
_MARKUP_CHECK: _Check = ("markup", re.compile(f"[{_MARKUP}]"), "a name cannot hold markup")
_ADDRESS_CHECK: _Check = (
    "looks_like_an_address",
    re.compile(f"[{_ADDRESS_CHARACTERS}]|{_ADDRESS_WORDS}"),
    "a name cannot look like an email or web address",
)


@dataclass(frozen=True)
class TypedText:
    """A ``str`` annotation: stripped, length-limited, refused when it holds what its kind must not.

    ``multiline`` keeps ``\\n`` and ``\\t``; ``name`` adds the checks of a person's name; ``blank``
    lets an empty (or all-space) text through as ``""``.
    """

    max_length: int
    multiline: bool = False
    name: bool = False
    blank: bool = False

    @property
    def checks(self) -> tuple[_Check, ...]:
        control = _CONTROL_IN_LINES_CHECK if self.multiline else _CONTROL_CHECK
        return (control, _BIDI_CHECK, _MARKUP_CHECK, _ADDRESS_CHECK) if self.name else (control, _BIDI_CHECK)

    @property
    def pattern(self) -> str:
        """Return the JSON-schema pattern of what the validator accepts (before stripping)."""
        refused = (_CONTROL_IN_LINES if self.multiline else _CONTROL) + _BIDI
        if self.name:
            refused += _MARKUP + _ADDRESS_CHARACTERS
        # Leading white space is stripped, so a visible character may come after it (white space that is
        # also refused is left out: \x1c-\x1f are white space to Python's \s, not to pydantic's stripping).
        body = f"[^{refused}]*" if self.blank else rf"[^\S{refused}]*[^\s{refused}][^{refused}]*"
        if self.name:
            body = rf"(?![\s\S]*(?:{_ADDRESS_WORDS})){body}"
        return f"^{body}$"

    def validate(self, text: str) -> str:
        """Return the text; raise the error of the first rule it breaks."""
        for code, finds, message in self.checks:
            if finds.search(text):
                raise PydanticCustomError(code, message)
        return text

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        text = core_schema.str_schema(
            strip_whitespace=True, min_length=0 if self.blank else 1, max_length=self.max_length
        )
        return core_schema.no_info_after_validator_function(self.validate, text)

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema["pattern"] = self.pattern
        return json_schema


# The usual kinds; a field that needs another length writes ``Annotated[str, TypedText(...)]``.
PlainText = Annotated[str, TypedText(max_length=200)]
MultilineText = Annotated[str, TypedText(max_length=2000, multiline=True)]
PersonName = Annotated[str, TypedText(max_length=60, name=True)]
FirstName = PersonName
