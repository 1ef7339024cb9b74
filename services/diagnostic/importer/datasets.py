"""The datasets the importer knows: official file name, licence, attribution, reader and priority.

To import the full official statistics, put the files under DATA_DIR/market
with these names (the layouts of DATA_DIR/market_samples).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from services.diagnostic.importer.market_files import (
    Known,
    MarketObservations,
    Reader,
    read_application_modes,
    read_bmo,
    read_fhs_durations,
    read_fhs_salaries,
    read_imt_employment_type,
    read_imt_market_score,
    read_imt_monthly,
    read_imt_salaries,
    read_job_offers,
    read_pcs_rome,
    read_seasonal_offers,
)

ETALAB = "Licence Ouverte / Etalab 2.0"
FRANCE_TRAVAIL_IMT = "France Travail (ex-Pôle emploi) – Informations sur le marché du travail (IMT)"


@dataclass(frozen=True)
class MarketDataset:
    name: str
    file: str
    title: str
    attribution: str
    reader: Reader
    licence: str = ETALAB
    needs: tuple[str, ...] = ()  # other files of the market folder the reader needs


def _salaries(path: Path, known: Known) -> MarketObservations:
    return read_imt_salaries(path, known, read_pcs_rome(path.parent / "pcs_rome.csv"))


MARKET_DATASETS: tuple[MarketDataset, ...] = (
    MarketDataset(
        "imt-market-score",
        "imt_market_score.csv",
        "Market tension and seasonal months",
        FRANCE_TRAVAIL_IMT,
        read_imt_market_score,
    ),
    MarketDataset("imt-monthly", "IMT.csv", "Monthly offers and job seekers", FRANCE_TRAVAIL_IMT, read_imt_monthly),
    MarketDataset(
        "imt-employment-type",
        "imt_employment_type.csv",
        "Offers by contract type",
        FRANCE_TRAVAIL_IMT,
        read_imt_employment_type,
    ),
    MarketDataset(
        "imt-salaries",
        "imt_salaries.csv",
        "Salaries offered by PCS and age group",
        FRANCE_TRAVAIL_IMT,
        _salaries,
        needs=("pcs_rome.csv",),
    ),
    MarketDataset(
        "bmo",
        "bmo.csv",
        "Hiring projects survey (Besoins en main-d'œuvre)",
        "France Travail – Enquête Besoins en main-d'œuvre (BMO)",
        read_bmo,
    ),
    MarketDataset(
        "application-modes",
        "application_modes.csv",
        "How people were hired, by FAP",
        "France Travail / DARES – Modes de recrutement par famille professionnelle",
        read_application_modes,
    ),
    MarketDataset(
        "job-offers",
        "offers_per_departement.csv",
        "Job offers by job group and département",
        "France Travail – Offres d'emploi",
        read_job_offers,
    ),
    MarketDataset(
        "seasonal-offers",
        "seasonal_offers_2015_2017.csv",
        "Seasonal job offers 2015-2017",
        "France Travail – Offres d'emploi saisonnières",
        read_seasonal_offers,
    ),
    MarketDataset(
        "fhs-salaries",
        "fhs_salaries.csv",
        "Previous salaries of job seekers (FHS)",
        "France Travail – Fichier historique statistique (FHS)",
        read_fhs_salaries,
    ),
    MarketDataset(
        "fhs-durations",
        "fhs_durations.csv",
        "Unemployment durations (FHS)",
        "France Travail – Fichier historique statistique (FHS)",
        read_fhs_durations,
    ),
)

# Which dataset a figure comes from when several give it: first present wins,
# the market model fills what none gives.
FIGURE_PRIORITY: dict[str, tuple[str, ...]] = {
    "offers_per_10_candidates": ("imt-market-score", "imt-monthly"),
    "best_month": ("imt-monthly", "imt-market-score"),
    "salary_gross_yearly_p25": ("imt-salaries", "fhs-salaries"),
    "salary_gross_yearly_median": ("imt-salaries", "fhs-salaries"),
    "salary_gross_yearly_p75": ("imt-salaries", "fhs-salaries"),
    "cdi_share": ("imt-employment-type",),
    "cdd_share": ("imt-employment-type",),
    "interim_share": ("imt-employment-type",),
    "application_spontaneous_share": ("application-modes",),
    "application_network_share": ("application-modes",),
    "application_agency_share": ("application-modes",),
    "application_other_share": ("application-modes",),
    "hiring_projects_yearly": ("bmo",),
    "hiring_difficult_share": ("bmo",),
    "seasonal_share": ("bmo",),
    "job_offers_yearly": ("job-offers",),
    "unemployment_median_days": ("fhs-durations",),
}
SEASONALITY_PRIORITY = ("imt-monthly",)
