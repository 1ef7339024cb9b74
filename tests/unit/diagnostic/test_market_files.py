"""The importers of the official market layouts, on the real samples of DATA_DIR/market_samples."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from services.diagnostic.importer.datasets import MARKET_DATASETS
from services.diagnostic.importer.market_files import (
    Known,
    departement_code,
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
from services.diagnostic.importer.run import known_codes
from services.diagnostic.market_data import MarketData
from tests.unit.diagnostic.conftest import SAMPLES


@pytest.fixture(scope="module")
def known(market_data: MarketData, data_dir: Path) -> Known:
    if not SAMPLES.is_dir():
        pytest.skip("market samples not found")
    return known_codes(data_dir, market_data.reference, datetime(2026, 11, 22, tzinfo=UTC))


def test_every_sample_has_an_importer() -> None:
    files = {d.file for d in MARKET_DATASETS} | {n for d in MARKET_DATASETS for n in d.needs}
    assert files <= {p.name for p in SAMPLES.iterdir()}


def test_departement_codes_are_normalised() -> None:
    assert [departement_code(c) for c in ("2", "02", "971", "2a", " 69 ")] == ["02", "02", "971", "2A", "69"]


def test_market_score_keeps_departement_rows_and_rejects_the_rest(known: Known) -> None:
    obs = read_imt_market_score(SAMPLES / "imt_market_score.csv", known)
    report = obs.report
    assert report.rows_read == 27
    assert report.rejected["not-departement-level"] == 5  # 1 region + 4 national rows
    assert report.rejected["unknown-rome"] == 1  # XXXXX
    assert report.warnings["area-name-mismatch"] == 3  # "45,ARIEGE": the code wins
    assert obs.figures[("F1702", "09")]["offers_per_10_candidates"] == 9
    assert obs.figures[("F1702", "09")]["best_month"] == 10  # SEASONAL=O, active in October only
    assert obs.figures[("F1401", "10")]["offers_per_10_candidates"] == 0
    assert ("F1704", "10") not in obs.figures or "offers_per_10_candidates" not in obs.figures[("F1704", "10")]
    assert obs.figures[("N1101", "45")]["offers_per_10_candidates"] == 22  # ROME label with '' is read


def test_monthly_offers_give_tension_and_seasonality_and_reject_future_months(known: Known) -> None:
    obs = read_imt_monthly(SAMPLES / "IMT.csv", known)
    assert obs.report.rejected == {"month-in-the-future": 34}  # the 2051 rows
    assert obs.report.period == ("2011-01", "2014-12")
    season = obs.seasonality[("A1101", "01")]
    assert len(season) == 12 and abs(sum(season) / 12 - 1) < 0.01
    assert 0 < obs.figures[("A1101", "01")]["offers_per_10_candidates"] < 10
    assert ("E1102", "01") in obs.figures and ("E1102", "01") not in obs.seasonality  # one month only


def test_contract_mix_is_a_share_of_offers(known: Known) -> None:
    obs = read_imt_employment_type(SAMPLES / "imt_employment_type.csv", known)
    ariege = obs.figures[("F1702", "09")]
    assert ariege == {"cdi_share": 0.059, "cdd_share": 0.176, "interim_share": 0.765}
    assert obs.figures[("F1402", "09")]["cdi_share"] == 0


def test_salaries_are_yearly_and_secret_cells_are_rejected(known: Known) -> None:
    crosswalk = read_pcs_rome(SAMPLES / "pcs_rome.csv")
    obs = read_imt_salaries(SAMPLES / "imt_salaries.csv", known, crosswalk)
    assert obs.report.rejected["secret-or-missing"] == 7  # -1 and -2 cells
    figures = obs.figures[("F1702", "09")]
    assert 15_000 < figures["salary_gross_yearly_p25"] < figures["salary_gross_yearly_p75"] < 60_000


def test_bmo_sums_labour_pools_and_shares_a_fap_between_its_job_groups(known: Known) -> None:
    obs = read_bmo(SAMPLES / "bmo.csv", known)
    assert obs.report.rejected["secret"] == 1  # the "*" row of Haute-Corse
    romes = known.fap_to_rome["B1Z40"]
    figures = obs.figures[(romes[0], "971")]
    assert figures["hiring_projects_yearly"] == round(18.064800732 / len(romes), 1)
    assert figures["seasonal_share"] == 1.0
    assert ("A1101", "02") in obs.figures or any(dep == "02" for _, dep in obs.figures)  # "2" became "02"


def test_application_modes_are_national_shares_per_fap(known: Known) -> None:
    obs = read_application_modes(SAMPLES / "application_modes.csv", known)
    rome = known.fap_to_rome["R0Z60"][0]
    shares = obs.figures[(rome, "69")]
    assert shares["application_spontaneous_share"] == 0.376
    assert abs(sum(shares.values()) - 1) < 0.01
    assert obs.figures[(rome, "971")] == shares


def test_offers_are_counted_per_year(known: Known) -> None:
    obs = read_job_offers(SAMPLES / "offers_per_departement.csv", known)
    assert obs.report.rows_kept == 365
    assert obs.report.period == ("2015-02-09", "2016-11-08")
    assert obs.figures[("A1401", "45")]["job_offers_yearly"] > 30


def test_seasonal_offers_are_kept_as_monthly_counts(known: Known) -> None:
    obs = read_seasonal_offers(SAMPLES / "seasonal_offers_2015_2017.csv", known)
    assert obs.report.rows_read == 793
    assert obs.extra[("G1602", "06")]["seasonal_offers_by_month"] == {"3": 166}
    assert not obs.figures


def test_fhs_salaries_need_enough_people_and_fhs_durations_give_a_median(known: Known) -> None:
    salaries = read_fhs_salaries(SAMPLES / "fhs_salaries.csv", known)
    haute_savoie = salaries.figures[("A1203", "74")]
    assert 17_500 <= haute_savoie["salary_gross_yearly_p25"] <= haute_savoie["salary_gross_yearly_median"]
    assert haute_savoie["salary_gross_yearly_median"] <= haute_savoie["salary_gross_yearly_p75"] <= 18_000
    durations = read_fhs_durations(SAMPLES / "fhs_durations.csv", known)
    assert durations.figures[("A1203", "971")]["unemployment_median_days"] == 25  # 26 × 25 days, 18 × 62
