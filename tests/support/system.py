"""Start the real system for tests: a tansu broker, an SMTP sink and service processes.

Each system gets its own topic prefix, ports and ``var`` directory, so tests
never interfere. Service output goes to ``<var>/logs/<service>.log``.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer

from deploy.local.broker import start_tansu
from deploy.local.smtp_sink import serve as serve_smtp
from deploy.topics import create_topics
from shared.settings import default_data_dir
from shared.topics import all_topics

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("profile", "diagnostic", "advice", "notifications", "volunteers", "partners", "gateway")


_GIVEN: set[int] = set()


def free_port() -> int:
    """Return a loopback TCP port free right now and never handed out before by this process.

    Ports come from below the kernel's ephemeral range: a port taken from that range can be
    grabbed as the source port of an outgoing connection before the service binds it, and two
    draws can return the same port, which lets one service answer in another's place.
    """
    while True:
        port = random.randint(20000, 32000)
        if port in _GIVEN:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        _GIVEN.add(port)
        return port


@dataclass
class Broker:
    port: int
    process: subprocess.Popen[bytes]

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_broker(
    storage: str = "memory://tansu/", env: dict[str, str] | None = None, port: int | None = None
) -> Broker:
    """Start a tansu broker on a free loopback port."""
    port = port or free_port()
    return Broker(port, start_tansu(port, storage, env))


@dataclass
class System:
    """A running set of services on one broker."""

    broker: Broker
    var_dir: Path
    prefix: str
    partitions: int = 4
    ports: dict[str, int] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    extra_env: dict[str, str] = field(default_factory=dict)
    smtp_port: int = 0
    gateway_metrics_port: int = field(default_factory=lambda: free_port())
    # Random per system: outside development the services refuse the public defaults.
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    internal_token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    _smtp: Any = None

    @property
    def mail_dir(self) -> Path:
        return self.var_dir / "mail"

    @property
    def internal_headers(self) -> dict[str, str]:
        """Return the headers that open the services' internal HTTP API."""
        return {"authorization": f"Bearer {self.internal_token}"}

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    def metrics_url(self, service: str) -> str:
        """Return the URL of a service's Prometheus metrics (the gateway's are on a port of their own)."""
        if service == "gateway":
            return f"http://127.0.0.1:{self.gateway_metrics_port}/metrics"
        return self.url(service) + "/metrics"

    def env(self) -> dict[str, str]:
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
            "ENVIRONMENT": "test",
            "SECRET_KEY": self.secret_key,
            "INTERNAL_TOKEN": self.internal_token,
            "KAFKA_BOOTSTRAP_SERVERS": self.broker.bootstrap,
            "TOPIC_PREFIX": self.prefix,
            "VAR_DIR": str(self.var_dir),
            "DATA_DIR": os.environ.get("DATA_DIR", str(default_data_dir())),
            "NOTIFICATIONS_SMTP_PORT": str(self.smtp_port),
            "LOG_LEVEL": "INFO",
            # Many sign-ups come from one address in tests; the rate-limit tests set their own limits.
            "GATEWAY_RATE_LIMIT_SIGNUP": '{"per_address": "100000/minute", "per_account": "100000/minute"}',
        }
        for name, port in self.ports.items():
            env[f"{name.upper()}_PORT"] = str(port)
            env[f"GATEWAY_{name.upper()}_URL"] = self.url(name)
            env[f"NOTIFICATIONS_{name.upper()}_URL"] = self.url(name)
            env[f"VOLUNTEERS_{name.upper()}_URL"] = self.url(name)
            env[f"PROFILE_{name.upper()}_URL"] = self.url(name)
        env["GATEWAY_METRICS_PORT"] = str(self.gateway_metrics_port)
        env["NOTIFICATIONS_PUBLIC_URL"] = self.url("gateway") if "gateway" in self.ports else "http://127.0.0.1"
        env.update(self.extra_env)
        return env

    def start_service(self, name: str) -> None:
        """Start (or restart) one service process."""
        log = (self.var_dir / "logs" / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(
            [sys.executable, "-m", f"services.{name}"], cwd=ROOT, env=self.env(), stdout=log, stderr=log
        )

    def start_replica(self, name: str, port: int) -> subprocess.Popen[bytes]:
        """Start one more process of a service, on its own port, in the same consumer group and store.

        The caller owns the process (it is not in ``processes``) and stops it.
        """
        log = (self.var_dir / "logs" / f"{name}-{port}.log").open("ab")
        return subprocess.Popen(
            [sys.executable, "-m", f"services.{name}"],
            cwd=ROOT,
            env={**self.env(), f"{name.upper()}_PORT": str(port)},
            stdout=log,
            stderr=log,
        )

    def signal(self, name: str, signum: int) -> None:
        """Send a signal to a service (SIGKILL simulates a crash)."""
        process = self.processes[name]
        process.send_signal(signum)
        if signum in (signal.SIGKILL, signal.SIGTERM):
            process.wait(20)

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
        if self._smtp is not None:
            self._smtp.stop()

    async def wait_ready(self, names: Iterable[str] | None = None, timeout: float = 120) -> None:
        """Wait until every named service answers ready (the gateway: live, when only some services run)."""
        pending = set(names or self.processes)
        partial = set(SERVICES) - set(self.processes)
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient(timeout=2) as client:
            while pending:
                for name in list(pending):
                    if self.processes[name].poll() is not None:
                        raise RuntimeError(f"{name} exited: {self.log(name)[-3000:]}")
                    probe = "/health/live" if name == "gateway" and partial else "/health/ready"
                    try:
                        response = await client.get(self.url(name) + probe)
                        # The answer must come from this service, not from another one on a reused port.
                        answered_by = response.json().get("service", name) if response.content else name
                        if response.status_code == 200 and answered_by == name:
                            pending.discard(name)
                    except httpx.HTTPError:
                        pass
                if pending and time.monotonic() > deadline:
                    raise TimeoutError(f"not ready: {sorted(pending)}: {self.log(sorted(pending)[0])[-3000:]}")
                await asyncio.sleep(0.1)

    def log(self, name: str) -> str:
        path = self.var_dir / "logs" / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def mails(self) -> list[Path]:
        return sorted(self.mail_dir.glob("*.eml")) if self.mail_dir.exists() else []


async def start_system(
    broker: Broker,
    var_dir: Path,
    services: Iterable[str] = SERVICES,
    *,
    partitions: int = 4,
    extra_env: dict[str, str] | None = None,
) -> System:
    """Create the topics under a fresh prefix, start an SMTP sink and the services; wait until ready."""
    prefix = f"t{uuid.uuid4().hex[:8]}."
    (var_dir / "logs").mkdir(parents=True, exist_ok=True)
    system = System(broker=broker, var_dir=var_dir, prefix=prefix, partitions=partitions, extra_env=extra_env or {})
    await create_topics(broker.bootstrap, all_topics(prefix, ["example-partner"]), partitions)
    system.smtp_port = free_port()
    system._smtp = serve_smtp(system.smtp_port, system.mail_dir)
    names = list(services)
    for name in SERVICES:
        system.ports[name] = free_port()
    for name in names:
        system.start_service(name)
    try:
        await system.wait_ready(names)
    except BaseException:
        system.stop()
        raise
    return system


async def eventually(check: Any, *, timeout: float = 10.0, interval: float = 0.1) -> Any:
    """Poll ``check`` (sync or async) until it returns a truthy value; return it, or fail after the timeout."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while True:
        last = check()
        if asyncio.iscoroutine(last):
            last = await last
        if last:
            return last
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s (last value: {last!r})")
        await asyncio.sleep(interval)


@asynccontextmanager
async def topic_reader(system: System, topic: str) -> AsyncIterator[AIOKafkaConsumer]:
    """Yield a consumer of a topic from its first message, outside any consumer group."""
    consumer = AIOKafkaConsumer(
        system.prefix + topic,
        bootstrap_servers=system.broker.bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    try:
        yield consumer
    finally:
        await consumer.stop()


async def topic_events(system: System, topic: str, *, idle_ms: int = 1500) -> list[dict[str, Any]]:
    """Return every event on a topic, in partition order (read until the topic is idle)."""
    found: list[dict[str, Any]] = []
    async with topic_reader(system, topic) as consumer:
        while batch := await consumer.getmany(timeout_ms=idle_ms, max_records=5000):
            for records in batch.values():
                found.extend(json.loads(record.value or b"{}") for record in records)
    return found


def command(system: System, module: str, *args: str) -> str:
    """Run one of a service's commands as an operator would (e.g. an import); return what it printed."""
    done = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env=system.env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout
