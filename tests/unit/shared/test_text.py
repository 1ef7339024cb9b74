"""The one validator of typed text (shared/contracts/text.py): what each kind refuses and why, that its
JSON-schema pattern says the same as the validator, and that the gateway explains every refusal in French
and in English."""

from __future__ import annotations

import re
from typing import Annotated, Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, TypeAdapter, ValidationError

from services.gateway.problems import REASONS, reason
from shared.contracts.text import FirstName, MultilineText, PersonName, PlainText, TypedText

NAME = TypeAdapter(PersonName)
LINE = TypeAdapter(PlainText)
LINES = TypeAdapter(MultilineText)

HOSTILE_NAMES = {
    "NUL": ("Zé\x00phyrine", "control_character"),
    "ESC": ("Zé\x1bphyrine", "control_character"),
    "C1 control": ("Zé\x85phyrine", "control_character"),
    "line separator": ("Zé\u2028phyrine", "control_character"),
    "line break": ("Zé\nphyrine", "control_character"),
    "right-to-left override": ("Zé\u202ephyrine", "bidi_control"),
    "left-to-right isolate": ("Zé\u2066phyrine", "bidi_control"),
    "email address": ("a@b.fr", "looks_like_an_address"),
    "URL": ("http://x", "looks_like_an_address"),
    "URL in capitals": ("HTTPS://X", "looks_like_an_address"),
    "domain name": ("exemple.com", "looks_like_an_address"),
    "www": ("www.exemple", "looks_like_an_address"),
    "HTML": ("<b>Jo</b>", "markup"),
    "template": ("{{7*7}}", "markup"),
    "macro": ("${jndi:x}", "markup"),
}
NAMES = [
    "Marie-Hélène",
    "N'Golo",
    "Zoé",
    "Jean Pierre",
    "Ølé",
    "李",
    "J.-P.",
    "J.Pierre",
    "Marie-Th. Dupont",
    "Zoé\u200f",
    "O’Brien",
    "Anne-Marie 2",
]


def code_of(adapter: TypeAdapter[str], text: str) -> str:
    with pytest.raises(ValidationError) as error:
        adapter.validate_python(text)
    codes = [item["type"] for item in error.value.errors()]
    assert len(codes) == 1, codes
    return codes[0]


@pytest.mark.parametrize(("text", "code"), HOSTILE_NAMES.values(), ids=HOSTILE_NAMES.keys())
def test_a_hostile_first_name_is_refused_with_its_reason(text: str, code: str) -> None:
    assert code_of(NAME, text) == code
    assert not re.search(NAME.json_schema()["pattern"], text), "the OpenAPI pattern accepts what is refused"


@pytest.mark.parametrize("name", NAMES)
def test_real_first_names_are_accepted(name: str) -> None:
    assert NAME.validate_python(f"  {name} ") == name
    assert re.search(NAME.json_schema()["pattern"], name)


def test_first_name_is_the_person_name() -> None:
    assert FirstName is PersonName
    assert NAME.json_schema()["maxLength"] == 60
    assert code_of(NAME, "   ") == "string_too_short"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("a\x00b", "control_character"),
        ("a\x1b[2Jb", "control_character"),
        ("a\x9bb", "control_character"),
        ("a\nb", "control_character"),
        ("a\tb", "control_character"),
        ("a\u202eb", "bidi_control"),
        ("a\u2069b", "bidi_control"),
    ],
)
def test_one_line_text_refuses_control_and_bidi_characters(text: str, code: str) -> None:
    assert code_of(LINE, text) == code


def test_one_line_text_accepts_what_a_name_may_not() -> None:
    # Free text is not a name: it may cite an address or a sign; what shows it escapes it.
    for text in ("voir http://exemple.com", "a@b.fr", "3 < 4 {ok}", "مرحبا\u200f !"):
        assert LINE.validate_python(text) == text


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("a\x00b", "control_character"),
        ("a\rb", "control_character"),
        ("a\x0bb", "control_character"),
        ("a\u2028b", "control_character"),
        ("a\u202db", "bidi_control"),
        ("a\u2067b", "bidi_control"),
    ],
)
def test_a_message_refuses_control_characters_but_line_breaks_and_tabs(text: str, code: str) -> None:
    assert code_of(LINES, text) == code


def test_a_message_keeps_its_lines_and_tabs() -> None:
    message = "Bonjour,\n\n\tvoici mon CV.\nMerci !"
    assert LINES.validate_python(f"\n{message}\n ") == message
    assert re.search(LINES.json_schema()["pattern"], message)


def test_a_blank_text_is_refused_unless_blank_is_allowed() -> None:
    assert code_of(LINE, " \t ") == "string_too_short"
    assert TypeAdapter(Annotated[str, TypedText(max_length=10, blank=True)]).validate_python("  ") == ""


def test_lengths_are_counted_once_stripped() -> None:
    short = TypeAdapter(Annotated[str, TypedText(max_length=5)])
    assert short.validate_python("   abcde   ") == "abcde"
    assert code_of(short, "abcdef") == "string_too_long"


KINDS = {
    "name": TypedText(max_length=60, name=True),
    "line": TypedText(max_length=200),
    "lines": TypedText(max_length=2000, multiline=True),
    "blank line": TypedText(max_length=200, blank=True),
}
# Characters that matter here, among any others.
TRICKY = st.sampled_from(
    list("\x00\t\n\r\x0b\x1b\x1c\x7f\x85\x9f\u200e\u200f\u2028\u202a\u202e\u2066\u2069 <>{}[]\\@/:.hHtTpPwW")
)
TEXTS = st.text(st.one_of(TRICKY, st.characters(codec="utf-8")), max_size=40)


@pytest.mark.parametrize("kind", KINDS.values(), ids=KINDS.keys())
@given(text=TEXTS)
def test_the_openapi_pattern_says_what_the_validator_accepts(kind: TypedText, text: str) -> None:
    adapter: TypeAdapter[str] = TypeAdapter(Annotated[str, kind])
    try:
        adapter.validate_python(text)
        accepted = True
    except ValidationError:
        accepted = False
    said = bool(re.search(kind.pattern, text))
    # What the document says is valid is accepted (generated clients and fuzzers rely on it)...
    if said:
        assert accepted, f"{text!r} matches the pattern but is refused"
    # ...and what is accepted, once stripped, is said to be valid.
    if accepted and text == text.strip():
        assert said, f"{text!r} is accepted but the pattern refuses it"


def test_every_refusal_has_a_reason_in_french_and_in_english() -> None:
    for code in ("control_character", "bidi_control", "markup", "looks_like_an_address", "string_unicode"):
        french, english = (reason(code, {}, lang) for lang in (0, 1))
        assert code in REASONS and french != english, code
        assert "{" not in french.replace("{ }", ""), french  # the format placeholders were filled or escaped


def test_a_model_field_keeps_its_pattern_in_the_json_schema() -> None:
    class Message(BaseModel):
        body: MultilineText
        author: FirstName | None = None

    properties: dict[str, Any] = Message.model_json_schema()["properties"]
    assert properties["body"]["pattern"] == LINES.json_schema()["pattern"]
    assert properties["author"]["anyOf"][0]["pattern"] == NAME.json_schema()["pattern"]
