"""Orphans: documents about a person without an account are found, and nothing else is.

Also: the personal-data registries the command reads name exactly the collections each
service's erasure empties, so an orphan cannot hide in a collection a registry forgot.
"""

from __future__ import annotations

from typing import Any, cast

import pytest

from deploy.ops.orphans import ORPHANS, SERVICES, Orphan, Report, find_orphans
from services.advice.repository import PERSONAL_DATA as ADVICE
from services.diagnostic.repository import PERSONAL_DATA as DIAGNOSTIC
from services.notifications.repository import PERSONAL_DATA as NOTIFICATIONS
from services.partners.repository import PERSONAL_DATA as PARTNERS
from services.profile.privacy import PERSONAL_DATA as PROFILE
from shared.envelope import utc_now
from shared.personal_data import PersonalCollection, erase_person, is_person_id
from shared.store import Collection, Filter, Transaction
from shared.store.sqlite import SqliteStore
from shared.unit_of_work import UnitOfWork

ALIVE = "u_00000000000000a1"
GONE = "u_00000000000000b2"
MATCHES = PersonalCollection("matches", ("subject", "volunteer"), "who helps whom", "until erasure")
PEOPLE = PersonalCollection("people", ("_id",), "facts", "until erasure")


def test_a_document_naming_a_person_without_an_account_is_an_orphan() -> None:
    documents = {
        ("advice", "people"): [{"_id": ALIVE}, {"_id": GONE}],
        ("volunteers", "matches"): [
            {"_id": "mt_1", "subject": ALIVE, "volunteer": GONE},
            {"_id": "mt_2", "subject": GONE, "volunteer": GONE},
        ],
    }
    found = find_orphans(documents, {"advice": [PEOPLE], "volunteers": [MATCHES]}, {ALIVE})
    assert found == [
        Orphan("advice", "people", GONE, "_id", GONE),
        Orphan("volunteers", "matches", "mt_1", "volunteer", GONE),
        Orphan("volunteers", "matches", "mt_2", "subject", GONE),
        Orphan("volunteers", "matches", "mt_2", "volunteer", GONE),
    ]


@pytest.mark.parametrize("value", ["erased", "erased-counsellor", None, 42, "", "u_123", "U_00000000000000B2"])
def test_what_is_not_a_person_id_stands_for_nobody(value: Any) -> None:
    # A completed match keeps "erased" in place of the erased side; a counsellor's ledger entry "erased-counsellor".
    assert not is_person_id(value)
    documents = {("volunteers", "matches"): [{"_id": "mt_1", "subject": ALIVE, "volunteer": value}]}
    assert find_orphans(documents, {"volunteers": [MATCHES]}, {ALIVE}) == []


def test_documents_of_collections_outside_the_registries_are_not_read() -> None:
    documents = {("volunteers", "outbox"): [{"_id": "e1", "key": GONE}], ("advice", "people"): [{"_id": GONE}]}
    assert find_orphans(documents, {"volunteers": [MATCHES]}, set()) == []


def test_the_report_lists_each_orphan_then_a_summary_and_fails_when_there_is_one() -> None:
    orphan = Orphan("diagnostic", "diagnoses", f"{GONE}:p1", "subject", GONE)
    report = Report(orphans=[orphan], checked={"diagnostic": 3, "advice": 5}, people=2)
    assert report.render().splitlines() == [
        f"diagnostic.diagnoses  {GONE}:p1  subject={GONE}",
        "1 orphans in 1 collections (8 documents about people in 2 stores, 2 accounts)",
    ]
    assert report.exit_status() == ORPHANS
    assert report.as_json()["orphans"] == [
        {
            "service": "diagnostic",
            "collection": "diagnoses",
            "document_id": f"{GONE}:p1",
            "field": "subject",
            "person": GONE,
        }
    ]
    clean = Report(checked={"advice": 5}, people=2)
    assert clean.exit_status() == 0 and clean.render() == "no orphan (5 documents about people in 1 stores, 2 accounts)"
    incomplete = Report(checked={"advice": 5}, unreadable={"profile": "no store file var/stores/profile.sqlite3"})
    assert incomplete.exit_status() == 2
    assert "incomplete" in incomplete.render()


def test_every_service_with_a_store_has_a_registry() -> None:
    assert set(SERVICES) == {"profile", "diagnostic", "advice", "notifications", "volunteers", "partners"}
    assert all(registry for _, registry in SERVICES.values())


def _naming(entry: PersonalCollection, subject: str) -> dict[str, Any]:
    """Return a document of the collection that names the subject in every key of the registry."""
    doc: dict[str, Any] = {"_id": subject if "_id" in entry.keys else f"{subject}:doc"}
    doc.update({key: subject for key in entry.keys if key != "_id"})
    if entry.collection == "survey_answers":
        doc.update(kind="nps", answers={"score": 9}, main_challenge="none")
    return doc


class _Deletions:
    """A collection that records the name of the collections deleted from."""

    def __init__(self, inner: Collection, deleted: set[str]) -> None:
        self._inner = inner
        self._deleted = deleted

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    async def delete(self, where: Filter) -> int:
        self._deleted.add(self._inner.name)
        return await self._inner.delete(where)


class _RecordingUnitOfWork(UnitOfWork):
    def __init__(self, tx: Transaction) -> None:
        super().__init__(tx, utc_now())
        self.deleted: set[str] = set()

    def collection(self, name: str) -> Collection:
        return cast(Collection, _Deletions(super().collection(name), self.deleted))


@pytest.mark.parametrize(
    "registry",
    [DIAGNOSTIC, ADVICE, NOTIFICATIONS, PARTNERS, PROFILE],
    ids=["diagnostic", "advice", "notifications", "partners", "profile"],
)
async def test_a_registry_names_exactly_the_collections_its_service_erases(
    registry: tuple[PersonalCollection, ...],
) -> None:
    """The erasure (the registry and its steps) empties every registry collection of the person, no other.

    The volunteers' erasure keeps completed matches without the erased side: tests/unit/volunteers covers it.
    """
    store = SqliteStore(":memory:")
    try:
        for entry in registry:
            await store.collection(entry.collection).insert(_naming(entry, GONE))
            await store.collection(entry.collection).insert(_naming(entry, ALIVE))
        async with store.transaction() as tx:
            recording = _RecordingUnitOfWork(tx)
            await erase_person(recording, registry, GONE)
        assert recording.deleted == {entry.collection for entry in registry}
        for entry in registry:
            left = [doc["_id"] for doc in await store.collection(entry.collection).find()]
            assert left == [_naming(entry, ALIVE)["_id"]], f"{entry.collection}: the erasure left {left}"
    finally:
        await store.close()
