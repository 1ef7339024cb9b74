from __future__ import annotations

from pathlib import Path

import pytest

from services.diagnostic.market_data import MarketData, market_data_from_files
from shared.settings import default_data_dir

DATA_DIR = default_data_dir()
SAMPLES = DATA_DIR / "market_samples"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    if not (DATA_DIR / "rome").is_dir():
        pytest.skip(f"reference data not found in {DATA_DIR} (set DATA_DIR)")
    return DATA_DIR


@pytest.fixture(scope="session")
def market_data(data_dir: Path) -> MarketData:
    """The market data a fresh service computes: real reference lists, synthetic figures (built once)."""
    return market_data_from_files(data_dir)
