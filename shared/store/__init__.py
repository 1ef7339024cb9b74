"""The store port and its adapters; ``open_store`` picks one from a URL."""

from __future__ import annotations

from shared.store.port import (
    Collection,
    Document,
    DuplicateKeyError,
    Filter,
    Index,
    Store,
    StoreError,
    StoreUnavailableError,
    Transaction,
)


def open_store(url: str, database: str) -> Store:
    """Return the store for a URL: ``sqlite:///path`` or ``mongodb://...`` (database per service)."""
    if url.startswith("sqlite:///"):
        from shared.store.sqlite import SqliteStore

        return SqliteStore(url.removeprefix("sqlite:///"))
    if url.startswith(("mongodb://", "mongodb+srv://")):
        from shared.store.mongo import MongoStore

        return MongoStore(url, database)
    raise ValueError(f"unsupported store URL scheme: {url.split(':', 1)[0]!r}")


__all__ = [
    "Collection",
    "Document",
    "DuplicateKeyError",
    "Filter",
    "Index",
    "Store",
    "StoreError",
    "StoreUnavailableError",
    "Transaction",
    "open_store",
]
