"""A store wrapper that records one span per store call (operation and collection, never values).

A store call gets a span only inside a recording span (a request, a handled event, an email sent):
the calls a service makes on its own — lease renewals, the outbox relay's and the scheduler's polls,
most of which find nothing — would otherwise each start a trace of one span, all day long.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from typing import Any

from opentelemetry import trace
from opentelemetry.trace import Status, StatusCode

from shared.store.port import Collection, Document, Filter, Index, Sort, Store, Transaction

_tracer = trace.get_tracer("coach.store")


_Key = tuple[str, str, str]
# A span's name and attributes per (system, operation, collection): few, and built once each.
_SPAN_ARGUMENTS: dict[_Key, tuple[str, dict[str, str]]] = {}


class _LeafSpan:
    """A store call's span, ended on exit, never made the current span.

    A store call starts no span of its own, so its span need not be current: attaching and detaching a
    context per call was a good part of what a span cost. What ``start_as_current_span`` records on
    an exception is recorded the same way: the exception as an event, the status as an error.
    """

    __slots__ = ("_span",)

    def __init__(self, span: trace.Span) -> None:
        self._span = span

    def __enter__(self) -> trace.Span:
        return self._span

    def __exit__(self, exc_type: object, error: BaseException | None, traceback: object) -> None:
        span = self._span
        # As use_span: Exception only (a cancellation is not an error of the store).
        if isinstance(error, Exception):
            span.record_exception(error)
            span.set_status(Status(StatusCode.ERROR, f"{type(error).__name__}: {error}"))
        span.end()


def _arguments(system: str, operation: str, collection: str) -> tuple[str, dict[str, str]]:
    key = (system, operation, collection)
    found = _SPAN_ARGUMENTS.get(key)
    if found is None:
        found = _SPAN_ARGUMENTS[key] = (
            f"store.{operation} {collection}",
            {"db.system": system, "db.operation.name": operation, "db.collection.name": collection},
        )
    return found


def _span(system: str, operation: str, collection: str) -> Any:
    if not trace.get_current_span().is_recording():
        return nullcontext()
    name, attributes = _arguments(system, operation, collection)
    return _LeafSpan(
        _tracer.start_span(
            name,
            kind=trace.SpanKind.CLIENT,
            attributes=attributes,
            record_exception=False,
            set_status_on_exception=False,
        )
    )


def _parent_span(system: str, operation: str, collection: str) -> Any:
    """Return the span of a call that others run under (a transaction): the current span meanwhile."""
    if not trace.get_current_span().is_recording():
        return nullcontext()
    name, attributes = _arguments(system, operation, collection)
    return _tracer.start_as_current_span(name, kind=trace.SpanKind.CLIENT, attributes=attributes)


class TracedCollection:
    def __init__(self, inner: Collection, system: str) -> None:
        self.name = inner.name
        self._inner = inner
        self._system = system

    async def get(self, doc_id: str) -> Document | None:
        with _span(self._system, "get", self.name):
            return await self._inner.get(doc_id)

    async def find(
        self, where: Filter | None = None, *, sort: Sort | None = None, limit: int | None = None, skip: int = 0
    ) -> list[Document]:
        with _span(self._system, "find", self.name):
            return await self._inner.find(where, sort=sort, limit=limit, skip=skip)

    def iterate(self, where: Filter | None = None, *, batch_size: int = 1000) -> AsyncIterator[Document]:
        return self._inner.iterate(where, batch_size=batch_size)

    async def count(self, where: Filter | None = None) -> int:
        with _span(self._system, "count", self.name):
            return await self._inner.count(where)

    async def insert(self, doc: Document) -> None:
        with _span(self._system, "insert", self.name):
            await self._inner.insert(doc)

    async def insert_many(self, docs: Sequence[Document]) -> None:
        with _span(self._system, "insert_many", self.name):
            await self._inner.insert_many(docs)

    async def put(self, doc: Document) -> None:
        with _span(self._system, "put", self.name):
            await self._inner.put(doc)

    async def put_many(self, docs: Sequence[Document]) -> None:
        with _span(self._system, "put_many", self.name):
            await self._inner.put_many(docs)

    async def update(
        self,
        where: Filter,
        *,
        set: Mapping[str, Any] | None = None,
        inc: Mapping[str, int | float] | None = None,
        unset: Iterable[str] = (),
    ) -> int:
        with _span(self._system, "update", self.name):
            return await self._inner.update(where, set=set, inc=inc, unset=unset)

    async def delete(self, where: Filter) -> int:
        with _span(self._system, "delete", self.name):
            return await self._inner.delete(where)


class TracedTransaction:
    def __init__(self, inner: Transaction, system: str) -> None:
        self._inner = inner
        self._system = system

    def collection(self, name: str) -> Collection:
        return TracedCollection(self._inner.collection(name), self._system)


class TracedStore:
    """Delegates to a store, with a span around each call."""

    def __init__(self, inner: Store, system: str) -> None:
        self.inner = inner
        self._system = system

    def collection(self, name: str) -> Collection:
        return TracedCollection(self.inner.collection(name), self._system)

    def transaction(self) -> AbstractAsyncContextManager[Transaction]:
        return self._transaction()

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[Transaction]:
        with _parent_span(self._system, "transaction", "-"):
            async with self.inner.transaction() as tx:
                yield TracedTransaction(tx, self._system)

    async def ensure_indexes(self, indexes: Iterable[Index]) -> None:
        await self.inner.ensure_indexes(indexes)

    async def collection_names(self) -> list[str]:
        return await self.inner.collection_names()

    async def ping(self) -> None:
        await self.inner.ping()

    async def scrub_deleted(self) -> bool:
        with _span(self._system, "scrub_deleted", "-"):
            return await self.inner.scrub_deleted()

    async def close(self) -> None:
        await self.inner.close()
