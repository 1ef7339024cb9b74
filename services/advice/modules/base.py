"""What every advice module sees and returns.

A module is a pure function of the person's situation — the profile facts, the
diagnosis, the market facts and the date, gathered once per person in a
``Situation`` — returning a ``Score``: 0 to 3, the reasons (keys of the reasons
catalogue and their values, rendered later in the person's language), the
missing fields that would change the score, and the modules it excludes. A
score that is shown (1 or more) always carries at least one reason.

Modules run for every person on every diagnosis, so they stay cheap: plain
attribute reads on the precomputed situation, no I/O, and no allocation for
verdicts that cite no figure (the shared ``NOT_RELEVANT`` and the constants
each theme file builds once).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple, TypeVar

from shared.contracts.diagnostic import AlternativeMarket, DiagnosisReadyData, MarketFacts
from shared.contracts.profile import ProjectFacts
from shared.contracts.vocabulary import (
    AreaType,
    Degree,
    EmploymentType,
    FamilySituation,
    Frequency,
    Frustration,
    Gender,
    MainChallenge,
    PassionLevel,
    PreviousJobSimilarity,
    ProjectKind,
    Seniority,
    TrainingFulfillment,
)

# Below this, fewer than 3 offers for 10 job seekers: the reference's "stressed market".
STRESSED_MARKET = 3.0
# A module with too little data to decide scores 0.1: it is not shown, but its missing fields are asked for.
SHOWN_FROM = 1.0

AREA_RANK = {area: rank for rank, area in enumerate(AreaType)}
SENIORITY_RANK = {level: rank for rank, level in enumerate(Seniority)}
FREQUENCY_RANK = {level: rank for rank, level in enumerate(Frequency)}
CHANNELS = (
    "application_spontaneous_share",
    "application_network_share",
    "application_agency_share",
    "application_other_share",
)


T = TypeVar("T", bound=tuple[Any, ...])


# Reason, Score and Figure are named tuples: modules create them for every person, and a tuple is the
# cheapest immutable value CPython builds (a frozen dataclass costs several times more).
class Reason(NamedTuple):
    """Why a module triggered: a key of the reasons catalogue and the values it cites."""

    key: str
    values: tuple[tuple[str, str | int | float], ...] = ()
    estimate: bool = False  # True when a cited figure is synthetic (an estimate of the market model)


class Score(NamedTuple):
    """A module's verdict for one person."""

    value: float
    reasons: tuple[Reason, ...] = ()
    missing: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()


NOT_RELEVANT = Score(0.0)
# The honest reason of a generic advice: it helps any search and nothing in the answers rules it out.
# Every score shown carries a reason; this one is for modules that looked at nothing more specific.
USEFUL_TO_ANY_SEARCH = Reason("useful-to-any-search")
USEFUL_TO_ANY_SEARCH_1 = Score(1.0, (USEFUL_TO_ANY_SEARCH,))


def needs(*fields: str) -> Score:
    """Return the score of a module that cannot decide without these fields (0.1, as the reference)."""
    return Score(0.1, (), fields)


class Figure(NamedTuple):
    value: float
    estimate: bool


def new_tuple(kind: type[T], values: tuple[Any, ...]) -> T:
    """Return a named tuple built without its Python-level constructor (half the cost, on hot paths)."""
    return tuple.__new__(kind, values)


@dataclass(frozen=True, slots=True)
class JobFacts:
    """Facts about the target job group taken from the content lists (see content/job_lists.yaml)."""

    needs_driving: bool = False
    future_skills: bool = False
    at_risk: bool = False
    specific_advice: bool = False
    several_sectors: bool = False


# Not frozen: built for every person, and a frozen dataclass's constructor costs a third more.
# Modules only read it.
@dataclass(slots=True)
class Situation:
    """The person's situation as the modules read it, computed once per diagnosis."""

    today: date
    # profile
    age: int | None
    gender: Gender
    family: FamilySituation | None
    degree: int | None
    has_car_license: bool
    handicap: bool | None
    frustrations: frozenset[Frustration]
    speaks_french: bool | None
    # project
    rome_code: str | None
    departement: str | None
    area: int | None
    min_salary: int | None
    employment_types: frozenset[EmploymentType]
    kind: ProjectKind | None
    similarity: PreviousJobSimilarity | None
    seniority: int | None
    training: TrainingFulfillment | None
    network: int | None
    search_started: bool | None
    search_months: float | None
    weekly_offers: int | None
    weekly_applications: int | None
    interviews: int | None
    passion: PassionLevel | None
    has_resume: bool | None
    profile_missing: tuple[str, ...]  # most useful first
    # diagnosis
    main_challenge: MainChallenge | None
    needs_attention: frozenset[MainChallenge]
    overall_score: int | None
    # market
    figures: Mapping[str, Figure]
    tension: Figure | None  # job offers per 10 job seekers
    market_stressed: bool  # fewer than 3 offers for 10 job seekers
    top_channel: str | None
    alternatives: Mapping[str, tuple[AlternativeMarket, ...]]  # by relation, best market first
    experience_route: bool  # the ROME says experience alone also opens the job (the VAE route)
    job: JobFacts = field(default_factory=JobFacts)

    def figure(self, name: str) -> Figure | None:
        """Return a known market figure, or None."""
        return self.figures.get(name)

    def better_alternatives(self, *relations: str, factor: float = 1.2) -> list[AlternativeMarket]:
        """Return the alternatives with these relations whose market is clearly better, best first."""
        floor = self.tension.value * factor if self.tension is not None else STRESSED_MARKET
        found = [
            a
            for relation in relations
            for a in self.alternatives.get(relation, ())
            if a.offers_per_10_candidates > floor
        ]
        if len(relations) > 1:
            found.sort(key=_by_tension)
        return found


