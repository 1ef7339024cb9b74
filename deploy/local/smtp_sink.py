"""A local SMTP server that keeps every email it receives as a file under ``var/mail/``.

    python -m deploy.local.smtp_sink [--port 8025] [--dir var/mail]

Each message is written atomically (temporary file, then rename) as
``<UTC time>-<id>.eml`` so a reader never sees half a message.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


class MailDirHandler:
    """Writes each received message to a directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd API
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        name = f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
        temporary = self.directory / ("." + name)
        content = envelope.original_content or envelope.content
        temporary.write_bytes(content if isinstance(content, bytes) else content.encode())
        temporary.rename(self.directory / name)
        return "250 Message accepted for delivery"


def serve(port: int, directory: Path) -> Controller:
    """Start the SMTP sink on loopback in a background thread and return its controller."""
    controller = Controller(MailDirHandler(directory), hostname="127.0.0.1", port=port)
    controller.start()
    return controller


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("SMTP_PORT", "8025")))
    parser.add_argument("--dir", type=Path, default=Path(os.environ.get("VAR_DIR", "var")) / "mail")
    args = parser.parse_args(argv)
    controller = serve(args.port, args.dir)
    print(f"SMTP sink on 127.0.0.1:{args.port}, writing to {args.dir}/", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
