"""P4 compute: diagnosis + every advice module per person, in process, over 10,000 personas.

    uv run python -m tests.perf.bench_compute [--personas 10000]

What one person costs in pure computation, whatever carries the events: the
diagnosis of the person's project on the market facts of their job and
département, the ``diagnosis-ready`` payload the diagnostic service builds from
it (with the summary sentence in the person's language), then the advice
service's whole recommendation (the facts, every module, the ranking,
strategies and proposed actions).

Baseline measured in the same run: validating the person's ``profile-updated``
payload from JSON, which any design pays for every event before doing anything.
Each figure is the best of 3 runs in process CPU time (the machine is shared).
"""

from __future__ import annotations

import argparse
import gc
import os
from collections.abc import Sequence
from typing import Any

from services.advice.catalogue import catalogue
from services.advice.recommend import recommend
from services.diagnostic.diagnose import diagnose
from services.diagnostic.market_data import market_data_from_files
from services.diagnostic.publication import diagnosis_ready
from shared.contracts.profile import ProfileUpdatedData
from shared.settings import default_data_dir
from tests.perf.bench_advice import per_person_us
from tests.perf.bench_diagnosis import TODAY, personas
from tests.perf.results import record

BUDGET_US = 300.0


def run(count: int) -> dict[str, Any]:
    """Measure and record; return the recorded entry."""
    market = market_data_from_files(default_data_dir())
    content = catalogue()
    people = personas(market, count)
    projects = [facts.projects[0] for facts, _ in people]
    facts_of = [market.facts(p.rome_code, p.departement) for p in projects]
    # Warm the market cache as a running service has it, and keep the fixtures out of the collector.
    gc.collect()
    gc.freeze()

    def diagnosis_payload(i: int) -> Any:
        diagnosis = diagnose(people[i][0], projects[i], facts_of[i], TODAY)
        return diagnosis_ready(f"u_{i:016x}", f"d_{i}", diagnosis, diagnosis.fingerprint(), people[i][0], market).data

    def person(i: int) -> object:
        return recommend(diagnosis_payload(i), TODAY, content)

    payloads = [diagnosis_payload(i) for i in range(count)]
    figures = {
        "personas": float(count),
        "diagnosis_and_advice_us": round(per_person_us(person, count), 1),
        "diagnosis_us": round(
            per_person_us(lambda i: diagnose(people[i][0], projects[i], facts_of[i], TODAY), count), 1
        ),
        "diagnosis_payload_us": round(per_person_us(diagnosis_payload, count), 1),
        "advice_us": round(per_person_us(lambda i: recommend(payloads[i], TODAY, content), count), 1),
    }
    baseline = {
        "parse_profile_updated_us": round(
            per_person_us(lambda i: ProfileUpdatedData.model_validate_json(people[i][1]), count), 1
        )
    }
    ratios = {"person_over_parse": round(figures["diagnosis_and_advice_us"] / baseline["parse_profile_updated_us"], 2)}
    return record(
        "P4-compute",
        f"P4 compute: diagnosis + all advice modules per person, in process ({count:,} personas)",
        figures=figures,
        baseline=baseline,
        ratios=ratios,
        target=f"≤ {BUDGET_US:.0f} µs per person",
        met=figures["diagnosis_and_advice_us"] <= BUDGET_US,
        scale=(count, 10_000),
        notes=f"CPU µs, best of 3; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs during the run",
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--personas", type=int, default=10_000)
    args = parser.parse_args(argv)
    entry = run(args.personas)
    for section in ("figures", "baseline", "ratios"):
        for name, value in entry[section].items():
            print(f"{name:32} {value}")
    print("met:", entry["met"])


if __name__ == "__main__":
    main()
