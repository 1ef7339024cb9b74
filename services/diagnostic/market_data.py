"""The market data the service holds in memory: loaded once at startup, reloaded after a re-import.

Normal case: the importer wrote the reference, the datasets and the 53,732
market records into the service's store; they are read once. Fresh machine
(nothing imported yet): the reference comes from the official files in
DATA_DIR and every market figure from the market model, labelled synthetic.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from services.diagnostic.alternatives import AlternativeFinder
from services.diagnostic.market_model import MODEL_DATASET, MODEL_NAME, MODEL_VERSION
from services.diagnostic.market_reference import (
    MarketReference,
    reference_from_docs,
    reference_from_files,
)
from services.diagnostic.market_table import MarketTable, RecordReader, model_table
from services.diagnostic.repository import (
    DATASETS,
    DEPARTEMENTS,
    IMPORTS,
    JOB_GROUPS,
    LATEST_IMPORT,
    MARKET_RECORDS,
)
from shared.contracts.diagnostic import JobRequirements, MarketFacts, Provenance
from shared.reference.geo import GEO_ATTRIBUTION
from shared.reference.rome import ROME_ATTRIBUTION
from shared.store import Store

log = logging.getLogger(__name__)
FACTS_CACHE_SIZE = 4096
MODEL_ATTRIBUTION = (
    "Estimation du coach emploi (modèle de marché déterministe, docs/DATA.md) — pas une statistique officielle"
)


@dataclass(frozen=True)
class DatasetInfo:
    """What users and operators see about a dataset."""

    id: str  # name@version
    name: str
    version: str
    provenance: Provenance
    licence: str
    attribution: str
    period: str | None = None
    imported_at: str | None = None

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> DatasetInfo:
        """Return the dataset described by a ``datasets`` document."""
        return cls(
            id=doc["id"],
            name=doc["name"],
            version=doc["version"],
            provenance=doc["provenance"],
            licence=doc.get("licence", ""),
            attribution=doc.get("attribution", ""),
            period=doc.get("period"),
            imported_at=doc.get("imported_at"),
        )


def builtin_datasets(reference: MarketReference) -> dict[str, DatasetInfo]:
    """Return the datasets known without any import: the ROME and COG files and the market model."""
    rome_name, rome_version = reference.rome_dataset.split("@")
    geo_name, geo_version = reference.geo_dataset.split("@")
    infos = [
        DatasetInfo(
            reference.rome_dataset, rome_name, rome_version, "real", "Licence Ouverte / Etalab 2.0", ROME_ATTRIBUTION
        ),
        DatasetInfo(
            reference.geo_dataset, geo_name, geo_version, "real", "Licence Ouverte / Etalab 2.0", GEO_ATTRIBUTION
        ),
        DatasetInfo(
            MODEL_DATASET,
            MODEL_NAME,
            MODEL_VERSION,
            "synthetic",
            "AGPL-3.0-or-later (code of the coach)",
            MODEL_ATTRIBUTION,
        ),
    ]
    return {info.id: info for info in infos}


@dataclass
class MarketData:
    """The market table, the reference and the datasets, with the lookups the service needs."""

    reference: MarketReference
    table: MarketTable
    datasets: dict[str, DatasetInfo]
    origin: Literal["store", "model"]
    stamp: str | None  # the import the data came from; None for the in-memory model
    finder: AlternativeFinder = field(init=False)
    _cached: Callable[[str | None, str | None], MarketFacts | None] = field(init=False)

    def __post_init__(self) -> None:
        self.finder = AlternativeFinder(self.table, self.reference)
        # A cache per instance: a reload builds a new MarketData, so stale facts cannot survive it.
        self._cached = lru_cache(maxsize=FACTS_CACHE_SIZE)(self._facts)

    def facts(self, rome: str | None, departement: str | None) -> MarketFacts | None:
        """Return the market facts of a pair (figures, alternatives, requirements), or None."""
        return self._cached(rome, departement)

    def _facts(self, rome: str | None, departement: str | None) -> MarketFacts | None:
        if rome is None or departement is None or not self.table.has(rome, departement):
            return None
        group = self.reference.job_groups[rome]
        requirement = group.requirement
        return MarketFacts.model_construct(
            rome_code=rome,
            departement=departement,
            figures=self.table.figures(rome, departement),
            alternatives=self.finder.find(rome, departement),
            requirements=JobRequirements.model_construct(
                diplomas=list(requirement.diplomas),
                experience_route=requirement.experience_route,
                regulated=requirement.regulated,
                dataset=self.reference.rome_dataset,
            ),
        )

    def job_label(self, rome: str) -> str:
        """Return a job group's ROME label (the code when unknown)."""
        group = self.reference.job_groups.get(rome)
        return group.label if group else rome

    def departement_label(self, code: str) -> str:
        """Return a département's name with its code, e.g. "Rhône (69)"."""
        dep = self.reference.departements.get(code)
        return f"{dep.name} ({code})" if dep else code

    def dataset(self, dataset_id: str) -> DatasetInfo | None:
        """Return what is known about a dataset id."""
        return self.datasets.get(dataset_id)


async def latest_import(store: Store) -> dict[str, Any] | None:
    """Return the document describing the last complete import, if any."""
    return await store.collection(IMPORTS).get(LATEST_IMPORT)


async def load_market_data(store: Store, data_dir: Path) -> MarketData:
    """Return the market data from the store, or from the files and the model when nothing was imported."""
    latest = await latest_import(store)
    if latest is not None:
        groups = await store.collection(JOB_GROUPS).find()
        deps = await store.collection(DEPARTEMENTS).find()
        if groups and deps:
            infos = {doc["id"]: DatasetInfo.from_doc(doc) for doc in await store.collection(DATASETS).find()}
            reference = reference_from_docs(
                groups, deps, rome_dataset=latest["rome_dataset"], geo_dataset=latest["geo_dataset"]
            )
            provenance = {dataset_id: info.provenance for dataset_id, info in infos.items()}
            provenance[MODEL_DATASET] = "synthetic"
            empty = MarketTable(sorted(reference.job_groups), sorted(reference.departements))
            reader = RecordReader(empty, provenance)
            # One record at a time: holding the 53,732 documents would triple the memory at startup.
            async for doc in store.collection(MARKET_RECORDS).iterate(batch_size=2000):
                reader.add(doc)
            table = reader.table if reader.records else await asyncio.to_thread(model_table, reference)
            log.info("market data loaded from the store: %d records, import %s", reader.records, latest["stamp"])
            datasets = builtin_datasets(reference) | infos
            return MarketData(reference, table, datasets, "store", str(latest["stamp"]))
        log.warning("import %s has no reference documents; using the files and the model", latest.get("stamp"))
    return await asyncio.to_thread(market_data_from_files, data_dir)


def market_data_from_files(data_dir: Path) -> MarketData:
    """Return market data built from the official files and the market model (nothing imported)."""
    reference = reference_from_files(data_dir)
    table = model_table(reference)
    log.info("market data computed by the market model (nothing imported yet)")
    return MarketData(reference, table, builtin_datasets(reference), "model", None)
