"""The texts are data: complete in every locale, consistent placeholders, genders resolved."""

from __future__ import annotations

import re

import pytest

from services.diagnostic.challenges import FIELD_PRIORITY
from services.diagnostic.texts import TextCatalogue, catalogue
from shared.contracts.vocabulary import Gender, Locale, MainChallenge

_PLACEHOLDER = re.compile(r"\{(\w+)(?::\w+)?\}")
_VOUS = re.compile(r"\b(vous|votre|vos|vôtre)\b", re.IGNORECASE)


def entries(texts: TextCatalogue) -> list[tuple[str, dict[str, str]]]:
    found = []
    for section, items in texts.sections.items():
        for key, entry in items.items():
            found.append((f"{section}.{key}", entry))
            if isinstance(entry.get("why"), dict):
                found.append((f"{section}.{key}.why", entry["why"]))
    return found


@pytest.mark.parametrize(("key", "entry"), entries(catalogue()), ids=lambda x: x if isinstance(x, str) else "")
def test_every_text_exists_in_french_and_english_with_the_same_placeholders(key: str, entry: dict[str, str]) -> None:
    assert isinstance(entry.get("fr"), str), key
    assert isinstance(entry.get("en"), str), key
    expected = set(_PLACEHOLDER.findall(entry["fr"]))
    for locale in ("en", "fr@tu"):
        if locale in entry:
            assert set(_PLACEHOLDER.findall(entry[locale])) == expected, (key, locale)


@pytest.mark.parametrize(("key", "entry"), entries(catalogue()), ids=lambda x: x if isinstance(x, str) else "")
def test_texts_that_say_vous_have_a_tu_version(key: str, entry: dict[str, str]) -> None:
    if _VOUS.search(entry["fr"]):
        assert "fr@tu" in entry, key
        assert not _VOUS.search(entry["fr@tu"]), key


def test_every_challenge_status_topic_and_question_has_a_text() -> None:
    texts = catalogue()
    assert {c.value for c in MainChallenge} <= set(texts.sections["challenges"])
    assert {c.value for c in MainChallenge} - {"bravo"} <= set(texts.sections["overall_text"])
    assert set(FIELD_PRIORITY) <= set(texts.sections["fields"])


def test_gender_alternatives_follow_the_person() -> None:
    texts = catalogue()

    def render(gender: Gender) -> str:
        return texts.render("overall", "start-your-search.default", locale=Locale.FR, gender=gender)

    assert "prête" in render(Gender.FEMININE)
    assert "prêt " in render(Gender.MASCULINE)
    assert "prêt·e" in render(Gender.UNKNOWN)


def test_numbers_money_and_shares_are_written_the_french_or_english_way() -> None:
    texts = catalogue()
    params = {"low": 21600, "high": 28000.0}
    assert texts.render("hints", "salary", locale=Locale.FR, params=params) == (
        "En général, ce métier est payé de 21\u202f600\u202f€ à 28\u202f000\u202f€ brut par an."
    )
    assert "€21,600" in texts.render("hints", "salary", locale=Locale.EN, params=params)
    share = texts.render("hints", "contract", locale=Locale.FR, params={"contract": "CDI", "share": 0.625})
    assert "62\u202f%" in share and "le CDI" in share
    assert "2,5 offres" in texts.render("reasons", "market.tension-low", locale=Locale.FR, params={"offers": 2.5})
