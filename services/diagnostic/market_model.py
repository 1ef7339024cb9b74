"""The synthetic market model: a deterministic estimate for every (job group, département).

Official market statistics per job group and département are not all available
offline. Until they are imported, every figure comes from this model and is
labelled ``synthetic`` (dataset ``market-model@1``). The model is not a
forecast: it gives plausible orders of magnitude so that the product works end
to end, and every user-facing figure built on it says it is an estimate.

How a figure is made (docs/DATA.md gives the tables):

* Randomness is a stable hash, never a random generator: ``blake2b`` of
  ``"<model version>:<key>"`` where the key is the job group, the département or
  the pair, so a figure never changes between runs, machines or processes.
* Real inputs shape the figures: the job group's ROME domain (tension level,
  contract mix, hiring channels, seasonality), the diploma the ROME text asks
  for (salary level), the département's population (job-seeker volume) and
  region (Île-de-France salaries).
* Tension (offers per 10 job seekers) = domain level × job-group effect ×
  département effect × pair effect (log-normal factors).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from functools import lru_cache
from statistics import NormalDist

MODEL_NAME = "market-model"
MODEL_VERSION = "1"
MODEL_DATASET = f"{MODEL_NAME}@{MODEL_VERSION}"

# Gross yearly minimum wage (SMIC 2025, 1 801,80 € a month): no salary estimate goes below it.
SMIC_GROSS_YEARLY = 21_622
NATIONAL_JOB_SEEKERS = 5_000_000  # order of magnitude of job seekers (categories A, B, C) in France

# Offers per 10 job seekers, by ROME grand domain (A-N): the centre of each domain's distribution.
DOMAIN_TENSION = {
    "A": 5.5,
    "B": 2.5,
    "C": 5.0,
    "D": 4.0,
    "E": 2.5,
    "F": 7.0,
    "G": 6.0,
    "H": 5.5,
    "I": 7.5,
    "J": 8.0,
    "K": 4.5,
    "L": 1.5,
    "M": 3.5,
    "N": 5.5,
}
# Median gross yearly salary by the diploma rank the ROME asks for (0 none ... 5 master).
RANK_SALARY = {0: 21_800, 1: 23_500, 2: 26_000, 3: 30_500, 4: 36_000, 5: 46_000}
UNKNOWN_RANK_SALARY = 25_000
DOMAIN_SALARY = {
    "A": 0.94,
    "B": 0.97,
    "C": 1.12,
    "D": 0.96,
    "E": 1.03,
    "F": 1.00,
    "G": 0.93,
    "H": 1.02,
    "I": 1.03,
    "J": 1.02,
    "K": 0.95,
    "L": 0.95,
    "M": 1.08,
    "N": 0.98,
}
ILE_DE_FRANCE = "11"
ILE_DE_FRANCE_SALARY = 1.12
# (CDI, CDD, interim) shares of offers, by grand domain.
DOMAIN_CONTRACTS = {
    "A": (0.30, 0.60, 0.10),
    "B": (0.45, 0.35, 0.20),
    "C": (0.75, 0.20, 0.05),
    "D": (0.50, 0.40, 0.10),
    "E": (0.45, 0.45, 0.10),
    "F": (0.40, 0.15, 0.45),
    "G": (0.35, 0.60, 0.05),
    "H": (0.35, 0.15, 0.50),
    "I": (0.55, 0.15, 0.30),
    "J": (0.55, 0.40, 0.05),
    "K": (0.40, 0.55, 0.05),
    "L": (0.10, 0.85, 0.05),
    "M": (0.60, 0.30, 0.10),
    "N": (0.35, 0.25, 0.40),
}
# How people were hired (spontaneous application, network, placement agency, other).
DEFAULT_CHANNELS = (0.30, 0.35, 0.20, 0.15)
DOMAIN_CHANNELS = {
    "D": (0.40, 0.30, 0.15, 0.15),
    "G": (0.40, 0.30, 0.15, 0.15),
    "F": (0.25, 0.30, 0.35, 0.10),
    "H": (0.25, 0.30, 0.35, 0.10),
    "N": (0.25, 0.30, 0.35, 0.10),
    "B": (0.20, 0.55, 0.05, 0.20),
    "E": (0.20, 0.55, 0.05, 0.20),
    "L": (0.20, 0.55, 0.05, 0.20),
    "J": (0.35, 0.25, 0.15, 0.25),
    "K": (0.35, 0.25, 0.15, 0.25),
    "C": (0.25, 0.35, 0.20, 0.20),
    "M": (0.25, 0.35, 0.20, 0.20),
}
# Seasonality: (month of the peak 1-12, amplitude) by grand domain; others are nearly flat.
DOMAIN_SEASON = {"G": (6, 0.35), "L": (7, 0.25), "A": (8, 0.35), "D": (11, 0.15), "F": (4, 0.10), "K": (9, 0.08)}
FLAT_SEASON = (1, 0.03)

_NORMAL = NormalDist()


@dataclass(frozen=True)
class JobGroupInputs:
    """What the model knows about a job group, all from the ROME."""

    code: str
    grand_domain: str
    degree_rank: int | None
    national_share: float  # share of the country's job seekers in this job group


@dataclass(frozen=True)
class DepartementInputs:
    code: str
    region: str
    population: int
    population_share: float  # share of the country's population


@dataclass(frozen=True)
class ModelledMarket:
    """The model's figures for one pair (names of FIGURE_NAMES) and its monthly offer index."""

    figures: dict[str, float | None]
    seasonality: tuple[float, ...]  # 12 values, mean 1: offers in each month relative to the average


