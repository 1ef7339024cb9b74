"""The embedded store: one SQLite file per service, documents as JSON.

Each collection is a table ``(id TEXT PRIMARY KEY, doc TEXT)``; filters and
indexes use ``json_extract`` on the document. Calls run on the event loop's
thread: a local SQLite statement takes microseconds, far less than a hop to a
worker thread, and an asyncio lock keeps one coroutine's transaction from
interleaving with another's on the shared connection.

No statement here uses ``INSERT OR REPLACE``: SQLite settles a clash on *any*
unique index of such a statement by deleting the other row. ``put`` is an upsert
on the id alone (``ON CONFLICT(id) DO UPDATE``), so a clash on another unique
index raises ``DuplicateKeyError`` and deletes nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import sqlite3
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import orjson

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

log = logging.getLogger(__name__)

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
_PATH = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$")
_UNAVAILABLE_HINTS = ("locked", "disk", "full", "unable to open", "readonly", "i/o")
_CLASHING_INDEX = re.compile(r"index '([^']+)'")
# The index that enforces a unique Index the way MongoDB does is named after it, with this suffix.
_UNIQUE_SUFFIX = "__unique"


def _table(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"invalid collection name {name!r}")
    return f'"{name}"'


def _expr(path: str) -> str:
    if path == "_id":
        return "id"
    if not _PATH.match(path):
        raise ValueError(f"invalid field path {path!r}")
    return f"json_extract(doc, '$.{path}')"


def _json_path(path: str) -> str:
    if path == "_id" or not _PATH.match(path):
        raise ValueError(f"field path {path!r} cannot be updated")
    return f"$.{path}"


def _param(value: Any) -> Any:
    if isinstance(value, (dict, list, tuple)):
        raise ValueError("equality on sub-documents or arrays is not supported")
    return value


def _where(where: Filter | None) -> tuple[str, list[Any]]:
    if not where:
        return "1", []
    check_filter(where)
    clauses: list[str] = []
    params: list[Any] = []
    for path, condition in where.items():
        expr = _expr(path)
        if isinstance(condition, Mapping) and any(k.startswith("$") for k in condition):
            for op, value in condition.items():
                if op == "$in":
                    values = [_param(v) for v in value]
                    if not values:
                        clauses.append("0")
                        continue
                    has_null = any(v is None for v in values)
                    values = [v for v in values if v is not None]
                    parts = []
                    if values:
                        parts.append(f"{expr} IN ({','.join('?' * len(values))})")
                        params.extend(values)
                    if has_null:
                        parts.append(f"{expr} IS NULL")
                    clauses.append("(" + " OR ".join(parts) + ")")
                elif op == "$exists":
                    type_expr = "id" if path == "_id" else f"json_type(doc, '$.{path}')"
                    clauses.append(f"{type_expr} IS {'NOT ' if value else ''}NULL")
                elif op == "$ne":
                    if value is None:
                        clauses.append(f"{expr} IS NOT NULL")
                    else:
                        clauses.append(f"({expr} IS NULL OR {expr} != ?)")
                        params.append(_param(value))
                else:
                    sql_op = {"$lt": "<", "$lte": "<=", "$gt": ">", "$gte": ">="}[op]
                    clauses.append(f"{expr} {sql_op} ?")
                    params.append(_param(value))
        elif condition is None:
            clauses.append(f"{expr} IS NULL")
        else:
            clauses.append(f"{expr} = ?")
            params.append(_param(condition))
    return " AND ".join(clauses), params


def _order(sort: Sort | None) -> str:
    if not sort:
        return ""
    return " ORDER BY " + ", ".join(f"{_expr(p)} {'ASC' if d >= 0 else 'DESC'}" for p, d in sort)


def _dump(doc: Document) -> tuple[str, str]:
    doc_id = doc.get("_id")
    if not isinstance(doc_id, str) or not doc_id:
        raise ValueError("documents need a non-empty string _id")
    body = {k: v for k, v in doc.items() if k != "_id"}
    return doc_id, orjson.dumps(body).decode()


def _load(doc_id: str, body: str) -> Document:
    doc: Document = {"_id": doc_id}
    doc.update(orjson.loads(body))
    return doc


def _translate(
    error: sqlite3.Error, collection: str | None = None, indexes: Mapping[str, Index] | None = None
) -> Exception:
    if isinstance(error, sqlite3.IntegrityError):
        return _conflict(error, collection, indexes or {})
    message = str(error).lower()
    if isinstance(error, sqlite3.OperationalError) and any(h in message for h in _UNAVAILABLE_HINTS):
        return StoreUnavailableError(str(error))
    return error


def _conflict(error: sqlite3.IntegrityError, collection: str | None, indexes: Mapping[str, Index]) -> DuplicateKeyError:
    """Return the port's conflict, naming the index SQLite names ("index 'x'", or "table.id" for the id)."""
    message = str(error)
    if message.endswith(".id"):
        return DuplicateKeyError(collection=collection, index=ID_INDEX, fields=("_id",))
    found = _CLASHING_INDEX.search(message)
    if found is None:
        return DuplicateKeyError(collection=collection)
    name = found.group(1).removesuffix(_UNIQUE_SUFFIX)
    index = indexes.get(name)
    return DuplicateKeyError(collection=collection, index=name, fields=index.fields if index else None)


