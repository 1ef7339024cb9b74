"""ROME v3.47: job groups, job titles (both genders) and the domain tree."""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from shared.reference.text import fold, unescape_rome

ROME_DATASET = "rome-v3.47"
ROME_ATTRIBUTION = (
    "Pôle emploi / France Travail – Répertoire Opérationnel des Métiers et des Emplois (ROME) v3.47, "
    "Licence Ouverte / Etalab 2.0"
)
# Words of a gendered phrase: "Chauffeur-livreur" pairs with "Chauffeuse-livreuse" part by part.
_PARTS = re.compile(r"[ /-]+")
# Masculine and feminine words of the ROME that share no stem ("Homme / Femme de chambre").
_GENDER_PAIRS = {
    "homme": {"femme"},
    "garcon": {"fille", "serveuse"},
    "monsieur": {"dame"},
    "man": {"woman"},
    "groupman": {"groupwoman"},
    "steward": {"hotesse"},
    "valet": {"femme"},
    "traminot": {"employee"},
}


# Slots: no __dict__ per object. The gateway, the profile and the volunteers each hold the 10,990 titles.
@dataclass(frozen=True, slots=True)
class JobGroup:
    code: str  # e.g. K2204
    label: str
    domain: str  # e.g. K22 (domaine professionnel)
    grand_domain: str  # e.g. K


@dataclass(frozen=True, slots=True)
class JobTitle:
    code_ogr: str
    rome_code: str
    label: str  # the official long label, both genders: "Attaché commercial / Attachée commerciale sédentaire"
    masculine: str  # "Attaché commercial sédentaire"
    feminine: str  # "Attachée commerciale sédentaire"


@dataclass(frozen=True)
class RomeReference:
    job_groups: dict[str, JobGroup]
    titles: dict[str, JobTitle]
    domains: dict[str, str]  # code (A, A11) -> label
    data_dir: Path | None = None  # the DATA_DIR read: the job-offer counts beside it rank the titles


def _same_word(masculine: str, feminine: str) -> bool:
    """Return True when two words are the masculine and feminine forms of one word ("Attaché", "Attachée")."""
    m, f = fold(masculine), fold(feminine)
    if f in _GENDER_PAIRS.get(m, ()):
        return True
    common = next((i for i, (a, b) in enumerate(zip(m, f, strict=False)) if a != b), min(len(m), len(f)))
    shorter = min(len(m), len(f))
    # "Educateur / Educatrice", "Contrôleur / Contrôleuse", "Technicien / Techicienne" (sic, in the ROME).
    return common > 0 and (common == shorter or (common >= 3 and (common >= shorter - 4 or abs(len(m) - len(f)) <= 2)))


def _gendered(masculine: list[str], feminine: list[str]) -> bool:
    left = [p for p in _PARTS.split(" ".join(masculine)) if p]
    right = [p for p in _PARTS.split(" ".join(feminine)) if p]
    return len(left) == len(right) and all(_same_word(m, f) for m, f in zip(left, right, strict=True))


def split_genders(label: str) -> tuple[str, str]:
    """Return (masculine, feminine) forms of a ROME title, its " / " alternatives resolved.

    An alternative may span several words on each side: "Attaché commercial / Attachée commerciale
    sédentaire" is "Attaché commercial sédentaire" and "Attachée commerciale sédentaire". A " / " that
    separates no genders ("Pilote de chasse / transport / hélicoptère", "TV / Radio") stays in both.
    """
    pieces = label.split(" / ")
    masculine = pieces[0].split(" ")
    feminine = list(masculine)
    free = len(masculine)  # words since the last alternative: only they can be its masculine side
    for piece in pieces[1:]:
        right = piece.split(" ")
        # The longest masculine phrase before " / " that the words after it put in the feminine.
        found = next(
            (
                (k, j)
                for k in range(min(free, len(masculine)), 0, -1)
                for j in range(1, len(right) + 1)
                if _gendered(masculine[-k:], right[:j])
            ),
            None,
        )
        if found is None:
            masculine += ["/", *right]
            feminine += ["/", *right]
            free = len(right)
        else:
            k, j = found
            feminine = feminine[: len(feminine) - k] + right
            masculine += right[j:]
            free = len(right) - j
    return " ".join(masculine), " ".join(feminine)


def _rows(path: Path) -> Iterator[dict[str, str]]:
    # One row at a time: a list of every row as a dict peaks at several times the file's size, and
    # the freed heap is seldom given back to the system, so the peak would stay in the process's RSS.
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


@dataclass(frozen=True, slots=True)
class RomeGroups:
    """The job groups and the domain tree without the titles: what a service that only names groups reads."""

    job_groups: dict[str, JobGroup]
    domains: dict[str, str]  # code (A, A11) -> label


@cache
def load_job_groups(data_dir: Path) -> RomeGroups:
    """Return the job groups and domains read from ``data_dir/rome`` (cached per directory; no titles)."""
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
    job_groups = {
        code: JobGroup(code, label, sys.intern(code[:3]), sys.intern(code[:1]))
        for code, label in sorted(labels.items())
    }
    return RomeGroups(job_groups, domains)


@cache
def load_rome(data_dir: Path) -> RomeReference:
    """Return the ROME reference read from ``data_dir/rome`` (cached per directory)."""
    folder = data_dir / "rome"
    groups = load_job_groups(data_dir)  # the same objects as load_job_groups gives, not a second copy
    job_groups, domains = groups.job_groups, groups.domains
    titles = {}
    for row in _rows(folder / "unix_referentiel_appellation_v347_utf8.csv"):
        label = " ".join(unescape_rome(row["libelle_appellation_long"]).split())  # "Assistant  maternel" has two
        masculine, feminine = split_genders(label)
        # Most titles have one form for both genders: the same string then serves both.
        masculine = label if masculine == label else masculine
        feminine = masculine if feminine == masculine else feminine
        # The job-group code repeats on about 20 titles each: one string per code.
        rome_code = job_groups[row["code_rome"]].code if row["code_rome"] in job_groups else row["code_rome"]
        titles[row["code_ogr"]] = JobTitle(row["code_ogr"], rome_code, label, masculine, feminine)
    return RomeReference(job_groups=job_groups, titles=titles, domains=domains, data_dir=data_dir)
