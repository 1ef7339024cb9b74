"""The public reference data the volunteers service reads: ROME (job groups, domains, mobility) and communes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from services.volunteers.disclosure import Labels
from services.volunteers.matching import Trades
from shared.reference.geo import GeoReference, load_geo
from shared.reference.mobility import load_mobility
from shared.reference.rome import RomeGroups, load_job_groups


@dataclass(frozen=True)
class Reference:
    rome: RomeGroups  # job groups and domains: the service never reads a job title
    geo: GeoReference
    trades: Trades

    @property
    def labels(self) -> Labels:
        return Labels(self.rome, self.geo)


def load_reference(data_dir: Path) -> Reference:
    """Return the references read from the data directory (each file is cached by its loader)."""
    rome = load_job_groups(data_dir)
    labels = {**rome.domains, **{code: group.label for code, group in rome.job_groups.items()}}
    return Reference(rome=rome, geo=load_geo(data_dir), trades=Trades.from_reference(load_mobility(data_dir), labels))
