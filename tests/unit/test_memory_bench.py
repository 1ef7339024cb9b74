"""The memory benchmark reads /proc the way its table says: USS within PSS within RSS."""

from __future__ import annotations

import os

from tests.perf.bench_memory import process_memory, totals


def test_a_process_memory_is_read_from_proc() -> None:
    kept = bytearray(32 * 2**20)  # 32 MB written: resident and private to this process
    kept[::4096] = b"x" * len(kept[::4096])
    memory = process_memory(os.getpid())
    assert memory["rss_mb"] >= 32
    assert 32 <= memory["uss_mb"] <= memory["pss_mb"] <= memory["rss_mb"]
    assert memory["threads"] >= 1


def test_totals_add_up_every_process() -> None:
    one = {"rss_mb": 10.0, "pss_mb": 6.0, "uss_mb": 5.0, "anonymous_mb": 5.0, "threads": 1}
    assert totals({"a": one, "b": one}) == {"rss_mb": 20.0, "pss_mb": 12.0, "uss_mb": 10.0}
