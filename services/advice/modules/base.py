"""What every advice module sees and returns.

A module is a pure function of the person's situation — the profile facts, the
diagnosis, the market facts and the date, gathered once per person in a
``Situation`` — returning a ``Score``: 0 to 3, the reasons (keys of the reasons
catalogue and their values, rendered later in the person's language), the
missing fields that would change the score, and the modules it excludes. A
score that is shown (1 or more) always carries at least one reason.

Two rules hold for every module, because the situation is built to make them
hold (``situation_of``):

* **a claim needs a fact** — the situation holds only answers the person gave
  to a question of "Mes réponses" (``services/advice/questionnaire.py``); an
  unanswered or unasked field is ``None``, and a module then stays neutral,
  asks for it, or says it as a condition ("if you do not have a licence yet");
* **no advice from invented figures** — the situation holds only market figures
  and alternatives from official datasets (``real``); a figure of the market
  model (synthetic) is absent, so no score, reason, move or month comes from it.

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

from services.advice.questionnaire import QUESTIONNAIRE, Questionnaire
from shared.contracts.diagnostic import AlternativeMarket, DiagnosisReadyData, MarketFacts
from shared.contracts.profile import ProjectFacts
from shared.contracts.vocabulary import (
    NO_SENIORITY_RANK,
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
    TrainingFulfillment,
)

# Below this, fewer than 3 offers for 10 job seekers: the reference's "stressed market".
STRESSED_MARKET = 3.0
# A module with too little data to decide scores 0.1: it is not shown, but its missing fields are asked for.
SHOWN_FROM = 1.0

AREA_RANK = {area: rank for rank, area in enumerate(AreaType)}
FREQUENCY_RANK = {level: rank for rank, level in enumerate(Frequency)}
CHANNELS = (
    "application_spontaneous_share",
    "application_network_share",
    "application_agency_share",
    "application_other_share",
)


T = TypeVar("T", bound=tuple[Any, ...])


# Reason and Score are named tuples: modules create them for every person, and a tuple is the
# cheapest immutable value CPython builds (a frozen dataclass costs several times more).
class Reason(NamedTuple):
    """Why a module triggered: a key of the reasons catalogue and the values it cites."""

    key: str
    values: tuple[tuple[str, str | int | float], ...] = ()
    # True when a cited figure is synthetic. Modules cite only official figures, so it stays False; plans
    # stored by earlier versions may hold True (their reasons are no longer shown).
    estimate: bool = False


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
    car_license: bool | None  # None: not answered (the questionnaire does not ask it today)
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
    profile_missing: tuple[str, ...]  # unanswered questions of the questionnaire, most useful first
    asked: frozenset[str]  # the fields the questionnaire asks: the only ones advice may ask for
    # diagnosis
    main_challenge: MainChallenge | None
    needs_attention: frozenset[MainChallenge]
    overall_score: int | None
    # market: official figures only (a synthetic figure of the market model is never here)
    real_figures: Mapping[str, float]
    tension: float | None  # job offers per 10 job seekers
    market_stressed: bool  # fewer than 3 offers for 10 job seekers
    top_channel: str | None
    alternatives: Mapping[str, tuple[AlternativeMarket, ...]]  # official ones, by relation, best market first
    experience_route: bool  # the ROME says experience alone also opens the job (the VAE route)
    job: JobFacts = field(default_factory=JobFacts)

    def real(self, name: str) -> float | None:
        """Return a market figure from an official dataset, or None (unknown, or only estimated by the model)."""
        return self.real_figures.get(name)

    def better_alternatives(self, *relations: str, factor: float = 1.2) -> list[AlternativeMarket]:
        """Return the alternatives with these relations whose market is clearly better than the person's, best first.

        Without an official figure for the person's own market there is nothing to compare with: none.
        """
        if self.tension is None:
            return []
        floor = self.tension * factor
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
    """Return a reason citing one official market figure."""
    return Reason(key, ((name, situation.real_figures[name]),))


DEGREE_RANK = {degree: degree.rank for degree in Degree}
FRENCH_FLUENT = frozenset({"INTERMEDIATE", "FLUENT", "NATIVE"})
_NEEDS_ATTENTION = "needs-attention"
_REAL = "real"
_NO_JOB_FACTS = JobFacts()
_NEVER_DONE = PreviousJobSimilarity.NEVER_DONE
_STUCK_MARKET = MainChallenge.STUCK_MARKET
# Seniority of someone who never worked in the job: below every answer (ProjectFacts.seniority_rank).
NO_EXPERIENCE = NO_SENIORITY_RANK


def _rank(ranks: Mapping[Any, int], value: Any) -> int | None:
    return None if value is None else ranks[value]


def situation_of(
    diagnosis: DiagnosisReadyData,
    today: date,
    job_facts: Callable[[str | None], JobFacts] | None = None,
    questionnaire: Questionnaire = QUESTIONNAIRE,
) -> Situation:
    """Return the situation of the diagnosed project, as the advice modules read it.

    Only answers to the questionnaire's questions are read (an unasked field is unanswered), and only
    official market figures.
    """
    basis = diagnosis.basis
    profile = basis.profile
    asks = questionnaire.fields
    project = next((p for p in basis.projects if p.project_id == diagnosis.project_id), None)
    if project is None:
        project = ProjectFacts(project_id=diagnosis.project_id)
    rome_code = project.rome_code if "rome_code" in asks else None
    departement = project.departement if "city_insee" in asks and project.city_insee is not None else None
    figures: dict[str, float] = {}
    alternatives: dict[str, list[AlternativeMarket]] = {}
    market: MarketFacts | None = diagnosis.market
    if market is not None and (market.rome_code != rome_code or market.departement != departement):
        market = None  # facts about another job or place than the one the person answered: not theirs
    if market is not None:
        for item in market.figures:
            if item.value is not None and item.provenance == _REAL:
                figures[item.name] = item.value
        for alternative in sorted(market.alternatives, key=_by_tension):
            if alternative.provenance == _REAL:
                alternatives.setdefault(alternative.relation, []).append(alternative)
    top_channel, top_share = None, -1.0
    for channel in CHANNELS:
        share = figures.get(channel)
        if share is not None and share > top_share:
            top_channel, top_share = channel, share
    tension = figures.get("offers_per_10_candidates")
    # The same derivation as the diagnosis (ProjectFacts.searching and search_months: one month length).
    started = project.searching()
    months = 0.0 if started is False else project.search_months(today)
    similarity = project.previous_job_similarity if "previous_job_similarity" in asks else None
    # One rank for every service: -1 for no experience at all (answered, or "never done this job").
    seniority = project.seniority_rank if "seniority" in asks or similarity is _NEVER_DONE else None
    missing = [*diagnosis.missing_fields, *project.missing_fields]
    if profile.year_of_birth is None:
        missing.append("year_of_birth")
    missing = [name for name in missing if name in asks and not (name == "seniority" and seniority is not None)]
    languages = profile.languages if "languages" in asks else []
    french = next((lang for lang in languages if lang.code == "fr"), None)
    interviews = project.total_interview_count if "total_interview_count" in asks else None
    licences = profile.driving_licenses
    frustrations = (
        frozenset(f for f in profile.frustrations if f in questionnaire.frustrations)
        if "frustrations" in asks
        else frozenset()
    )
    year_of_birth = profile.year_of_birth if "year_of_birth" in asks else None
    main_challenge = diagnosis.main_challenge
    needs_attention = frozenset(c.challenge for c in diagnosis.challenges if c.status == _NEEDS_ATTENTION)
    if tension is None and (main_challenge is _STUCK_MARKET or _STUCK_MARKET in needs_attention):
        # A stuck market is a verdict on the market's tension: without an official one it is not taken for
        # granted (a diagnosis of an earlier version could draw it from the market model's estimates).
        needs_attention = needs_attention - {_STUCK_MARKET}
        main_challenge = None if main_challenge is _STUCK_MARKET else main_challenge
    return Situation(
        today=today,
        age=None if year_of_birth is None else today.year - year_of_birth,
        gender=profile.gender,
        family=profile.family_situation if "family_situation" in asks else None,
        degree=_rank(DEGREE_RANK, profile.highest_degree) if "highest_degree" in asks else None,
        # Asked, an empty list says "none"; not asked, it says nothing.
        car_license=("CAR" in licences) if "driving_licenses" in asks else None,
        handicap=profile.has_handicap if "has_handicap" in asks else None,
        frustrations=frustrations,
        speaks_french=None if not languages else french is not None and french.spoken in FRENCH_FLUENT,
        rome_code=rome_code,
        departement=departement,
        area=_rank(AREA_RANK, project.area_type) if "area_type" in asks else None,
        min_salary=project.min_salary if "min_salary" in asks else None,
        employment_types=frozenset(project.employment_types) if "employment_types" in asks else frozenset(),
        kind=project.kind if "kind" in asks else None,
        similarity=similarity,
        seniority=seniority,
        training=project.training_fulfillment_estimate if "training_fulfillment_estimate" in asks else None,
        network=project.network_estimate if "network_estimate" in asks else None,
        search_started=started if "job_search_started_at" in asks else None,
        search_months=months if "job_search_started_at" in asks else None,
        weekly_offers=_rank(FREQUENCY_RANK, project.weekly_offers_estimate)
        if "weekly_offers_estimate" in asks
        else None,
        weekly_applications=(
            _rank(FREQUENCY_RANK, project.weekly_applications_estimate)
            if "weekly_applications_estimate" in asks
            else None
        ),
        interviews=None if interviews is None else max(interviews, 0),
        passion=project.passionate_level if "passionate_level" in asks else None,
        has_resume=project.has_resume if "has_resume" in asks else None,
        profile_missing=tuple(dict.fromkeys(missing)) if missing else (),
        asked=asks,
        main_challenge=main_challenge,
        needs_attention=needs_attention,
        overall_score=diagnosis.overall_score,
        real_figures=figures,
        tension=tension,
        market_stressed=tension is not None and tension < STRESSED_MARKET,
        top_channel=top_channel,
        alternatives={relation: tuple(found) for relation, found in alternatives.items()},
        experience_route=bool(market and market.requirements and market.requirements.experience_route),
        job=job_facts(rome_code) if job_facts is not None else _NO_JOB_FACTS,
    )
