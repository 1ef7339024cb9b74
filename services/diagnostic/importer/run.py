"""Run the import: reference data, market files, merged market records; print what was loaded.

Idempotent: every document has a stable id and carries the import's stamp (a
hash of the dataset versions and the model version); a run upserts its
documents, then removes those of earlier imports that no longer exist. Running
twice on the same files writes the same documents and the same stamp, so the
running service does not even reload. ``imports/latest`` is written last: the
service switches to the new data only once everything is in place.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from tqdm import tqdm

from services.diagnostic.importer.datasets import (
    FIGURE_PRIORITY,
    MARKET_DATASETS,
    SEASONALITY_PRIORITY,
    MarketDataset,
)
from services.diagnostic.importer.market_files import Known, MarketObservations
from services.diagnostic.importer.reference import (
    ReferenceDataset,
    crosswalk_documents,
    geo_documents,
    rome_documents,
)
from services.diagnostic.market_model import MODEL_DATASET, MODEL_NAME, MODEL_VERSION
from services.diagnostic.market_reference import MarketReference, reference_from_files
from services.diagnostic.market_table import DatasetRef, MarketTable, model_table
from services.diagnostic.repository import (
    DATASETS,
    IMPORTS,
    LATEST_IMPORT,
    MARKET_OBSERVATIONS,
    MARKET_RECORDS,
)
from shared.envelope import iso
from shared.reference.crosswalks import load_crosswalks
from shared.store import Store

BATCH = 2000
STAMP = "import_stamp"


@dataclass
class DatasetResult:
    """What one dataset brought."""

    id: str
    provenance: str
    collection: str
    documents: int
    rows_read: int = 0
    rows_kept: int = 0
    rejected: dict[str, int] = field(default_factory=dict)
    warnings: dict[str, int] = field(default_factory=dict)
    period: str | None = None


@dataclass
class ImportSummary:
    stamp: str
    datasets: list[DatasetResult]
    missing_files: list[str]
    market_records: int
    real_figures: int
    synthetic_figures: int
    seconds: float

    def lines(self) -> list[str]:
        """Return the summary as lines of text for the terminal."""
        out = [f"Import {self.stamp} done in {self.seconds:.1f} s.", ""]
        out.append(f"{'dataset':42} {'kind':9} {'read':>7} {'kept':>7} {'rejected':>8}  stored in")
        for d in self.datasets:
            out.append(
                f"{d.id:42} {d.provenance:9} {d.rows_read:>7} {d.rows_kept:>7} {sum(d.rejected.values()):>8}"
                f"  {d.collection} ({d.documents} documents)"
            )
            if d.rejected:
                reasons = ", ".join(f"{k}: {v}" for k, v in sorted(d.rejected.items()))
                out.append(f"{'':42}   rejected: {reasons}")
            if d.warnings:
                out.append(f"{'':42}   warnings: {', '.join(f'{k}: {v}' for k, v in sorted(d.warnings.items()))}")
        if self.missing_files:
            out.append("")
            out.append("Not found (market model used instead): " + ", ".join(self.missing_files))
        out.append("")
        total = self.real_figures + self.synthetic_figures
        share = 100 * self.real_figures / total if total else 0
        out.append(
            f"Market records: {self.market_records} (job group × département); figures: "
            f"{self.real_figures} real ({share:.2f} %), {self.synthetic_figures} synthetic (market model)."
        )
        return out


def file_version(paths: Sequence[Path]) -> str:
    """Return a short hash of the files' bytes: the version of a dataset we cannot date otherwise."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


def known_codes(data_dir: Path, reference: MarketReference, today: datetime) -> Known:
    """Return the codes the market readers accept."""
    crosswalks = load_crosswalks(data_dir)
    return Known(
        romes=frozenset(reference.job_groups),
        departements=frozenset(reference.departements),
        fap_to_rome=crosswalks.fap_to_rome,
        departement_names={code: d.name for code, d in reference.departements.items()},
        today=today.date(),
    )


