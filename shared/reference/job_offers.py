"""Job offers counted per ROME job title and job group, from France Travail's list of offers (pure reading).

The file is the official layout ``offers_per_departement.csv`` (one row per offer:
the title's OGR code, its job group, the day it was published, the département),
found where the diagnostic importer looks for the official market files:
DATA_DIR/market, else DATA_DIR/market_samples. The counts rank the job titles of
the autocomplete by how common they are — but only when the file covers most
job groups: a sample of a few hundred offers in one département says nothing
about the other jobs, and ranking by it would pass a local accident for a fact.
"""

from __future__ import annotations

import contextlib
import csv
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

OFFERS_FILE = "offers_per_departement.csv"
MARKET_FOLDERS = ("market", "market_samples")
OFFERS_ATTRIBUTION = "France Travail – Offres d'emploi, Licence Ouverte / Etalab 2.0"
# Share of the ROME job groups the file must hold offers for before it may rank the titles.
MIN_COVERAGE = 0.5


@dataclass(frozen=True)
class JobOffers:
    """Offers per OGR title code and per ROME job group, over the days the file covers."""

    path: Path
    by_title: Counter[str] = field(default_factory=Counter)
    by_job_group: Counter[str] = field(default_factory=Counter)
    first_day: date | None = None
    last_day: date | None = None

    @property
    def total(self) -> int:
        """Return the number of offers counted."""
        return sum(self.by_job_group.values())

    def coverage(self, job_groups: int) -> float:
        """Return the share of the ROME's job groups with at least one offer in the file."""
        return len(self.by_job_group) / job_groups if job_groups else 0.0


def offers_file(data_dir: Path) -> Path | None:
    """Return the official offers file of DATA_DIR's market folder, if there is one."""
    for folder in MARKET_FOLDERS:
        path = data_dir / folder / OFFERS_FILE
        if path.is_file():
            return path
    return None


def count_job_offers(path: Path) -> JobOffers:
    """Return the offers of the file counted per title and per job group; rows without a code are skipped."""
    by_title: Counter[str] = Counter()
    by_job_group: Counter[str] = Counter()
    days: list[date] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            group = (row.get("rome_profession_card_code") or "").strip()
            if not group:
                continue
            by_job_group[group] += 1
            title = (row.get("rome_profession_code") or "").strip().lstrip("0")  # "015187" is OGR 15187
            if title:
                by_title[title] += 1
            with contextlib.suppress(ValueError):  # a day that does not parse leaves the period as it is
                days.append(date.fromisoformat((row.get("creation_date") or "")[:10]))
    return JobOffers(path, by_title, by_job_group, first_day=min(days, default=None), last_day=max(days, default=None))
