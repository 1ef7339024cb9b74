"""How a service process is served: graceful shutdown and kept-alive connections."""

from __future__ import annotations

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
