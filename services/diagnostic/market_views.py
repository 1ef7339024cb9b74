"""The market API and the onboarding hints: figures with provenance, chart-ready series (pure).

Hints (BOB-REFERENCE §2 "quick diagnostic"): how competitive the job is in
the département, the usual salary range, the diplomas the ROME text asks for,
the dominant contract type and the best months to apply. Each hint names its
dataset. A hint is a finding, so it is drawn from official figures only: a
figure of the market model gives no hint (the ROME's diplomas remain, they are
real). The market view still shows every figure, each with its provenance.
"""

from __future__ import annotations

from services.diagnostic.market_data import MarketData
from services.diagnostic.render import Renderer
from shared.contracts.api.diagnostic import (
    DatasetView,
    FigureView,
    HintsView,
    HintView,
    MarketView,
    MonthValue,
    SeasonalitySeries,
    TensionPoint,
)
from shared.contracts.diagnostic import MarketFacts, MarketFigure
from shared.problems import NotFoundError

TENSION = "offers_per_10_candidates"
# Competition levels, from offers per 10 job seekers.
COMPETITION_LEVELS = ((3.0, "very-high"), (5.0, "high"), (7.0, "medium"))
BEST_MONTHS = 3
_CONTRACTS = (("cdi_share", "CDI"), ("cdd_share", "CDD"), ("interim_share", "INTERIM"))


def market_facts_or_404(market: MarketData, rome: str, departement: str) -> MarketFacts:
    """Return the market facts of a pair, or raise NotFoundError for an unknown job group or département."""
    if rome not in market.reference.job_groups:
        raise NotFoundError(f"job group {rome}")
    if departement not in market.reference.departements:
        raise NotFoundError(f"département {departement}")
    facts = market.facts(rome, departement)
    if facts is None:
        raise NotFoundError(f"market {rome} {departement}")
    return facts


def _figure(facts: MarketFacts, name: str) -> MarketFigure | None:
    return next((f for f in facts.figures if f.name == name), None)


def _real(facts: MarketFacts, name: str) -> MarketFigure | None:
    """Return a figure when an official dataset gives it; a figure of the market model counts as unknown."""
    figure = _figure(facts, name)
    return figure if figure is not None and figure.provenance == "real" and figure.value is not None else None


def market_view(market: MarketData, renderer: Renderer, rome: str, departement: str) -> MarketView:
    """Return the market of a job group in a département, with its series and datasets."""
    facts = market_facts_or_404(market, rome, departement)
    summary = renderer.market_summary(facts)
    season = market.table.seasonality(rome, departement)
    seasonality = None
    if season is not None:
        values, ref = season
        seasonality = SeasonalitySeries(
            points=[MonthValue(month=m + 1, value=v) for m, v in enumerate(values)],
            provenance=ref.provenance,
            dataset=ref.id,
            is_estimate=ref.provenance == "synthetic",
        )
    place = market.reference.departements[departement]
    points = []
    for code, distance in ((departement, None), *place.neighbours):
        value = market.table.value(rome, code, TENSION)
        source = market.table.source(rome, code, TENSION)
        if value is None or source is None:
            continue
        points.append(
            TensionPoint(
                departement=code,
                name=market.departement_label(code),
                offers_per_10_candidates=value,
                provenance=source.provenance,
                dataset=source.id,
                is_estimate=source.provenance == "synthetic",
                is_selected=code == departement,
                distance_km=distance,
            )
        )
    points.sort(key=lambda p: -p.offers_per_10_candidates)
    used = {f.dataset for f in summary.figures} | {p.dataset for p in points}
    used |= {a.dataset for a in summary.alternatives if a.dataset}
    if seasonality is not None:
        used.add(seasonality.dataset)
    if summary.requirements is not None:
        used.add(summary.requirements.dataset)
    datasets = [
        DatasetView(
            id=info.id,
            name=info.name,
            version=info.version,
            provenance=info.provenance,
            licence=info.licence,
            attribution=info.attribution,
            period=info.period,
            imported_at=info.imported_at,
        )
        for info in (market.dataset(d) for d in sorted(used))
        if info is not None
    ]
    return MarketView(
        rome_code=rome,
        job_label=summary.job_label,
        departement=departement,
        departement_name=summary.departement_name,
        figures=summary.figures,
        seasonality=seasonality,
        tension_nearby=points,
        alternatives=summary.alternatives,
        requirements=summary.requirements,
        datasets=datasets,
        contains_estimates=any(f.is_estimate for f in summary.figures) or any(p.is_estimate for p in points),
    )


def _hint(renderer: Renderer, kind: str, key: str, params: dict[str, object], figure: FigureView) -> HintView:
    text = renderer.text("hints", key, params)
    if figure.is_estimate:
        text += renderer.estimate_mark()
    return HintView(
        kind=kind,
        text=text,
        values=params,
        provenance=figure.provenance,
        dataset=figure.dataset,
        is_estimate=figure.is_estimate,
    )


def _view(figure: MarketFigure) -> FigureView:
    return FigureView(
        name=figure.name,
        value=figure.value,
        provenance=figure.provenance,
        dataset=figure.dataset,
        is_estimate=figure.provenance == "synthetic",
    )


def hints_view(market: MarketData, renderer: Renderer, rome: str, departement: str) -> HintsView:
    """Return the onboarding hints for a job group in a département."""
    facts = market_facts_or_404(market, rome, departement)
    hints: list[HintView] = []
    tension = _real(facts, TENSION)
    if tension is not None and tension.value is not None:
        level = next((name for limit, name in COMPETITION_LEVELS if tension.value < limit), "low")
        hints.append(
            _hint(
                renderer,
                "competition",
                f"competition.{level}",
                {"offers": tension.value, "level": level},
                _view(tension),
            )
        )
    low, high = _real(facts, "salary_gross_yearly_p25"), _real(facts, "salary_gross_yearly_p75")
    if low is not None and high is not None:
        hints.append(_hint(renderer, "salary", "salary", {"low": low.value, "high": high.value}, _view(low)))
    rank = _real(facts, "required_degree_rank")
    if rank is not None and rank.value is not None and facts.requirements is not None:
        diplomas = facts.requirements.diplomas
        key = "diplomas.none" if rank.value == 0 else "diplomas.some"
        if key == "diplomas.none" or diplomas:
            hints.append(_hint(renderer, "diplomas", key, {"diplomas": diplomas, "rank": int(rank.value)}, _view(rank)))
    contracts = [(f, label) for name, label in _CONTRACTS if (f := _real(facts, name)) is not None]
    if contracts:
        dominant, label = max(contracts, key=lambda x: x[0].value or 0)
        hints.append(
            _hint(renderer, "contract", "contract", {"contract": label, "share": dominant.value}, _view(dominant))
        )
    season = market.table.seasonality(rome, departement)
    if season is not None and season[1].provenance == "real":
        values, ref = season
        months = sorted(range(12), key=lambda m: -values[m])[:BEST_MONTHS]
        series = FigureView(
            name="seasonality",
            value=None,
            provenance=ref.provenance,
            dataset=ref.id,
            is_estimate=ref.provenance == "synthetic",
        )
        hints.append(_hint(renderer, "best-months", "months", {"months": sorted(m + 1 for m in months)}, series))
    return HintsView(rome_code=rome, departement=departement, locale=renderer.locale.value, hints=hints)
