"""The orphans command on a real system: every journey, one erasure, then no document is left about nobody.

Journeys: a job seeker with a complete profile, a counsellor following them, a guest, a guest
who upgraded, a volunteer, and a help request matched to the volunteer. The job seeker is
erased; once every service applied the erasure, ``python -m deploy.ops.orphans`` finds no
document naming a person without an account. Planted documents about nobody are found.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from shared.inbox import ERASED, subject_tombstone
from tests.integration.test_volunteers import action_id_of, sign_up_volunteer
from tests.support.journey import Person, complete_profile, sign_up, sign_up_as_guest
from tests.support.system import ROOT, Broker, System, eventually, start_system, topic_events

pytestmark = pytest.mark.integration
# The services that consume user-erased and keep a tombstone once they applied it.
CONSUMERS = ("diagnostic", "advice", "notifications", "volunteers", "partners")
NOBODY = "u_0000000000dead00"


def run_orphans(system: System, *options: str) -> subprocess.CompletedProcess[str]:
    """Run the command on the system's stores, as an operator would."""
    return subprocess.run(
        [sys.executable, "-m", "deploy.ops.orphans", "--var-dir", str(system.var_dir), *options],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def orphans(system: System) -> tuple[int, dict[str, Any]]:
    """Return the command's exit status and its JSON report."""
    done = run_orphans(system, "--json")
    assert done.returncode in (0, 1), done.stdout + done.stderr
    return done.returncode, json.loads(done.stdout)


def applied_erasure(system: System, subject: str) -> set[str]:
    """Return the services whose store holds the erasure tombstone of the subject."""
    applied = set()
    for service in CONSUMERS:
        db = sqlite3.connect(f"file:{system.var_dir / 'stores' / service}.sqlite3?mode=ro", uri=True)
        try:
            row = db.execute(f'SELECT 1 FROM "{ERASED}" WHERE id = ?', (subject_tombstone(subject),)).fetchone()
        except sqlite3.OperationalError:
            row = None  # no tombstone table yet
        finally:
            db.close()
        if row:
            applied.add(service)
    return applied


@contextmanager
def planted(system: System, service: str, collection: str, doc: dict[str, Any]) -> Iterator[None]:
    """Write a document straight into a running service's store, and take it out afterwards."""
    path = system.var_dir / "stores" / f"{service}.sqlite3"
    body = json.dumps({k: v for k, v in doc.items() if k != "_id"})
    with sqlite3.connect(path, timeout=10) as db:
        db.execute(f'INSERT INTO "{collection}" (id, doc) VALUES (?, ?)', (doc["_id"], body))
    try:
        yield
    finally:
        with sqlite3.connect(path, timeout=10) as db:
            db.execute(f'DELETE FROM "{collection}" WHERE id = ?', (doc["_id"],))


@pytest.fixture(scope="module")
async def journeys(broker: Broker, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[tuple[System, Person]]:
    """Run every journey; return the system and the job seeker to erase."""
    system = await start_system(
        broker, tmp_path_factory.mktemp("orphans") / "var", extra_env={"VOLUNTEERS_UPKEEP_INTERVAL_S": "0.5"}
    )
    try:
        async with httpx.AsyncClient(base_url=system.url("gateway"), timeout=15) as client:
            volunteer = await sign_up_volunteer(client, system)
            seeker = await sign_up(client)
            await complete_profile(client, seeker)
            await sign_up_as_guest(client)
            upgraded = await sign_up_as_guest(client)
            response = await client.post(
                "/v1/me/upgrade",
                headers=upgraded.auth,
                json={"email": f"{upgraded.user_id}@example.org", "password": "hibou turquoise sur la rivière 42"},
            )
            assert response.status_code == 200, response.text
            counsellor = await sign_up(client, role="counsellor")
            invitation = (await client.post("/v1/me/counsellor-invitations", headers=seeker.auth)).json()
            accepted = await client.post(
                "/v1/counsellor/invitations/accept",
                headers=counsellor.auth,
                json={"token": invitation["link"].split("#", 1)[1]},
            )
            assert accepted.status_code == 200, accepted.text

            # A help request, asked from an action of the plan, shared and matched to the volunteer.
            asked = await client.post(
                "/v1/me/help-requests",
                headers=seeker.auth,
                json={"kind": "cv-review", "action_id": action_id_of(seeker.user_id)},
            )
            assert asked.status_code == 201, asked.text
            request = asked.json()
            shared = await client.put(
                f"/v1/me/help-requests/{request['request_id']}/sharing",
                headers=seeker.auth,
                json={"share_first_name": True, "rome_code": "D1202", "city_insee": "69123"},
            )
            assert shared.status_code == 200, shared.text

            async def matched() -> bool:
                events = await topic_events(system, "match-proposed", idle_ms=1000)
                return any(
                    e["subject"] == seeker.user_id and e["data"]["volunteer_subject"] == volunteer.user_id
                    for e in events
                )

            await eventually(matched, timeout=30, interval=1)
        yield system, seeker
    finally:
        system.stop()


async def test_after_every_journey_and_an_erasure_no_document_is_about_nobody(
    journeys: tuple[System, Person],
) -> None:
    system, seeker = journeys
    status, report = orphans(system)
    assert (status, report["orphans"]) == (0, []), report  # before the erasure as well
    async with httpx.AsyncClient(base_url=system.url("gateway"), timeout=15) as client:
        assert (await client.delete("/v1/me", headers=seeker.auth)).status_code == 202
    await eventually(lambda: applied_erasure(system, seeker.user_id) == set(CONSUMERS), timeout=60, interval=0.5)

    status, report = orphans(system)
    assert (status, report["orphans"]) == (0, []), report
    assert report["unreadable"] == {}
    assert report["people"] >= 4  # the volunteer, the counsellor and the two guests are still there
    assert all(report["checked"][service] > 0 for service in ("profile", "diagnostic", "advice", "volunteers"))


async def test_documents_about_a_person_without_an_account_are_found(journeys: tuple[System, Person]) -> None:
    system, _ = journeys
    match = {"_id": "mt_planted", "subject": NOBODY, "volunteer": "erased", "status": "completed"}
    with planted(system, "advice", "people", {"_id": NOBODY}), planted(system, "volunteers", "matches", match):
        status, report = orphans(system)
        text = run_orphans(system)
    assert status == 1 and text.returncode == 1
    # The match's "erased" side stands for nobody: only its job seeker is an orphan.
    assert sorted(report["orphans"], key=lambda o: o["service"]) == [
        {"service": "advice", "collection": "people", "document_id": NOBODY, "field": "_id", "person": NOBODY},
        {
            "service": "volunteers",
            "collection": "matches",
            "document_id": "mt_planted",
            "field": "subject",
            "person": NOBODY,
        },
    ]
    lines = text.stdout.splitlines()
    assert sorted(lines[:2]) == [
        f"advice.people  {NOBODY}  _id={NOBODY}",
        f"volunteers.matches  mt_planted  subject={NOBODY}",
    ]
    assert lines[2].startswith("2 orphans in 2 collections (")
    after = run_orphans(system)
    assert after.returncode == 0, after.stdout  # the planted documents are gone again
    assert after.stdout.splitlines()[-1].startswith("no orphan (")
