"""Find orphans: documents about a person who no longer has an account.

    python -m deploy.ops.orphans                    every service store, opened as each service opens it
    python -m deploy.ops.orphans --var-dir DIR      the SQLite stores under another var/ (a test system's)
    python -m deploy.ops.orphans --json             one JSON document, for machines

A person exists while ``profile.accounts`` holds their account. Every other document about
them names them in a field its service declares in its personal-data registry
(``PERSONAL_DATA``: the registry that drives export and erasure); a document naming a person
id with no account is an orphan: an erasure that was not applied everywhere, or a write that
came after it. Values of those fields that are not person ids ("erased", "erased-counsellor")
stand for nobody. The documents are read as a stream; the people found without an account are
looked up again at the end, so that someone who signed up during the scan is not reported.
Someone erased during the scan may be, until every service applied the erasure: run it again.

Exit status: 0 when no orphan is found, 1 when some are, 2 when a store could not be read.
Nothing is written to any store.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from services.advice.repository import PERSONAL_DATA as ADVICE
from services.advice.settings import AdviceSettings
from services.diagnostic.repository import PERSONAL_DATA as DIAGNOSTIC
from services.diagnostic.settings import DiagnosticSettings
from services.notifications.repository import PERSONAL_DATA as NOTIFICATIONS
from services.notifications.settings import NotificationsSettings
from services.partners.repository import PERSONAL_DATA as PARTNERS
from services.partners.settings import PartnersSettings
from services.profile.privacy import PERSONAL_DATA as PROFILE
from services.profile.repository import ACCOUNTS
from services.profile.settings import ProfileSettings
from services.volunteers.privacy import PERSONAL_DATA as VOLUNTEERS
from services.volunteers.settings import VolunteersSettings
from shared.personal_data import PersonalCollection, is_person_id
from shared.settings import ServiceSettings
from shared.store import Document, Filter, Store, StoreError, open_store

# Every service with a store, its settings (where its store is) and its personal-data registry.
SERVICES: Mapping[str, tuple[type[ServiceSettings], Sequence[PersonalCollection]]] = {
    "profile": (ProfileSettings, PROFILE),
    "diagnostic": (DiagnosticSettings, DIAGNOSTIC),
    "advice": (AdviceSettings, ADVICE),
    "notifications": (NotificationsSettings, NOTIFICATIONS),
    "volunteers": (VolunteersSettings, VOLUNTEERS),
    "partners": (PartnersSettings, PARTNERS),
}
ORPHANS, UNREADABLE = 1, 2


@dataclass(frozen=True)
class Orphan:
    """A document that names, in ``field``, a person without an account."""

    service: str
    collection: str
    document_id: str
    field: str
    person: str

    def __str__(self) -> str:
        return f"{self.service}.{self.collection}  {self.document_id}  {self.field}={self.person}"


@dataclass
class Report:
    """What a scan found: the orphans, and how many documents each service had about people."""

    orphans: list[Orphan] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)
    people: int = 0
    unreadable: dict[str, str] = field(default_factory=dict)  # service -> why its store could not be read

    def exit_status(self) -> int:
        """Return 2 when a store could not be read, else 1 when orphans exist, else 0."""
        return UNREADABLE if self.unreadable else ORPHANS if self.orphans else 0

    def render(self) -> str:
        """Return one line per orphan, then a summary line."""
        lines = [str(orphan) for orphan in self.orphans]
        lines += [f"could not read {service}: {why}" for service, why in sorted(self.unreadable.items())]
        documents = sum(self.checked.values())
        scope = f"{documents} documents about people in {len(self.checked)} stores, {self.people} accounts"
        if self.orphans:
            collections = len({(o.service, o.collection) for o in self.orphans})
            lines.append(f"{len(self.orphans)} orphans in {collections} collections ({scope})")
        elif self.unreadable:
            lines.append(f"no orphan found, but the scan is incomplete ({scope})")
        else:
            lines.append(f"no orphan ({scope})")
        return "\n".join(lines)

    def as_json(self) -> dict[str, Any]:
        """Return the report as a JSON-compatible document."""
        return {
            "orphans": [asdict(orphan) for orphan in self.orphans],
            "checked": self.checked,
            "people": self.people,
            "unreadable": self.unreadable,
        }


def _value(doc: Document, path: str) -> Any:
    value: Any = doc
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def orphans_in(service: str, entry: PersonalCollection, doc: Document, people: Container[str]) -> Iterator[Orphan]:
    """Yield an orphan for each person field of the document that names someone not in ``people``."""
    for key in entry.keys:
        value = _value(doc, key)
        if is_person_id(value) and value not in people:
            yield Orphan(service, entry.collection, str(doc["_id"]), key, value)


def find_orphans(
    documents: Mapping[tuple[str, str], Iterable[Document]],
    registries: Mapping[str, Sequence[PersonalCollection]],
    people: Container[str],
) -> list[Orphan]:
    """Return every orphan among the documents, given by (service, collection), of the registries' collections."""
    return [
        orphan
        for service, registry in registries.items()
        for entry in registry
        for doc in documents.get((service, entry.collection), ())
        for orphan in orphans_in(service, entry, doc, people)
    ]


