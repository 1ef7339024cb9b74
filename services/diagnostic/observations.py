"""The sub-diagnostics: what the diagnosis notices about the profile, the project, the search
methods, the market and the skills (pure).

Each observation has a score from 0 (a blocker) to 3 (a strength), or none when
it only informs; a sub-diagnostic's score is the mean of its scored
observations on a 0-100 scale. Every observation names its sources: what the
person declared, the ROME or an imported official market dataset.

Market figures are read with ``Situation.real_value``: a figure of the market
model gives no observation, no strength, no weakness and no best month. When
only the model's figures exist for the person's job and place, the market
sub-diagnostic holds a single notice saying so, and has no score.
"""

from __future__ import annotations

from services.diagnostic.models import Observation, Source, SubDiagnosis
from services.diagnostic.situation import DEGREE_RANK, Situation
from shared.contracts.diagnostic import DiagnosticTopic, Provenance
from shared.contracts.vocabulary import (
    AreaType,
    Degree,
    DrivingLicense,
    EmploymentType,
    FamilySituation,
    Frequency,
    Frustration,
    LanguageLevel,
    PassionLevel,
    PreviousJobSimilarity,
    Seniority,
    TrainingFulfillment,
)

SENIOR_AGE = 50
YOUNG_AGE = 26
LONG_SEARCH_MONTHS = 12.0
RECENT_SEARCH_MONTHS = 3.0
NETWORK_MATTERS_SHARE = 0.35
SPONTANEOUS_MATTERS_SHARE = 0.35
SEASONAL_SHARE = 0.3
NARROW_CDI_SHARE = 0.35
SCATTERED_DOMAINS = 3
TENSION = "offers_per_10_candidates"
# The market sub-diagnostic's only observation when the market model alone has figures for the pair:
# it says they are demonstration figures and judges nothing.
DEMONSTRATION_NOTICE = "market.demo-figures"
_WIDE_AREAS = (AreaType.REGION, AreaType.COUNTRY, AreaType.WORLD)
_GOOD_LANGUAGE = (LanguageLevel.INTERMEDIATE, LanguageLevel.FLUENT, LanguageLevel.NATIVE)
_DISCRIMINATIONS = (Frustration.AGE_DISCRIMINATION, Frustration.SEX_DISCRIMINATION, Frustration.RACE_DISCRIMINATION)
_CHANNELS = (
    ("application_spontaneous_share", "spontaneous"),
    ("application_network_share", "network"),
    ("application_agency_share", "agency"),
    ("application_other_share", "other"),
)
_CONTRACTS = (("cdi_share", "CDI"), ("cdd_share", "CDD"), ("interim_share", "INTERIM"))


def _obs(
    topic: DiagnosticTopic, oid: str, score: int | None, sources: tuple[Source, ...], **params: object
) -> Observation:
    return Observation(oid, topic, score, params, sources)


