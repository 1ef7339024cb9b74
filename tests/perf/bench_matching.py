"""Benchmark of the batch matcher: 100,000 open help requests against 10,000 volunteers.

Run: ``uv run python -m tests.perf.bench_matching`` (options: ``--requests``,
``--volunteers``, ``--baseline-sample``). The population is synthetic but drawn
from the real references: ROME job groups and mobility links, communes weighted
by population with their real coordinates. Target: ≤ 10 s on the 2-core machine.

The baseline is the plain definition (every volunteer scored against each
request), timed on a sample of requests in the same run and extrapolated; on
that sample the indexed matcher must make exactly the same proposals.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from services.volunteers.matching import (
    RequestCard,
    Trades,
    VolunteerCard,
    match_requests,
    match_requests_plainly,
)
from shared.contracts.vocabulary import Help
from shared.reference.geo import Commune, load_geo
from shared.reference.mobility import load_mobility
from shared.reference.rome import load_rome
from shared.settings import default_data_dir
from tests.perf.results import record

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
SLOTS = ("weekday-mornings", "weekday-afternoons", "weekday-evenings", "weekends")
KINDS = (Help.CV_REVIEW, Help.COVER_LETTER_REVIEW, Help.COFFEE_CHAT)


def population(
    n_requests: int, n_volunteers: int, seed: int = 7
) -> tuple[list[RequestCard], list[VolunteerCard], Trades]:
    """Return requests, volunteers and trades drawn from the real references."""
    data = default_data_dir()
    rome, geo = load_rome(data), load_geo(data)
    trades = Trades.from_reference(
        load_mobility(data), {**rome.domains, **{c: g.label for c, g in rome.job_groups.items()}}
    )
    rng = random.Random(seed)
    groups = sorted(rome.job_groups)
    domains = sorted(code for code in rome.domains if len(code) == 3)
    communes: list[Commune] = [c for c in geo.communes.values() if c.latitude is not None and c.population > 0]
    weights = [c.population for c in communes]

    def places(n: int) -> list[Commune]:
        return rng.choices(communes, weights=weights, k=n)

    volunteer_places = places(n_volunteers)
    volunteers = []
    for i in range(n_volunteers):
        kinds = frozenset(k for k in KINDS if rng.random() < 0.55) or frozenset({rng.choice(KINDS)})
        capacity = rng.randint(1, 5)
        declares = rng.random()
        job_groups = frozenset(rng.sample(groups, rng.randint(1, 3))) if declares < 0.7 else frozenset()
        own_domains = frozenset(rng.sample(domains, 1)) if 0.6 < declares < 0.85 else frozenset()
        languages = (
            {"fr"}
            | ({"en"} if rng.random() < 0.2 else set())
            | ({rng.choice(["ar", "es", "de", "pt", "uk"])} if rng.random() < 0.06 else set())
        )
        coffee = Help.COFFEE_CHAT in kinds
        volunteers.append(
            VolunteerCard(
                volunteer_id=f"u_v{i:07d}",
                kinds=kinds,
                capacity=capacity,
                load=rng.randint(0, capacity - 1) if rng.random() < 0.3 else 0,
                job_groups=job_groups,
                domains=own_domains,
                open_to_any_trade=rng.random() < 0.25,
                languages=frozenset(languages),
                commune=volunteer_places[i],
                max_distance_km=float(rng.choice([5, 10, 20, 30, 50])) if coffee and rng.random() < 0.6 else 0.0,
                remote_coffee=coffee and rng.random() < 0.6,
                availability=frozenset(rng.sample(SLOTS, rng.randint(1, 3))) if rng.random() < 0.5 else frozenset(),
            )
        )
    request_places = places(n_requests)
    requests = []
    for i in range(n_requests):
        kind = rng.choices(KINDS, weights=(45, 25, 30))[0]
        draw = rng.random()
        languages = {"fr"} if draw < 0.93 else ({"fr", "en"} if draw < 0.97 else {rng.choice(["ar", "uk", "fr"])})
        requests.append(
            RequestCard(
                request_id=f"rq_{i:07d}",
                subject=f"u_s{i:07d}",
                kind=kind,
                opened_at=NOW - timedelta(minutes=rng.randint(0, 30 * 24 * 60)),
                rome_code=rng.choice(groups) if rng.random() < 0.9 else None,
                commune=request_places[i] if rng.random() < 0.9 else None,
                languages=frozenset(languages),
                in_person=rng.random() < 0.9,
                remote=rng.random() < 0.8,
                availability=frozenset(rng.sample(SLOTS, rng.randint(1, 3))) if rng.random() < 0.5 else frozenset(),
                excluded=frozenset(f"u_v{rng.randrange(n_volunteers):07d}" for _ in range(rng.randint(1, 2)))
                if rng.random() < 0.1
                else frozenset(),
            )
        )
    return requests, volunteers, trades


def _timed_match(
    requests: Sequence[RequestCard], volunteers: Sequence[VolunteerCard], trades: Trades
) -> tuple[float, float, int]:
    """Return the wall time, the CPU time of this process, and the number of proposals."""
    started, cpu = time.perf_counter(), time.process_time()
    proposals = match_requests(requests, volunteers, trades, now=NOW)
    return time.perf_counter() - started, time.process_time() - cpu, len(proposals)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--volunteers", type=int, default=10_000)
    parser.add_argument("--baseline-sample", type=int, default=300)
    args = parser.parse_args()

    started = time.perf_counter()
    requests, volunteers, trades = population(args.requests, args.volunteers)
    built_s = time.perf_counter() - started
    seconds, cpu_seconds, matched = _timed_match(requests, volunteers, trades)
    load = os.getloadavg()[0]
    pledged = sum(v.capacity - v.load for v in volunteers)

    sample = sorted(requests, key=lambda r: (r.opened_at, r.request_id))[: args.baseline_sample]
    started = time.perf_counter()
    plain = match_requests_plainly(sample, volunteers, trades, now=NOW)
    plain_s = time.perf_counter() - started
    indexed = match_requests(sample, volunteers, trades, now=NOW)
    same = [(p.request_id, p.volunteer_id) for p in plain] == [(p.request_id, p.volunteer_id) for p in indexed]
    plain_extrapolated_s = plain_s / len(sample) * args.requests

    figures = {
        "requests": args.requests,
        "volunteers": args.volunteers,
        "match_seconds": round(seconds, 3),
        "match_cpu_seconds": round(cpu_seconds, 3),
        "load_average_1min": round(load, 2),
        "proposals": matched,
        "free_capacity": pledged,
        "population_build_seconds": round(built_s, 3),
    }
    entry = record(
        "volunteers-matching",
        "Batch matching: open help requests against volunteers",
        figures=figures,
        baseline={
            "plain_all_pairs_seconds_extrapolated": round(plain_extrapolated_s, 1),
            "plain_sample_requests": len(sample),
            "plain_sample_seconds": round(plain_s, 3),
        },
        ratios={"speedup_vs_plain": round(plain_extrapolated_s / seconds, 1)},
        target="≤ 10 s for 100,000 requests × 10,000 volunteers",
        met=seconds <= 10 and same,
        scale=(args.requests if args.volunteers >= 10_000 else 0, 100_000),
        notes=(
            f"indexed and plain matchers agree on the {len(sample)} oldest requests: {same}; "
            "wall time depends on what else runs (see load_average_1min), CPU time much less"
        ),
    )
    for key, value in {**entry["figures"], **entry["baseline"], **entry["ratios"]}.items():
        print(f"{key:40} {value}")
    print(f"{'same_proposals_as_plain_on_sample':40} {same}")
    print(f"{'target_met':40} {entry['met']}")


if __name__ == "__main__":
    main()