def read_market_files(
    market_dir: Path | None, known: Known
) -> tuple[list[tuple[MarketDataset, str, MarketObservations]], list[str]]:
    """Return (dataset, version, observations) for each market file found, and the names not found."""
    found: list[tuple[MarketDataset, str, MarketObservations]] = []
    missing: list[str] = []
    for dataset in MARKET_DATASETS:
        path = market_dir / dataset.file if market_dir is not None else None
        if path is None or not path.is_file() or any(not (path.parent / n).is_file() for n in dataset.needs):
            missing.append(dataset.file)
            continue
        version = file_version([path, *(path.parent / n for n in dataset.needs)])
        found.append((dataset, version, dataset.reader(path, known)))
    return found, missing


def merged_table(
    reference: MarketReference, observations: Sequence[tuple[MarketDataset, str, MarketObservations]]
) -> MarketTable:
    """Return the market table: the model everywhere, replaced by real figures where a dataset gives them."""
    table = model_table(reference)
    by_name = {dataset.name: (f"{dataset.name}@{version}", obs) for dataset, version, obs in observations}
    for figure, names in FIGURE_PRIORITY.items():
        # Lowest priority first, so that a higher-priority dataset overwrites it.
        for name in reversed(names):
            if name not in by_name:
                continue
            dataset_id, obs = by_name[name]
            index = table.dataset_index(DatasetRef(dataset_id, "real"))
            for (rome, dep), values in obs.figures.items():
                if figure in values:
                    table.put(rome, dep, figure, values[figure], index)
    for name in reversed(SEASONALITY_PRIORITY):
        if name in by_name:
            dataset_id, obs = by_name[name]
            index = table.dataset_index(DatasetRef(dataset_id, "real"))
            for (rome, dep), months in obs.seasonality.items():
                table.put_seasonality(rome, dep, months, index)
    return table


async def write_collection(
    store: Store, collection: str, docs: Iterable[dict[str, Any]], total: int, stamp: str, *, progress: bool
) -> int:
    """Upsert documents in batches (one transaction each), then remove those of earlier imports."""
    written = 0
    batch: list[dict[str, Any]] = []
    with tqdm(total=total, desc=f"{collection:24}", unit="doc", disable=not progress, leave=False) as bar:
        for doc in docs:
            batch.append({**doc, STAMP: stamp})
            if len(batch) >= BATCH:
                written += await _flush(store, collection, batch)
                bar.update(len(batch))
                batch = []
        if batch:
            written += await _flush(store, collection, batch)
            bar.update(len(batch))
    await store.collection(collection).delete({STAMP: {"$ne": stamp}})
    return written


async def _flush(store: Store, collection: str, batch: list[dict[str, Any]]) -> int:
    async with store.transaction() as tx:
        await tx.collection(collection).put_many(batch)
    return len(batch)


def _stamp(dataset_ids: Iterable[str]) -> str:
    return hashlib.sha256("|".join(sorted(dataset_ids)).encode()).hexdigest()[:12]


def _reference_doc(dataset: ReferenceDataset, now: datetime) -> dict[str, Any]:
    name, version = dataset.id.split("@", 1)
    return {
        "_id": name,
        "id": dataset.id,
        "name": name,
        "version": version,
        "provenance": "real",
        "licence": dataset.licence,
        "attribution": dataset.attribution,
        "files": list(dataset.files),
        "rows": dataset.rows,
        "imported_at": iso(now),
    }


