"""Issue 18, "words": every advice, reason, strategy and action text a person reads, in fr, fr@tu and en,
feminine and masculine, over generated people: no "(s)", no "·" for a person who gave a gender, no internal
code, file, version tag or licence, nothing French on an English page, no doubled space, no missed elision,
and each département with its own preposition."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings

from services.advice import repository as repo
from services.advice.catalogue import catalogue
from services.advice.modules.base import Reason
from services.advice.planning import advice_view
from services.advice.recommend import recommend
from services.advice.render import NO_LABELS, Wording
from shared.contracts.diagnostic import FIGURE_NAMES, DiagnosisReadyData
from shared.contracts.vocabulary import Gender
from tests.support import words
from tests.unit.advice.generated import diagnoses
from tests.unit.advice.personas import SUBJECT, TODAY

CONTENT = catalogue()
LABELS = words.LABELS
WORDING = Wording(CONTENT, LABELS)
LOCALES = ("fr", "fr@tu", "en")
GENDERS = (Gender.FEMININE, Gender.MASCULINE)
IDS = (set(CONTENT.advice) | set(CONTENT.reasons) | set(CONTENT.actions) | {s.id for s in CONTENT.strategies}) - {
    "training",
    "events",
    "senior",
    "volunteer",
    "immersion",
    "jobflix",
    "vae",
    "cpf",
    "commute",
    "relocate",
}
# Ids that are also plain words of a text ("follow-up" in English): not codes when read.
WORDS = {"follow-up"}
# A catalogue id with a hyphen, read in a text: an internal code shown to a person.
ID = re.compile(
    r"(?<![\w-])("
    + "|".join(sorted((re.escape(i) for i in IDS - WORDS if "-" in i), key=len, reverse=True))
    + r")(?![\w-])"
)
# Values a reason may cite, in two sets: singular and plural numbers, each kind of département name.
SAMPLES: list[dict[str, str | int | float]] = [
    {
        "months": 1,
        "interviews": 1,
        "count": 1,
        "age": 62,
        "job": "M1203",
        "departement": "69",
        "in_departement": "69",
        "alternative_offers": 6.5,
        "best_month": 6,
        "salary_gross_yearly_median": 21000.0,
    },
    {
        "months": 8,
        "interviews": 0,
        "count": 3,
        "age": 24,
        "job": "N4105",
        "departement": "33",
        "in_departement": "12",
        "alternative_offers": 12.0,
        "best_month": 1,
        "salary_gross_yearly_median": 35000.0,
    },
]
for _sample in SAMPLES:
    _sample.update({name: 0.42 for name in FIGURE_NAMES if name.endswith("_share")})
    _sample["offers_per_10_candidates"] = 2.5


def pages(data: DiagnosisReadyData) -> dict[tuple[str, Gender], list[str]]:
    """Return every text the person may read about this recommendation, per locale and gender."""
    recommendation = recommend(data, TODAY, CONTENT)
    doc = repo.plan_doc(
        SUBJECT,
        data.project_id,
        profile_revision=data.profile_revision,
        diagnosis_id=data.diagnosis_id,
        diagnosis_fingerprint=data.fingerprint,
        main_challenge=data.main_challenge,
        advice=recommendation.advice,
        strategies=recommendation.strategies,
        fingerprint="f" * 32,
        now=datetime(2026, 11, 23, 8, tzinfo=UTC),
    )
    person = repo.person_from_profile(SUBJECT, data.basis, None)
    found: dict[tuple[str, Gender], list[str]] = {}
    for locale in LOCALES:
        for gender in GENDERS:
            view = advice_view(
                SUBJECT, replace(person, settings=replace(person.settings, gender=gender)), [doc], WORDING, locale
            )
            texts: list[str] = []
            for card in view.projects[0].advice:
                texts += [card.title, card.pitch, *card.tips, *card.reasons]
                if card.resource:
                    texts.append(card.resource.label)
            for strategy in view.projects[0].strategies:
                texts += [strategy.title, strategy.description]
            renderer = WORDING.renderer(locale, gender)
            for proposal in recommendation.proposals:
                template = CONTENT.actions[proposal.template_id]
                texts += [renderer.text(template.title), renderer.text(template.description)]
                texts.append(renderer.text(template.resource.label))
            found[(locale, gender)] = texts
    return found


def problems(text: str, locale: str) -> list[str]:
    """Return what is wrong with one text a person reads (tests/support/words.py), catalogue ids included."""
    return words.problems(text, locale, ids=ID)


@pytest.mark.skipif(LABELS is NO_LABELS, reason="no reference data beside the repository")
@settings(max_examples=120, deadline=None)
@given(diagnoses())
def test_every_text_a_person_reads_is_well_written_in_every_locale_and_gender(data: DiagnosisReadyData) -> None:
    for (locale, gender), texts in pages(data).items():
        for text in texts:
            assert not problems(text, locale), (locale, gender.value, text, problems(text, locale))


def test_every_catalogue_text_is_well_written_in_every_locale_and_gender() -> None:
    # The texts the generated people may not reach (a rare advice, a tip): the same checks, on the catalogue.
    texts: list[tuple[str, str]] = []
    for locale in LOCALES:
        for gender in ("m", "f"):
            for entry in CONTENT.advice.values():
                for text in (entry.title, entry.pitch, *entry.tips):
                    texts.append((locale, text.render(locale, gender)))
                if entry.resource:
                    texts.append((locale, entry.resource.label.render(locale, gender)))
            for strategy in CONTENT.strategies:
                texts += [
                    (locale, strategy.title.render(locale, gender)),
                    (locale, strategy.description.render(locale, gender)),
                ]
            for action in CONTENT.actions.values():
                for text in (action.title, action.description, action.resource.label):
                    texts.append((locale, text.render(locale, gender)))
            for tip in CONTENT.job_lists.specific_advice:
                texts += [(locale, t.render(locale, gender)) for t in tip.tips]
        for gender_of in GENDERS if LABELS is not NO_LABELS else ():  # reasons name jobs and places
            renderer = WORDING.renderer(locale, gender_of)
            for key, text in CONTENT.reasons.items():
                for sample in SAMPLES:
                    values = tuple((name, sample[name]) for name in sorted(text.fields - {"estimate"}))
                    texts.append((locale, renderer.reason(Reason(key, values))))
    wrong = [(locale, text, problems(text, locale)) for locale, text in texts if problems(text, locale)]
    assert not wrong, wrong


def test_the_checks_catch_what_people_met() -> None:
    # What issue 18 quotes, each caught.
    met: list[tuple[str, str]] = [
        ("fr", "2 entretien(s) en 8 mois."),
        ("fr", "Vous êtes prêt·e."),
        ("fr", "Vous nous avez dit que une formation vous manque."),
        ("fr", "Le marché en Rhône."),
        ("fr", "market-model@1 — voir docs/DATA.md"),
        ("fr", "AGPL-3.0-or-later (code du coach)"),
        ("fr", "Ce métier (K2204) recrute."),
        ("fr", "Répondez à  weekly_offers_estimate."),
        ("en", "Offres pour 10 candidats"),
        ("en", "You have been looking for 8 months, dans le Rhône."),
    ]
    for locale, text in met:
        assert problems(text, locale), text
    assert not problems("This job hires more in Gironde, another département.", "en")
    assert not problems("Prenez le temps de le chercher, puis de les contacter.", "fr")
    assert problems("La liste de les offres.", "fr") and problems("Allez à le salon.", "fr")
    assert not problems("« Nettoyage de locaux », un métier proche, compte 6,5 offres pour 10 candidats.", "fr")
