"""Run a service's ASGI app as its own OS process (``python -m services.<name>``)."""

from __future__ import annotations

import uvicorn
from fastapi import FastAPI

from shared.settings import ServiceSettings


def serve(app: FastAPI, settings: ServiceSettings) -> None:
    """Serve the app until SIGTERM/SIGINT; in-flight requests and handlers get 8 s to finish."""
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=8,
        lifespan="on",
    )
