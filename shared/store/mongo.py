"""The production store: MongoDB through PyMongo's native async API.

Each service has its own database. Transactions need a replica set (the
deployment in ``deploy/`` runs one); the documents and filters are the same
JSON-compatible subset the SQLite adapter implements.

A write touches only what it names: ``put`` is ``replace_one`` filtered on the
id, and a clash on a unique index (E11000) is raised as ``DuplicateKeyError``.
MongoDB applies a multi-document write one document at a time and keeps what it
wrote before a clash; outside a transaction, such a write runs in a transaction
of its own, so that it is all or nothing as the port says.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from pymongo import ASCENDING, DESCENDING, AsyncMongoClient, ReplaceOne
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import (
    AutoReconnect,
    BulkWriteError,
    ConnectionFailure,
    PyMongoError,
    ServerSelectionTimeoutError,
)
from pymongo.errors import DuplicateKeyError as MongoDuplicateKeyError

from shared.store.port import (
    ID_INDEX,
    Document,
    DuplicateKeyError,
    Filter,
    Index,
    Sort,
    StoreUnavailableError,
    check_filter,
)

_DUPLICATE_KEY = 11000
_CLASHING_INDEX = re.compile(r"index: (\S+) dup key")
T = TypeVar("T")


def _translate(error: PyMongoError, collection: str | None = None) -> Exception:
    if isinstance(error, MongoDuplicateKeyError):
        return _conflict(error.details or {}, collection)
    if isinstance(error, BulkWriteError):
        clash = next((e for e in error.details.get("writeErrors", []) if e.get("code") == _DUPLICATE_KEY), None)
        if clash is not None:
            return _conflict(clash, collection)
    if isinstance(error, (ConnectionFailure, ServerSelectionTimeoutError, AutoReconnect)):
        return StoreUnavailableError(str(error))
    return error


def _conflict(details: Mapping[str, Any], collection: str | None) -> DuplicateKeyError:
    """Return the port's conflict from an E11000 error: the index and its fields, never the values.

    MongoDB's message and ``keyValue`` hold the clashing value (an email address): they are left out.
    """
    found = _CLASHING_INDEX.search(str(details.get("errmsg", "")))
    pattern = details.get("keyPattern")
    fields = tuple(pattern) if isinstance(pattern, Mapping) and pattern else None
    index = found.group(1) if found else (ID_INDEX if fields == ("_id",) else None)
    return DuplicateKeyError(collection=collection, index=index, fields=fields)


def _filter(where: Filter | None) -> dict[str, Any]:
    if not where:
        return {}
    check_filter(where)
    return dict(where)


def _sort(sort: Sort | None) -> list[tuple[str, int]] | None:
    return [(p, ASCENDING if d >= 0 else DESCENDING) for p, d in sort] if sort else None


class MongoCollection:
    def __init__(self, collection: AsyncCollection[Document], session: AsyncClientSession | None) -> None:
        self.name = collection.name
        self._c = collection
        self._s = session

    async def _all_or_nothing(self, write: Callable[[AsyncClientSession], Awaitable[T]]) -> T:
        """Run a multi-document write in the caller's transaction, or else in a transaction of its own."""
        if self._s is not None:
            return await write(self._s)
        async with self._c.database.client.start_session() as session:
            return await session.with_transaction(write)

    async def get(self, doc_id: str) -> Document | None:
        try:
            return await self._c.find_one({"_id": doc_id}, session=self._s)
        except PyMongoError as error:
            raise _translate(error, self.name) from error

    async def find(
        self,
        where: Filter | None = None,
        *,
        sort: Sort | None = None,
        limit: int | None = None,
        skip: int = 0,
    ) -> list[Document]:
        try:
            cursor = self._c.find(_filter(where), sort=_sort(sort), skip=skip, limit=limit or 0, session=self._s)
            return await cursor.to_list()
        except PyMongoError as error:
            raise _translate(error, self.name) from error

    async def iterate(self, where: Filter | None = None, *, batch_size: int = 1000) -> AsyncIterator[Document]:
        try:
            cursor = self._c.find(_filter(where), batch_size=batch_size, session=self._s)
            async for doc in cursor:
                yield doc
        except PyMongoError as error:
            raise _translate(error, self.name) from error

    async def count(self, where: Filter | None = None) -> int:
        try:
            return await self._c.count_documents(_filter(where), session=self._s)
        except PyMongoError as error:
            raise _translate(error, self.name) from error

    async def insert(self, doc: Document) -> None:
        _require_id(doc)
        try:
            await self._c.insert_one(dict(doc), session=self._s)
        except PyMongoError as error:
            raise _translate(error, self.name) from error

    async def insert_many(self, docs: Sequence[Document]) -> None:
        if not docs:
            return
        for doc in docs:
            _require_id(doc)
        if len(docs) == 1:
            await self.insert(docs[0])
            return

        async def write(session: AsyncClientSession) -> None:
            await self._c.insert_many([dict(d) for d in docs], ordered=True, session=session)

        try:
            await self._all_or_nothing(write)
        except PyMongoError as error:
            raise _translate(error, self.name) from error

    async def put(self, doc: Document) -> None:
        _require_id(doc)
        try:
            await self._c.replace_one({"_id": doc["_id"]}, doc, upsert=True, session=self._s)
        except PyMongoError as error:
            raise _translate(error, self.name) from error

    async def put_many(self, docs: Sequence[Document]) -> None:
        if not docs:
            return
        for doc in docs:
            _require_id(doc)
        if len(docs) == 1:
            await self.put(docs[0])
            return

        async def write(session: AsyncClientSession) -> None:
            await self._c.bulk_write(
                [ReplaceOne({"_id": d["_id"]}, d, upsert=True) for d in docs], ordered=True, session=session
            )

        try:
            await self._all_or_nothing(write)
        except PyMongoError as error:
            raise _translate(error, self.name) from error

    async def update(
        self,
        where: Filter,
        *,
        set: Mapping[str, Any] | None = None,
        inc: Mapping[str, int | float] | None = None,
        unset: Iterable[str] = (),
    ) -> int:
        change: dict[str, Any] = {}
        if set:
            change["$set"] = dict(set)
        if inc:
            change["$inc"] = dict(inc)
        removed = list(unset)
        if removed:
            change["$unset"] = dict.fromkeys(removed, "")
        if not change:
            return await self.count(where)
        query = _filter(where)

        async def write(session: AsyncClientSession | None) -> int:
            result = await self._c.update_many(query, change, session=session)
            return result.matched_count

        try:
            # One id matches one document at most: nothing can be half-written, no transaction needed.
            if self._s is None and isinstance(query.get("_id"), str):
                return await write(None)
            return await self._all_or_nothing(write)
        except PyMongoError as error:
            raise _translate(error, self.name) from error

    async def delete(self, where: Filter) -> int:
        try:
            result = await self._c.delete_many(_filter(where), session=self._s)
        except PyMongoError as error:
            raise _translate(error, self.name) from error
        return result.deleted_count