def _by_tension(alternative: AlternativeMarket) -> float:
    return -alternative.offers_per_10_candidates


@dataclass(frozen=True, slots=True)
class AdviceModule:
    """One advice module of the registry."""

    advice_id: str
    score: Callable[[Situation], Score]
    reasons: tuple[str, ...] = ()  # the reason keys it may give, checked against the catalogue at start-up


def figure_reason(key: str, situation: Situation, name: str) -> Reason:
    """Return a reason citing one market figure, marked as an estimate when the figure is synthetic."""
    figure = situation.figures[name]
    return Reason(key, ((name, figure.value),), figure.estimate)


DEGREE_RANK = {degree: degree.rank for degree in Degree}
FRENCH_FLUENT = frozenset({"INTERMEDIATE", "FLUENT", "NATIVE"})
_NEEDS_ATTENTION = "needs-attention"
_SYNTHETIC = "synthetic"
_NO_JOB_FACTS = JobFacts()


def _rank(ranks: Mapping[Any, int], value: Any) -> int | None:
    return None if value is None else ranks[value]


def situation_of(
    diagnosis: DiagnosisReadyData, today: date, job_facts: Callable[[str | None], JobFacts] | None = None
) -> Situation:
    """Return the situation of the diagnosed project, as the advice modules read it."""
    basis = diagnosis.basis
    profile = basis.profile
    project = next((p for p in basis.projects if p.project_id == diagnosis.project_id), None)
    if project is None:
        project = ProjectFacts(project_id=diagnosis.project_id)
    figures: dict[str, Figure] = {}
    alternatives: dict[str, list[AlternativeMarket]] = {}
    market: MarketFacts | None = diagnosis.market
    if market is not None:
        for item in market.figures:
            if item.value is not None:
                figures[item.name] = new_tuple(Figure, (item.value, item.provenance == _SYNTHETIC))
        for alternative in sorted(market.alternatives, key=_by_tension):
            alternatives.setdefault(alternative.relation, []).append(alternative)
    top_channel, top_share = None, -1.0
    for channel in CHANNELS:
        share = figures.get(channel)
        if share is not None and share.value > top_share:
            top_channel, top_share = channel, share.value
    tension = figures.get("offers_per_10_candidates")
    if project.job_search_has_not_started:
        started, months = False, 0.0
    elif project.job_search_started_at is not None:
        started, months = True, max(0.0, (today - project.job_search_started_at).days / 30.4)
    else:
        started, months = None, None
    missing = [*diagnosis.missing_fields, *project.missing_fields]
    if profile.year_of_birth is None:
        missing.append("year_of_birth")
    languages = profile.languages
    french = next((lang for lang in languages if lang.code == "fr"), None)
    interviews = project.total_interview_count
    return Situation(
        today=today,
        age=None if profile.year_of_birth is None else today.year - profile.year_of_birth,
        gender=profile.gender,
        family=profile.family_situation,
        degree=_rank(DEGREE_RANK, profile.highest_degree),
        has_car_license="CAR" in profile.driving_licenses,
        handicap=profile.has_handicap,
        frustrations=frozenset(profile.frustrations),
        speaks_french=None if not languages else french is not None and french.spoken in FRENCH_FLUENT,
        rome_code=project.rome_code,
        departement=project.departement,
        area=_rank(AREA_RANK, project.area_type),
        min_salary=project.min_salary,
        employment_types=frozenset(project.employment_types),
        kind=project.kind,
        similarity=project.previous_job_similarity,
        seniority=_rank(SENIORITY_RANK, project.seniority),
        training=project.training_fulfillment_estimate,
        network=project.network_estimate,
        search_started=started,
        search_months=months,
        weekly_offers=_rank(FREQUENCY_RANK, project.weekly_offers_estimate),
        weekly_applications=_rank(FREQUENCY_RANK, project.weekly_applications_estimate),
        interviews=None if interviews is None else max(interviews, 0),
        passion=project.passionate_level,
        has_resume=project.has_resume,
        profile_missing=tuple(dict.fromkeys(missing)) if missing else (),
        main_challenge=diagnosis.main_challenge,
        needs_attention=frozenset(c.challenge for c in diagnosis.challenges if c.status == _NEEDS_ATTENTION),
        overall_score=diagnosis.overall_score,
        figures=figures,
        tension=tension,
        market_stressed=tension is not None and tension.value < STRESSED_MARKET,
        top_channel=top_channel,
        alternatives={relation: tuple(found) for relation, found in alternatives.items()},
        experience_route=bool(market and market.requirements and market.requirements.experience_route),
        job=job_facts(project.rome_code) if job_facts is not None else _NO_JOB_FACTS,
    )
