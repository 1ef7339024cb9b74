"""ROME v3.47: job groups, job titles (both genders) and the domain tree."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from shared.reference.text import unescape_rome

ROME_DATASET = "rome-v3.47"
ROME_ATTRIBUTION = (
    "Pôle emploi / France Travail – Répertoire Opérationnel des Métiers et des Emplois (ROME) v3.47, "
    "Licence Ouverte / Etalab 2.0"
)
# "Agent / Agente d'accueil principal / principale": each "word / word" pair is a gender alternative.
_ALTERNATIVE = re.compile(r"(\S+) / (\S+)")


@dataclass(frozen=True)
class JobGroup:
    code: str  # e.g. K2204
    label: str
    domain: str  # e.g. K22 (domaine professionnel)
    grand_domain: str  # e.g. K


@dataclass(frozen=True)
class JobTitle:
    code_ogr: str
    rome_code: str
    label: str  # the official label, both genders: "Boulanger / Boulangère"
    masculine: str
    feminine: str


@dataclass(frozen=True)
class RomeReference:
    job_groups: dict[str, JobGroup]
    titles: dict[str, JobTitle]
    domains: dict[str, str]  # code (A, A11) -> label


def split_genders(label: str) -> tuple[str, str]:
    """Return (masculine, feminine) forms of a ROME title such as 'Boulanger / Boulangère'."""
    return _ALTERNATIVE.sub(r"\1", label), _ALTERNATIVE.sub(r"\2", label)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def load_rome(data_dir: Path) -> RomeReference:
    """Return the ROME reference read from ``data_dir/rome`` (cached per directory)."""
    folder = data_dir / "rome"
    domains: dict[str, str] = {}
    tree_groups: dict[str, str] = {}
    for row in _rows(folder / "rome_arborescence_derived.csv"):
        if row["level"] == "fiche_rome":
            tree_groups[row["code"]] = unescape_rome(row["label"])
        else:
            domains[row["code"]] = unescape_rome(row["label"])
    labels = {
        r["code_rome"]: unescape_rome(r["libelle_rome"])
        for r in _rows(folder / "unix_referentiel_code_rome_v347_utf8.csv")
    }
    # L1510 is missing from the code file: its label comes from the tree.
    for code, label in tree_groups.items():
        labels.setdefault(code, label)
    job_groups = {code: JobGroup(code, label, code[:3], code[:1]) for code, label in sorted(labels.items())}
    titles = {}
    for row in _rows(folder / "unix_referentiel_appellation_v347_utf8.csv"):
        label = unescape_rome(row["libelle_appellation_long"])
        masculine, feminine = split_genders(label)
        titles[row["code_ogr"]] = JobTitle(row["code_ogr"], row["code_rome"], label, masculine, feminine)
    return RomeReference(job_groups=job_groups, titles=titles, domains=domains)
