"""Every (job group, département) market record in memory, column by column.

532 job groups × 101 départements = 53,732 records of 19 figures and 12
monthly values. Kept as arrays of floats (NaN = unknown) plus one byte per
figure naming its dataset, the table takes about 15 MB and answers a lookup
without I/O, so ``diagnose`` stays a pure in-memory function.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from services.diagnostic.market_model import (
    MODEL_DATASET,
    DepartementInputs,
    JobGroupInputs,
    job_group_weight,
    model_market,
)
from services.diagnostic.market_reference import MarketReference
from shared.contracts.diagnostic import FIGURE_NAMES, MarketFigure, Provenance

MONTHS = 12
_UNKNOWN = math.nan


@dataclass(frozen=True)
class DatasetRef:
    """A dataset a figure came from: ``name@version`` and whether it is real or synthetic."""

    id: str
    provenance: Provenance


class MarketTable:
    """Figures of every pair, with the dataset of each figure."""

    def __init__(self, romes: Sequence[str], departements: Sequence[str]) -> None:
        self.romes = list(romes)
        self.departements = list(departements)
        self._rome_index = {code: i for i, code in enumerate(self.romes)}
        self._dep_index = {code: i for i, code in enumerate(self.departements)}
        size = len(self.romes) * len(self.departements)
        self._values = {name: array("d", [_UNKNOWN]) * size for name in FIGURE_NAMES}
        # Index 0 of the dataset list means "no dataset" (the value is unknown).
        self._sources = {name: bytearray(size) for name in FIGURE_NAMES}
        self._season = [array("d", [_UNKNOWN]) * size for _ in range(MONTHS)]
        self._season_source = bytearray(size)
        self.datasets: list[DatasetRef | None] = [None]
        self._dataset_index: dict[str, int] = {}

    def _slot(self, rome: str, departement: str) -> int | None:
        r = self._rome_index.get(rome)
        d = self._dep_index.get(departement)
        if r is None or d is None:
            return None
        return r * len(self.departements) + d

    def has(self, rome: str, departement: str) -> bool:
        """Return True when the pair is a known job group and département."""
        return self._slot(rome, departement) is not None

    def dataset_index(self, ref: DatasetRef) -> int:
        """Return the index of a dataset, registering it on first use."""
        index = self._dataset_index.get(ref.id)
        if index is None:
            if len(self.datasets) >= 255:
                raise ValueError("too many datasets in one market table")
            self.datasets.append(ref)
            index = self._dataset_index[ref.id] = len(self.datasets) - 1
        return index

    def put(self, rome: str, departement: str, name: str, value: float | None, dataset: int) -> None:
        """Set one figure of a pair (None clears it)."""
        slot = self._slot(rome, departement)
        if slot is None:
            return
        self._values[name][slot] = _UNKNOWN if value is None else float(value)
        self._sources[name][slot] = 0 if value is None else dataset

    def put_seasonality(self, rome: str, departement: str, values: Sequence[float], dataset: int) -> None:
        """Set the 12 monthly offer indices of a pair."""
        slot = self._slot(rome, departement)
        if slot is None or len(values) != MONTHS:
            return
        for month in range(MONTHS):
            self._season[month][slot] = float(values[month])
        self._season_source[slot] = dataset

    def put_record(
        self,
        rome: str,
        departement: str,
        figures: Mapping[str, float | None],
        dataset: int,
        seasonality: Sequence[float] | None = None,
    ) -> None:
        """Set several figures of a pair from one dataset (faster than ``put`` one by one)."""
        slot = self._slot(rome, departement)
        if slot is None:
            return
        for name, value in figures.items():
            if value is None:
                continue
            self._values[name][slot] = value
            self._sources[name][slot] = dataset
        if seasonality is not None and len(seasonality) == MONTHS:
            for month in range(MONTHS):
                self._season[month][slot] = seasonality[month]
            self._season_source[slot] = dataset

    def value(self, rome: str, departement: str, name: str) -> float | None:
        """Return a figure's value, or None when unknown."""
        slot = self._slot(rome, departement)
        if slot is None:
            return None
        value = self._values[name][slot]
        return None if math.isnan(value) else value

    def source(self, rome: str, departement: str, name: str) -> DatasetRef | None:
        """Return the dataset of a figure, or None when unknown."""
        slot = self._slot(rome, departement)
        return None if slot is None else self.datasets[self._sources[name][slot]]

    def figures(self, rome: str, departement: str) -> list[MarketFigure]:
        """Return the known figures of a pair, each with its provenance."""
        slot = self._slot(rome, departement)
        if slot is None:
            return []
        figures = []
        for name in FIGURE_NAMES:
            value = self._values[name][slot]
            ref = self.datasets[self._sources[name][slot]]
            if ref is None or math.isnan(value):
                continue
            figures.append(
                MarketFigure.model_construct(name=name, value=value, provenance=ref.provenance, dataset=ref.id)
            )
        return figures

    def seasonality(self, rome: str, departement: str) -> tuple[tuple[float, ...], DatasetRef] | None:
        """Return the monthly offer indices of a pair and their dataset, or None."""
        slot = self._slot(rome, departement)
        if slot is None:
            return None
        ref = self.datasets[self._season_source[slot]]
        if ref is None:
            return None
        return tuple(self._season[m][slot] for m in range(MONTHS)), ref

    def provenance_counts(self) -> dict[str, int]:
        """Return how many figures are real and how many synthetic (for the import summary)."""
        counts = {"real": 0, "synthetic": 0}
        for sources in self._sources.values():
            for index in sources:
                ref = self.datasets[index]
                if ref is not None:
                    counts[ref.provenance] += 1
        return counts

    def record(self, rome: str, departement: str) -> dict[str, Any]:
        """Return one pair as the store document the importer writes."""
        slot = self._slot(rome, departement)
        assert slot is not None
        figures: dict[str, list[Any]] = {}
        for name in FIGURE_NAMES:
            ref = self.datasets[self._sources[name][slot]]
            if ref is not None:
                figures[name] = [self._values[name][slot], ref.id]
        doc: dict[str, Any] = {
            "_id": f"{rome}:{departement}",
            "rome": rome,
            "departement": departement,
            "figures": figures,
        }
        season = self.seasonality(rome, departement)
        if season is not None:
            doc["seasonality"] = [list(season[0]), season[1].id]
        return doc


