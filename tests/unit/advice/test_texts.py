"""Texts: vous and tu, grammatical gender, placeholders, numbers, and the estimate marker."""

from __future__ import annotations

import pytest

from services.advice.catalogue import catalogue
from services.advice.modules.base import Reason
from services.advice.render import Labels, Renderer
from services.advice.texts import TextError, compile_text, format_number, format_share
from shared.contracts.vocabulary import Gender


def test_gender_alternatives_follow_the_person() -> None:
    text = compile_text({"fr": "Vous êtes prêt{|e}.", "fr@tu": "Tu es prêt{|e}.", "en": "You are ready."})
    assert text.render("fr", "m") == "Vous êtes prêt."
    assert text.render("fr", "f") == "Vous êtes prête."
    assert text.render("fr", "n") == "Vous êtes prêt·e."
    assert text.render("fr@tu", "f") == "Tu es prête."
    assert text.render("en", "f") == "You are ready."


def test_an_explicit_neutral_form_wins() -> None:
    text = compile_text({"fr": "{Un|Une|Une personne} {acteur|actrice|actrice ou acteur}", "en": "An actor"})
    assert text.render("fr", "n") == "Une personne actrice ou acteur"
    assert text.render("fr", "m") == "Un acteur"


def test_tu_falls_back_to_impersonal_french_only() -> None:
    impersonal = compile_text({"fr": "Faire relire son CV", "en": "Have your CV reviewed"})
    assert impersonal.render("fr@tu") == "Faire relire son CV"
    with pytest.raises(TextError, match="fr@tu"):
        compile_text({"fr": "Faites relire votre CV", "en": "Have your CV reviewed"})
    with pytest.raises(TextError, match="says vous"):
        compile_text({"fr": "Faites relire votre CV", "fr@tu": "Fais relire votre CV", "en": "x"})
    # "rendez-vous" is a noun, not a way to address the person.
    assert compile_text({"fr": "Prendre rendez-vous", "en": "Book"}).render("fr@tu") == "Prendre rendez-vous"


def test_placeholders_must_match_across_locales() -> None:
    with pytest.raises(TextError, match="placeholders differ"):
        compile_text({"fr": "{months} mois", "en": "{weeks} weeks"})
    with pytest.raises(TextError, match="unknown locales"):
        compile_text({"fr": "x", "en": "x", "de": "x"})


def test_numbers_follow_the_locale() -> None:
    assert format_number(4.2, "fr") == "4,2"
    assert format_number(4.2, "en") == "4.2"
    assert format_number(21000, "fr") == "21\u202f000"
    assert format_number(21000, "en") == "21,000"
    assert format_share(0.42, "fr") == "42\u202f%"
    assert format_share(0.42, "en") == "42%"


def test_a_reason_citing_a_synthetic_figure_says_it_is_an_estimate() -> None:
    renderer = Renderer(catalogue(), "fr", Gender.FEMININE, Labels({"K2202": "Propreté urbaine"}, {"01": "Ain"}))
    values = (("job", "K2202"), ("departement", "69"), ("alternative_offers", 6.5), ("offers_per_10_candidates", 2.0))
    estimate = renderer.reason(Reason("close-job-better", values, estimate=True))
    real = renderer.reason(Reason("close-job-better", values, estimate=False))
    assert estimate == "« Propreté urbaine », un métier proche, compte 6,5 offres pour 10 candidats (estimation)."
    assert real == "« Propreté urbaine », un métier proche, compte 6,5 offres pour 10 candidats."
    english = Renderer(catalogue(), "en", Gender.FEMININE).reason(Reason("close-job-better", values, estimate=True))
    assert english.endswith("(estimate).") and "K2202" in english  # no labels: the code stands in


def test_reasons_use_months_and_departement_names() -> None:
    renderer = Renderer(catalogue(), "fr@tu", Gender.MASCULINE, Labels({}, {"33": "Gironde"}))
    seasonal = renderer.reason(Reason("seasonal-job", (("seasonal_share", 0.4), ("best_month", 7)), estimate=False))
    assert seasonal == "40\u202f% des offres de ce métier sont saisonnières, surtout en juillet."
    moved = renderer.reason(
        Reason(
            "departement-better", (("departement", "33"), ("alternative_offers", 9.0), ("job", "K2204")), estimate=True
        )
    )
    assert moved.startswith("Ce métier recrute davantage en Gironde : 9,0 offres")
    assert renderer.reason(Reason("search-months", (("months", 7),))) == "Tu cherches depuis 7 mois."
