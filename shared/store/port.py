"""The store port: a small document-store interface every service's repository uses.

Two adapters implement it: SQLite (the embedded default, one file per service)
and MongoDB (production, PyMongo's async API). Documents are JSON-compatible
dicts with a string ``_id``; dates are ISO 8601 strings in UTC so that both
adapters compare and sort them the same way.

Filters are a small subset of MongoDB's: ``{"field": value}`` for equality and
``{"field": {"$lt"|"$lte"|"$gt"|"$gte"|"$ne"|"$in"|"$exists": value}}``;
dotted paths reach into sub-documents. Updates are ``set`` (dotted paths),
``inc`` and ``unset``.
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


class DuplicateKeyError(StoreError):
    """A document with the same ``_id`` or unique index key exists."""


class StoreUnavailableError(StoreError):
    """The store cannot be reached or cannot write (disk full, network down): retry later."""


@dataclass(frozen=True)
class Index:
    """A secondary index on one collection."""

    collection: str
    fields: tuple[str, ...]
    unique: bool = False
    # Leave out documents that lack the first field (several accounts without an email stay allowed).
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
        """Insert a new document; raise DuplicateKeyError when its id or unique key exists."""
        ...

    async def insert_many(self, docs: Sequence[Document]) -> None:
        """Insert several new documents; raise DuplicateKeyError on the first duplicate."""
        ...

    async def put(self, doc: Document) -> None:
        """Insert the document or replace the one with the same id."""
        ...

    async def put_many(self, docs: Sequence[Document]) -> None:
        """Insert or replace several documents."""
        ...

    async def update(
        self,
        where: Filter,
        *,
        set: Mapping[str, Any] | None = None,
        inc: Mapping[str, int | float] | None = None,
        unset: Iterable[str] = (),
    ) -> int:
        """Update every matching document; return how many matched."""
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
