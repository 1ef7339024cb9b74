"""Crosswalks between the ROME and the other official nomenclatures.

* FAP-2009 (DARES "familles professionnelles"): the key of the BMO hiring
  survey and of the application-mode statistics;
* ISCO-08 (international occupations);
* NAF rév. 2 (activity sectors) and PCS-2003 (socio-professional categories,
  the key of the salary statistics).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CROSSWALKS_DATASET = "crosswalks-2009"
CROSSWALKS_ATTRIBUTION = (
    "DARES – FAP-2009; Pôle emploi – passage ROME/ISCO; INSEE – NAF rév. 2 et PCS-2003, Licence Ouverte / Etalab 2.0"
)


@dataclass(frozen=True, slots=True)
class NafCode:
    code: str
    label: str
    division: str
    division_label: str
    section: str
    section_label: str


@dataclass(frozen=True, slots=True)
class PcsCode:
    code: str
    label: str
    level: int
    parent: str | None


@dataclass(frozen=True, slots=True)
class Crosswalks:
    rome_to_fap: dict[str, tuple[str, ...]]
    fap_to_rome: dict[str, tuple[str, ...]]
    fap_labels: dict[str, str]
    rome_to_isco: dict[str, tuple[str, str]]  # ROME -> (ISCO-08 code, label)
    naf: dict[str, NafCode]
    pcs: dict[str, PcsCode]


def _rows(path: Path) -> Iterator[dict[str, str]]:
    # One row at a time (see shared/reference/rome.py): the peak of a list of rows would stay in the RSS.
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


@cache
def load_crosswalks(data_dir: Path) -> Crosswalks:
    """Return the crosswalks read from ``data_dir/crosswalks`` (cached per directory)."""
    folder = data_dir / "crosswalks"
    rome_to_fap: dict[str, dict[str, None]] = {}
    fap_to_rome: dict[str, dict[str, None]] = {}
    for row in _rows(folder / "rome_fap2009_derived.csv"):
        # A ROME code maps to one FAP per qualification level; keep each pair once.
        rome_to_fap.setdefault(row["code_rome"], {})[row["fap2009"]] = None
        fap_to_rome.setdefault(row["fap2009"], {})[row["code_rome"]] = None
    return Crosswalks(
        rome_to_fap={k: tuple(v) for k, v in rome_to_fap.items()},
        fap_to_rome={k: tuple(v) for k, v in fap_to_rome.items()},
        fap_labels={row["code"]: row["label"] for row in _rows(folder / "fap2009_labels_derived.csv")},
        rome_to_isco={
            row["code_rome"]: (row["code_isco08"], row["libelle_isco08"])
            for row in _rows(folder / "rome_isco08_derived.csv")
        },
        naf={
            row["code_naf"]: NafCode(
                row["code_naf"],
                row["libelle"],
                row["division"],
                row["libelle_division"],
                row["section"],
                row["libelle_section"],
            )
            for row in _rows(folder / "naf_rev2_derived.csv")
        },
        pcs={
            row["code_pcs"]: PcsCode(row["code_pcs"], row["libelle"], int(row["level"]), row["parent_code"] or None)
            for row in _rows(folder / "pcs2003_derived.csv")
        },
    )