def _unique_key_sql(index: Index) -> str:
    """Return the statement creating the index that enforces a unique Index with MongoDB's rules.

    SQLite holds NULLs distinct in a unique index, MongoDB holds a missing field and null as one
    key: the key maps NULL to a value no JSON field can have (a blob). A sparse index leaves out
    the documents that have none of its fields (``json_type`` is NULL only for a missing field).
    """
    key = ", ".join(f"ifnull({_expr(f)}, x'')" for f in index.fields)
    where = " OR ".join(f"json_type(doc, '$.{f}') IS NOT NULL" for f in index.fields if _expr(f) != "id")
    partial = f" WHERE {where}" if index.sparse and where else ""
    return (
        f'CREATE UNIQUE INDEX IF NOT EXISTS "{index.index_name}{_UNIQUE_SUFFIX}" '
        f"ON {_table(index.collection)} ({key}){partial}"
    )


class SqliteCollection:
    def __init__(self, store: SqliteStore, name: str, *, in_transaction: bool) -> None:
        self.name = name
        self._store = store
        self._table = _table(name)
        self._in_transaction = in_transaction

    @asynccontextmanager
    async def _cursor(self) -> AsyncIterator[sqlite3.Connection]:
        if self._in_transaction:
            try:
                self._store.create_table(self.name)
                yield self._store.connection
            except sqlite3.Error as error:
                raise _translate(error) from error
            return
        async with self._store.lock:
            try:
                self._store.create_table(self.name)
                yield self._store.connection
            except sqlite3.Error as error:
                raise _translate(error) from error

    async def get(self, doc_id: str) -> Document | None:
        async with self._cursor() as db:
            row = db.execute(f"SELECT id, doc FROM {self._table} WHERE id = ?", (doc_id,)).fetchone()
        return _load(*row) if row else None

    async def find(
        self,
        where: Filter | None = None,
        *,
        sort: Sort | None = None,
        limit: int | None = None,
        skip: int = 0,
    ) -> list[Document]:
        clause, params = _where(where)
        sql = f"SELECT id, doc FROM {self._table} WHERE {clause}{_order(sort)}"
        if limit is not None or skip:
            sql += " LIMIT ? OFFSET ?"
            params += [-1 if limit is None else limit, skip]
        async with self._cursor() as db:
            rows = db.execute(sql, params).fetchall()
        return [_load(i, d) for i, d in rows]

    async def iterate(self, where: Filter | None = None, *, batch_size: int = 1000) -> AsyncIterator[Document]:
        clause, params = _where(where)
        last = ""
        while True:
            async with self._cursor() as db:
                rows = db.execute(
                    f"SELECT id, doc FROM {self._table} WHERE {clause} AND id > ? ORDER BY id LIMIT ?",
                    [*params, last, batch_size],
                ).fetchall()
            for doc_id, body in rows:
                yield _load(doc_id, body)
            if len(rows) < batch_size:
                return
            last = rows[-1][0]

    async def count(self, where: Filter | None = None) -> int:
        clause, params = _where(where)
        async with self._cursor() as db:
            (n,) = db.execute(f"SELECT COUNT(*) FROM {self._table} WHERE {clause}", params).fetchone()
        return int(n)

    async def insert(self, doc: Document) -> None:
        await self.insert_many([doc])

    async def insert_many(self, docs: Sequence[Document]) -> None:
        rows = [_dump(d) for d in docs]
        async with self._cursor() as db:
            self._store.write(db, f"INSERT INTO {self._table} (id, doc) VALUES (?, ?)", rows, self.name)

    async def put(self, doc: Document) -> None:
        await self.put_many([doc])

    async def put_many(self, docs: Sequence[Document]) -> None:
        rows = [_dump(d) for d in docs]
        # An upsert on the id only: a clash on another unique index raises instead of deleting the other row.
        sql = f"INSERT INTO {self._table} (id, doc) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET doc = excluded.doc"
        async with self._cursor() as db:
            self._store.write(db, sql, rows, self.name)

    async def update(
        self,
        where: Filter,
        *,
        set: Mapping[str, Any] | None = None,
        inc: Mapping[str, int | float] | None = None,
        unset: Iterable[str] = (),
    ) -> int:
        expr = "doc"
        params: list[Any] = []
        removed = [_json_path(p) for p in unset]
        if removed:
            expr = f"json_remove({expr}, {', '.join('?' * len(removed))})"
            params += removed
        pairs: list[str] = []
        for path, value in (set or {}).items():
            pairs.append("?, json(?)")
            params += [_json_path(path), orjson.dumps(value).decode()]
        for path, amount in (inc or {}).items():
            pairs.append(f"?, coalesce({_expr(path)}, 0) + ?")
            params += [_json_path(path), amount]
        if pairs:
            expr = f"json_set({expr}, {', '.join(pairs)})"
        clause, where_params = _where(where)
        async with self._cursor() as db:
            cursor = self._store.write(
                db, f"UPDATE {self._table} SET doc = {expr} WHERE {clause}", [params + where_params], self.name
            )
        return int(cursor.rowcount)

    async def delete(self, where: Filter) -> int:
        clause, params = _where(where)
        async with self._cursor() as db:
            cursor = self._store.write(db, f"DELETE FROM {self._table} WHERE {clause}", [params], self.name)
        return int(cursor.rowcount)


