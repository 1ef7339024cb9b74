"""Properties over generated people: a diagnosis for everyone, questions only from the questionnaire,
and nothing decided from a figure of the market model.

Profiles are drawn over every enumeration value, with any field left unanswered, 1 to 5 projects
(the diagnosed one and up to 4 others), and with no market facts, official ones or the model's.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.diagnostic.diagnose import diagnose
from services.diagnostic.models import Diagnosis
from services.diagnostic.questionnaire import QUESTIONS
from services.diagnostic.render import Renderer
from shared.contracts.diagnostic import AlternativeMarket, MarketFacts, Provenance
from shared.contracts.profile import ProfileUpdatedData, ProjectFacts
from shared.contracts.questionnaire import asked
from shared.contracts.vocabulary import (
    AreaType,
    Degree,
    DrivingLicense,
    EmploymentType,
    FamilySituation,
    Frequency,
    Frustration,
    Gender,
    Locale,
    MainChallenge,
    PassionLevel,
    PreviousJobSimilarity,
    ProjectKind,
    Seniority,
    TrainingFulfillment,
)
from tests.unit.diagnostic.builders import TODAY, basis, market, project
from tests.unit.diagnostic.test_questionnaire import questionnaire_steps

ROMES = ("D1202", "N1103", "M1203", "J1506", "K1207", "E1106", "M1805", "H2913", "G1602", "K2204")
PLACES = (("69123", "69"), ("59512", "59"), ("75056", "75"), ("97411", "974"), ("29019", "29"))
ASKED_BY_THE_QUESTIONNAIRE = set(questionnaire_steps())
MARKET_VERDICTS = ("market.tension-low", "market.tension-ok", "market.tension-good", "market.easy", "market.not-easy")


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


def enum(values: Any) -> st.SearchStrategy[Any]:
    return maybe(st.sampled_from(list(values)))


# Every strategy is built once, here: building one inside a draw made Hypothesis validate it again for each
# generated person, which cost more than the diagnosis. The people drawn are the same.
_BOOL = st.booleans()
_PLACE = maybe(st.sampled_from(PLACES))
_SEARCH = st.sampled_from(["started", "not-started", "unknown-date", "unanswered"])
_ROME = st.sampled_from(ROMES)
_MAYBE_ROME = maybe(_ROME)
_KIND = enum(ProjectKind)
_SIMILARITY = enum(PreviousJobSimilarity)
_SENIORITY = enum(Seniority)
_TRAINING = enum(TrainingFulfillment)
_PASSION = enum(PassionLevel)
_FREQUENCY = enum(Frequency)
_INTERVIEWS = maybe(st.integers(-1, 40))
_NETWORK = maybe(st.integers(1, 3))
_AREA = enum(AreaType)
_MIN_SALARY = maybe(st.integers(12_000, 90_000))
_EMPLOYMENT_TYPES = st.lists(st.sampled_from(list(EmploymentType)), max_size=3, unique=True)
_MAYBE_BOOL = maybe(_BOOL)
_SELF_DIAGNOSTIC = enum(MainChallenge)
_DAYS = st.integers(0, 900)
_OTHER_PROJECTS = st.integers(0, 4)
_GENDER = st.sampled_from(list(Gender))
_YEAR_OF_BIRTH = maybe(st.integers(1940, 2008))
_DEGREE = enum(Degree)
_FAMILY = enum(FamilySituation)
_LICENCES = st.lists(st.sampled_from(list(DrivingLicense)), max_size=2, unique=True)
_FRUSTRATIONS = st.lists(st.sampled_from(list(Frustration)), max_size=4, unique=True)
_PROVENANCE: st.SearchStrategy[Provenance] = st.sampled_from(["real", "synthetic"])
_FIGURES = {
    name: st.floats(lo, hi)
    for name, lo, hi in (
        ("seasonal_share", 0, 1),
        ("best_month", 1, 12),
        ("salary_gross_yearly_p25", 18_000, 30_000),
        ("salary_gross_yearly_p75", 30_000, 60_000),
        ("cdi_share", 0, 1),
        ("cdd_share", 0, 1),
        ("application_network_share", 0, 1),
        ("application_spontaneous_share", 0, 1),
    )
}
_TENSION = st.floats(0.5, 30)
_RELATION = st.sampled_from(["close-job", "evolution", "neighbour-departement", "other-departement"])
_ALTERNATIVES = st.integers(0, 2)
_OFFERS = maybe(st.floats(0, 40))
_RANK = maybe(st.integers(0, 5))


@st.composite
def projects(draw: st.DrawFn, project_id: str) -> ProjectFacts:
    place = draw(_PLACE)
    search = draw(_SEARCH)
    return project(
        project_id=project_id,
        rome_code=draw(_MAYBE_ROME),
        job_code_ogr=None,
        city_insee=place[0] if place else None,
        departement=place[1] if place else None,
        kind=draw(_KIND),
        previous_job_similarity=draw(_SIMILARITY),
        seniority=draw(_SENIORITY),
        training_fulfillment_estimate=draw(_TRAINING),
        passionate_level=draw(_PASSION),
        weekly_applications_estimate=draw(_FREQUENCY),
        weekly_offers_estimate=draw(_FREQUENCY),
        total_interview_count=draw(_INTERVIEWS),
        network_estimate=draw(_NETWORK),
        area_type=draw(_AREA),
        min_salary=draw(_MIN_SALARY),
        employment_types=draw(_EMPLOYMENT_TYPES),
        has_resume=draw(_MAYBE_BOOL),
        original_self_diagnostic=draw(_SELF_DIAGNOSTIC),
        job_search_has_not_started={"not-started": True, "unknown-date": False}.get(search),
        job_search_started_at=TODAY - timedelta(days=draw(_DAYS)) if search == "started" else None,
    )


@st.composite
def people(draw: st.DrawFn) -> ProfileUpdatedData:
    first = draw(projects("p1"))
    others = [draw(projects(f"p{i}")) for i in range(2, 2 + draw(_OTHER_PROJECTS))]
    return basis(
        first,
        *others,
        gender=draw(_GENDER),
        year_of_birth=draw(_YEAR_OF_BIRTH),
        highest_degree=draw(_DEGREE),
        family_situation=draw(_FAMILY),
        has_handicap=draw(_MAYBE_BOOL),
        driving_licenses=draw(_LICENCES),
        frustrations=draw(_FRUSTRATIONS),
    )


@st.composite
def markets(draw: st.DrawFn, the_project: ProjectFacts) -> MarketFacts | None:
    if the_project.rome_code is None or the_project.departement is None or (draw(_BOOL) and draw(_BOOL)):
        return None
    provenance: Provenance = draw(_PROVENANCE)
    figures = {name: draw(values) for name, values in _FIGURES.items() if draw(_BOOL)}
    alternatives = [
        AlternativeMarket(
            rome_code=draw(_ROME),
            departement=the_project.departement,
            offers_per_10_candidates=draw(_TENSION),
            provenance=provenance,
            relation=draw(_RELATION),
            dataset="market-model@1" if provenance == "synthetic" else "imt-market-score@test",
        )
        for _ in range(draw(_ALTERNATIVES))
    ]
    return market(
        draw(_OFFERS),
        rome=the_project.rome_code,
        departement=the_project.departement,
        rank=draw(_RANK),
        experience_route=draw(_BOOL),
        regulated=draw(_BOOL),
        provenance=provenance,
        alternatives=alternatives,
        **figures,
    )


def without_the_models_figures(facts: MarketFacts) -> MarketFacts:
    """Return the same facts with every figure and alternative of the market model removed."""
    return facts.model_copy(
        update={
            "figures": [f for f in facts.figures if f.provenance == "real"],
            "alternatives": [a for a in facts.alternatives if a.provenance == "real"],
        }
    )


def assert_a_full_diagnosis(diagnosis: Diagnosis) -> None:
    assert diagnosis.main_challenge is not None
    assert diagnosis.overall_score is not None and 0 <= diagnosis.overall_score <= 100
    assert diagnosis.overall_sentence != "missing-data"
    for locale in Locale:
        view = Renderer(locale=locale).diagnosis(diagnosis, diagnosis_id="d", fingerprint="f")
        assert view.main_challenge_label and view.overall_sentence and view.overall_text
        assert "{" not in view.overall_sentence and "—" not in view.overall_sentence
        assert [q.field for q in view.questions] == view.missing_fields


PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(data=st.data())
def test_job_and_place_give_a_main_challenge_a_score_and_a_sentence(data: st.DataObject) -> None:
    person = data.draw(people())
    the_project = person.projects[0]
    diagnosis = diagnose(person, the_project, data.draw(markets(the_project)), TODAY)
    # Everyone gets one; with a job and a place the brief's promise is explicit.
    assert_a_full_diagnosis(diagnosis)
    if the_project.rome_code is None and len(person.projects) == 1:
        assert diagnosis.main_challenge is MainChallenge.UNDEFINED_PROJECT


@PROPERTY
@given(data=st.data())
def test_every_missing_field_is_a_question_the_questionnaire_asks_this_person(data: st.DataObject) -> None:
    person = data.draw(people())
    the_project = person.projects[0]
    diagnosis = diagnose(person, the_project, data.draw(markets(the_project)), TODAY)
    fields = [*diagnosis.missing_fields, *(f for c in diagnosis.challenges for f in c.missing_fields)]
    for name in fields:
        assert name in ASKED_BY_THE_QUESTIONNAIRE, name
        assert asked(name, the_project), name
        assert name in QUESTIONS, name
    if the_project.previous_job_similarity is PreviousJobSimilarity.NEVER_DONE:
        assert "seniority" not in fields
    assert len(set(diagnosis.missing_fields)) == len(diagnosis.missing_fields)


@PROPERTY
@given(data=st.data())
def test_no_verdict_score_or_suggestion_comes_from_a_figure_of_the_market_model(data: st.DataObject) -> None:
    person = data.draw(people())
    the_project = person.projects[0]
    facts = data.draw(markets(the_project))
    diagnosis = diagnose(person, the_project, facts, TODAY)
    for observation in diagnosis.observations():
        if any(s.provenance == "synthetic" for s in observation.sources):
            assert observation.id == "market.demo-figures" and observation.score is None
    for outcome in diagnosis.challenges:
        assert all(s.provenance != "synthetic" for s in outcome.sources), outcome
    if facts is None:
        return
    # The same person with the model's figures taken away: the very same conclusions.
    bare = diagnose(person, the_project, without_the_models_figures(facts), TODAY)
    assert diagnosis.main_challenge is bare.main_challenge
    assert diagnosis.overall_score == bare.overall_score
    assert (diagnosis.overall_sentence, diagnosis.overall_params) == (bare.overall_sentence, bare.overall_params)
    assert [(c.status, c.missing_fields) for c in diagnosis.challenges] == [
        (c.status, c.missing_fields) for c in bare.challenges
    ]
    assert {s.topic: s.score for s in diagnosis.sub_diagnoses} == {s.topic: s.score for s in bare.sub_diagnoses}
    if all(f.provenance == "synthetic" for f in facts.figures if f.name != "required_degree_rank"):
        reasons = {r.code for c in diagnosis.challenges for r in c.reasons}
        assert not reasons & set(MARKET_VERDICTS)
