"""Issue 18, "no claim without a fact": what advice says about a person comes from an answer they gave to a
question of "Mes réponses"; nothing comes from a figure the market model invented; a move is suggested only
within the person's mobility, and no département is called neighbouring.

The properties run over generated people (tests/unit/advice/generated.py): every answer may be missing,
answers the questionnaire does not ask may be set anyway, and every market figure and alternative may be
official or synthetic.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings

from services.advice.advise import advise
from services.advice.catalogue import FIGURE_PLACEHOLDERS, catalogue
from services.advice.modules.base import AREA_RANK, situation_of
from services.advice.questionnaire import QUESTIONNAIRE
from services.advice.recommend import recommend
from services.advice.render import Renderer
from shared.contracts.diagnostic import AlternativeMarket, DiagnosisReadyData, MarketFacts, MarketFigure
from shared.contracts.vocabulary import AreaType, Gender
from tests.unit.advice.generated import diagnoses
from tests.unit.advice.personas import TODAY, diagnosis

CONTENT = catalogue()
# Reasons that cite a market figure (their text names one).
FIGURE_REASONS = frozenset(key for key, text in CONTENT.reasons.items() if text.fields & FIGURE_PLACEHOLDERS)
# Cards that exist only because of market figures or alternatives.
MARKET_CARDS = frozenset(
    {
        "better-job-in-group",
        "reorient-to-close-job",
        "reorient-jobbing",
        "contract-openness",
        "salary-expectations",
        "seasonal-timing",
        "hiring-difficulties",
        "commute",
        "relocate",
    }
)


def answered(name: str, data: DiagnosisReadyData, *, fully: bool = False) -> bool:
    """Return True when the person answered the question that sets this field (as the questionnaire reads it).

    ``fully``: nothing left to ask (a search "started, since a date not given" states a fact, and still
    leaves the date to ask).
    """
    profile = data.basis.profile
    project = next(p for p in data.basis.projects if p.project_id == data.project_id)
    if name == "job_search_started_at":  # the "search" step: since when, or not started, or started (date unknown)
        if fully:
            return project.job_search_started_at is not None or project.job_search_has_not_started is True
        return project.searching() is not None
    if name == "seniority":  # "none at all", or skipped after "never done this job", which answers it
        return project.seniority_rank is not None
    value: Any = getattr(profile, name) if name in type(profile).model_fields else getattr(project, name)
    return value not in (None, [])


@settings(max_examples=400, deadline=None)
@given(diagnoses())
def test_every_sentence_about_the_person_states_an_answer_they_gave_to_a_question_of_mes_reponses(
    data: DiagnosisReadyData,
) -> None:
    advice = recommend(data, TODAY, CONTENT).advice
    for card in advice.ranked:
        for reason in card.reasons:
            for name in CONTENT.reason_answers[reason.key]:
                assert name in QUESTIONNAIRE.fields, (card.advice_id, reason.key, f"states {name}, never asked")
                assert answered(name, data), (card.advice_id, reason.key, f"states {name}, not answered")
        assert set(card.missing) <= QUESTIONNAIRE.fields, card
        assert not [name for name in card.missing if answered(name, data, fully=True)], card
    for name, advice_ids in advice.questions:
        assert name in QUESTIONNAIRE.fields, name
        if advice_ids:  # asked by advice (the diagnosis's own missing fields are its to choose)
            assert not answered(name, data, fully=True), (name, advice_ids)


def test_a_reason_about_the_person_says_which_answers_it_states() -> None:
    # A sentence whose subject is the person states an answer, or is a condition ("Si vous..."): the content
    # cannot say "Vous n'avez pas le permis B" with no answer behind it.
    for key, text in CONTENT.reasons.items():
        french = text.render("fr", "f")
        about_the_person = french.startswith(("Vous ", "Votre ", "Vos ", "À {age}")) and not french.startswith(
            "Votre diagnostic"
        )
        if about_the_person:
            assert CONTENT.reason_answers[key], f"reasons.yaml: {key!r} speaks of the person: give its asserts"


def synthetic_only(data: DiagnosisReadyData) -> DiagnosisReadyData:
    """Return the diagnosis with every market figure and alternative marked synthetic."""
    if data.market is None:
        return data
    market = data.market.model_copy(
        update={
            "figures": [f.model_copy(update={"provenance": "synthetic"}) for f in data.market.figures],
            "alternatives": [a.model_copy(update={"provenance": "synthetic"}) for a in data.market.alternatives],
        }
    )
    return data.model_copy(update={"market": market})


def without_figures(data: DiagnosisReadyData) -> DiagnosisReadyData:
    """Return the diagnosis with no market figure nor alternative (the ROME requirements kept)."""
    if data.market is None:
        return data
    return data.model_copy(update={"market": data.market.model_copy(update={"figures": [], "alternatives": []})})


@settings(max_examples=300, deadline=None)
@given(diagnoses())
def test_synthetic_figures_change_nothing_in_the_advice(data: DiagnosisReadyData) -> None:
    synthetic = synthetic_only(data)
    seen = advise(situation_of(synthetic, TODAY, CONTENT.job_facts))
    blind = advise(situation_of(without_figures(data), TODAY, CONTENT.job_facts))
    assert seen == blind
    assert not {r.key for a in seen.ranked for r in a.reasons} & FIGURE_REASONS
    assert not {a.advice_id for a in seen.ranked} & MARKET_CARDS
    assert not any(r.estimate for a in seen.ranked for r in a.reasons)


def test_a_synthetic_market_gives_no_score_reason_move_month_or_close_job() -> None:
    figures = {
        "offers_per_10_candidates": 1.0,  # a "stuck" market, if it were real
        "application_spontaneous_share": 0.6,
        "application_network_share": 0.1,
        "application_agency_share": 0.1,
        "interim_share": 0.6,
        "hiring_difficult_share": 0.8,
        "cdi_share": 0.1,
        "seasonal_share": 0.8,
        "best_month": 1,
        "salary_gross_yearly_median": 15000,
    }
    alternatives = [
        AlternativeMarket.model_validate(
            {
                "rome_code": rome,
                "departement": dep,
                "offers_per_10_candidates": 12.0,
                "provenance": "synthetic",
                "relation": relation,
            }
        )
        for rome, dep, relation in (
            ("K2202", "69", "close-job"),
            ("K2301", "69", "evolution"),
            ("K2204", "01", "neighbour-departement"),
            ("K2204", "12", "other-departement"),
        )
    ]
    data = diagnosis(
        figures=figures,
        synthetic=True,
        alternatives=alternatives,
        profile={"highest_degree": "NO_DEGREE"},
        project={
            "area_type": "COUNTRY",
            "employment_types": ["CDI"],
            "min_salary": 40000,
            "job_search_started_at": TODAY.replace(year=TODAY.year - 1),
        },
        main_challenge="bravo",
    )
    shown = recommend(data, TODAY, CONTENT).advice.ranked
    assert not {a.advice_id for a in shown} & MARKET_CARDS, [a.advice_id for a in shown]
    assert not {r.key for a in shown for r in a.reasons} & FIGURE_REASONS
    # The same market, official: every one of these cards appears (so the test above is not vacuous).
    real = diagnosis(
        figures=figures,
        alternatives=[a.model_copy(update={"provenance": "real"}) for a in alternatives],
        profile={"highest_degree": "NO_DEGREE"},
        project={
            "area_type": "COUNTRY",
            "employment_types": ["CDI"],
            "job_search_started_at": TODAY.replace(year=TODAY.year - 1),
        },
        main_challenge="bravo",
    )
    shown_real = {a.advice_id for a in recommend(real, TODAY, CONTENT).advice.ranked}
    # All but the salary card, whose minimum salary "Mes réponses" does not ask today.
    assert MARKET_CARDS - shown_real == {"salary-expectations"}, MARKET_CARDS - shown_real


def test_moves_stay_within_the_persons_mobility() -> None:
    nearby = AlternativeMarket.model_validate(
        {
            "rome_code": "K2204",
            "departement": "01",
            "offers_per_10_candidates": 9.0,
            "provenance": "real",
            "relation": "neighbour-departement",
        }
    )
    far = AlternativeMarket.model_validate(
        {
            "rome_code": "K2204",
            "departement": "12",
            "offers_per_10_candidates": 12.0,
            "provenance": "real",
            "relation": "other-departement",
        }
    )
    seen: dict[str | None, dict[str, list[str]]] = {}
    for area in (None, *(a.value for a in AreaType)):
        data = diagnosis(alternatives=[nearby, far], project={"area_type": area})
        shown = recommend(data, TODAY, CONTENT).advice.ranked
        seen[area] = {a.advice_id: [r.key for r in a.reasons] for a in shown if a.advice_id in ("commute", "relocate")}
    assert seen[None] == {} and seen["CITY"] == {}
    assert seen["DEPARTEMENT"] == {"commute": ["nearby-departement-if-mobile"]}  # a condition, not a claim
    assert seen["REGION"] == {"commute": ["nearby-departement-better"]}  # a far département is beyond a region
    assert (
        seen["COUNTRY"]
        == seen["WORLD"]
        == {
            "commute": ["nearby-departement-better"],
            "relocate": ["departement-better"],
        }
    )


@settings(max_examples=300, deadline=None)
@given(diagnoses())
def test_no_move_beyond_the_mobility_the_person_gave(data: DiagnosisReadyData) -> None:
    project = data.basis.projects[0]
    area = None if project.area_type is None else AREA_RANK[project.area_type]
    shown = {a.advice_id: a for a in recommend(data, TODAY, CONTENT).advice.ranked}
    if "relocate" in shown:
        assert area is not None and area >= AREA_RANK[AreaType.COUNTRY]
    if "commute" in shown:
        assert area is not None and area >= AREA_RANK[AreaType.DEPARTEMENT]
        keys = [r.key for r in shown["commute"].reasons]
        conditional = area == AREA_RANK[AreaType.DEPARTEMENT]
        assert keys == (["nearby-departement-if-mobile"] if conditional else ["nearby-departement-better"])
    for locale in ("fr", "fr@tu", "en"):
        renderer = Renderer(CONTENT, locale, Gender.FEMININE)
        for advice in shown.values():
            for reason in advice.reasons:
                lowered = renderer.reason(reason).lower()
                # "Voisin" only of a département across the border: the diagnosis's neighbour-departement
                # alternatives (shared/reference/departements.py), which only this reason cites.
                if "voisin" in lowered or "neighbour" in lowered:
                    assert reason.key == "nearby-departement-better", lowered


def test_the_young_delivery_driver_of_roubaix_is_not_told_he_has_no_licence() -> None:
    # Issue 18: 24, no diploma, a first job as delivery driver (N4105) in the Nord, never asked about a licence,
    # a synthetic market saying his job hires more in Aveyron.
    aveyron = AlternativeMarket.model_validate(
        {
            "rome_code": "N4105",
            "departement": "12",
            "offers_per_10_candidates": 14.0,
            "provenance": "synthetic",
            "relation": "other-departement",
        }
    )
    data = diagnosis(
        profile={
            "gender": "MASCULINE",
            "year_of_birth": TODAY.year - 24,
            "highest_degree": "NO_DEGREE",
            "driving_licenses": [],
            "frustrations": ["EXPERIENCE"],
        },
        project={
            "rome_code": "N4105",
            "departement": "59",
            "city_insee": "59512",
            "kind": "FIND_A_FIRST_JOB",
            "previous_job_similarity": "NEVER_DONE",
            "seniority": None,
            "area_type": "DEPARTEMENT",
        },
        figures={"offers_per_10_candidates": 2.0},
        synthetic=True,
        alternatives=[aveyron],
        main_challenge="start-your-search",
    )
    advice = recommend(data, TODAY, CONTENT).advice
    reasons = {r.key for a in advice.ranked for r in a.reasons}
    assert "no-car-license" not in reasons
    assert "if-no-car-license" in reasons  # the licence aid, said as a condition: his job often needs one
    ids = {a.advice_id for a in advice.ranked}
    assert not ids & {"relocate", "commute", "create-your-company"}, ids
    said = [s for a in advice.ranked for s in Renderer(CONTENT, "fr", Gender.MASCULINE).reasons(a.reasons)]
    assert not [s for s in said if "Vous n'avez pas le permis" in s or "Aveyron" in s], said


def test_a_market_figure_never_reaches_a_reason_unless_official() -> None:
    figure = MarketFigure(name="cdi_share", value=0.1, provenance="synthetic", dataset="market-model@1")
    data = diagnosis(project={"employment_types": ["CDI"]})
    assert data.market is not None
    market = MarketFacts.model_validate({**data.market.model_dump(), "figures": [figure.model_dump()]})
    synthetic = advise(situation_of(data.model_copy(update={"market": market}), TODAY, CONTENT.job_facts))
    assert "contract-openness" not in {a.advice_id for a in synthetic.ranked}
    official = market.model_copy(update={"figures": [figure.model_copy(update={"provenance": "real"})]})
    real = advise(situation_of(data.model_copy(update={"market": official}), TODAY, CONTENT.job_facts))
    assert "contract-openness" in {a.advice_id for a in real.ranked}


def test_a_stuck_market_without_an_official_tension_is_not_taken_for_granted() -> None:
    # A diagnosis of an earlier version could call the market stuck from the market model's estimates: the
    # strategies that say so ("Votre métier recrute peu ici") are then not proposed.
    nearby = AlternativeMarket.model_validate(
        {
            "rome_code": "K2204",
            "departement": "01",
            "offers_per_10_candidates": 9.0,
            "provenance": "synthetic",
            "relation": "neighbour-departement",
        }
    )
    changes: dict[str, Any] = {
        "figures": {"offers_per_10_candidates": 1.0},
        "alternatives": [nearby],
        "main_challenge": "stuck-market",
        "needs_attention": ["stuck-market"],
        "overall_score": 40,
        "profile": {"year_of_birth": TODAY.year - 24, "family_situation": None},
        "project": {"area_type": "COUNTRY", "employment_types": ["INTERIM"]},
    }
    estimated = recommend(diagnosis(**changes, synthetic=True), TODAY, CONTENT)
    assert "widen-your-area" not in {s.strategy_id for s in estimated.strategies}
    official = recommend(diagnosis(**changes), TODAY, CONTENT)
    assert "widen-your-area" in {s.strategy_id for s in official.strategies}
