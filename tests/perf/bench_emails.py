"""Benchmark: digests rendered and delivered to the SMTP sink per second, for 10,000 due actions.

    uv run python -m tests.perf.bench_emails [--actions 10000] [--connections 4]

What is measured, in one run on the same SMTP sink (``deploy.local.smtp_sink``,
which writes every email to a file):

* baseline — raw ``aiosmtplib`` sends of one fixed message, flattened once, over
  the same number of persistent connections: the cost of SMTP and the sink alone;
* ours — 10,000 ``action-due`` events applied through the service's consumer
  (inbox, units of work, SQLite store on disk), then the mailer: policy check,
  contact read through the profile client (an in-process HTTP stub), claim,
  Jinja rendering of the HTML and text parts, SMTP send, ``sent`` + ``message-sent``
  committed through the outbox. Each person gets one digest.

The ratio says what share of raw SMTP throughput the full path keeps.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from datetime import time as clock_time
from email.message import EmailMessage
from pathlib import Path

import aiosmtplib
import httpx

from services.notifications.bootstrap import subscriptions
from services.notifications.catalogue import default_catalogue
from services.notifications.contacts import ProfileClient
from services.notifications.mailer import Mailer
from services.notifications.postman import SmtpPostman
from services.notifications.repository import INDEXES, MESSAGES
from services.notifications.settings import NotificationsSettings
from services.notifications.state import NotificationsState
from shared.consumer import EventConsumer
from shared.contracts.advice import ActionDue, ActionDueData
from shared.contracts.profile import Preferences, ProfileFacts, ProfileUpdated, ProfileUpdatedData
from shared.inbox import INBOX_INDEXES
from shared.metrics import ServiceMetrics
from shared.outbox import OUTBOX_INDEXES, Outbox
from shared.service import ServiceRuntime
from shared.store.sqlite import SqliteStore
from shared.telemetry import new_metrics_registry
from tests.perf.results import record
from tests.unit.shared.fakes import RecordingBroker
from tests.unit.shared.fakes import record as consumer_record

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # a Monday, 10:00 in Paris


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def subject(i: int) -> str:
    return f"u_bench{i:010d}"


def wait_for_files(directory: Path, expected: int, timeout: float = 120) -> int:
    deadline = time.monotonic() + timeout
    while True:
        count = sum(1 for _ in directory.glob("*.eml"))
        if count >= expected or time.monotonic() > deadline:
            return count
        time.sleep(0.05)


async def baseline(port: int, count: int, connections: int) -> float:
    """Return raw aiosmtplib sends per second of one fixed message, built once (a digest of the same size)."""
    message = EmailMessage()
    message["From"] = "Coach emploi <coach@localhost>"
    message["To"] = "martine@example.org"
    message["Subject"] = "Vos actions du jour"
    message.set_content("Bonjour Martine,\n\nVoici ce que votre plan vous propose aujourd'hui.\n" * 8)
    message.add_alternative("<p>Bonjour Martine, voici ce que votre plan vous propose.</p>" * 40, subtype="html")
    data = message.as_bytes()

    async def sender(n: int) -> None:
        smtp = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, start_tls=False)
        await smtp.connect()
        for _ in range(n):
            await smtp.sendmail("coach@localhost", ["martine@example.org"], data)
        await smtp.quit()

    started = time.perf_counter()
    share = [count // connections + (1 if i < count % connections else 0) for i in range(connections)]
    await asyncio.gather(*(sender(n) for n in share))
    return count / (time.perf_counter() - started)


def start_sink(port: int, directory: Path) -> subprocess.Popen[bytes]:
    """Start the local SMTP sink as its own process, as ``make run`` does; return once it accepts connections."""
    process = subprocess.Popen(
        [sys.executable, "-m", "deploy.local.smtp_sink", "--port", str(port), "--dir", str(directory)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return process
        time.sleep(0.05)
    process.kill()
    raise TimeoutError("the SMTP sink did not start")


def profile_stub(request: httpx.Request) -> httpx.Response:
    user_id = request.url.path.rsplit("/", 1)[1]
    return httpx.Response(
        200,
        json={
            "user_id": user_id,
            "email": f"{user_id}@example.org",
            "first_name": "Martine",
            "locale": "fr",
            "gender": "FEMININE",
            "role": "job-seeker",
        },
    )


async def ours(port: int, count: int, connections: int, workdir: Path) -> dict[str, float]:
    """Return the figures of the full path: events applied per second, then emails delivered per second."""
    settings = NotificationsSettings(
        smtp_port=port, smtp_connections=connections, digest_delay_s=0, public_url="https://coach.example"
    )
    store = SqliteStore(workdir / "notifications.sqlite3")
    await store.ensure_indexes([*OUTBOX_INDEXES, *INBOX_INDEXES, *INDEXES])
    runtime = ServiceRuntime(
        settings=settings,
        store=store,
        broker=RecordingBroker(),  # type: ignore[arg-type]
        outbox=Outbox(),
        metrics=ServiceMetrics(new_metrics_registry()),
        state=NotificationsState(),
        clock=lambda: NOW,
    )
    consumer = EventConsumer(
        settings=settings,
        store=store,
        outbox=runtime.outbox,
        broker=runtime.broker,
        subscriptions=subscriptions(runtime),
        metrics=runtime.metrics,
        clock=runtime.clock,
    )
    no_quiet = Preferences(quiet_hours_start=clock_time(0), quiet_hours_end=clock_time(0))
    profiles = [
        consumer_record(
            "profile-updated",
            ProfileUpdated(
                subject=subject(i),
                data=ProfileUpdatedData(
                    revision=1,
                    registered_at=NOW.date(),
                    questionnaire_finished_at=NOW.date(),  # digests wait for the end of the questionnaire
                    profile=ProfileFacts(),
                    preferences=no_quiet,
                ),
            ),
            offset=i,
        )
        for i in range(count)
    ]
    actions = [
        consumer_record(
            "action-due",
            ActionDue(
                subject=subject(i),
                data=ActionDueData(
                    action_id=f"a_{i:012d}",
                    template_id="ask-cv-review",
                    project_id="p1",
                    due_on=NOW.date(),
                    title="Faire relire mon CV",
                    duration_minutes=30,
                ),
            ),
            offset=i,
        )
        for i in range(count)
    ]
    for start in range(0, count, 500):
        await consumer.process(profiles[start : start + 500])
    started = time.perf_counter()
    for start in range(0, count, 500):
        await consumer.process(actions[start : start + 500])
    applied_per_s = count / (time.perf_counter() - started)
    assert await store.collection(MESSAGES).count({"status": "queued"}) == count

    postmen = [SmtpPostman(settings) for _ in range(connections)]
    async with httpx.AsyncClient(transport=httpx.MockTransport(profile_stub)) as client:
        mailer = Mailer(runtime, ProfileClient(settings, client), postmen, default_catalogue())
        started = time.perf_counter()
        while await mailer.deliver_due(limit=1000) > 0:
            pass
        elapsed = time.perf_counter() - started
    for postman in postmen:
        await postman.close()
    sent = await store.collection(MESSAGES).count({"status": "sent"})
    await store.close()
    return {"events_applied_per_s": applied_per_s, "emails_per_s": sent / elapsed, "sent": sent, "seconds": elapsed}


async def main(count: int, connections: int) -> dict[str, object]:
    workdir = Path(tempfile.mkdtemp(prefix="bench-emails-"))
    try:
        default_catalogue()  # read the YAML content before the clock starts, as the service does at start
        raw_port, our_port = free_port(), free_port()
        sinks = [start_sink(raw_port, workdir / "raw"), start_sink(our_port, workdir / "ours")]
        try:
            raw = await baseline(raw_port, count, connections)
            figures = await ours(our_port, count, connections, workdir)
            received = wait_for_files(workdir / "ours", count)
        finally:
            for sink in sinks:
                sink.terminate()
                sink.wait(10)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    assert received == figures["sent"] == count, (received, figures)
    ratio = figures["emails_per_s"] / raw
    target = 10_000 / 60
    return record(
        "emails-digest-delivery",
        f"Digests rendered and delivered to the SMTP sink, {count:,} due actions, {connections} SMTP connections",
        figures={
            "emails_per_s": round(figures["emails_per_s"], 1),
            "events_applied_per_s": round(figures["events_applied_per_s"], 1),
            "seconds_to_deliver_all": round(figures["seconds"], 2),
            "emails_received_by_sink": received,
        },
        baseline={"raw_aiosmtplib_sends_per_s": round(raw, 1)},
        ratios={"emails_per_s / raw_aiosmtplib_sends_per_s": round(ratio, 3)},
        target=f"10,000 digests delivered within 60 s (≥ {target:.0f} emails/s)",
        met=figures["emails_per_s"] >= target,
        scale=(count, 10_000),
        notes=(
            "Same SMTP sink (aiosmtpd in its own process, one file per email) and connection count for both; the "
            "baseline sends pre-built bytes; ours includes the "
            "policy check, the profile contact read (in-process HTTP stub), the claim, Jinja rendering of HTML and "
            "text, SMTP, and the sent status with its message-sent event in the outbox (SQLite on disk)."
        ),
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--actions", type=int, default=10_000)
    parser.add_argument("--connections", type=int, default=4)
    arguments = parser.parse_args()
    entry = asyncio.run(main(arguments.actions, arguments.connections))
    print(
        f"{entry['title']}\n  figures:  {entry['figures']}\n  baseline: {entry['baseline']}\n"
        f"  ratios:   {entry['ratios']}\n  target:   {entry['target']} — met: {entry['met']}"
    )