def model_table(reference: MarketReference) -> MarketTable:
    """Return a table filled by the synthetic market model, with the ROME diploma level as a real figure."""
    table = MarketTable(sorted(reference.job_groups), sorted(reference.departements))
    model = table.dataset_index(DatasetRef(MODEL_DATASET, "synthetic"))
    rome = table.dataset_index(DatasetRef(reference.rome_dataset, "real"))
    weights = {code: job_group_weight(code) for code in reference.job_groups}
    total_weight = sum(weights.values())
    total_population = max(reference.total_population, 1)
    deps = [
        DepartementInputs(d.code, d.region, d.population, d.population / total_population)
        for d in reference.departements.values()
    ]
    for code, group in reference.job_groups.items():
        job = JobGroupInputs(code, group.grand_domain, group.requirement.degree_rank, weights[code] / total_weight)
        for dep in deps:
            modelled = model_market(job, dep)
            table.put_record(code, dep.code, modelled.figures, model, modelled.seasonality)
            table.put(code, dep.code, "required_degree_rank", group.requirement.degree_rank, rome)
    return table


class RecordReader:
    """Fills a table from stored market records, one at a time (no need to hold them all in memory).

    ``provenance`` maps dataset ids to real/synthetic; a dataset it does not
    know is labelled synthetic, so an unknown origin is never shown as real.
    """

    def __init__(self, table: MarketTable, provenance: Mapping[str, Provenance]) -> None:
        self.table = table
        self.records = 0
        self._provenance = provenance
        self._indexes: dict[str, int] = {}

    def _index(self, dataset: str) -> int:
        index = self._indexes.get(dataset)
        if index is None:
            ref = DatasetRef(dataset, self._provenance.get(dataset, "synthetic"))
            index = self._indexes[dataset] = self.table.dataset_index(ref)
        return index

    def add(self, doc: Mapping[str, Any]) -> None:
        """Put one stored record into the table."""
        rome, dep = doc["rome"], doc["departement"]
        for name, (value, dataset) in doc.get("figures", {}).items():
            if name in FIGURE_NAMES:  # figures of a newer importer this version does not know are skipped
                self.table.put(rome, dep, name, value, self._index(dataset))
        season = doc.get("seasonality")
        if season:
            self.table.put_seasonality(rome, dep, season[0], self._index(season[1]))
        self.records += 1
