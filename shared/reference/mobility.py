"""ROME v3.47 mobility links: for each job group, the job groups that are "close" to it or an "evolution" of it."""

from __future__ import annotations

import csv
from collections import defaultdict
from functools import cache
from pathlib import Path

MOBILITY_FILE = "unix_rubrique_mobilite_v347_utf8.csv"


@cache
def load_mobility(data_dir: Path) -> dict[str, frozenset[str]]:
    """Return, for each job group code, the job groups it links to (close jobs and evolutions), cached per directory.

    The file also lists links between job titles; they count as links between
    their job groups. A job group is never linked to itself.
    """
    links: defaultdict[str, set[str]] = defaultdict(set)
    with (data_dir / "rome" / MOBILITY_FILE).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            source, target = row["code_rome"], row["code_rome_cible"]
            if source and target and source != target:
                links[source].add(target)
    return {code: frozenset(targets) for code, targets in sorted(links.items())}
