"""Run a service's ASGI app as its own OS process (``python -m services.<name>``)."""

from __future__ import annotations

import asyncio
import ctypes
import gc

import uvicorn
from fastapi import FastAPI

from shared.settings import ServiceSettings


def release_free_memory() -> None:
    """Give the memory that start-up used and freed back to the system (glibc's ``malloc_trim``).

    Reading the reference data leaves freed heap between the objects that stay (rows, index lists);
    glibc keeps it for later allocations, so it would count in the process's resident memory for
    its whole life. Elsewhere than glibc (musl, macOS) there is no such call and nothing is done.
    """
    gc.collect()
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):
        return
    trim(0)


# Seconds from the end of start-up to the second release: by then the broker clients have connected and
# joined their groups, and the first health checks have been answered.
SETTLED_AFTER_S = 10.0


async def release_free_memory_when_settled(delay_s: float = SETTLED_AFTER_S) -> None:
    """Give back, once, what connecting to the broker and the first requests freed (``release_free_memory``).

    The release after start-up comes before the broker connection: the connections, the consumer
    groups' joins and the first requests then allocate and free a few MB more, which glibc would keep
    resident for the life of an idle process (measured: 17 MB over the seven services).
    """
    await asyncio.sleep(delay_s)
    release_free_memory()


def serve(app: FastAPI, settings: ServiceSettings) -> None:
    """Serve the app until SIGTERM/SIGINT; in-flight requests and handlers get 8 s to finish."""
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=8,
        # Longer than the clients' idle expiry (httpx and the gateway's pools: 5 s), so that a server
        # never closes a kept-alive connection just as a client sends on it: with uvicorn's 5 s default
        # both ends timed out together and a sign-up wave saw a ReadError now and then.
        timeout_keep_alive=30,
        # uvicorn believes X-Forwarded-For from 127.0.0.1 by default, so any local client could pick the
        # address its requests are counted under. The gateway reads the header itself, from the proxies
        # it is told to trust (GATEWAY_TRUSTED_PROXIES, none by default).
        proxy_headers=False,
        lifespan="on",
    )
