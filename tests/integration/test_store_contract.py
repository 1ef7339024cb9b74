"""One contract for the store port, run against every adapter over its real protocol.

* sqlite: the embedded default (a file).
* mongo-wire: the MongoDB adapter over the real MongoDB wire protocol (a mongoeco server, SQLite storage).
* mongodb: the MongoDB adapter against a real MongoDB (testcontainers; needs a Docker engine).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from shared.store import DuplicateKeyError, Index, Store
from shared.store.mongo import MongoStore
from shared.store.sqlite import SqliteStore
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
