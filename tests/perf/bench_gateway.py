"""P3 gateway dashboard read and P7 autocomplete, measured over HTTP with wrk against the running system.

    uv run python -m tests.perf.bench_gateway [--seconds 10] [--clients 32]

The system runs as processes on a real tansu broker with SQLite stores. 32
people sign up, fill a complete project and get their diagnosis and plan; then:

* **P3**: ``--clients`` concurrent connections read the dashboard
  (``GET /v1/me/dashboard``: profile, diagnosis and today's plan, the three
  services asked at once), each request for one of the people in turn.
  Baseline in the same run: the same clients on a bare endpoint of the same
  server (``GET /health/live``: no service call, no authentication).
* **P7**: autocomplete as one person types, over queries that are prefixes of
  the 10,990 job titles and of the 35,014 communes' names and postal codes:
  p99 in process (the index alone) and over HTTP on one connection, with the
  bare endpoint on one connection as the baseline.

The load comes from ``wrk`` (Debian package ``wrk``; ``make bench`` installs it
when it can), which costs far less CPU than a Python client: on a 2-core machine
the load generator competes with the server for the same cores.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import shutil
import subprocess
import tempfile
import time
import urllib.parse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

from services.gateway.autocomplete import communes_index, job_titles_index
from shared.reference.geo import load_geo
from shared.reference.rome import load_rome
from shared.settings import default_data_dir
from tests.perf.bench_latency import percentile
from tests.perf.results import record
from tests.perf.system_bench import machine
from tests.support.journey import complete_profile, sign_up_as_guest
from tests.support.system import start_broker, start_system

# wrk's Lua hooks: rotate over the paths and tokens given, and print the figures as one JSON line.
WRK_SCRIPT = """
local paths, tokens, n = {}, {}, 0
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
for line in io.lines(os.getenv("BENCH_TOKENS")) do tokens[#tokens + 1] = line end
request = function()
  n = n + 1
  local headers = {}
  if #tokens > 0 then headers["Authorization"] = "Bearer " .. tokens[(n % #tokens) + 1] end
  return wrk.format("GET", paths[(n % #paths) + 1], headers)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "errors": %d, "non_2xx": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
"""


def wrk(
    url: str, paths: Sequence[str], tokens: Sequence[str], *, clients: int, seconds: float, folder: Path
) -> dict[str, float]:
    """Return requests per second, p50 and p99 (ms) and errors of a wrk run over the paths."""
    binary = shutil.which("wrk")
    if binary is None:
        raise RuntimeError("wrk is not installed: apt-get install wrk (make bench does it when it can)")
    script, path_file, token_file = folder / "bench.lua", folder / "paths.txt", folder / "tokens.txt"
    script.write_text(WRK_SCRIPT)
    path_file.write_text("\n".join(paths) + "\n")
    token_file.write_text("\n".join(tokens) + ("\n" if tokens else ""))
    done = subprocess.run(
        [binary, "-t1", f"-c{clients}", f"-d{max(1, round(seconds))}s", "--timeout", "5s", "-s", str(script), url],
        capture_output=True,
        text=True,
        check=False,
        env={"BENCH_PATHS": str(path_file), "BENCH_TOKENS": str(token_file), "PATH": "/usr/bin:/bin"},
    )
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr[-1000:]} {done.stdout[-1000:]}")
    output = done.stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    figures = json.loads(line[6:])
    return {
        "requests_per_s": figures["requests"] / (figures["duration_us"] / 1e6),
        "p50_ms": figures["p50_us"] / 1000,
        "p99_ms": figures["p99_us"] / 1000,
        "errors": figures["errors"] + figures["non_2xx"],
        "requests": figures["requests"],
    }


def typed_queries(labels: Sequence[str], count: int, rng: random.Random) -> list[str]:
    """Return what people type while looking for these labels: the first 1 to 12 letters of one."""
    queries = []
    for _ in range(count):
        label = rng.choice(labels)
        queries.append(label[: rng.randint(1, min(12, len(label)))].strip() or label[0])
    return queries


def in_process_p99_us(index: Any, queries: Sequence[str]) -> tuple[float, float]:
    """Return p50 and p99 (µs) of single searches, each timed alone."""
    timings = []
    for query in queries:
        started = time.perf_counter()
        index.search(query, 10)
        timings.append((time.perf_counter() - started) * 1e6)
    return percentile(timings, 0.5), percentile(timings, 0.99)


async def people_with_a_plan(base_url: str, count: int) -> list[str]:
    """Return the access tokens of people whose diagnosis and plan are ready."""
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        people = [await sign_up_as_guest(client) for _ in range(count)]
        for person in people:
            await complete_profile(client, person)
        deadline = time.monotonic() + 120
        for person in people:
            while True:
                dashboard = (await client.get("/v1/me/dashboard", headers=person.auth)).json()
                if dashboard.get("diagnosis") and dashboard["plan"].get("actions"):
                    break
                if time.monotonic() > deadline:
                    raise TimeoutError("the diagnoses and plans were not ready within 120 s")
                await asyncio.sleep(0.2)
        return [person.access_token for person in people]


async def run(seconds: float, clients: int) -> dict[str, Any]:
    rng = random.Random(7)
    data_dir = default_data_dir()
    rome, geo = load_rome(data_dir), load_geo(data_dir)
    titles, communes = job_titles_index(rome), communes_index(geo)
    title_queries = typed_queries([t.label for t in rome.titles.values()], 10_000, rng)
    commune_labels = [c.name for c in geo.communes.values()] + [
        p for c in geo.communes.values() for p in c.postal_codes
    ]
    commune_queries = typed_queries(commune_labels, 10_000, rng)
    titles_p50, titles_p99 = in_process_p99_us(titles, title_queries)
    communes_p50, communes_p99 = in_process_p99_us(communes, commune_queries)
    autocomplete_paths = [f"/v1/reference/job-titles?q={urllib.parse.quote(q)}" for q in title_queries[:2000]] + [
        f"/v1/reference/cities?q={urllib.parse.quote(q)}" for q in commune_queries[:2000]
    ]
    rng.shuffle(autocomplete_paths)

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        broker = start_broker()
        try:
            system = await start_system(broker, folder / "var", services=["profile", "diagnostic", "advice", "gateway"])
            try:
                url = system.url("gateway")
                tokens = await people_with_a_plan(url, 32)
                wrk(url, ["/v1/me/dashboard"], tokens, clients=clients, seconds=2, folder=folder)  # warm up
                bare = wrk(url, ["/health/live"], [], clients=clients, seconds=seconds, folder=folder)
                dashboard = wrk(url, ["/v1/me/dashboard"], tokens, clients=clients, seconds=seconds, folder=folder)
                bare_one = wrk(url, ["/health/live"], [], clients=1, seconds=seconds, folder=folder)
                typing = wrk(url, autocomplete_paths, [], clients=1, seconds=seconds, folder=folder)
            finally:
                system.stop()
        finally:
            broker.stop()

    p3 = record(
        "P3-gateway",
        f"P3 gateway: dashboard read (profile + diagnosis + plan) at {clients} concurrent clients",
        figures={
            "dashboard_requests_per_s": round(dashboard["requests_per_s"], 1),
            "dashboard_p50_ms": round(dashboard["p50_ms"], 2),
            "dashboard_p99_ms": round(dashboard["p99_ms"], 2),
            "dashboard_errors": dashboard["errors"],
        },
        baseline={
            "bare_requests_per_s": round(bare["requests_per_s"], 1),
            "bare_p99_ms": round(bare["p99_ms"], 2),
            "bare_errors": bare["errors"],
        },
        ratios={"dashboard_vs_bare": round(dashboard["requests_per_s"] / bare["requests_per_s"], 3)},
        target="≥ 0.5 of the bare endpoint's requests per second",
        met=dashboard["requests_per_s"] / bare["requests_per_s"] >= 0.5 and dashboard["errors"] == 0,
        scale=(clients, 32),
        notes=(
            f"wrk, 1 thread, {clients} connections, {seconds:.0f} s each; 32 people rotated; one dashboard read is "
            f"one gateway request and three service requests; machine {machine()}"
        ),
    )
    record(
        "P7-autocomplete",
        "P7 autocomplete: p99 over the 10,990 job titles and the 35,014 communes",
        figures={
            "http_p50_ms": round(typing["p50_ms"], 2),
            "http_p99_ms": round(typing["p99_ms"], 2),
            "http_requests_per_s": round(typing["requests_per_s"], 1),
            "http_errors": typing["errors"],
            "job_titles_in_process_p50_us": round(titles_p50, 1),
            "job_titles_in_process_p99_us": round(titles_p99, 1),
            "communes_in_process_p50_us": round(communes_p50, 1),
            "communes_in_process_p99_us": round(communes_p99, 1),
            "titles_indexed": len(rome.titles),
            "communes_indexed": len(geo.communes),
        },
        baseline={"bare_http_p50_ms": round(bare_one["p50_ms"], 2), "bare_http_p99_ms": round(bare_one["p99_ms"], 2)},
        ratios={"http_p99_vs_bare": round(typing["p99_ms"] / bare_one["p99_ms"], 2)},
        target="p99 ≤ 5 ms",
        met=typing["p99_ms"] <= 5 and typing["errors"] == 0,
        notes="queries: the first 1–12 letters of random titles, commune names and postal codes; one connection",
    )
    return p3


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=32)
    args = parser.parse_args(argv)
    entry = asyncio.run(run(args.seconds, args.clients))
    print(entry["figures"], entry["baseline"], entry["ratios"], "met:", entry["met"])


if __name__ == "__main__":
    main()
