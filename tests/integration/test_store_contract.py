"""One contract for the store port, run against every adapter over its real protocol.

* sqlite: the embedded default (a file).
* mongo-wire: the MongoDB adapter over the real MongoDB wire protocol (a mongoeco server, SQLite storage).
* mongodb: the MongoDB adapter against a real MongoDB (testcontainers; needs a Docker engine).

Besides the examples, a property: random sequences of writes on documents whose unique
fields take few values, checked after every write against a plain model, for every unique
index a service declares and for a synthetic compound one. A write touches only what it
names; a clash on a unique value raises DuplicateKeyError and changes nothing.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import sqlite3
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.store import Collection, DuplicateKeyError, Index, Store
from shared.store.mongo import MongoStore
from shared.store.port import ID_INDEX
from shared.store.sqlite import SqliteStore
from tests.support.indexes import all_declared_indexes, unique_index_calls
from tests.support.mongo import start_mongoeco

pytestmark = pytest.mark.integration


@pytest.fixture(scope="session")
def mongoeco_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    try:
        process, uri = start_mongoeco(tmp_path_factory.mktemp("mongoeco") / "wire.sqlite3")
    except LookupError as error:
        pytest.skip(f"mongo-wire adapter tests skipped: {error}")
    yield uri
    process.terminate()
    process.wait(10)


@pytest.fixture(scope="session")
def mongodb_uri() -> Iterator[str]:
    try:
        from testcontainers.community.mongodb import MongoDbContainer

        container = MongoDbContainer("mongo:7")
    except Exception as error:  # docker.errors.DockerException when no engine answers
        pytest.skip(f"real MongoDB tests skipped: no Docker engine answers ({type(error).__name__})")
    # A single-node replica set, because transactions need one.
    container.with_command("--replSet rs0 --bind_ip_all")
    with container:
        client_uri = container.get_connection_url()
        import pymongo

        pymongo.MongoClient(client_uri, directConnection=True).admin.command("replSetInitiate")
        yield client_uri + "/?directConnection=true"


@pytest.fixture(params=["sqlite", "mongo-wire", "mongodb"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    adapter: Store
    if request.param == "sqlite":
        adapter = SqliteStore(tmp_path / "contract.sqlite3")
    else:
        uri = request.getfixturevalue("mongoeco_uri" if request.param == "mongo-wire" else "mongodb_uri")
        adapter = MongoStore(uri, "contract_" + uuid.uuid4().hex[:8])
    yield adapter
    await adapter.close()


PEOPLE: list[dict[str, Any]] = [
    {"_id": "a", "name": "Ada", "age": 36, "score": 2.5, "active": True, "city": {"dept": "69"}, "tags": ["x"]},
    {"_id": "b", "name": "Bob", "age": 58, "score": 1.0, "active": False, "city": {"dept": "75"}},
    {"_id": "c", "name": "Chloé", "age": 22, "active": True, "city": {"dept": "69"}, "note": None},
]


async def test_insert_get_and_duplicate_ids(store: Store) -> None:
    people = store.collection("people")
    await people.insert_many(PEOPLE)
    assert await people.get("a") == PEOPLE[0]
    assert await people.get("missing") is None
    with pytest.raises(DuplicateKeyError):
        await people.insert({"_id": "a"})


async def test_put_replaces_the_whole_document(store: Store) -> None:
    people = store.collection("people")
    await people.put({"_id": "a", "name": "Ada"})
    await people.put({"_id": "a", "age": 37})
    assert await people.get("a") == {"_id": "a", "age": 37}
    await people.put_many([{"_id": "a", "v": 1}, {"_id": "b", "v": 2}])
    assert await people.count() == 2


async def test_filters_sort_limit_and_skip(store: Store) -> None:
    people = store.collection("people")
    await people.insert_many(PEOPLE)

    async def ids(where: dict[str, Any], **kwargs: Any) -> list[str]:
        return [d["_id"] for d in await people.find(where, sort=[("_id", 1)], **kwargs)]

    assert await ids({"active": True}) == ["a", "c"]
    assert await ids({"city.dept": "69"}) == ["a", "c"]
    assert await ids({"age": {"$gte": 36}}) == ["a", "b"]
    assert await ids({"age": {"$gt": 22, "$lt": 58}}) == ["a"]
    assert await ids({"age": {"$lte": 22}}) == ["c"]
    assert await ids({"name": {"$in": ["Bob", "Chloé"]}}) == ["b", "c"]
    assert await ids({"name": {"$in": []}}) == []
    assert await ids({"name": {"$ne": "Bob"}}) == ["a", "c"]
    assert await ids({"score": {"$exists": False}}) == ["c"]
    assert await ids({"score": None}) == ["c"]
    assert await ids({"note": None}) == ["a", "b", "c"]
    assert await ids({"_id": {"$in": ["a", "b"]}}) == ["a", "b"]
    assert await ids({}, limit=2) == ["a", "b"]
    assert await ids({}, limit=2, skip=1) == ["b", "c"]
    by_age = await people.find(sort=[("age", -1)])
    assert [d["_id"] for d in by_age] == ["b", "a", "c"]
    assert await people.count({"active": True}) == 2


async def test_update_set_inc_unset(store: Store) -> None:
    people = store.collection("people")
    await people.insert_many(PEOPLE)
    assert await people.update({"_id": "a"}, set={"city.dept": "13", "status": "new"}, inc={"age": 1}) == 1
    assert await people.update({"_id": "b"}, unset=["score"], inc={"visits": 2}) == 1
    a, b = await people.get("a"), await people.get("b")
    assert a is not None and b is not None
    assert a["city"] == {"dept": "13"} and a["status"] == "new" and a["age"] == 37
    assert "score" not in b and b["visits"] == 2
    assert await people.update({"active": True}, set={"seen": True}) == 2
    assert await people.update({"_id": "missing"}, set={"x": 1}) == 0
    # A conditional update is the optimistic-concurrency primitive: it matches only the expected state.
    assert await people.update({"_id": "a", "age": 36}, set={"age": 99}) == 0


async def test_delete_and_iterate(store: Store) -> None:
    people = store.collection("people")
    await people.insert_many(PEOPLE)
    assert sorted([d["_id"] async for d in people.iterate(batch_size=2)]) == ["a", "b", "c"]
    assert await people.delete({"city.dept": "69"}) == 2
    assert [d["_id"] for d in await people.find()] == ["b"]


async def test_transaction_commits_together_or_not_at_all(store: Store) -> None:
    async with store.transaction() as tx:
        await tx.collection("people").insert({"_id": "a"})
        await tx.collection("outbox").insert({"_id": "e1", "seq": 1})
    with pytest.raises(RuntimeError):
        async with store.transaction() as tx:
            await tx.collection("people").insert({"_id": "b"})
            await tx.collection("outbox").insert({"_id": "e2", "seq": 2})
            raise RuntimeError("crash before commit")
    assert [d["_id"] for d in await store.collection("people").find()] == ["a"]
    assert [d["_id"] for d in await store.collection("outbox").find()] == ["e1"]


async def test_unique_index_refuses_duplicates(store: Store) -> None:
    await store.ensure_indexes(
        [Index("accounts", ("email",), unique=True, sparse=True), Index("accounts", ("role", "age"))]
    )
    accounts = store.collection("accounts")
    await accounts.insert({"_id": "1", "email": "a@example.org"})
    await accounts.insert_many([{"_id": "guest-1"}, {"_id": "guest-2"}])  # no email: allowed several times
    with pytest.raises(DuplicateKeyError):
        await accounts.insert({"_id": "2", "email": "a@example.org"})
    assert "accounts" in await store.collection_names()
    await store.ping()


# --- a write touches only what it names ----------------------------------------------------------


async def test_put_with_another_accounts_email_is_a_conflict_and_deletes_nothing(store: Store) -> None:
    """The bug of issue 17: SQLite's INSERT OR REPLACE settled the email clash by deleting the other account."""
    email = Index("accounts", ("email",), unique=True, sparse=True)
    await store.ensure_indexes([email])
    accounts = store.collection("accounts")
    first = {"_id": "u_1", "email": "first@example.org", "first_name": "Ada"}
    second = {"_id": "u_2", "email": "second@example.org", "first_name": "Bob"}
    await accounts.insert_many([first, second])
    third = {"_id": "u_3", "email": "third@example.org"}
    stolen = {**first, "email": second["email"]}
    writes: dict[str, Callable[[], Awaitable[Any]]] = {
        "put": lambda: accounts.put(stolen),
        "put_many": lambda: accounts.put_many([third, stolen]),  # all or nothing: u_3 is not written either
        "update": lambda: accounts.update({"_id": "u_1"}, set={"email": second["email"]}),
        "update_many": lambda: accounts.update({}, set={"email": second["email"]}),
    }
    for name, write in writes.items():
        with pytest.raises(DuplicateKeyError) as raised:
            await write()
        conflict = raised.value
        assert (conflict.collection, conflict.index, conflict.fields) == ("accounts", email.index_name, ("email",))
        assert "@example.org" not in str(conflict), name  # names the index, never the value (logs, DLQ headers)
        assert sorted(await accounts.find(), key=lambda d: d["_id"]) == [first, second], name


