"""The personas get the main challenge and the reasons we expect, and their diagnosis reads well."""

from __future__ import annotations

import pytest

from services.diagnostic.diagnose import diagnose
from services.diagnostic.models import Diagnosis
from services.diagnostic.render import Renderer
from shared.contracts.vocabulary import Gender, Locale, MainChallenge
from tests.unit.diagnostic.builders import TODAY, basis, market, project
from tests.unit.diagnostic.personas import PERSONAS, Persona


def diagnosis_of(persona: Persona) -> Diagnosis:
    the_project = project(**persona.project)
    others = [project(**p) for p in persona.other_projects]
    rome = the_project.rome_code or "D1202"
    # The personas are diagnosed as on a service with official statistics: the market figures are real.
    facts = market(rome=rome, provenance="real", **persona.market) if the_project.rome_code else None
    return diagnose(basis(the_project, *others, **persona.profile), the_project, facts, TODAY)


def test_there_are_at_least_30_personas_covering_every_main_challenge() -> None:
    assert len(PERSONAS) >= 30
    assert len({p.id for p in PERSONAS}) == len(PERSONAS)
    assert {p.main for p in PERSONAS} == set(MainChallenge)


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.id)
def test_persona_gets_the_expected_main_challenge_and_reasons(persona: Persona) -> None:
    diagnosis = diagnosis_of(persona)
    assert diagnosis.main_challenge is persona.main, persona.story
    assert diagnosis.missing_fields[: len(persona.missing)] == persona.missing
    main = next(c for c in diagnosis.challenges if c.challenge is persona.main)
    assert main.status in ("needs-attention", "relevant-and-good")
    assert set(persona.reasons) <= {r.code for r in main.reasons}, [r.code for r in main.reasons]
    assert diagnosis.overall_score is not None and 0 <= diagnosis.overall_score <= 100
    assert diagnosis.overall_sentence != "missing-data"


def test_only_documented_personas_differ_from_the_reference() -> None:
    differing = {p.id: (p.main, p.reference_main) for p in PERSONAS if p.reference_main is not None}
    # The experience route of the ROME (docs/DIAGNOSIS.md, "Deliberate differences").
    assert differing == {
        "accountant-just-laid-off": (MainChallenge.START_YOUR_SEARCH, MainChallenge.MISSING_DIPLOMA),
        "experience-instead-of-diploma": (MainChallenge.ENHANCE_METHODS_TO_INTERVIEW, MainChallenge.MISSING_DIPLOMA),
    }


def test_the_first_job_seeker_gets_a_priority_and_is_never_asked_his_years_of_experience() -> None:
    persona = next(p for p in PERSONAS if p.id == "first-job-seeker-roubaix")
    for provenance in ("real", "synthetic"):
        the_project = project(**persona.project)
        facts = market(rome="N1103", provenance=provenance, **persona.market)
        diagnosis = diagnose(basis(the_project, **persona.profile), the_project, facts, TODAY)
        assert diagnosis.main_challenge is MainChallenge.FIND_WHAT_YOU_LIKE
        assert diagnosis.overall_score is not None
        assert "seniority" not in diagnosis.missing_fields
        assert all("seniority" not in c.missing_fields for c in diagnosis.challenges)
        view = Renderer(locale=Locale.FR).diagnosis(diagnosis, diagnosis_id="d", fingerprint="f")
        assert view.main_challenge_label and view.overall_sentence
        assert "Encore quelques questions" not in view.overall_sentence


def test_the_accountant_who_skipped_the_interview_count_is_asked_it_beside_her_priority() -> None:
    persona = next(p for p in PERSONAS if p.id == "accountant-62-lyon")
    diagnosis = diagnosis_of(persona)
    assert diagnosis.overall_sentence == "enhance-methods-to-interview.unanswered"
    view = Renderer(locale=Locale.FR).diagnosis(diagnosis, diagnosis_id="d", fingerprint="f")
    [question] = view.questions
    assert question.field == "total_interview_count"
    none = next(a for a in question.answers if a.typed is None)
    assert none.changes == {"total_interview_count": 0}
    # The sentence asks rather than tells her she gets few interviews.
    assert "dites-nous combien" in view.overall_sentence


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.id)
def test_persona_diagnosis_renders_in_every_locale(persona: Persona) -> None:
    diagnosis = diagnosis_of(persona)
    for locale in Locale:
        for gender in (Gender.FEMININE, Gender.MASCULINE, Gender.UNKNOWN):
            view = Renderer(locale=locale, gender=gender).diagnosis(diagnosis, diagnosis_id="d", fingerprint="f")
            texts = [view.overall_sentence, view.overall_text]
            texts += [o.text for sub in view.sub_diagnostics for o in sub.observations]
            texts += [r.text for c in view.challenges for r in c.reasons]
            texts += [q.question for q in view.questions]
            assert all(t and "{" not in t and "[" not in t for t in texts), texts
            assert len(view.questions) == len(view.missing_fields)


def test_the_wrong_self_diagnosis_is_answered_kindly() -> None:
    persona = next(p for p in PERSONAS if p.id == "wrong-self-diagnosis")
    view = Renderer(locale=Locale.FR).diagnosis(diagnosis_of(persona), diagnosis_id="d", fingerprint="f")
    assert view.self_diagnostic is not None
    assert view.self_diagnostic.relation == "not-a-blocker"
    assert "Obtenir le diplôme demandé" in view.self_diagnostic.text


def test_a_stuck_market_with_a_close_job_says_so_in_its_sentence() -> None:
    persona = next(p for p in PERSONAS if p.id == "hairdresser-stuck-with-close-jobs")
    assert diagnosis_of(persona).overall_sentence == "stuck-market.close-jobs"
