"""How a service process is served: graceful shutdown and kept-alive connections."""

from __future__ import annotations

import ctypes
import os
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from shared import process
from shared.settings import ServiceSettings


def test_the_server_keeps_idle_connections_longer_than_its_clients(monkeypatch: pytest.MonkeyPatch) -> None:
    # When server and client drop an idle connection after the same delay, a request sent at that moment
    # meets a closed socket (httpx raises ReadError and does not resend a POST).
    served: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: served.update(options))
    process.serve(FastAPI(), ServiceSettings())
    client_expiry = httpx.AsyncClient()._transport._pool._keepalive_expiry  # type: ignore[attr-defined]
    assert served["timeout_keep_alive"] > 2 * client_expiry
    assert served["timeout_graceful_shutdown"] <= 8  # under make run's 10 s stop


def _resident_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.mark.skipif(not hasattr(ctypes.CDLL(None), "malloc_trim"), reason="not glibc: nothing to give back")
def test_memory_freed_between_kept_objects_goes_back_to_the_system() -> None:
    # 64 KB blocks come from the heap (below glibc's mmap threshold); freeing every other one leaves
    # whole free pages between those kept, which glibc keeps resident until it is told to trim.
    blocks = [bytearray(64 * 1024) for _ in range(400)]
    kept = blocks[::2]
    del blocks
    before = _resident_mb()
    process.release_free_memory()
    assert before - _resident_mb() > 5
    assert len(kept) == 200


async def test_a_service_gives_back_what_starting_freed_once_it_has_settled(monkeypatch: pytest.MonkeyPatch) -> None:
    released: list[bool] = []
    monkeypatch.setattr(process, "release_free_memory", lambda: released.append(True))
    await process.release_free_memory_when_settled(0)
    assert released == [True]