def settings_for(service: str, var_dir: Path | None = None) -> ServiceSettings:
    """Return a service's settings from the environment, as the service reads them (``var_dir`` overrides VAR_DIR)."""
    settings_class, _ = SERVICES[service]
    overrides: dict[str, Any] = {"VAR_DIR": str(var_dir)} if var_dir is not None else {}
    return settings_class(**overrides)


def _missing(settings: ServiceSettings) -> str | None:
    """Return why the service's store cannot be read without creating it (an absent SQLite file), or None."""
    url = settings.resolved_store_url
    path = Path(url.removeprefix("sqlite:///"))
    return f"no store file {path}" if url.startswith("sqlite:///") and not path.exists() else None


async def _documents(store: Store, name: str, where: Filter | None = None) -> list[Document]:
    # A collection that was never written is absent: reading it through the adapter would create it.
    return await store.collection(name).find(where) if name in await store.collection_names() else []


async def _scan_store(service: str, store: Store, people: Container[str], report: Report) -> None:
    """Add to the report the orphans of one service's registry collections, reading them as a stream."""
    _, registry = SERVICES[service]
    present = set(await store.collection_names())  # as in _documents: never create a collection
    checked = 0
    for entry in registry:
        if entry.collection in present:
            async for doc in store.collection(entry.collection).iterate():
                checked += 1
                report.orphans.extend(orphans_in(service, entry, doc, people))
    report.checked[service] = checked


async def scan(var_dir: Path | None = None) -> Report:
    """Read the accounts, then every service's documents about people; return the orphans found."""
    report = Report()
    profile = settings_for("profile", var_dir)
    if missing := _missing(profile):
        report.unreadable["profile"] = missing
        return report  # without the accounts nobody can be told apart from an orphan
    accounts = open_store(profile.resolved_store_url, profile.store_database)
    try:
        has_accounts = ACCOUNTS in await accounts.collection_names()
        people = {doc["_id"] async for doc in accounts.collection(ACCOUNTS).iterate()} if has_accounts else set()
        report.people = len(people)
        for service in SERVICES:
            settings = settings_for(service, var_dir)
            if missing := _missing(settings):
                report.unreadable[service] = missing
                continue
            store = (
                accounts if service == "profile" else open_store(settings.resolved_store_url, settings.store_database)
            )
            try:
                await _scan_store(service, store, people, report)
            except StoreError as error:
                report.unreadable[service] = f"{type(error).__name__}: {str(error)[:200]}"
            finally:
                if store is not accounts:
                    await store.close()
        # Someone who signed up during the scan is no orphan: ask again about those found.
        suspects = sorted({orphan.person for orphan in report.orphans})
        arrived = {doc["_id"] for doc in await _documents(accounts, ACCOUNTS, {"_id": {"$in": suspects}})}
        report.orphans = [orphan for orphan in report.orphans if orphan.person not in arrived]
    except StoreError as error:
        report.unreadable["profile"] = f"{type(error).__name__}: {str(error)[:200]}"
    finally:
        await accounts.close()
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--var-dir", type=Path, help="the var/ directory of the SQLite stores (default: VAR_DIR)")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args(argv)
    report = asyncio.run(scan(args.var_dir))
    print(json.dumps(report.as_json(), indent=2) if args.json else report.render())
    return report.exit_status()


if __name__ == "__main__":
    sys.exit(main())
