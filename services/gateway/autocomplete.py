"""Autocomplete over the 10,990 ROME job titles and the 35,014 communes, in memory (pure).

Every word of the query must start a word of the entry (accents and case
ignored), so "boul" finds "Boulanger / Boulangère" and "st etienne" finds
"Saint-Étienne" only if typed "saint"; postal codes are words of a commune.
An index of 1- to 5-letter word prefixes keeps each query to a few hundred
checks at most.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from shared.reference.geo import Commune, GeoReference
from shared.reference.rome import JobTitle, RomeReference
from shared.reference.text import fold

T = TypeVar("T")
PREFIX = 5


@dataclass(frozen=True)
class _Entry(Generic[T]):
    words: tuple[str, ...]
    rank: float  # lower ranks first among equally good matches
    item: T


class Autocomplete(Generic[T]):
    """A prefix index over labelled items, kept in rank order so a search can stop early."""

    def __init__(self, entries: Sequence[tuple[str, float, T]]) -> None:
        ordered = sorted(entries, key=lambda e: e[1])
        self._entries = [_Entry(tuple(fold(text).split()), rank, item) for text, rank, item in ordered]
        index: dict[str, list[int]] = defaultdict(list)
        first: dict[str, list[int]] = defaultdict(list)
        for position, entry in enumerate(self._entries):
            keys = {word[:n] for word in entry.words for n in range(1, PREFIX + 1) if len(word) >= n}
            for key in keys:
                index[key].append(position)  # positions ascend, so each list is in rank order
            if entry.words:
                for n in range(1, min(PREFIX, len(entry.words[0])) + 1):
                    first[entry.words[0][:n]].append(position)
        self._index = dict(index)
        # Entries by the prefix of their first word: the best matches are found without scanning the others.
        self._first = dict(first)

    def search(self, query: str, limit: int = 10) -> list[T]:
        """Return the best items for the query: those whose first word matches first, then by rank."""
        tokens = fold(query).split()
        if not tokens or limit <= 0:
            return []

        def matches(entry: _Entry[T]) -> bool:
            return all(any(word.startswith(token) for word in entry.words) for token in tokens)

        rarest = min((self._index.get(t[:PREFIX], []) for t in tokens), key=len)
        firsts = self._first.get(tokens[0][:PREFIX], [])
        leading: list[T] = []
        others: list[T] = []
        if len(rarest) < len(firsts):
            # Another word of the query is rarer than the first one: one pass over its entries.
            for position in rarest:
                entry = self._entries[position]
                if matches(entry):
                    if entry.words[0].startswith(tokens[0]):
                        leading.append(entry.item)
                        if len(leading) == limit:
                            break
                    elif len(others) < limit:
                        others.append(entry.item)
            return (leading + others)[:limit]
        # Entries whose first word matches come first, in rank order: often the limit is reached here.
        for position in firsts:
            entry = self._entries[position]
            if entry.words[0].startswith(tokens[0]) and matches(entry):
                leading.append(entry.item)
                if len(leading) == limit:
                    return leading
        for position in rarest:
            entry = self._entries[position]
            if not entry.words[0].startswith(tokens[0]) and matches(entry):
                others.append(entry.item)
                if len(leading) + len(others) == limit:
                    break
        return leading + others


def job_titles_index(rome: RomeReference) -> Autocomplete[JobTitle]:
    """Return the index of job titles (both genders are words of each title); shorter titles first."""
    return Autocomplete([(title.label, len(title.label), title) for title in rome.titles.values()])


def communes_index(geo: GeoReference) -> Autocomplete[Commune]:
    """Return the index of communes by name and postal code; bigger populations first."""
    return Autocomplete([(f"{c.name} {' '.join(c.postal_codes)}", -c.population, c) for c in geo.communes.values()])