async def test_a_conflict_inside_a_transaction_rolls_the_transaction_back(store: Store) -> None:
    await store.ensure_indexes([Index("accounts", ("email",), unique=True, sparse=True)])
    await store.collection("accounts").insert({"_id": "u_1", "email": "first@example.org"})
    with pytest.raises(DuplicateKeyError) as raised:
        async with store.transaction() as tx:
            await tx.collection("profiles").insert({"_id": "u_2"})
            await tx.collection("accounts").put({"_id": "u_2", "email": "first@example.org"})
    assert raised.value.collection == "accounts"
    assert await store.collection("accounts").find() == [{"_id": "u_1", "email": "first@example.org"}]
    assert await store.collection("profiles").find() == []


async def test_a_sqlite_file_made_before_keeps_refusing_with_the_index_named(tmp_path: Path) -> None:
    """Files created with the plain unique index (before the MongoDB-rule index existed) still name the index."""
    path = tmp_path / "old.sqlite3"
    old = sqlite3.connect(path)
    old.execute('CREATE TABLE "accounts" (id TEXT PRIMARY KEY, doc TEXT NOT NULL)')
    old.execute("""CREATE UNIQUE INDEX "ix_accounts_email" ON "accounts" (json_extract(doc, '$.email'))""")
    old.execute("""INSERT INTO "accounts" VALUES ('u_1', '{"email": "a@example.org"}'), ('u_2', '{}')""")
    old.commit()
    old.close()
    store = SqliteStore(path)
    try:
        email = Index("accounts", ("email",), unique=True, sparse=True)
        await store.ensure_indexes([email])
        with pytest.raises(DuplicateKeyError) as raised:
            await store.collection("accounts").put({"_id": "u_2", "email": "a@example.org"})
        assert (raised.value.index, raised.value.fields) == (email.index_name, ("email",))
        assert await store.collection("accounts").get("u_1") == {"_id": "u_1", "email": "a@example.org"}
    finally:
        await store.close()


