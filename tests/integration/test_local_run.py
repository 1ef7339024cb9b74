"""What ``make run`` starts: every process ready, Ctrl-C stops all of them within 10 s, data kept across a restart.

The test runs ``python -m deploy.local.run`` (what ``make run`` calls after installing) in a
fresh ``var`` directory, on the fixed local ports; it is skipped, with the reason, when one of
those ports is already taken (a ``make run`` of your own, for instance).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.system import ROOT

pytestmark = pytest.mark.integration
PORTS = (8000, 8001, 8002, 8003, 8004, 8005, 8006, 8025, 9092)
GATEWAY = "http://127.0.0.1:8000"


def taken(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def descendants(pid: int) -> set[int]:
    """Return the ids of every process below ``pid`` (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found: set[int] = set()
    pending = [pid]
    while pending:
        for child in children.get(pending.pop(), []):
            found.add(child)
            pending.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture
def local_run(tmp_path: Path) -> Iterator[object]:
    busy = [port for port in PORTS if taken(port)]
    if busy:
        pytest.skip(f"the local ports {busy} are in use (is make run already running?)")
    # What a newcomer's shell has: no test settings, the development defaults.
    unset = ("SECRET_KEY", "INTERNAL_TOKEN", "ENVIRONMENT", "TOPIC_PREFIX", "KAFKA_BOOTSTRAP_SERVERS")
    env = {name: value for name, value in os.environ.items() if name not in unset}
    env["VAR_DIR"] = str(tmp_path / "var")

    def start() -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, "-m", "deploy.local.run"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C goes to the process group, as in a terminal
        )

    started: list[subprocess.Popen[bytes]] = []

    def run() -> subprocess.Popen[bytes]:
        started.append(start())
        return started[-1]

    yield run
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)


def wait_ready(timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{GATEWAY}/health/ready", timeout=3).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{GATEWAY}/health/ready did not answer 200 within {timeout} s")


def ctrl_c(process: subprocess.Popen[bytes]) -> tuple[float, set[int]]:
    """Press Ctrl-C (SIGINT to the group); return how long everything took to stop and what was left."""
    below = descendants(process.pid)
    pressed = time.monotonic()
    os.killpg(process.pid, signal.SIGINT)
    process.wait(30)
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in below) and time.monotonic() < deadline:
        time.sleep(0.1)
    return time.monotonic() - pressed, {pid for pid in below if alive(pid)}


def test_make_run_starts_everything_stops_on_ctrl_c_and_keeps_the_data(local_run: object) -> None:
    run = local_run
    first = run()  # type: ignore[operator]
    wait_ready()
    answer = httpx.get(f"{GATEWAY}/health/ready", timeout=5).json()
    assert set(answer["services"]) >= {"profile", "diagnostic", "advice", "notifications", "volunteers"}
    guest = httpx.post(f"{GATEWAY}/v1/auth/guest", json={"first_name": "Rémi"}, timeout=10).json()
    stopped_in, left = ctrl_c(first)
    assert stopped_in < 10 and not left, (stopped_in, left)
    assert not any(taken(port) for port in PORTS)

    second = run()  # type: ignore[operator]
    wait_ready()
    profile = httpx.get(
        f"{GATEWAY}/v1/me/profile", headers={"authorization": f"Bearer {guest['access_token']}"}, timeout=10
    )
    assert profile.status_code == 200 and profile.json()["first_name"] == "Rémi"  # the store is a file in var/
    stopped_in, left = ctrl_c(second)
    assert stopped_in < 10 and not left, (stopped_in, left)