def profile_observations(s: Situation) -> list[Observation]:
    """Return what the profile says: age, degree, licence, languages, constraints."""
    p, declared, out = s.profile, s.declared, []
    if s.age is not None and s.age >= SENIOR_AGE:
        worried = Frustration.AGE_DISCRIMINATION in p.frustrations
        out.append(_obs("profile", "profile.age-senior", 1 if worried else 2, declared, age=s.age))
    elif s.age is not None and s.age < YOUNG_AGE:
        out.append(_obs("profile", "profile.age-young", 2, declared, age=s.age))
    if p.highest_degree is Degree.NO_DEGREE:
        out.append(_obs("profile", "profile.degree-none", 1, declared))
    elif p.highest_degree is not None:
        high = DEGREE_RANK[p.highest_degree] >= DEGREE_RANK[Degree.BTS_DUT_DEUG]
        out.append(_obs("profile", "profile.degree", 3 if high else 2, declared, degree=p.highest_degree))
    if DrivingLicense.CAR in p.driving_licenses:
        out.append(_obs("profile", "profile.car-license", 3, declared))
    languages = [lang.code for lang in p.languages if lang.spoken in _GOOD_LANGUAGE]
    if len(languages) >= 2:
        out.append(_obs("profile", "profile.languages", 3, declared, count=len(languages)))
    if p.family_situation is FamilySituation.SINGLE_PARENT_SITUATION or Frustration.CHILD_CARE in p.frustrations:
        out.append(_obs("profile", "profile.childcare", 1, declared))
    if Frustration.STAY_AT_HOME_PARENT in p.frustrations:
        out.append(_obs("profile", "profile.back-from-break", 1, declared))
    if p.has_handicap:
        out.append(_obs("profile", "profile.handicap", None, declared))
    if Frustration.SELF_CONFIDENCE in p.frustrations or Frustration.MOTIVATION in p.frustrations:
        out.append(_obs("profile", "profile.confidence", 1, declared))
    if any(f in p.frustrations for f in _DISCRIMINATIONS):
        out.append(_obs("profile", "profile.discrimination", 1, declared))
    return out


def project_observations(s: Situation) -> list[Observation]:
    """Return what the project says: target, passion, experience, mobility, salary, contracts."""
    pr, declared, out = s.project, s.declared, []
    if pr.rome_code is None:
        out.append(_obs("project", "project.no-target", 0, declared))
    domains = {p.rome_code[:3] for p in (pr, *s.other_projects) if p.rome_code}
    if len(domains) >= SCATTERED_DOMAINS:
        out.append(_obs("project", "project.scattered", 1, declared, count=len(domains)))
    passion = pr.passionate_level
    if passion in (PassionLevel.PASSIONATING, PassionLevel.LIFE_GOAL):
        out.append(_obs("project", "project.passion-high", 3, declared))
    elif passion is PassionLevel.LIKEABLE:
        out.append(_obs("project", "project.passion-medium", 2, declared))
    elif passion is PassionLevel.ALIMENTARY:
        out.append(_obs("project", "project.passion-low", 1, declared))
    similarity = pr.previous_job_similarity
    if similarity is PreviousJobSimilarity.DONE_THIS:
        out.append(_obs("project", "project.done-this", 3, declared))
    elif similarity is PreviousJobSimilarity.DONE_SIMILAR:
        out.append(_obs("project", "project.done-similar", 2, declared))
    elif similarity is PreviousJobSimilarity.NEVER_DONE:
        out.append(_obs("project", "project.never-done", 1, declared))
    if pr.seniority in (Seniority.SENIOR, Seniority.EXPERT, Seniority.CARREER):
        out.append(_obs("project", "project.experienced", 3, declared, level=pr.seniority))
    offers = s.real_value(TENSION)
    if pr.area_type in _WIDE_AREAS:
        out.append(_obs("project", "project.mobility-wide", 3, declared, area=pr.area_type))
    elif pr.area_type is AreaType.CITY and offers is not None and offers < 5:
        out.append(_obs("project", "project.mobility-narrow", 1, declared + s.source(TENSION)))
    p75 = s.real_value("salary_gross_yearly_p75")
    if pr.min_salary and p75:
        sources = declared + s.source("salary_gross_yearly_p75")
        if pr.min_salary > p75:
            out.append(_obs("project", "project.salary-above-market", 1, sources, wanted=pr.min_salary, p75=p75))
        else:
            out.append(_obs("project", "project.salary-in-range", 3, sources, wanted=pr.min_salary))
    cdi = s.real_value("cdi_share")
    if pr.employment_types == [EmploymentType.CDI] and cdi is not None and cdi < NARROW_CDI_SHARE:
        out.append(_obs("project", "project.contracts-narrow", 1, declared + s.source("cdi_share"), share=cdi))
    return out