async def test_sqlite_scrub_leaves_no_byte_of_a_deleted_document_in_its_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = SqliteStore(tmp_path / "scrub.sqlite3")
    secret = "Théodule Marcassin, u_00000000feedbeef"

    def files_holding_it() -> list[str]:
        return [p.name for p in sorted(tmp_path.iterdir()) if secret.encode() in p.read_bytes()]

    try:
        people = store.collection("people")
        await people.insert_many([{"_id": "u_1", "note": secret}, {"_id": "u_2", "note": "kept"}])
        await store.scrub_deleted()
        assert files_holding_it() == ["scrub.sqlite3"]
        await people.delete({"_id": "u_1"})
        # The log has the page zeroed; the database file keeps the page as it was until a checkpoint.
        assert files_holding_it() == ["scrub.sqlite3"]
        # A reader of an older snapshot keeps the log from being emptied: the scrub says so.
        monkeypatch.setattr("shared.store.sqlite.SCRUB_FIRST_WAIT_S", 0.001)
        reader = sqlite3.connect(tmp_path / "scrub.sqlite3")
        reader.execute("BEGIN")
        reader.execute('SELECT count(*) FROM "people"').fetchone()
        await people.insert({"_id": "u_3"})
        assert await store.scrub_deleted() is False
        reader.rollback()
        reader.close()
        assert await store.scrub_deleted() is True
        assert files_holding_it() == []
        assert await people.find() == [{"_id": "u_2", "note": "kept"}, {"_id": "u_3"}]
    finally:
        await store.close()


# --- the property: every adapter behaves as a plain model, for every unique index declared ---------

# A compound unique index no service has yet, sparse and not: its missing fields count as null.
SYNTHETIC = (
    Index("synthetic", ("kind", "code"), unique=True),
    Index("synthetic_sparse", ("kind", "code"), unique=True, sparse=True),
)
IDS = ("a", "b", "c", "d")
VALUES = ("x", "y", None)  # two values and null, so that clashes are frequent; a field may also be left out
EXAMPLES = {"sqlite": 60, "mongo-wire": 15, "mongodb": 15}


def declared_unique_indexes() -> list[tuple[Index, ...]]:
    """Return, per collection with a unique index in some service, all the indexes declared on it."""
    declared = all_declared_indexes()
    collections = sorted({i.collection for i in declared if i.unique})
    return [tuple(i for i in declared if i.collection == name) for name in collections]