def uniforms(key: str, count: int) -> list[float]:
    """Return ``count`` stable pseudo-random numbers in (0, 1) for a key."""
    values: list[float] = []
    block = 0
    while len(values) < count:
        # blake2b gives at most 64 bytes, i.e. 8 numbers, per digest: chain blocks for more.
        size = min(count - len(values), 8)
        digest = hashlib.blake2b(f"{MODEL_VERSION}:{key}#{block}".encode(), digest_size=8 * size).digest()
        values += [(int.from_bytes(digest[i : i + 8], "big") + 0.5) / 2.0**64 for i in range(0, 8 * size, 8)]
        block += 1
    return values


def normals(key: str, count: int) -> list[float]:
    """Return ``count`` stable standard normal numbers for a key."""
    return [_NORMAL.inv_cdf(u) for u in uniforms(key, count)]


@lru_cache(maxsize=4096)
def _job_effects(code: str) -> tuple[float, ...]:
    return tuple(normals("job:" + code, 2))


@lru_cache(maxsize=512)
def _departement_effect(code: str) -> float:
    return normals("dep:" + code, 1)[0]


def job_group_weight(code: str) -> float:
    """Return the relative size of a job group (its national share before normalisation)."""
    return math.exp(0.9 * normals("size:" + code, 1)[0])


def _normalised(shares: tuple[float, ...], noise: list[float]) -> tuple[float, ...]:
    bent = [s * math.exp(0.2 * z) for s, z in zip(shares, noise, strict=False)]
    total = sum(bent)
    return tuple(round(b / total, 3) for b in bent)


def _round_to(value: float, step: int) -> float:
    return float(round(value / step) * step)


def model_market(job: JobGroupInputs, dep: DepartementInputs) -> ModelledMarket:
    """Return the synthetic figures of one (job group, département) pair."""
    z_job = _job_effects(job.code)
    z_dep = _departement_effect(dep.code)
    z = normals(f"pair:{job.code}:{dep.code}", 8)
    domain = job.grand_domain

    # Big départements have relatively more openings for graduates and fewer for unqualified jobs.
    urban = (max(dep.population, 1) / 700_000) ** (0.10 if (job.degree_rank or 0) >= 4 else -0.05)
    tension = DOMAIN_TENSION.get(domain, 4.5) * math.exp(0.45 * z_job[0] + 0.25 * z_dep + 0.15 * z[0]) * urban
    tension = round(min(max(tension, 0.2), 40.0), 1)
    seekers = NATIONAL_JOB_SEEKERS * job.national_share * dep.population_share * math.exp(0.1 * z[1])
    job_seekers = float(max(round(seekers), 1))
    offers = float(round(tension * job_seekers / 10))

    rank = job.degree_rank
    median = float(RANK_SALARY[rank] if rank is not None and rank in RANK_SALARY else UNKNOWN_RANK_SALARY)
    median *= DOMAIN_SALARY.get(domain, 1.0) * math.exp(0.06 * z_job[1] + 0.03 * z[2])
    if dep.region == ILE_DE_FRANCE:
        median *= ILE_DE_FRANCE_SALARY
    median = max(median, SMIC_GROSS_YEARLY * 1.04)

    cdi, cdd, interim = _normalised(DOMAIN_CONTRACTS.get(domain, (0.45, 0.40, 0.15)), z[3:6])
    spontaneous, network, agency, other = _normalised(DOMAIN_CHANNELS.get(domain, DEFAULT_CHANNELS), z[4:8])

    # The pair's season is its domain's, a little stronger or weaker and up to a month earlier or later.
    peak, amplitude = DOMAIN_SEASON.get(domain, FLAT_SEASON)
    amplitude *= math.exp(0.25 * z[5])
    shift = 0.5 * math.tanh(z[6])
    raw = [1 + amplitude * math.cos(2 * math.pi * (m - peak - shift) / 12) for m in range(1, 13)]
    mean = sum(raw) / 12
    seasonality = tuple(round(r / mean, 3) for r in raw)
    best_month = float(max(range(12), key=lambda i: seasonality[i]) + 1)

    figures: dict[str, float | None] = {
        "offers_per_10_candidates": tension,
        "job_offers_yearly": offers,
        "job_seekers": job_seekers,
        "salary_gross_yearly_p25": _round_to(max(median * 0.86, SMIC_GROSS_YEARLY), 100),
        "salary_gross_yearly_median": _round_to(median, 100),
        "salary_gross_yearly_p75": _round_to(median * 1.22, 100),
        "cdi_share": cdi,
        "cdd_share": cdd,
        "interim_share": interim,
        "application_spontaneous_share": spontaneous,
        "application_network_share": network,
        "application_agency_share": agency,
        "application_other_share": other,
        "unemployment_median_days": float(round(min(max(200 * (5 / tension) ** 0.4 * math.exp(0.1 * z[6]), 45), 720))),
        "hiring_projects_yearly": float(round(offers * 0.55 * math.exp(0.15 * z[7]))),
        "hiring_difficult_share": round(min(max(0.15 + 0.6 * tension / (tension + 6) + 0.05 * z[2], 0.05), 0.9), 3),
        "seasonal_share": round(min(max(1.4 * amplitude, 0.0), 0.9), 3),
        "best_month": best_month,
        "required_degree_rank": None,  # never modelled: it comes from the ROME text (real)
    }
    return ModelledMarket(figures=figures, seasonality=seasonality)
