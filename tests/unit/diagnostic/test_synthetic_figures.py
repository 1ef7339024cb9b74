"""No verdict from invented figures: the same person diagnosed with the market model's figures (the
demonstration mode, nothing imported) and with official ones (an imported file, with its source and
period)."""

from __future__ import annotations

from typing import Any

from services.diagnostic.diagnose import diagnose
from services.diagnostic.market_data import DatasetInfo, MarketData
from services.diagnostic.market_table import DatasetRef, MarketTable
from services.diagnostic.market_views import hints_view
from services.diagnostic.models import Diagnosis
from services.diagnostic.render import Renderer
from shared.contracts.diagnostic import AlternativeMarket, MarketFacts, Provenance
from shared.contracts.vocabulary import Locale, MainChallenge
from tests.unit.diagnostic.builders import TODAY, basis, born, market, project, started

IMT = "imt-market-score@test"
PERIOD = "2016-01..2017-12"
PERSON: dict[str, Any] = {
    "passionate_level": "PASSIONATING",
    "previous_job_similarity": "DONE_THIS",
    "seniority": "SENIOR",
    "training_fulfillment_estimate": "ENOUGH_DIPLOMAS",
    "job_search_started_at": started(4),
    "total_interview_count": 8,
    "weekly_applications_estimate": "SOME",
    "area_type": "CITY",
    "min_salary": 30_000,
    "employment_types": ["CDI"],
    "network_estimate": 1,
}


def facts(provenance: Provenance, offers: float = 1.0) -> MarketFacts:
    dataset = "market-model@1" if provenance == "synthetic" else IMT
    close = AlternativeMarket(
        rome_code="D1208",
        departement="69",
        offers_per_10_candidates=8.0,
        provenance=provenance,
        relation="close-job",
        dataset=dataset,
    )
    # Everything a market verdict could stand on: a stuck market, a close job that hires, a season,
    # salaries, contracts and hiring channels (and PERSON searches for a CDI only in her town).
    return market(
        offers,
        rank=1,
        provenance=provenance,
        alternatives=[close],
        seasonal_share=0.6,
        best_month=6,
        salary_gross_yearly_p25=20_000,
        salary_gross_yearly_p75=24_000,
        cdi_share=0.2,
        cdd_share=0.5,
        application_network_share=0.5,
    )


def diagnosis(provenance: Provenance, offers: float = 1.0) -> Diagnosis:
    the_project = project(**PERSON)
    return diagnose(basis(the_project, year_of_birth=born(40)), the_project, facts(provenance, offers), TODAY)


def renderer(market_data: MarketData, locale: Locale = Locale.FR) -> Renderer:
    imported = DatasetInfo(IMT, "imt-market-score", "test", "real", "Licence Ouverte", "France Travail – IMT", PERIOD)
    data = MarketData(market_data.reference, market_data.table, {**market_data.datasets, IMT: imported}, "store", "s")
    return Renderer(locale=locale, market=data)


def test_the_models_figures_give_no_verdict_no_strength_no_weakness_and_no_best_month() -> None:
    demo = diagnosis("synthetic")
    stuck = next(c for c in demo.challenges if c.challenge is MainChallenge.STUCK_MARKET)
    assert (stuck.status, [r.code for r in stuck.reasons]) == ("neutral", ["market.not-judged"])
    assert demo.main_challenge is MainChallenge.BRAVO  # nothing else is wrong with this person
    ids = {o.id for o in demo.observations()}
    assert ids & {"market.tension-low", "market.seasonal", "market.salary", "market.better-close-jobs"} == set()
    assert ids & {"project.mobility-narrow", "project.salary-above-market", "project.contracts-narrow"} == set()
    assert "search.network-weak" not in ids
    market_part = next(s for s in demo.sub_diagnoses if s.topic == "market")
    assert market_part.score is None and [o.id for o in market_part.observations] == ["market.demo-figures"]
    # Whatever the model says, the conclusions stay the same.
    assert diagnosis("synthetic", offers=20.0).fingerprint() != demo.fingerprint()  # the figures differ...
    assert diagnosis("synthetic", offers=20.0).overall_score == demo.overall_score  # ...the verdicts do not


def test_the_demonstration_mode_says_so_plainly(market_data: MarketData) -> None:
    for locale, words in ((Locale.FR, "Chiffres de démonstration"), (Locale.EN, "Demonstration figures")):
        view = renderer(market_data, locale).diagnosis(diagnosis("synthetic"), diagnosis_id="d", fingerprint="f")
        market_part = next(s for s in view.sub_diagnostics if s.topic == "market")
        [notice] = market_part.observations
        assert notice.text.startswith(words) and not notice.text.endswith(("(estimation)", "(estimate)"))
        assert notice.attention_needed is False and notice.score is None
        stuck = next(c for c in view.challenges if c.challenge is MainChallenge.STUCK_MARKET)
        assert stuck.reasons[0].text.startswith(words)
        assert stuck.status_label in ("Impossible à juger pour l'instant", "Cannot be judged for now")
        assert not [
            c for c in view.challenges if c.status == "relevant-and-good" and c.challenge.value == "stuck-market"
        ]
        assert view.contains_estimates is True  # the market summary still carries the model's figures


def test_official_figures_give_the_verdict_with_its_source_and_period(market_data: MarketData) -> None:
    real = diagnosis("real")
    assert real.main_challenge is MainChallenge.STUCK_MARKET
    assert real.overall_sentence == "stuck-market.close-jobs"
    ids = {o.id for o in real.observations()}
    assert {"market.tension-low", "market.better-close-jobs", "market.seasonal", "market.salary"} <= ids
    # (The salary asked is never compared: "Mes réponses" does not ask it, so nothing is said from it.)
    assert {"project.mobility-narrow", "project.contracts-narrow"} <= ids
    assert "project.salary-above-market" not in ids
    view = renderer(market_data).diagnosis(real, diagnosis_id="d", fingerprint="f")
    stuck = next(c for c in view.challenges if c.challenge is MainChallenge.STUCK_MARKET)
    [source] = stuck.sources
    assert (source.provenance, source.attribution, source.period) == ("real", "France Travail – IMT", PERIOD)
    tension = next(o for s in view.sub_diagnostics for o in s.observations if o.id == "market.tension-low")
    assert tension.sources[0].period == PERIOD and not tension.contains_estimates


def test_onboarding_hints_come_from_official_figures_only(market_data: MarketData) -> None:
    demo = hints_view(market_data, Renderer(locale=Locale.FR, market=market_data), "D1202", "69")
    assert [h.kind for h in demo.hints] == ["diplomas"]  # the ROME's, real
    table = MarketTable(["D1202"], ["69"])
    official = table.dataset_index(DatasetRef(IMT, "real"))
    model = table.dataset_index(DatasetRef("market-model@1", "synthetic"))
    table.put_record("D1202", "69", {"offers_per_10_candidates": 2.0, "cdi_share": 0.4}, official)
    table.put_record("D1202", "69", {"salary_gross_yearly_p25": 20_000, "salary_gross_yearly_p75": 25_000}, model)
    table.put("D1202", "69", "required_degree_rank", 1, table.dataset_index(DatasetRef("rome@v3.47", "real")))
    table.put_seasonality("D1202", "69", [1.0] * 11 + [2.0], model)
    data = MarketData(market_data.reference, table, market_data.datasets, "store", "s")
    hints = hints_view(data, Renderer(locale=Locale.FR, market=data), "D1202", "69").hints
    assert [h.kind for h in hints] == ["competition", "diplomas", "contract"]  # no salary, no best months
    assert all(h.provenance == "real" and not h.is_estimate for h in hints)