def search_observations(s: Situation) -> list[Observation]:
    """Return what the search methods say: duration, applications, interviews, résumé, network."""
    pr, declared, out = s.project, s.declared, []
    months = None if s.search_months is None else round(s.search_months, 1)
    if s.searching is False:
        out.append(_obs("search-methods", "search.not-started", 1, declared))
    elif months is not None and months >= LONG_SEARCH_MONTHS:
        out.append(_obs("search-methods", "search.long", 1, declared, months=months))
    elif months is not None and months < RECENT_SEARCH_MONTHS:
        out.append(_obs("search-methods", "search.recent", 2, declared, months=months))
    applications = pr.weekly_applications_estimate
    if applications is Frequency.LESS_THAN_2 and s.searching:
        out.append(_obs("search-methods", "search.applications-few", 1, declared))
    elif applications in (Frequency.DECENT_AMOUNT, Frequency.A_LOT):
        out.append(_obs("search-methods", "search.applications-many", 3, declared, level=applications))
    interviews = pr.total_interview_count
    if interviews is not None and s.search_months is not None and s.search_months >= 1:
        count = max(interviews, 0)
        rate = count / s.search_months
        oid, score = (
            ("search.interviews-none", 0)
            if count == 0
            else ("search.interviews-few", 1)
            if rate <= 1
            else ("search.interviews-good", 3)
        )
        out.append(_obs("search-methods", oid, score, declared, count=count, months=months))
    if pr.has_resume is False:
        out.append(_obs("search-methods", "search.no-resume", 1, declared))
    network_share = s.real_value("application_network_share")
    if network_share is not None and network_share >= NETWORK_MATTERS_SHARE and pr.network_estimate is not None:
        sources = declared + s.source("application_network_share")
        if pr.network_estimate == 1:
            out.append(_obs("search-methods", "search.network-weak", 1, sources, share=network_share))
        elif pr.network_estimate == 3:
            out.append(_obs("search-methods", "search.network-strong", 3, sources, share=network_share))
    return out


def market_observations(s: Situation) -> list[Observation]:
    """Return what the official market figures say, each with its dataset; a notice when there are none."""
    out: list[Observation] = []
    offers = s.real_value(TENSION)
    if offers is None:
        if s.is_synthetic(TENSION):
            # Only the market model's figures: shown elsewhere as demonstration figures, judged nowhere.
            out.append(_obs("market", DEMONSTRATION_NOTICE, None, s.source(TENSION)))
        return out
    tension_source = s.source(TENSION)
    if offers <= 3:
        out.append(_obs("market", "market.tension-low", 0, tension_source, offers=offers))
    elif offers < 5:
        out.append(_obs("market", "market.tension-balanced", 2, tension_source, offers=offers))
    else:
        out.append(_obs("market", "market.tension-good", 3, tension_source, offers=offers))
    # Alternatives are found on official figures only (alternatives.py); checked again here.
    alternatives = [a for a in (s.market.alternatives if s.market is not None else []) if a.provenance == "real"]
    close = [a for a in alternatives if a.relation in ("close-job", "evolution")]
    if close:
        best = close[0]
        out.append(
            _obs(
                "market",
                "market.better-close-jobs",
                None,
                (_alt_source(best.dataset, best.provenance), *tension_source),
                count=len(close),
                rome=best.rome_code,
                offers=best.offers_per_10_candidates,
            )
        )
    places = [a for a in alternatives if a.relation in ("neighbour-departement", "other-departement")]
    if places:
        best = places[0]
        out.append(
            _obs(
                "market",
                "market.better-elsewhere",
                None,
                (_alt_source(best.dataset, best.provenance), *tension_source),
                count=len(places),
                departement=best.departement,
                offers=best.offers_per_10_candidates,
                nearby=best.relation == "neighbour-departement",
            )
        )
    seasonal = s.real_value("seasonal_share")
    month = s.real_value("best_month")
    if seasonal is not None and seasonal >= SEASONAL_SHARE and month is not None:
        out.append(
            _obs(
                "market",
                "market.seasonal",
                None,
                s.source("seasonal_share") + s.source("best_month"),
                share=seasonal,
                month=int(month),
            )
        )
    low, high = s.real_value("salary_gross_yearly_p25"), s.real_value("salary_gross_yearly_p75")
    if low is not None and high is not None:
        out.append(
            _obs(
                "market",
                "market.salary",
                None,
                s.source("salary_gross_yearly_p25") + s.source("salary_gross_yearly_p75"),
                low=low,
                high=high,
            )
        )
    contract = _dominant(s, _CONTRACTS)
    if contract is not None:
        figure, label, share = contract
        out.append(_obs("market", "market.contracts", None, s.source(figure), contract=label, share=share))
    channel = _dominant(s, _CHANNELS)
    if channel is not None:
        figure, label, share = channel
        out.append(_obs("market", "market.main-channel", None, s.source(figure), channel=label, share=share))
    return out


