"""Real MongoDB-wire servers for the store contract suite: mongoeco (always) and MongoDB (with Docker)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

from tests.support.system import ROOT, free_port

MONGOECO_VERSION = "4.11.0"


def python_313() -> str | None:
    """Return a Python ≥ 3.13 interpreter on this machine (PATH, then pyenv), or None."""
    for name in ("python3.14", "python3.13"):
        found = shutil.which(name)
        if found and subprocess.run([found, "-c", "1"], capture_output=True).returncode == 0:
            return found
    root = os.environ.get("PYENV_ROOT", str(Path.home() / ".pyenv"))
    candidates = sorted(glob.glob(f"{root}/versions/3.1[3-9]*/bin/python3"))
    return candidates[-1] if candidates else None


def start_mongoeco(path: Path, port: int | None = None) -> tuple[subprocess.Popen[bytes], str]:
    """Start a mongoeco wire server (on a free port unless given); return the process and its URI."""
    python = python_313()
    if python is None:
        raise LookupError("no Python >= 3.13 interpreter (mongoeco needs one); install it with pyenv")
    uv = shutil.which("uv") or str(Path.home() / ".local" / "bin" / "uv")
    port = port or free_port()
    process = subprocess.Popen(
        [
            uv,
            "run",
            "--no-project",
            "--quiet",
            "--python",
            python,
            "--with",
            f"mongoeco[wire]=={MONGOECO_VERSION}",
            "python",
            str(ROOT / "tests" / "support" / "mongoeco_server.py"),
            str(port),
            str(path),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 180  # the first run downloads mongoeco into uv's cache
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode(errors="replace") if process.stdout else ""
            raise RuntimeError(f"mongoeco exited: {output[-2000:]}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return process, f"mongodb://127.0.0.1:{port}/?directConnection=true"
        time.sleep(0.1)
    process.kill()
    raise TimeoutError("mongoeco did not start within 180 s")
