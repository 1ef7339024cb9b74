"""The one message engine: locales, grammatical gender, plurals and placeholders, and its errors at load time."""

from __future__ import annotations

import pytest

from shared.contracts.vocabulary import Gender
from shared.messages import MessageError, compile_message, compile_template, gender_form, is_singular, template_at


@pytest.mark.parametrize(
    ("locale", "count", "said"),
    [
        ("fr", 0, "0 entretien"),
        ("fr", 1, "1 entretien"),
        ("fr", 1.5, "1.5 entretien"),
        ("fr", 2, "2 entretiens"),
        ("fr@tu", 2, "2 entretiens"),
        ("en", 0, "0 interviews"),
        ("en", 1, "1 interview"),
        ("en", 2, "2 interviews"),
    ],
)
def test_a_word_agrees_with_its_number_by_the_locales_rule(locale: str, count: float, said: str) -> None:
    message = compile_message({"fr": "{n} {n#entretien|entretiens}", "en": "{n} {n#interview|interviews}"})
    assert message.render(locale, "n", {"n": count}) == said


def test_a_word_without_its_number_keeps_its_plural() -> None:
    assert compile_template("{n#offre|offres}").render("fr") == "offres"


@pytest.mark.parametrize(
    ("gender", "said"),
    [
        (Gender.MASCULINE, "Vous êtes prêt et inscrit."),
        (Gender.FEMININE, "Vous êtes prête et inscrite."),
        (Gender.UNKNOWN, "Vous êtes prêt·e et inscrit·e."),
        (Gender.CUSTOM, "Vous êtes prêt·e et inscrit·e."),
    ],
)
def test_gender_picks_the_persons_form_and_an_unknown_gender_reads_the_inclusive_one(gender: Gender, said: str) -> None:
    template = compile_template("Vous êtes {prêt|prête} et inscrit{|e}.")
    assert template.render("fr", gender) == said
    assert template.render("fr", gender_form(gender)) == said


def test_a_third_form_replaces_the_inclusive_one_and_unrelated_words_are_both_shown() -> None:
    template = compile_template("{inscrit|inscrite|avec un compte}, {acteur|actrice}")
    assert template.render("fr", Gender.UNKNOWN) == "avec un compte, acteur / actrice"
    assert template.render("fr", Gender.FEMININE) == "inscrite, actrice"


def test_tu_falls_back_to_french_only_where_the_text_does_not_address_the_person() -> None:
    impersonal = compile_message({"fr": "Faire relire son CV", "en": "Have your CV reviewed"})
    assert impersonal.render("fr@tu") == "Faire relire son CV"
    addressed = compile_message({"fr": "Votre CV", "fr@tu": "Ton CV", "en": "Your CV"})
    assert [addressed.render(locale) for locale in ("fr", "fr@tu", "en")] == ["Votre CV", "Ton CV", "Your CV"]
    with pytest.raises(MessageError, match="fr@tu"):
        compile_message({"fr": "Votre CV", "en": "Your CV"})
    assert compile_message({"fr": "Votre CV", "en": "Your CV"}, addresses_person=False).render("fr@tu") == "Votre CV"


def test_values_go_through_the_services_formats() -> None:
    template = template_at("{low:money} à {high:money}", "hints.salary", kinds=frozenset({"money"}))
    said = template.render("fr", "n", {"low": 1, "high": 2}, formatter=lambda name, kind, value: f"{kind}:{value}")
    assert said == "money:1 à money:2"
    assert template.render("fr") == "{low:money} à {high:money}"  # bare: the placeholders show


def test_jinja_is_left_for_the_layout() -> None:
    template = compile_template("{{ first_name }}, {% if x %}{prêt|prête}{% endif %} {count#autre|autres}")
    assert template.render("fr", Gender.FEMININE, {"count": 1}) == "{{ first_name }}, {% if x %}prête{% endif %} autre"
    assert template.fields == frozenset({"count"})


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("Il est {prêt|prête", "unmatched '{'"),
        ("Il est prêt}", "unmatched '}'"),
        ("{a|b|c|d}", "cannot read '{a|b|c|d}'"),
        ("{n#offre}", "cannot read '{n#offre}'"),
        ("{}", "cannot read '{}'"),
    ],
)
def test_a_malformed_text_is_refused_at_load_time_naming_its_file_and_key(text: str, error: str) -> None:
    with pytest.raises(MessageError, match=r"^reasons\.yaml: market\.low \(fr\): ") as raised:
        compile_message({"fr": text, "en": "x"}, where="reasons.yaml: market.low")
    assert error in str(raised.value)


def test_an_unknown_format_or_placeholder_is_refused_at_load_time() -> None:
    with pytest.raises(MessageError, match=r"common\.yaml: hints\.salary: unknown formats \['euros'\]"):
        template_at("{low:euros}", "common.yaml: hints.salary", kinds=frozenset({"money"}))
    with pytest.raises(MessageError, match="placeholders differ"):
        compile_message({"fr": "{months} mois", "en": "{weeks} weeks"}, where="x.yaml: k")
    with pytest.raises(MessageError, match=r"no value for \{n\}"):
        compile_template("{n} offres").render("fr", "n", {})


def test_french_is_singular_for_zero_and_one_english_for_one_only() -> None:
    assert [is_singular(n, "fr") for n in (0, 1, 2)] == [True, True, False]
    assert [is_singular(n, "en") for n in (0, 1, 2)] == [False, True, False]
