"""A fingerprint of the autocomplete's answers: to change how the indexes are held, not what they say.

    uv run --frozen python -m tests.perf.autocomplete_answers [--queries 3000]

Builds both indexes from DATA_DIR and asks them the queries of ``bench_autocomplete`` (typed
prefixes of job titles, titles with typos, prefixes of commune names and postal codes; the same
seeds), and words typed with other letters around them, each at limits 1, 5 and 10. Prints a
SHA-256 of every answer (the codes of the items, in order): two versions of the index that print
the same hash gave the same answers to every query, in the same order.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from collections.abc import Sequence

from services.gateway.autocomplete import communes_index, job_titles_index
from shared.reference.geo import load_geo
from shared.reference.rome import load_rome
from shared.settings import default_data_dir
from tests.perf.bench_autocomplete import typo_queries
from tests.perf.bench_gateway import typed_queries

LIMITS = (1, 5, 10)


def fingerprint(count: int) -> dict[str, str]:
    """Return the hash of the answers of each index, and of both."""
    rng = random.Random(7)
    data_dir = default_data_dir()
    rome, geo = load_rome(data_dir), load_geo(data_dir)
    titles, communes = job_titles_index(rome), communes_index(geo)
    labels = [t.label for t in rome.titles.values()]
    listed = list(geo.communes.values())
    commune_labels = [c.name for c in listed] + [p for c in listed for p in c.postal_codes]
    title_queries = [
        *typed_queries(labels, count, rng),
        *typo_queries(labels, count, random.Random(11)),
        "",
        "zzzz",
        "agent d",
        "boulanger patissier",
        "Saint-Étienne",
    ]
    commune_queries = [*typed_queries(commune_labels, count, rng), "saint", "st e", "75", "paris 15", "le"]
    answers: dict[str, list[list[str]]] = {"job_titles": [], "communes": []}
    for query in title_queries:
        answers["job_titles"] += [[t.code_ogr for t in titles.search(query, limit)] for limit in LIMITS]
    for query in commune_queries:
        answers["communes"] += [[c.insee for c in communes.search(query, limit)] for limit in LIMITS]
    hashes = {}
    for name, listed_answers in answers.items():
        queries = title_queries if name == "job_titles" else commune_queries
        digest = hashlib.sha256()
        for at, answer in enumerate(listed_answers):
            digest.update(json.dumps([queries[at // len(LIMITS)], LIMITS[at % len(LIMITS)], answer]).encode())
        hashes[name] = digest.hexdigest()
    hashes["queries"] = str(len(title_queries) + len(commune_queries))
    return hashes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--queries", type=int, default=3000, help="queries of each generated set")
    args = parser.parse_args(argv)
    print(json.dumps(fingerprint(args.queries), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
