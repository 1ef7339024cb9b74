"""Generated people for the property tests of issue 18: any answer may be missing, and anything else may be set.

A generated diagnosis has every answer of the questionnaire either given or not, answers the questionnaire
does not ask set at random anyway (driving licences, disability, family, languages, minimum salary, frustrations
it does not offer: as an API client or an older version could have saved them), market figures and
alternatives each official or synthetic, any main challenge (or none, as in diagnoses of earlier versions) and
any challenges that need attention, missing fields asked or not, and a locale and gender.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import strategies as st

from shared.contracts.diagnostic import AlternativeMarket, DiagnosisReadyData, MarketFacts, MarketFigure
from shared.contracts.vocabulary import (
    AreaType,
    Degree,
    EmploymentType,
    FamilySituation,
    Frequency,
    Frustration,
    MainChallenge,
    PassionLevel,
    PreviousJobSimilarity,
    ProjectKind,
    Seniority,
    TrainingFulfillment,
)
from tests.unit.advice.personas import TODAY, diagnosis

# Jobs that trigger the content lists: driving (N41), several sectors, automation, future skills, curated tips.
ROMES = ["K2204", "D1202", "N4101", "N4105", "M1607", "M1805", "J1501", "G1602", "F1608", "A1414", "H2909", "N1103"]
# Départements of every kind of name: le, la, les, l', none (Paris), overseas.
DEPARTEMENTS = ["69", "59", "33", "01", "12", "13", "40", "75", "35", "77", "2A", "90", "971", "974", "62", "38"]
RELATIONS = ["close-job", "evolution", "other-departement", "neighbour-departement"]
ANY_FIGURE = {
    "offers_per_10_candidates": st.floats(0.1, 15.0),
    "application_spontaneous_share": st.floats(0.0, 1.0),
    "application_network_share": st.floats(0.0, 1.0),
    "application_agency_share": st.floats(0.0, 1.0),
    "application_other_share": st.floats(0.0, 1.0),
    "cdi_share": st.floats(0.0, 1.0),
    "interim_share": st.floats(0.0, 1.0),
    "hiring_difficult_share": st.floats(0.0, 1.0),
    "seasonal_share": st.floats(0.0, 1.0),
    "best_month": st.integers(1, 12).map(float),
    "salary_gross_yearly_median": st.integers(15000, 45000).map(float),
    "salary_gross_yearly_p75": st.integers(20000, 60000).map(float),
}


def maybe(values: Any) -> st.SearchStrategy[Any]:
    """Return a strategy giving one of the values or None (not answered)."""
    return st.one_of(st.none(), st.sampled_from([str(v) for v in values]))


# Every strategy is built once, here: building one inside a draw made Hypothesis validate it again for each
# generated person, which cost more than the test itself. The people drawn are the same.
_SOURCE = st.sampled_from(["real", "real", "synthetic"])
_OFTEN = st.integers(0, 2)
_RELATION = st.sampled_from(RELATIONS)
_FEW = st.integers(0, 3)
_BOOL = st.booleans()
_ROME = st.sampled_from(ROMES)
_DEPARTEMENT = st.sampled_from(DEPARTEMENTS)
_ALTERNATIVE_TENSION = st.floats(0.1, 20.0)
_STARTED = st.one_of(st.none(), st.integers(0, 900))
_MAYBE_BOOL = st.one_of(st.none(), st.booleans())
_ROME_OR_NONE = st.sampled_from([*ROMES, None])
_GENDER = st.sampled_from(["FEMININE", "MASCULINE", "UNKNOWN", "CUSTOM"])
_YEAR_OF_BIRTH = st.one_of(st.none(), st.integers(1955, 2010))
_DEGREE = maybe(Degree)
_FRUSTRATIONS = st.lists(st.sampled_from([str(f) for f in Frustration]), max_size=4, unique=True)
_FAMILY = maybe(FamilySituation)
_LICENCES = st.sampled_from([[], ["CAR"], ["MOTORCYCLE"]])
_LANGUAGES = st.sampled_from([[], [{"code": "fr", "spoken": "BASIC"}], [{"code": "fr", "spoken": "NATIVE"}]])
_CITY = st.sampled_from(["69123", "69123", None])
_AREA = st.sampled_from([*(str(a) for a in AreaType), None])
_EMPLOYMENT_TYPES = st.lists(st.sampled_from([str(e) for e in EmploymentType]), max_size=3, unique=True)
_KIND = maybe(ProjectKind)
_SIMILARITY = maybe(PreviousJobSimilarity)
_SENIORITY = maybe(Seniority)
_TRAINING = maybe(TrainingFulfillment)
_NETWORK = st.one_of(st.none(), st.integers(1, 3))
_FREQUENCY = maybe(Frequency)
_INTERVIEWS = st.one_of(st.none(), st.integers(-1, 30))
_PASSION = maybe(PassionLevel)
_MIN_SALARY = st.one_of(st.none(), st.integers(10000, 60000))
_CHALLENGES = [str(c) for c in MainChallenge]
_MAIN = st.one_of(st.none(), st.sampled_from(_CHALLENGES))
_ATTENTION = st.lists(st.sampled_from(_CHALLENGES), max_size=3, unique=True)
_MISSING = st.lists(
    st.sampled_from(["year_of_birth", "seniority", "total_interview_count", "min_salary", "driving_licenses"]),
    max_size=3,
    unique=True,
)
_SCORE = st.integers(10, 95)
_LOCALE = st.sampled_from(["fr", "fr@tu", "en"])


@st.composite
def markets(draw: st.DrawFn, rome: str | None, departement: str, *, provenance: str | None = None) -> MarketFacts:
    """Return market facts whose figures and alternatives are each official or synthetic (or all ``provenance``)."""

    def source() -> str:
        return provenance or draw(_SOURCE)

    # The tension is nearly always known (it is the market's main figure); the others often.
    figures = [
        MarketFigure(name=name, value=draw(values), provenance=source(), dataset="test@1")
        for name, values in ANY_FIGURE.items()
        if name == "offers_per_10_candidates" or draw(_OFTEN) < 2
    ]
    # Often one alternative of each relation, so that every kind of move is met; then any others.
    # (Hypothesis favours the first choices: the interesting ones come first.)
    relations = ([] if draw(_BOOL) else RELATIONS) + [draw(_RELATION) for _ in range(draw(_FEW))]
    alternatives = [
        AlternativeMarket.model_validate(
            {
                "rome_code": draw(_ROME),
                "departement": draw(_DEPARTEMENT),
                "offers_per_10_candidates": draw(_ALTERNATIVE_TENSION),
                "provenance": source(),
                "relation": relation,
            }
        )
        for relation in relations
    ]
    return MarketFacts(rome_code=rome or "K2204", departement=departement, figures=figures, alternatives=alternatives)


@st.composite
def diagnoses(draw: st.DrawFn, *, provenance: str | None = None) -> DiagnosisReadyData:
    """Return the diagnosis of a generated person (see the module docstring)."""
    started = draw(_STARTED)
    not_started = draw(_MAYBE_BOOL) if started is None else False
    rome = draw(_ROME_OR_NONE)
    departement = draw(_DEPARTEMENT)
    profile = {
        "gender": draw(_GENDER),
        "year_of_birth": draw(_YEAR_OF_BIRTH),
        "highest_degree": draw(_DEGREE),
        "frustrations": draw(_FRUSTRATIONS),
        # Not asked by the questionnaire today: set anyway.
        "family_situation": draw(_FAMILY),
        "driving_licenses": draw(_LICENCES),
        "has_handicap": draw(_MAYBE_BOOL),
        "languages": draw(_LANGUAGES),
    }
    project = {
        "rome_code": rome,
        "job_code_ogr": None if rome is None else "12345",
        "city_insee": draw(_CITY),
        "departement": departement,
        "area_type": draw(_AREA),
        "employment_types": draw(_EMPLOYMENT_TYPES),
        "kind": draw(_KIND),
        "previous_job_similarity": draw(_SIMILARITY),
        "seniority": draw(_SENIORITY),
        "training_fulfillment_estimate": draw(_TRAINING),
        "network_estimate": draw(_NETWORK),
        "job_search_has_not_started": not_started,
        "job_search_started_at": None if started is None else TODAY - timedelta(days=started),
        "weekly_offers_estimate": draw(_FREQUENCY),
        "weekly_applications_estimate": draw(_FREQUENCY),
        "total_interview_count": draw(_INTERVIEWS),
        "passionate_level": draw(_PASSION),
        "has_resume": draw(_MAYBE_BOOL),
        # Not asked by the questionnaire today: set anyway.
        "min_salary": draw(_MIN_SALARY),
    }
    main = draw(_MAIN)
    attention = draw(_ATTENTION)
    if main is not None and main != "bravo" and main not in attention:
        attention.append(main)  # the main challenge is the first that needs attention (bravo: none does)
    missing = draw(_MISSING)
    base = diagnosis(
        profile=profile,
        project=project,
        market=False,
        main_challenge=main,
        overall_score=None if main is None else draw(_SCORE),
        needs_attention=attention,
        missing_fields=missing,
        preferences={"locale": draw(_LOCALE)},
    )
    # diagnosis() drops None values, so the persona's defaults stay: put every None back as not answered.
    basis = base.basis
    facts = basis.projects[0].model_copy(update={k: v for k, v in project.items() if v is None})
    person = basis.profile.model_copy(update={k: v for k, v in profile.items() if v is None})
    basis = basis.model_copy(update={"profile": person, "projects": [facts]})
    market = draw(markets(rome, departement, provenance=provenance)) if draw(_FEW) < 3 else None
    return base.model_copy(update={"basis": basis, "market": market})