def test_every_unique_index_written_in_the_code_is_collected() -> None:
    """A unique index declared outside a repository's INDEXES would escape the property test below."""
    collected = [i for group in declared_unique_indexes() for i in group if i.unique]
    written = list(unique_index_calls())
    assert len(collected) == len(written), f"unique indexes written at {written}, collected {collected}"
    assert Index("accounts", ("email",), unique=True, sparse=True) in collected


class ClashError(Exception):
    """The model's conflict: the write changes nothing; ``indexes`` may each be the one an adapter names."""

    def __init__(self, indexes: set[str]) -> None:
        super().__init__(sorted(indexes))
        self.indexes = indexes


def _get(doc: dict[str, Any], path: str) -> tuple[bool, Any]:
    value: Any = doc
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return False, None
        value = value[part]
    return True, value


def _set(doc: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for part in parents:
        doc = doc.setdefault(part, {})
    doc[last] = value


@dataclass(frozen=True)
class Model:
    """What a collection with these unique indexes holds after each write, by MongoDB's rules."""

    unique: tuple[Index, ...]

    def clashes(self, docs: dict[str, dict[str, Any]], doc_id: str) -> set[str]:
        """Return the unique indexes on which the document ``doc_id`` has the key of another document."""
        found = set()
        for index in self.unique:
            keys = {}
            for other_id, other in docs.items():
                present = [_get(other, f) for f in index.fields]
                if index.sparse and not any(p for p, _ in present):
                    continue
                keys[other_id] = tuple(v for _, v in present)
            if doc_id in keys and any(k == keys[doc_id] for i, k in keys.items() if i != doc_id):
                found.add(index.index_name)
        return found

    def insert(self, docs: dict[str, dict[str, Any]], doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
        if doc["_id"] in docs:
            raise ClashError({ID_INDEX} | self.clashes({**docs, "\0new": doc}, "\0new"))
        return self.put(docs, doc)

    def put(self, docs: dict[str, dict[str, Any]], doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
        after = {**docs, doc["_id"]: copy.deepcopy(doc)}
        if clashing := self.clashes(after, doc["_id"]):
            raise ClashError(clashing)
        return after

    def update(
        self, docs: dict[str, dict[str, Any]], where: dict[str, Any], changes: dict[str, Any]
    ) -> dict[str, dict[str, Any]]:
        after = copy.deepcopy(docs)
        for doc in after.values():
            if self.matches(doc, where):
                for path, value in changes.items():
                    _set(doc, path, value)
        # A constant set: a clash met halfway through also stands at the end, so the end state decides.
        if clashing := set().union(*(self.clashes(after, i) for i in after)):
            raise ClashError(clashing)
        return after

    @staticmethod
    def matches(doc: dict[str, Any], where: dict[str, Any]) -> bool:
        return all(_get(doc, path)[1] == value for path, value in where.items())


@dataclass(frozen=True)
class Write:
    """One generated write; ``docs`` for insert/put (one) and their _many forms, ``where``/``changes`` else."""

    kind: str
    docs: tuple[dict[str, Any], ...] = ()
    where: dict[str, Any] = field(default_factory=dict)
    changes: dict[str, Any] = field(default_factory=dict)


def writes(fields: tuple[str, ...]) -> st.SearchStrategy[Write]:
    """Return writes of documents whose unique fields take few values (or are left out)."""
    values = st.sampled_from(VALUES)

    @st.composite
    def document(draw: st.DrawFn) -> dict[str, Any]:
        doc: dict[str, Any] = {"_id": draw(st.sampled_from(IDS))}
        for name, value in draw(st.dictionaries(st.sampled_from(fields), values)).items():
            _set(doc, name, value)
        if draw(st.booleans()):
            doc["note"] = draw(st.integers(0, 3))
        return doc

    where = st.one_of(
        st.builds(lambda i: {"_id": i}, st.sampled_from(IDS)),
        st.builds(lambda f, v: {f: v}, st.sampled_from(fields), values),
        st.just({}),
    )
    many = st.lists(document(), min_size=1, max_size=3).map(tuple)
    return st.one_of(
        st.builds(lambda d: Write("insert", (d,)), document()),
        st.builds(lambda ds: Write("insert_many", ds), many),
        st.builds(lambda d: Write("put", (d,)), document()),
        st.builds(lambda ds: Write("put_many", ds), many),
        st.builds(
            lambda w, c: Write("update", where=w, changes=c),
            where,
            st.dictionaries(st.sampled_from((*fields, "note")), values, min_size=1, max_size=2),
        ),
        st.builds(lambda w: Write("delete", where=w), where),
    )


def expected(model: Model, docs: dict[str, dict[str, Any]], write: Write) -> dict[str, dict[str, Any]]:
    """Return the collection after the write, or raise ClashError (then it must be unchanged)."""
    if write.kind in ("insert", "insert_many"):
        for doc in write.docs:
            docs = model.insert(docs, doc)  # all or nothing: a Clash on any leaves the original
        return docs
    if write.kind in ("put", "put_many"):
        for doc in write.docs:
            docs = model.put(docs, doc)
        return docs
    if write.kind == "update":
        return model.update(docs, write.where, write.changes)
    return {i: d for i, d in docs.items() if not model.matches(d, write.where)}


async def apply(collection: Collection, write: Write) -> None:
    if write.kind == "insert":
        await collection.insert(copy.deepcopy(write.docs[0]))
    elif write.kind == "insert_many":
        await collection.insert_many(copy.deepcopy(list(write.docs)))
    elif write.kind == "put":
        await collection.put(copy.deepcopy(write.docs[0]))
    elif write.kind == "put_many":
        await collection.put_many(copy.deepcopy(list(write.docs)))
    elif write.kind == "update":
        await collection.update(write.where, set=write.changes)
    else:
        await collection.delete(write.where)


@dataclass
class Adapter:
    name: str
    runner: asyncio.Runner
    store: Store
    collections: Iterator[int] = field(default_factory=itertools.count)


@pytest.fixture(params=["sqlite", "mongo-wire", "mongodb"])
def adapter(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Adapter]:
    """An adapter on its own event loop: hypothesis runs each example to completion on it."""
    if request.param != "sqlite":
        uri = request.getfixturevalue("mongoeco_uri" if request.param == "mongo-wire" else "mongodb_uri")
    with asyncio.Runner() as runner:

        async def open_store() -> Store:
            if request.param == "sqlite":
                return SqliteStore(tmp_path / "property.sqlite3")
            return MongoStore(uri, "property_" + uuid.uuid4().hex[:8])

        store = runner.run(open_store())
        yield Adapter(request.param, runner, store)
        runner.run(store.close())


@pytest.mark.parametrize(
    "indexes",
    [*declared_unique_indexes(), *((index,) for index in SYNTHETIC)],
    ids=lambda group: "+".join(i.index_name for i in group),
)
def test_writes_behave_as_the_model_and_never_touch_another_document(
    adapter: Adapter, indexes: tuple[Index, ...]
) -> None:
    """Random writes on clash-prone documents: after each, the collection is what the model says.

    A write that clashes raises DuplicateKeyError naming one of the clashing indexes and changes
    nothing (insert_many, put_many and a many-document update included); no write removes or
    changes a document it does not name.
    """
    unique_fields = tuple(dict.fromkeys(f for i in indexes if i.unique for f in i.fields))

    async def run(steps: list[Write]) -> None:
        name = f"p{next(adapter.collections)}"
        # The declared indexes, on a collection of this example's own.
        # Index names are per database in SQLite: each example's indexes get names of their own.
        mine = tuple(replace(i, collection=name, name=f"{i.name}_{name}" if i.name else "") for i in indexes)
        model = Model(tuple(i for i in mine if i.unique))
        await adapter.store.ensure_indexes(mine)
        collection = adapter.store.collection(name)
        docs: dict[str, dict[str, Any]] = {}
        for step, write in enumerate(steps):
            try:
                docs = expected(model, docs, write)
                clash = None
            except ClashError as refused:
                clash = refused
            if clash is None:
                await apply(collection, write)
            else:
                with pytest.raises(DuplicateKeyError) as raised:
                    await apply(collection, write)
                assert raised.value.collection == name, f"step {step}"
                assert raised.value.index in clash.indexes, f"step {step}: {raised.value} not in {clash.indexes}"
                names = {i.index_name: i.fields for i in model.unique} | {ID_INDEX: ("_id",)}
                assert raised.value.fields == names[raised.value.index]
            stored = {d["_id"]: d for d in await collection.find()}
            assert stored == docs, f"after step {step} ({write})"

    @settings(
        max_examples=EXAMPLES[adapter.name],
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(steps=st.lists(writes(unique_fields), min_size=1, max_size=8))
    def check(steps: list[Write]) -> None:
        adapter.runner.run(run(steps))

    check()
