"""The store port: a small document-store interface every service's repository uses.

Two adapters implement it: SQLite (the embedded default, one file per service)
and MongoDB (production, PyMongo's async API). Documents are JSON-compatible
dicts with a string ``_id``; dates are ISO 8601 strings in UTC so that both
adapters compare and sort them the same way.

Filters are a small subset of MongoDB's: ``{"field": value}`` for equality and
``{"field": {"$lt"|"$lte"|"$gt"|"$gte"|"$ne"|"$in"|"$exists": value}}``;
dotted paths reach into sub-documents. Updates are ``set`` (dotted paths),
``inc`` and ``unset``.

**A write touches only what it names.** ``put`` replaces the document with its
own ``_id`` and nothing else; ``update`` changes the documents its filter matches
and nothing else. A clash on a unique value (the ``_id`` of ``insert``, or the key
of a unique index) is a conflict, never a replacement: the write raises
``DuplicateKeyError`` and leaves the collection as it was. (SQLite's
``INSERT OR REPLACE`` would settle such a clash by deleting the *other* document;
the adapters never use it.)

Every write is all-or-nothing: ``insert_many`` and ``put_many`` write all their
documents or none, and an ``update`` that clashes on one matched document changes
none of them. Outside a transaction the adapters make each call atomic on their
own; inside one, a conflict should be left to roll the transaction back (MongoDB
aborts a transaction on any write error, so carrying on after catching the
conflict works on SQLite only).

Unique indexes follow MongoDB: a missing field and ``null`` are the same key (two
documents lacking the field of a unique index clash), and a ``sparse`` index
leaves out the documents that have none of its fields.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

Document = dict[str, Any]
Filter = Mapping[str, Any]
Sort = Sequence[tuple[str, int]]

OPERATORS = frozenset({"$lt", "$lte", "$gt", "$gte", "$ne", "$in", "$exists"})


class StoreError(Exception):
    """Base of store errors."""


ID_INDEX = "_id_"  # how both adapters name the index of ``_id`` in a DuplicateKeyError (MongoDB's name)


class DuplicateKeyError(StoreError):
    """A write clashed with another document on ``_id`` or on a unique index: nothing was written.

    Where the adapter can tell, ``collection`` names the collection, ``index`` the index that
    refused the write (``ID_INDEX`` for ``_id``, else ``Index.index_name``) and ``fields`` its
    fields. The message names them, never the values: it may reach logs and dead-letter headers.
    """

    def __init__(
        self, *, collection: str | None = None, index: str | None = None, fields: tuple[str, ...] | None = None
    ) -> None:
        self.collection = collection
        self.index = index
        self.fields = fields
        where = f" in {collection}" if collection else ""
        which = f" on unique index {index}" if index else ""
        keys = f" ({', '.join(fields)})" if fields else ""
        super().__init__(f"duplicate key{where}{which}{keys}")


class StoreUnavailableError(StoreError):
    """The store cannot be reached or cannot write (disk full, network down): retry later."""


@dataclass(frozen=True)
class Index:
    """A secondary index on one collection."""

    collection: str
    fields: tuple[str, ...]
    unique: bool = False
    # Leave out documents that have none of the fields (several accounts without an email stay allowed).
    sparse: bool = False
    name: str = field(default="")

    @property
    def index_name(self) -> str:
        """Return a stable name for the index."""
        return self.name or "ix_" + self.collection + "_" + "_".join(f.replace(".", "_") for f in self.fields)


class Collection(Protocol):
    """Operations on one collection, inside or outside a transaction."""

    name: str

    async def get(self, doc_id: str) -> Document | None:
        """Return the document with this id, or None."""
        ...

    async def find(
        self,
        where: Filter | None = None,
        *,
        sort: Sort | None = None,
        limit: int | None = None,
        skip: int = 0,
    ) -> list[Document]:
        """Return the documents matching the filter."""
        ...

    def iterate(self, where: Filter | None = None, *, batch_size: int = 1000) -> AsyncIterator[Document]:
        """Yield matching documents without loading them all at once."""
        ...

    async def count(self, where: Filter | None = None) -> int:
        """Return how many documents match."""
        ...

    async def insert(self, doc: Document) -> None:
        """Insert a new document; raise DuplicateKeyError when its id or a unique key is taken."""
        ...

    async def insert_many(self, docs: Sequence[Document]) -> None:
        """Insert new documents, all or none; raise DuplicateKeyError when one id or unique key is taken.

        A clash, with a stored document or between two of ``docs``, leaves the collection as it was.
        """
        ...

    async def put(self, doc: Document) -> None:
        """Insert the document, or replace the one with the same id; never touch another document.

        Raise DuplicateKeyError, writing nothing, when a unique key of ``doc`` belongs to another
        document (it is not deleted to make room).
        """
        ...

    async def put_many(self, docs: Sequence[Document]) -> None:
        """Put several documents, one after the other, all or none (DuplicateKeyError as ``put``)."""
        ...

    async def update(
        self,
        where: Filter,
        *,
        set: Mapping[str, Any] | None = None,
        inc: Mapping[str, int | float] | None = None,
        unset: Iterable[str] = (),
    ) -> int:
        """Update every matching document; return how many matched.

        Raise DuplicateKeyError, changing no document, when the change would give one of them a
        unique key another document has.
        """
        ...

    async def delete(self, where: Filter) -> int:
        """Delete every matching document; return how many were deleted."""
        ...


class Transaction(Protocol):
    """Collections whose writes commit together or not at all."""

    def collection(self, name: str) -> Collection:
        """Return a collection bound to this transaction."""
        ...


class Store(Protocol):
    """One service's store."""

    def collection(self, name: str) -> Collection:
        """Return a collection (each call autocommits)."""
        ...

    def transaction(self) -> AbstractAsyncContextManager[Transaction]:
        """Return a context whose writes commit atomically at exit (rolled back on error)."""
        ...

    async def ensure_indexes(self, indexes: Iterable[Index]) -> None:
        """Create the indexes that do not exist yet."""
        ...

    async def collection_names(self) -> list[str]:
        """Return the names of the collections that hold documents."""
        ...

    async def ping(self) -> None:
        """Raise StoreUnavailableError unless the store answers and can write."""
        ...

    async def scrub_deleted(self) -> bool:
        """Make deleted documents unreadable in the store's own files; return False if it must be retried.

        Called once an erasure is committed: a deleted document must not survive as bytes in
        free pages or in a write-ahead log. SQLite zeroes what it deletes (``secure_delete``) and
        this moves its log into the database file and empties it. MongoDB's files are not the
        adapter's to scrub (see ``MongoStore.scrub_deleted``): it returns True at once.
        """
        ...

    async def close(self) -> None:
        """Release the connection."""
        ...


def check_filter(where: Filter) -> None:
    """Raise ValueError on operators the adapters do not implement (one behaviour for both)."""
    for key, condition in where.items():
        if key.startswith("$"):
            raise ValueError(f"unsupported top-level operator {key!r}")
        if isinstance(condition, Mapping) and any(k.startswith("$") for k in condition):
            unknown = set(condition) - OPERATORS
            if unknown:
                raise ValueError(f"unsupported operators {sorted(unknown)} on {key!r}")