def _require_id(doc: Document) -> None:
    if not isinstance(doc.get("_id"), str) or not doc["_id"]:
        raise ValueError("documents need a non-empty string _id")


class MongoTransaction:
    def __init__(self, store: MongoStore, session: AsyncClientSession) -> None:
        self._store = store
        self._session = session

    def collection(self, name: str) -> MongoCollection:
        return MongoCollection(self._store.database[name], self._session)


class MongoStore:
    """A service's database on a MongoDB replica set."""

    def __init__(self, url: str, database: str) -> None:
        self.client: AsyncMongoClient[Document] = AsyncMongoClient(
            url, serverSelectionTimeoutMS=3000, connectTimeoutMS=3000
        )
        self.database = self.client[database]

    def collection(self, name: str) -> MongoCollection:
        return MongoCollection(self.database[name], None)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[MongoTransaction]:
        try:
            async with self.client.start_session() as session, await session.start_transaction():
                yield MongoTransaction(self, session)
        except PyMongoError as error:
            raise _translate(error) from error

    async def ensure_indexes(self, indexes: Iterable[Index]) -> None:
        try:
            for index in indexes:
                await self.database[index.collection].create_index(
                    [(f, ASCENDING) for f in index.fields],
                    unique=index.unique,
                    sparse=index.sparse,
                    name=index.index_name,
                )
        except PyMongoError as error:
            raise _translate(error) from error

    async def collection_names(self) -> list[str]:
        try:
            return sorted(await self.database.list_collection_names())
        except PyMongoError as error:
            raise _translate(error) from error

    async def ping(self) -> None:
        try:
            await self.database.command("ping")
        except PyMongoError as error:
            raise _translate(error) from error

    async def scrub_deleted(self) -> bool:
        """Return True at once: MongoDB's files are the database server's, not this adapter's to scrub.

        WiredTiger marks the blocks of a deleted document free and reuses them without zeroing
        them, and the oplog keeps each write for its window; neither is reachable through a
        driver. What keeps an erased person unreadable there is the operator's: encryption at rest
        (the data files, journal and backups), an oplog window and backup retention stated in the
        personal-data register, and ``compact`` on a collection after mass erasures to give its
        free blocks back (docs/RUNBOOK.md).
        """
        return True

    async def close(self) -> None:
        await self.client.close()