async def run_import(
    store: Store,
    data_dir: Path,
    market_dir: Path | None,
    *,
    now: datetime,
    progress: bool = True,
    out: TextIO | None = None,
) -> ImportSummary:
    """Import everything into the store and return (and print) a summary."""
    started = time.perf_counter()
    reference_sets = [rome_documents(data_dir), geo_documents(data_dir), crosswalk_documents(data_dir)]
    reference = reference_from_files(data_dir)
    known = known_codes(data_dir, reference, now)
    observations, missing = read_market_files(market_dir, known)
    market_ids = [f"{d.name}@{v}" for d, v, _ in observations]
    stamp = _stamp([*(r.id for r in reference_sets), *market_ids, MODEL_DATASET])
    results: list[DatasetResult] = []
    dataset_docs: list[dict[str, Any]] = []

    for ref in reference_sets:
        for collection, docs in ref.collections.items():
            written = await write_collection(store, collection, docs, len(docs), stamp, progress=progress)
            results.append(DatasetResult(ref.id, "real", collection, written, len(docs), written))
        dataset_docs.append(_reference_doc(ref, now))

    observation_docs: list[dict[str, Any]] = []
    for dataset, version, obs in observations:
        dataset_id = f"{dataset.name}@{version}"
        for pair in sorted(obs.pairs()):
            doc: dict[str, Any] = {
                "_id": f"{dataset.name}:{pair[0]}:{pair[1]}",
                "dataset": dataset_id,
                "name": dataset.name,
                "rome": pair[0],
                "departement": pair[1],
                "figures": dict(obs.figures.get(pair, {})),
            }
            if pair in obs.seasonality:
                doc["seasonality"] = obs.seasonality[pair]
            if pair in obs.extra:
                doc["extra"] = dict(obs.extra[pair])
            observation_docs.append(doc)
        report = obs.report
        period = f"{report.period[0]}..{report.period[1]}" if report.period else None
        results.append(
            DatasetResult(
                dataset_id,
                "real",
                MARKET_OBSERVATIONS,
                len(obs.pairs()),
                report.rows_read,
                report.rows_kept,
                dict(report.rejected),
                dict(report.warnings),
                period,
            )
        )
        dataset_docs.append(
            {
                "_id": dataset.name,
                "id": dataset_id,
                "name": dataset.name,
                "version": version,
                "provenance": "real",
                "title": dataset.title,
                "licence": dataset.licence,
                "attribution": dataset.attribution,
                "files": [dataset.file, *dataset.needs],
                "period": period,
                "rows_read": report.rows_read,
                "rows_kept": report.rows_kept,
                "rows_rejected": report.rows_rejected,
                "rejected": dict(report.rejected),
                "imported_at": iso(now),
            }
        )
    await write_collection(
        store, MARKET_OBSERVATIONS, observation_docs, len(observation_docs), stamp, progress=progress
    )

    table = merged_table(reference, observations)
    pairs = [(rome, dep) for rome in table.romes for dep in table.departements]
    records = await write_collection(
        store,
        MARKET_RECORDS,
        (table.record(rome, dep) for rome, dep in pairs),
        len(pairs),
        stamp,
        progress=progress,
    )
    counts = table.provenance_counts()
    results.append(DatasetResult(MODEL_DATASET, "synthetic", MARKET_RECORDS, records, period=None))
    dataset_docs.append(
        {
            "_id": MODEL_NAME,
            "id": MODEL_DATASET,
            "name": MODEL_NAME,
            "version": MODEL_VERSION,
            "provenance": "synthetic",
            "licence": "AGPL-3.0-or-later (code of the coach)",
            "attribution": "Estimation du coach emploi (modèle de marché déterministe, docs/DATA.md)",
            "files": [],
            "imported_at": iso(now),
        }
    )
    await write_collection(store, DATASETS, dataset_docs, len(dataset_docs), stamp, progress=False)
    await store.collection(IMPORTS).put(
        {
            "_id": LATEST_IMPORT,
            "stamp": stamp,
            "finished_at": iso(now),
            "rome_dataset": reference.rome_dataset,
            "geo_dataset": reference.geo_dataset,
            "datasets": sorted(doc["id"] for doc in dataset_docs),
            "market_records": records,
            "real_figures": counts["real"],
            "synthetic_figures": counts["synthetic"],
        }
    )
    summary = ImportSummary(
        stamp=stamp,
        datasets=results,
        missing_files=missing,
        market_records=records,
        real_figures=counts["real"],
        synthetic_figures=counts["synthetic"],
        seconds=time.perf_counter() - started,
    )
    if out is not None:
        print("\n".join(summary.lines()), file=out)
    return summary
