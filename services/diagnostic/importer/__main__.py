"""Import the labour-market data into the diagnostic service's store (what ``make data`` runs).

    python -m services.diagnostic.importer [--data-dir DIR] [--market-dir DIR | --no-market]

Reads the ROME, the geography and the crosswalks from DATA_DIR, the official
market-statistics files found in the market folder, builds one market record
per (job group, département) and prints what was loaded. Safe to run again.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from services.diagnostic.importer.run import run_import
from services.diagnostic.settings import DiagnosticSettings
from shared.envelope import utc_now
from shared.store import open_store


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Return the command-line options."""
    parser = argparse.ArgumentParser(
        prog="python -m services.diagnostic.importer",
        description="Import the ROME, the geography, the crosswalks and the market statistics "
        "into the diagnostic service's store, with their provenance.",
    )
    parser.add_argument("--data-dir", type=Path, help="Folder of the reference data (default: DATA_DIR).")
    market = parser.add_mutually_exclusive_group()
    market.add_argument(
        "--market-dir",
        type=Path,
        help="Folder of the official market files (default: DIAGNOSTIC_MARKET_DIR, else DATA_DIR/market, "
        "else DATA_DIR/market_samples).",
    )
    market.add_argument("--no-market", action="store_true", help="Import no market file: the model fills all.")
    parser.add_argument("--store-url", help="Store URL (default: the diagnostic service's store).")
    parser.add_argument("--quiet", action="store_true", help="No progress bars.")
    return parser.parse_args(argv)


async def main(argv: list[str] | None = None) -> int:
    """Run the import; return the process exit code."""
    args = parse_args(argv)
    settings = DiagnosticSettings()
    data_dir = args.data_dir or settings.data_dir
    if not (data_dir / "rome").is_dir():
        print(f"No reference data in {data_dir} (set DATA_DIR or --data-dir).", file=sys.stderr)
        return 2
    market_dir = None if args.no_market else (args.market_dir or settings.resolved_market_dir())
    store = open_store(args.store_url or settings.resolved_store_url, settings.store_database)
    try:
        await run_import(store, data_dir, market_dir, now=utc_now(), progress=not args.quiet, out=sys.stdout)
    finally:
        await store.close()
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
