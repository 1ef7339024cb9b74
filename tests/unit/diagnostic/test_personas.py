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
    facts = market(rome=rome, **persona.market) if the_project.rome_code else None
    return diagnose(basis(the_project, *others, **persona.profile), the_project, facts, TODAY)


def test_there_are_at_least_30_personas_covering_every_main_challenge() -> None:
    assert len(PERSONAS) >= 30
    assert len({p.id for p in PERSONAS}) == len(PERSONAS)
    assert {p.main for p in PERSONAS} == {*MainChallenge, None}


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.id)
def test_persona_gets_the_expected_main_challenge_and_reasons(persona: Persona) -> None:
    diagnosis = diagnosis_of(persona)
    assert diagnosis.main_challenge is persona.main, persona.story
    if persona.main is None:
        assert diagnosis.missing_fields[: len(persona.missing)] == persona.missing
        assert diagnosis.overall_score is None
        return
    main = next(c for c in diagnosis.challenges if c.challenge is persona.main)
    assert main.status in ("needs-attention", "relevant-and-good")
    assert set(persona.reasons) <= {r.code for r in main.reasons}, [r.code for r in main.reasons]
    assert diagnosis.overall_score is not None and 0 <= diagnosis.overall_score <= 100


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