def _alt_source(dataset: str | None, provenance: Provenance) -> Source:
    return Source(dataset or "unknown", provenance)


def _dominant(s: Situation, names: tuple[tuple[str, str], ...]) -> tuple[str, str, float] | None:
    values = [(s.real_value(figure), figure, label) for figure, label in names]
    known = [(v, f, label) for v, f, label in values if v is not None]
    if not known:
        return None
    value, figure, label = max(known, key=lambda x: x[0])
    return figure, label, value


def skills_observations(s: Situation) -> list[Observation]:
    """Return what the job asks for (ROME) against what the person has.

    A degree of the right level is not the diploma of the trade the ROME names
    (a CAP in hairdressing), nor the one a regulated job demands (a state
    diploma): only the person's own answer that they have the diplomas makes
    them a strength; a matching level is said, as information, and asked about.
    """
    out: list[Observation] = []
    required_value = s.real_value("required_degree_rank")
    rome_source = s.source("required_degree_rank")
    requirements = s.market.requirements if s.market is not None else None
    regulated = bool(requirements and requirements.regulated)
    degree = s.profile.highest_degree
    if required_value is not None:
        required = int(required_value)
        if required == 0:
            out.append(_obs("skills", "skills.no-diploma-needed", 3, rome_source))
        elif s.project.training_fulfillment_estimate is TrainingFulfillment.ENOUGH_DIPLOMAS:
            out.append(_obs("skills", "skills.diploma-declared", 3, rome_source + s.declared, rank=required))
        elif degree is not None and DEGREE_RANK[degree] < required:
            out.append(
                _obs("skills", "skills.diploma-missing", 0, rome_source + s.declared, rank=required, degree=degree)
            )
        elif degree is not None:
            level = "skills.diploma-level-regulated" if regulated else "skills.diploma-level"
            out.append(_obs("skills", level, None, rome_source + s.declared, rank=required))
        else:
            out.append(_obs("skills", "skills.diploma-asked", None, rome_source, rank=required))
    if requirements is not None and requirements.experience_route:
        out.append(_obs("skills", "skills.experience-route", None, rome_source))
    if regulated:
        out.append(_obs("skills", "skills.regulated", None, rome_source))
    return out


def _score(observations: list[Observation]) -> int | None:
    scores = [o.score for o in observations if o.score is not None]
    if not scores:
        return None
    return round(sum(scores) / len(scores) * 100 / 3)


def sub_diagnoses(s: Situation) -> tuple[SubDiagnosis, ...]:
    """Return the 5 sub-diagnostics, each with its score and observations."""
    topics: tuple[tuple[DiagnosticTopic, list[Observation]], ...] = (
        ("profile", profile_observations(s)),
        ("project", project_observations(s)),
        ("search-methods", search_observations(s)),
        ("market", market_observations(s)),
        ("skills", skills_observations(s)),
    )
    return tuple(SubDiagnosis(topic, _score(obs), tuple(obs)) for topic, obs in topics)