class SqliteTransaction:
    def __init__(self, store: SqliteStore) -> None:
        self._store = store

    def collection(self, name: str) -> SqliteCollection:
        return SqliteCollection(self._store, name, in_transaction=True)


BUSY_TIMEOUT_MS = 250
# A checkpoint cannot empty the log while another connection reads an older snapshot: retry, briefly.
SCRUB_ATTEMPTS = 6
SCRUB_FIRST_WAIT_S = 0.05


class SqliteStore:
    """A service's embedded store in one SQLite file (WAL mode: readers never wait on the writer)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.connection = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        # NORMAL keeps every commit across a process crash (kill -9); only an
        # operating-system crash may lose the last transactions, as documented by SQLite.
        # The busy timeout is short because SQLite waits for a lock inside the call, on the event loop:
        # a file held by another process (a re-diagnosis, a backup) then shows as a store fault within
        # 250 ms, which the callers retry with backoff while health checks and requests still answer.
        # secure_delete: what is deleted is overwritten with zeros, in the page and in freed pages, so an
        # erased person's data does not stay readable in the file (the log is emptied by scrub_deleted).
        for pragma in (
            "journal_mode=WAL",
            "synchronous=NORMAL",
            f"busy_timeout={BUSY_TIMEOUT_MS}",
            "temp_store=MEMORY",
            "secure_delete=ON",
        ):
            self.connection.execute(f"PRAGMA {pragma}")
        self.lock = asyncio.Lock()
        self._tables: set[str] = set()
        self.indexes: dict[str, Index] = {}

    def create_table(self, name: str) -> None:
        if name not in self._tables:
            self.connection.execute(
                f"CREATE TABLE IF NOT EXISTS {_table(name)} (id TEXT PRIMARY KEY, doc TEXT NOT NULL)"
            )
            self._tables.add(name)

    def write(self, db: sqlite3.Connection, sql: str, rows: Sequence[Sequence[Any]], collection: str) -> sqlite3.Cursor:
        """Run one statement per row, all or none (a statement alone is atomic; several share a savepoint)."""
        try:
            if len(rows) == 1:
                return db.execute(sql, rows[0])
            # Outside a transaction the savepoint is the transaction; inside one, a failure undoes only this call.
            db.execute("SAVEPOINT write_many")
            try:
                cursor = db.executemany(sql, rows)
            except BaseException:
                # SQLite may have rolled the whole transaction back already (a full disk): nothing left to undo.
                with contextlib.suppress(sqlite3.Error):
                    db.execute("ROLLBACK TO write_many")
                    db.execute("RELEASE write_many")
                raise
            db.execute("RELEASE write_many")
            return cursor
        except sqlite3.Error as error:
            raise _translate(error, collection, self.indexes) from error

    def collection(self, name: str) -> SqliteCollection:
        return SqliteCollection(self, name, in_transaction=False)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqliteTransaction]:
        async with self.lock:
            try:
                self.connection.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as error:
                raise _translate(error) from error
            try:
                yield SqliteTransaction(self)
            except BaseException as error:
                self._roll_back()
                if isinstance(error, sqlite3.Error):
                    # A full disk or a locked file inside the transaction is a store fault, not the event's.
                    raise _translate(error) from error
                raise
            try:
                self.connection.execute("COMMIT")
            except sqlite3.Error as error:
                self._roll_back()
                raise _translate(error) from error

    def _roll_back(self) -> None:
        # SQLite may already have rolled back by itself (e.g. on a full disk): nothing left to undo then.
        with contextlib.suppress(sqlite3.Error):
            self.connection.execute("ROLLBACK")
        # Tables created inside the transaction are gone with it.
        self._tables.clear()

    async def ensure_indexes(self, indexes: Iterable[Index]) -> None:
        async with self.lock:
            for index in indexes:
                self.create_table(index.collection)
                columns = ", ".join(_expr(f) for f in index.fields)
                # The plain index serves queries (``json_extract(...) = ?``); a unique Index also gets the
                # index that enforces it (see _unique_key_sql). Files made before kept their plain index
                # unique: it refuses nothing the other one accepts.
                self.connection.execute(
                    f'CREATE INDEX IF NOT EXISTS "{index.index_name}" ON {_table(index.collection)} ({columns})'
                )
                if index.unique:
                    self.connection.execute(_unique_key_sql(index))
                    self.indexes[index.index_name] = index

    async def collection_names(self) -> list[str]:
        async with self.lock:
            rows = self.connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != '_health'"
            ).fetchall()
        return sorted(name for (name,) in rows)

    async def ping(self) -> None:
        async with self.lock:
            try:
                self.connection.execute("CREATE TABLE IF NOT EXISTS _health (id INTEGER PRIMARY KEY, at TEXT)")
                self.connection.execute(
                    "INSERT INTO _health VALUES (1, datetime('now')) ON CONFLICT(id) DO UPDATE SET at = excluded.at"
                )
            except sqlite3.Error as error:
                raise _translate(error) from error

    async def scrub_deleted(self) -> bool:
        """Copy the write-ahead log into the database file and empty it; return False if readers kept it busy.

        With ``secure_delete`` the database file holds zeros where deleted documents were, but the
        log still holds the pages as they were before: the truncating checkpoint removes them. A
        reader of an older snapshot (another process) blocks it: retried a few times, briefly.
        """
        wait = SCRUB_FIRST_WAIT_S
        for attempt in range(1, SCRUB_ATTEMPTS + 1):
            async with self.lock:
                try:
                    busy, frames, _ = self.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                except sqlite3.Error as error:
                    raise _translate(error) from error
            # An emptied log has no frames (0); a database not in WAL mode (":memory:") has no log (-1).
            if busy == 0 and frames <= 0:
                return True
            if attempt < SCRUB_ATTEMPTS:
                await asyncio.sleep(wait)
                wait *= 2
        log.warning("store log not emptied after %d attempts: readers kept it busy", SCRUB_ATTEMPTS)
        return False

    async def close(self) -> None:
        async with self.lock:
            self.connection.close()
