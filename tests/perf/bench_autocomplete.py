"""P7 autocomplete in process: the index alone, over what people type, with and without typos.

    uv run python -m tests.perf.bench_autocomplete [--queries 10000]

Three sets of queries, each search timed alone in CPU time of the thread (p50 and p99 in µs: the
machine is shared, and wall-clock time would also count the moments another process had the core):

* **typed**: the first 1 to 12 letters of random job titles, the same queries
  as the in-process part of ``bench_gateway`` (same generator, same seed);
* **typos**: one or two words of random job titles with one typo per word
  (a letter left out, doubled, swapped with the next or replaced), two typos
  in words of 8 letters or more — what the spelling tolerance is for;
* **communes**: the first letters of commune names and postal codes.

Target: p99 ≤ 5 ms per query in process. The index build time is reported too
(it runs once, when the gateway starts).
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Sequence
from typing import Any

from services.gateway.autocomplete import communes_index, job_titles_index
from shared.reference.geo import load_geo
from shared.reference.rome import load_rome
from shared.settings import default_data_dir
from tests.perf.bench_gateway import typed_queries
from tests.perf.bench_latency import percentile
from tests.perf.results import record

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def with_typo(word: str, rng: random.Random) -> str:
    """Return the word with one typo: a letter left out, doubled, swapped with the next one or replaced."""
    at = rng.randrange(1, len(word) - 1)  # people rarely miss the first letter
    kind = rng.choice(("omit", "double", "swap", "replace"))
    if kind == "omit":
        return word[:at] + word[at + 1 :]
    if kind == "double":
        return word[:at] + word[at] + word[at:]
    if kind == "swap":
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    return word[:at] + rng.choice(LETTERS.replace(word[at], "")) + word[at + 1 :]


def typo_queries(labels: Sequence[str], count: int, rng: random.Random) -> list[str]:
    """Return one or two words of random titles, each word of 5 letters or more with one or two typos."""
    queries: list[str] = []
    while len(queries) < count:
        words = [w for w in rng.choice(labels).lower().replace("/", " ").split() if len(w) >= 5 and w.isalpha()]
        if not words:
            continue
        chosen = words[: rng.randint(1, 2)]
        typed = []
        for word in chosen:
            wrong = with_typo(word, rng)
            if len(word) >= 8 and rng.random() < 0.5:
                wrong = with_typo(wrong, rng)
            typed.append(wrong)
        queries.append(" ".join(typed))
    return queries


def cpu_p50_p99_us(index: Any, queries: Sequence[str]) -> tuple[float, float]:
    """Return p50 and p99 (µs) of single searches, each timed alone in the thread's CPU time."""
    timings = []
    for query in queries:
        started = time.thread_time_ns()
        index.search(query, 10)
        timings.append((time.thread_time_ns() - started) / 1000)
    return percentile(timings, 0.5), percentile(timings, 0.99)


def run(count: int) -> dict[str, Any]:
    """Measure and record; return the recorded entry."""
    rng = random.Random(7)
    data_dir = default_data_dir()
    rome, geo = load_rome(data_dir), load_geo(data_dir)
    started = time.perf_counter()
    titles = job_titles_index(rome)
    build_ms = (time.perf_counter() - started) * 1000
    communes = communes_index(geo)
    labels = [t.label for t in rome.titles.values()]
    typed = typed_queries(labels, count, rng)  # first: the same queries as bench_gateway's
    communes_listed = list(geo.communes.values())
    commune_labels = [c.name for c in communes_listed] + [p for c in communes_listed for p in c.postal_codes]
    commune_queries = typed_queries(commune_labels, count, rng)
    typos = typo_queries(labels, count, random.Random(11))
    for query in typed[:200] + typos[:200]:  # warm the caches the searches use
        titles.search(query, 10)
    typed_p50, typed_p99 = cpu_p50_p99_us(titles, typed)
    typos_p50, typos_p99 = cpu_p50_p99_us(titles, typos)
    communes_p50, communes_p99 = cpu_p50_p99_us(communes, commune_queries)
    worst = max(typed_p99, typos_p99, communes_p99)
    return record(
        "P7-autocomplete-in-process",
        "P7 autocomplete in process: job titles (typed, with typos) and communes",
        figures={
            "job_titles_typed_p50_us": round(typed_p50, 1),
            "job_titles_typed_p99_us": round(typed_p99, 1),
            "job_titles_typos_p50_us": round(typos_p50, 1),
            "job_titles_typos_p99_us": round(typos_p99, 1),
            "communes_p50_us": round(communes_p50, 1),
            "communes_p99_us": round(communes_p99, 1),
            "job_titles_index_build_ms": round(build_ms, 1),
            "queries_per_set": count,
        },
        target="p99 ≤ 5 ms per query in process",
        met=worst <= 5000,
        scale=(count, 10_000),
        notes="each search timed alone in thread CPU time, limit 10; typed queries are bench_gateway's (seed 7)",
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--queries", type=int, default=10_000)
    args = parser.parse_args(argv)
    entry = run(args.queries)
    print(entry["figures"], "met:", entry["met"])


if __name__ == "__main__":
    main()
