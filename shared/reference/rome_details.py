"""ROME v3.47 job-group sheets: texts, skills, work environments, mobility links, RIASEC, domain tree.

``load_rome`` (rome.py) gives the job groups and titles every service needs;
this module reads the rest of the official files, for the diagnostic and the
advice that explain a job and suggest close ones.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from shared.reference.text import unescape_rome

MobilityKind = Literal["close-job", "evolution"]
# Types of the ROME link file (unix_liens_rome_referentiels): 1 = knowledge item,
# 4 = job title, 5 = work environment. Rubrique 7 holds the core knowledge and
# 10 the specific knowledge of the job group.
_KNOWLEDGE, _WORK_ENVIRONMENT = "1", "5"
_CORE_RUBRIQUE = "7"
_MOBILITY_KINDS: dict[str, MobilityKind] = {"1": "close-job", "2": "evolution"}


@dataclass(frozen=True, slots=True)
class MobilityLink:
    """A job group a person can move to from another one."""

    target: str
    kind: MobilityKind


@dataclass(frozen=True, slots=True)
class Skill:
    code_ogr: str
    label: str


@dataclass(frozen=True, slots=True)
class WorkEnvironment:
    code_ogr: str
    label: str
    section: str  # STRUCTURES, SECTEURS or CONDITIONS


@dataclass(frozen=True, slots=True)
class DomainNode:
    code: str
    level: str  # grand_domaine, domaine_professionnel or fiche_rome
    parent: str | None
    label: str


@dataclass(frozen=True, slots=True)
class JobGroupSheet:
    """Everything the ROME says about one job group."""

    code: str
    definition: tuple[str, ...]
    access: tuple[str, ...]  # "accès à l'emploi": diplomas, experience, licences
    conditions: tuple[str, ...]
    riasec_major: str | None
    riasec_minor: str | None
    core_skills: tuple[str, ...]  # OGR codes of the core knowledge
    specific_skills: tuple[str, ...]
    work_environments: tuple[str, ...]
    mobility: tuple[MobilityLink, ...]


@dataclass(frozen=True, slots=True)
class RomeDetails:
    sheets: dict[str, JobGroupSheet]
    skills: dict[str, Skill]
    work_environments: dict[str, WorkEnvironment]
    tree: dict[str, DomainNode]


def _rows(path: Path) -> Iterator[dict[str, str]]:
    # One row at a time (see shared/reference/rome.py): the peak of a list of rows would stay in the RSS.
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _texts(folder: Path) -> dict[tuple[str, str], list[tuple[int, str]]]:
    texts: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for row in _rows(folder / "unix_texte_v347_utf8.csv"):
        key = (row["code_rome"], row["libelle_type_texte"])
        texts.setdefault(key, []).append((int(row["position_libelle_txt"] or 0), unescape_rome(row["libelle_texte"])))
    return texts


def _ordered(items: list[tuple[int, str]] | None) -> tuple[str, ...]:
    return tuple(text for _, text in sorted(items or []))


@cache
def load_rome_details(data_dir: Path) -> RomeDetails:
    """Return the job-group sheets read from ``data_dir/rome`` (cached per directory)."""
    folder = data_dir / "rome"
    tree = {
        row["code"]: DomainNode(row["code"], row["level"], row["parent_code"] or None, unescape_rome(row["label"]))
        for row in _rows(folder / "rome_arborescence_derived.csv")
    }
    codes = sorted(code for code, node in tree.items() if node.level == "fiche_rome")
    skills = {
        row["code_ogr"]: Skill(row["code_ogr"], unescape_rome(row["libelle_competence"]))
        for row in _rows(folder / "unix_referentiel_competence_v347_utf8.csv")
    }
    environments = {
        row["code_ogr"]: WorkEnvironment(
            row["code_ogr"],
            unescape_rome(row["libelle_env_travail"]),
            row["libelle_type_section_env_trav"],
        )
        for row in _rows(folder / "unix_referentiel_env_travail_v347_utf8.csv")
    }
    core: dict[str, list[tuple[int, str]]] = {}
    specific: dict[str, list[tuple[int, str]]] = {}
    envs: dict[str, list[str]] = {}
    for row in _rows(folder / "unix_liens_rome_referentiels_v347_utf8.csv"):
        kind, code, ogr = row["code_type_referentiel"], row["code_rome"], row["code_ogr"]
        if kind == _KNOWLEDGE and ogr in skills:
            bucket = core if row["code_ref_rubrique"] == _CORE_RUBRIQUE else specific
            position = int(row["position_bloc"] or 0) * 100 + int(row["position_item"] or 0)
            bucket.setdefault(code, []).append((position, ogr))
        elif kind == _WORK_ENVIRONMENT and ogr in environments:
            envs.setdefault(code, []).append(ogr)
    mobility: dict[str, dict[tuple[str, MobilityKind], None]] = {}
    for row in _rows(folder / "unix_rubrique_mobilite_v347_utf8.csv"):
        link_kind = _MOBILITY_KINDS.get(row["code_type_mobilite"])
        if link_kind and row["code_rome_cible"] != row["code_rome"]:
            # Several rows name the same pair for different job titles: keep one link.
            mobility.setdefault(row["code_rome"], {})[(row["code_rome_cible"], link_kind)] = None
    riasec = {
        row["code_rome"]: (row["riasec_majeur"] or None, row["riasec_mineur"] or None)
        for row in _rows(folder / "unix_referentiel_code_rome_riasec_v347_utf8.csv")
    }
    texts = _texts(folder)
    sheets = {
        code: JobGroupSheet(
            code=code,
            definition=_ordered(texts.get((code, "definition"))),
            access=_ordered(texts.get((code, "acces_a_em"))),
            conditions=_ordered(texts.get((code, "cond_exercice_activite"))),
            riasec_major=riasec.get(code, (None, None))[0],
            riasec_minor=riasec.get(code, (None, None))[1],
            core_skills=_ordered(core.get(code)),
            specific_skills=_ordered(specific.get(code)),
            work_environments=tuple(dict.fromkeys(envs.get(code, []))),
            mobility=tuple(MobilityLink(t, k) for t, k in mobility.get(code, {})),
        )
        for code in codes
    }
    return RomeDetails(sheets=sheets, skills=skills, work_environments=environments, tree=tree)
