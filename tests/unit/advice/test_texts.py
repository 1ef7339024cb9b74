"""Texts: vous and tu, grammatical gender, placeholders, numbers, and the estimate marker."""

from __future__ import annotations

import pytest

from services.advice.catalogue import catalogue
from services.advice.modules.base import Reason
from services.advice.render import NO_LABELS, Labels, Renderer, load_labels
from services.advice.texts import format_number, format_share
from shared.contracts.vocabulary import Gender
from shared.messages import MessageError, compile_message
from shared.settings import default_data_dir


def test_gender_alternatives_follow_the_person() -> None:
    text = compile_message({"fr": "Vous êtes prêt{|e}.", "fr@tu": "Tu es prêt{|e}.", "en": "You are ready."})
    assert text.render("fr", "m") == "Vous êtes prêt."
    assert text.render("fr", "f") == "Vous êtes prête."
    assert text.render("fr", "n") == "Vous êtes prêt·e."
    assert text.render("fr@tu", "f") == "Tu es prête."
    assert text.render("en", "f") == "You are ready."


def test_an_explicit_neutral_form_wins() -> None:
    text = compile_message({"fr": "{Un|Une|Une personne} {acteur|actrice|actrice ou acteur}", "en": "An actor"})
    assert text.render("fr", "n") == "Une personne actrice ou acteur"
    assert text.render("fr", "m") == "Un acteur"


def test_tu_falls_back_to_impersonal_french_only() -> None:
    impersonal = compile_message({"fr": "Faire relire son CV", "en": "Have your CV reviewed"})
    assert impersonal.render("fr@tu") == "Faire relire son CV"
    with pytest.raises(MessageError, match="fr@tu"):
        compile_message({"fr": "Faites relire votre CV", "en": "Have your CV reviewed"})
    with pytest.raises(MessageError, match="says vous"):
        compile_message({"fr": "Faites relire votre CV", "fr@tu": "Fais relire votre CV", "en": "x"})
    # "rendez-vous" is a noun, not a way to address the person.
    assert compile_message({"fr": "Prendre rendez-vous", "en": "Book"}).render("fr@tu") == "Prendre rendez-vous"


def test_placeholders_must_match_across_locales() -> None:
    with pytest.raises(MessageError, match="placeholders differ"):
        compile_message({"fr": "{months} mois", "en": "{weeks} weeks"})
    with pytest.raises(MessageError, match="unknown locales"):
        compile_message({"fr": "x", "en": "x", "de": "x"})


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
    renderer = Renderer(catalogue(), "fr@tu", Gender.MASCULINE, Labels({}, {"33": "Gironde"}, {"33": 3}))
    seasonal = renderer.reason(Reason("seasonal-job", (("seasonal_share", 0.4), ("best_month", 7)), estimate=False))
    assert seasonal == "40\u202f% des offres de ce métier sont saisonnières, surtout en juillet."
    values = (
        ("in_departement", "33"),
        ("alternative_offers", 9.0),
        ("job", "K2204"),
        ("offers_per_10_candidates", 2.0),
    )
    moved = renderer.reason(Reason("departement-better", values))
    # Issue 18: "en Gironde" from the name's type (before: "en {departement}", which gave "en Rhône").
    assert "ce métier recrute davantage en Gironde : 9,0 offres pour 10 candidats, contre 2,0 dans ton" in moved
    assert renderer.reason(Reason("search-months", (("months", 7),))) == "Tu cherches depuis 7 mois."


@pytest.mark.parametrize(
    ("code", "name", "name_type", "said"),
    [
        ("69", "Rhône", 2, "dans le Rhône"),
        ("33", "Gironde", 3, "en Gironde"),
        ("40", "Landes", 4, "dans les Landes"),
        ("01", "Ain", 5, "dans l'Ain"),
        ("35", "Ille-et-Vilaine", 1, "en Ille-et-Vilaine"),
        ("77", "Seine-et-Marne", 0, "en Seine-et-Marne"),
        ("75", "Paris", 0, "à Paris"),
        ("90", "Territoire de Belfort", 2, "dans le Territoire de Belfort"),
    ],
)
def test_a_departement_takes_its_own_preposition(code: str, name: str, name_type: int, said: str) -> None:
    labels = Labels({}, {code: name}, {code: name_type})
    assert labels.in_departement(code, "fr") == said
    assert labels.in_departement(code, "fr@tu") == said
    assert labels.in_departement(code, "en") == f"in {name}"


def test_the_real_geography_gives_each_departement_its_preposition() -> None:
    labels = load_labels(default_data_dir())
    if labels is NO_LABELS:
        pytest.skip("no reference data beside the repository")
    said = {code: labels.in_departement(code, "fr") for code in ("69", "33", "01", "59", "12", "13", "75", "2A")}
    assert said == {
        "69": "dans le Rhône",
        "33": "en Gironde",
        "01": "dans l'Ain",
        "59": "dans le Nord",
        "12": "dans l'Aveyron",
        "13": "dans les Bouches-du-Rhône",
        "75": "à Paris",
        "2A": "en Corse-du-Sud",
    }


@pytest.mark.parametrize(
    ("locale", "interviews", "said"),
    [
        ("fr", 0, "Vos candidatures ont mené à 0 entretien jusqu'ici."),
        ("fr", 1, "Vos candidatures ont mené à 1 entretien jusqu'ici."),
        ("fr", 2, "Vos candidatures ont mené à 2 entretiens jusqu'ici."),
        ("fr@tu", 1, "Tes candidatures ont mené à 1 entretien jusqu'ici."),
        ("en", 0, "Your applications have led to 0 interviews so far."),
        ("en", 1, "Your applications have led to 1 interview so far."),
        ("en", 3, "Your applications have led to 3 interviews so far."),
    ],
)
def test_words_agree_with_their_number(locale: str, interviews: int, said: str) -> None:
    renderer = Renderer(catalogue(), locale, Gender.FEMININE)
    assert renderer.reason(Reason("applications-without-interviews", (("interviews", interviews),))) == said


def test_plural_forms_are_written_once_in_the_text() -> None:
    text = compile_message({"fr": "{n} {n#offre|offres} pour {p|e}", "en": "{n} {n#offer|offers}"})
    assert text.fields == frozenset({"n"})
    assert text.render("fr", "f", {"n": "1"}, {"n": 1}) == "1 offre pour e"
    assert text.render("fr", "m", {"n": "1,5"}, {"n": 1.5}) == "1,5 offre pour p"
    assert text.render("en", "m", {"n": "2"}, {"n": 2}) == "2 offers"
    with pytest.raises(MessageError, match="placeholders differ"):
        compile_message({"fr": "{n#offre|offres}", "en": "{m#offer|offers}"})
