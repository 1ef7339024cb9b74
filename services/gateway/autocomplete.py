"""Autocomplete over the 10,990 ROME job titles and the 35,014 communes, in memory (pure).

Matching: every word typed must start a word of the entry (accents, case and
hyphens ignored), so "boul" finds "Boulanger / Boulangère"; postal codes are
words of a commune. An index of 1- to 5-letter word prefixes keeps each query
to a few hundred checks at most.

Spelling (job titles): when fewer entries than asked match as typed, a word of
4 to 7 letters may differ by one typo and a longer word by two (a letter left
out, added, replaced, or two letters swapped: the optimal string alignment
distance) from the start of a word of the entry, so "manutentionaire" finds
"Manutentionnaire" and "chaufeur livreur" finds "Chauffeur-livreur". The
distances are computed by RapidFuzz over the distinct word starts of the same
length give or take the typos allowed, and of the same first letter (people
seldom miss the first letter; a word that matches nothing that way is compared
with every word start).

Order: entries as typed before entries with typos, the fewer typos the better;
then those whose first word is the first word typed; then the index's own
order, which its ``ranking`` states (job offers counted by France Travail,
population, or the shortest title when no count can rank the titles honestly).
"""

from __future__ import annotations

import bisect
import sys
from array import array
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from rapidfuzz import process
from rapidfuzz.distance import OSA

from shared.reference.geo import GEO_ATTRIBUTION, Commune, GeoReference
from shared.reference.job_offers import MIN_COVERAGE, OFFERS_ATTRIBUTION, JobOffers, count_job_offers, offers_file
from shared.reference.rome import JobTitle, RomeReference
from shared.reference.text import fold

T = TypeVar("T")
PREFIX = 5
NO_MATCH = 99


def typos_allowed(word: str) -> int:
    """Return how many typos a typed word may hold: none up to 3 letters, one up to 7, two beyond."""
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2


@dataclass(frozen=True)
class Ranking:
    """What orders equally good matches, said to the people who read the list (French, English)."""

    basis: str  # "job-offers", "shortest-title" or "population"
    description: tuple[str, str]
    source: str | None = None  # the attribution of the figures, when figures order the list
    period: str | None = None  # the days the figures cover, e.g. "2024-01-01/2024-12-31"


@dataclass(frozen=True, slots=True)
class _Entry(Generic[T]):
    # No rank: the entries are held in rank order, their position says it.
    words: tuple[str, ...]
    leads: tuple[str, ...]  # the first word of each form ("vendeur", "vendeuse"): a match there ranks first
    item: T


class Autocomplete(Generic[T]):
    """A prefix index over labelled items, kept in rank order so a search can stop early."""

    def __init__(
        self,
        entries: Sequence[tuple[str, float, T]],
        *,
        ranking: Ranking | None = None,
        typos: bool = False,
        forms: Callable[[T], Sequence[str]] | None = None,
    ) -> None:
        """Index (text, rank, item) entries; ``forms`` gives an item's forms (masculine, feminine) whose first
        words count as the entry's first word; ``typos`` allows typos in the words typed."""
        self.ranking = ranking
        ordered = sorted(entries, key=lambda e: e[1])
        self._entries: list[_Entry[T]] = []
        # One tuple for equal leads: a commune's lead is its first word ("saint"), shared by hundreds.
        lead_tuples: dict[tuple[str, ...], tuple[str, ...]] = {}
        for text, _, item in ordered:
            # Interned: "saint", "de", "agent" repeat over thousands of entries, one string each.
            words = tuple(sys.intern(word) for word in fold(text).split())
            leads = {sys.intern(first) for form in (forms(item) if forms else ()) for first in fold(form).split()[:1]}
            lead = tuple(leads) if leads else words[:1]
            self._entries.append(_Entry(words, lead_tuples.setdefault(lead, lead), item))
        del ordered, lead_tuples
        # Every (key, position) pair, as two arrays of 4-byte integers (a key by its number in ``names``):
        # a list per key while building left the heap riddled with holes once the lists were let go.
        names: list[str] = []
        numbers: dict[str, int] = {}
        pairs = {kind: (array("I"), array("I")) for kind in ("index", "first", "postings")}

        def add(kind: str, keys: set[str], position: int) -> None:
            numbered, positions = pairs[kind]
            for key in keys:
                number = numbers.get(key)
                if number is None:
                    number = numbers[key] = len(names)
                    names.append(sys.intern(key))
                numbered.append(number)
                positions.append(position)  # positions ascend, so each key's list is in rank order

        for position, entry in enumerate(self._entries):
            add("index", {word[:n] for word in entry.words for n in range(1, PREFIX + 1) if len(word) >= n}, position)
            add("first", {lead[:n] for lead in entry.leads for n in range(1, min(PREFIX, len(lead)) + 1)}, position)
            add("postings", set(entry.words), position)
        numbers.clear()
        self._index = _PositionLists(names, *pairs.pop("index"))
        # Entries by the prefix of their first word: the best matches are found without scanning the others.
        self._first = _PositionLists(names, *pairs.pop("first"))
        self._postings = _PositionLists(names, *pairs.pop("postings"))
        self._vocabulary = self._postings.keys  # every word, sorted
        # Distinct word starts by length and by (length, first letter): where a typed word is looked for.
        starts: dict[int, set[str]] = defaultdict(set)
        if typos:
            for word in self._vocabulary:
                for n in range(3, len(word) + 1):  # a 4-letter word with a typo may be a 3-letter start
                    starts[n].add(word[:n])
        self._starts = {n: sorted(found) for n, found in starts.items()}
        by_letter: dict[tuple[int, str], list[str]] = defaultdict(list)
        for n, found in self._starts.items():
            for start in found:
                by_letter[(n, start[0])].append(start)
        self._starts_by_letter = dict(by_letter)

    def search(self, query: str, limit: int = 10) -> list[T]:
        """Return the best items for the query: as typed first, then with the fewest typos; then by rank."""
        tokens = fold(query).split()
        if not tokens or limit <= 0:
            return []
        found = self._as_typed(tokens, limit)
        if len(found) < limit and self._starts and any(typos_allowed(t) for t in tokens):
            seen = set(found)
            found += [p for p in self._with_typos(tokens, limit) if p not in seen][: limit - len(found)]
        return [self._entries[p].item for p in found]

    def _as_typed(self, tokens: list[str], limit: int) -> list[int]:
        """Return the positions of the entries where every word typed starts a word, the best first."""

        def matches(entry: _Entry[T]) -> bool:
            return all(any(word.startswith(token) for word in entry.words) for token in tokens)

        def leads(entry: _Entry[T]) -> bool:
            return any(lead.startswith(tokens[0]) for lead in entry.leads)

        if not all(self._starts_a_word(token) for token in tokens):
            return []  # a word typed starts no word at all: a typo, nothing to scan
        rarest = min((self._index.get(t[:PREFIX], ()) for t in tokens), key=len)
        firsts = self._first.get(tokens[0][:PREFIX], ())
        leading: list[int] = []
        others: list[int] = []
        if len(rarest) < len(firsts):
            # Another word of the query is rarer than the first one: one pass over its entries.
            for position in rarest:
                entry = self._entries[position]
                if matches(entry):
                    if leads(entry):
                        leading.append(position)
                        if len(leading) == limit:
                            break
                    elif len(others) < limit:
                        others.append(position)
            return (leading + others)[:limit]
        # Entries whose first word matches come first, in rank order: often the limit is reached here.
        for position in firsts:
            entry = self._entries[position]
            if leads(entry) and matches(entry):
                leading.append(position)
                if len(leading) == limit:
                    return leading
        for position in rarest:
            entry = self._entries[position]
            if not leads(entry) and matches(entry):
                others.append(position)
                if len(leading) + len(others) == limit:
                    break
        return leading + others

    def _starts_a_word(self, token: str) -> bool:
        at = bisect.bisect_left(self._vocabulary, token)
        return at < len(self._vocabulary) and self._vocabulary[at].startswith(token)

    def _with_typos(self, tokens: list[str], limit: int) -> list[int]:
        """Return the positions of the entries that match every word typed, typos allowed, the best first."""
        near = [self._near_words(token) for token in tokens]
        # First each word typed at its fewest typos ("chaufeur": chauffeur, not chanteur), then every close word.
        fewest = [None if words is None else _fewest(words) for words in near]
        found = self._scored(tokens, fewest, limit)
        if len(found) < limit and fewest != near:
            found = self._scored(tokens, near, limit)
        return found

    def _scored(self, tokens: list[str], near: list[dict[str, int] | None], limit: int) -> list[int]:
        candidates: Sequence[int] | None = None
        for token, words in zip(tokens, near, strict=True):
            if words is None:  # a short word: as typed, from the prefix index
                positions: Sequence[int] = self._index.get(token[:PREFIX], ())
            else:
                positions = sorted({p for word in words for p in self._postings[word]})
            if candidates is None or len(positions) < len(candidates):
                candidates = positions
        best = sum(min(words.values(), default=0) for words in near if words is not None)
        words0 = near[0]
        scored: list[tuple[int, bool, int]] = []
        full = 0
        for position in candidates or []:  # in rank order
            entry = self._entries[position]
            typos = 0
            for token, words in zip(tokens, near, strict=True):
                if words is None:
                    typos += 0 if any(word.startswith(token) for word in entry.words) else NO_MATCH
                else:
                    typos += min([words.get(word, NO_MATCH) for word in entry.words])
                if typos >= NO_MATCH:
                    break
            else:
                leading = any(lead.startswith(tokens[0]) if words0 is None else lead in words0 for lead in entry.leads)
                scored.append((typos, not leading, position))
                if typos == best and leading:
                    full += 1
                    if full == limit:  # nothing further in rank order can come before these
                        break
        scored.sort()
        return [position for _, _, position in scored[: 2 * limit]]

    def _near_words(self, token: str) -> dict[str, int] | None:
        """Return the words that start as the token does, typos allowed, with the typos; None for a short token."""
        allowed = typos_allowed(token)
        if not allowed:
            return None
        lengths = range(max(1, len(token) - allowed), len(token) + allowed + 1)
        starts = self._close_starts(token, allowed, [self._starts_by_letter.get((n, token[0]), []) for n in lengths])
        if not starts:
            starts = self._close_starts(token, allowed, [self._starts.get(n, []) for n in lengths])
        words: dict[str, int] = {}
        for start, typos in starts.items():
            low = bisect.bisect_left(self._vocabulary, start)
            high = bisect.bisect_left(self._vocabulary, start + "\uffff")
            for word in self._vocabulary[low:high]:
                if typos < words.get(word, NO_MATCH):
                    words[word] = typos
        return words

    @staticmethod
    def _close_starts(token: str, allowed: int, groups: list[list[str]]) -> dict[str, int]:
        close: dict[str, int] = {}
        for group in groups:
            for start, typos, _ in process.extract(token, group, scorer=OSA.distance, score_cutoff=allowed, limit=None):
                close[start] = int(typos)
        return close


class _PositionLists:
    """Lists of entry positions by key (a word or a word's start), flat: the keys sorted in a list, and
    every list one after the other in a single array of 4-byte integers, where ``offsets`` says where
    each key's list starts and ends.

    The same lists as a dict of tuples and arrays held, per key, a dict slot and a tuple or array object
    (the communes' three indexes: 95,549 keys, 719,518 positions, 10.2 MB; flat, 3.9 MB). A key is
    found by bisection (about 16 string comparisons among 40,000 keys); its list is a view into the
    array, not a copy. Built from (key, position) pairs by a counting sort, with no list per key.
    """

    __slots__ = ("_flat", "_offsets", "keys")

    def __init__(self, names: Sequence[str], numbered: array[int], positions: array[int]) -> None:
        """Take (key, position) pairs, the key by its number in ``names``, the positions ascending for each key."""
        numbers = sorted(set(numbered), key=names.__getitem__)  # the keys present, in their sorted order
        self.keys = [names[number] for number in numbers]
        rank = array("I", bytes(4 * len(names)))  # where each key number comes in ``keys``
        for at, number in enumerate(numbers):
            rank[number] = at
        numbers.clear()
        # Counting sort: each key's count, then where its list starts; the pairs keep their order.
        offsets = array("I", bytes(4 * (len(self.keys) + 1)))
        for number in numbered:
            offsets[rank[number] + 1] += 1
        for at in range(1, len(offsets)):
            offsets[at] += offsets[at - 1]
        cursor = array("I", offsets)
        flat = array("I", bytes(4 * len(positions)))
        for number, position in zip(numbered, positions, strict=True):
            at = rank[number]
            flat[cursor[at]] = position
            cursor[at] += 1
        self._offsets = offsets
        self._flat = memoryview(flat)

    def get(self, key: str, default: Sequence[int] = ()) -> Sequence[int]:
        """Return the positions under ``key`` in ascending order, or ``default`` when there is no such key."""
        at = bisect.bisect_left(self.keys, key)
        if at == len(self.keys) or self.keys[at] != key:
            return default
        return self._flat[self._offsets[at] : self._offsets[at + 1]]

    def __getitem__(self, key: str) -> Sequence[int]:
        at = bisect.bisect_left(self.keys, key)
        if at == len(self.keys) or self.keys[at] != key:
            raise KeyError(key)
        return self._flat[self._offsets[at] : self._offsets[at + 1]]


TYPED_FIRST = (
    "Les titres qui contiennent les mots tels que tapés d'abord, puis ceux qui en diffèrent d'une ou deux lettres.",
    "Titles holding the words as typed first, then those one or two letters away.",
)


def _fewest(words: dict[str, int]) -> dict[str, int]:
    """Return the words at the fewest typos."""
    least = min(words.values(), default=0)
    return {word: typos for word, typos in words.items() if typos == least}


def title_ranking(rome: RomeReference, offers: JobOffers | None) -> Ranking:
    """Return how the job titles are ordered: by job offers when a file covers most job groups, else by length."""
    if offers is not None and offers.coverage(len(rome.job_groups)) >= MIN_COVERAGE:
        period = f"{offers.first_day}/{offers.last_day}" if offers.first_day and offers.last_day else None
        when_fr = f" du {_day(offers.first_day)} au {_day(offers.last_day)}" if period else ""
        when_en = f" from {offers.first_day} to {offers.last_day}" if period else ""
        total_fr = f"{offers.total:,}".replace(",", "\u202f")
        return Ranking(
            "job-offers",
            (
                f"{TYPED_FIRST[0]} À égalité, les métiers qui ont eu le plus d'offres d'emploi d'abord ({total_fr} "
                f"offres publiées par France Travail{when_fr}), puis ceux des groupes de métiers qui en ont eu "
                "le plus.",
                f"{TYPED_FIRST[1]} Among equals, the jobs with the most job offers first ({offers.total:,} offers "
                f"published by France Travail{when_en}), then those of the job groups with the most.",
            ),
            source=OFFERS_ATTRIBUTION,
            period=period,
        )
    why_fr = why_en = ""
    if offers is not None:
        covered, groups = len(offers.by_job_group), len(rome.job_groups)
        why_fr = f" (le fichier d'offres présent n'en couvre que {covered} groupes de métiers sur {groups})"
        why_en = f" (the offers file here covers only {covered} of the {groups} job groups)"
    return Ranking(
        "shortest-title",
        (
            f"{TYPED_FIRST[0]} À égalité, le titre le plus court (le plus général) d'abord : aucun décompte "
            f"d'offres d'emploi de France Travail n'est importé{why_fr}, et le ROME seul ne dit pas quels métiers "
            "sont les plus courants.",
            f"{TYPED_FIRST[1]} Among equals, the shortest (most general) title first: no count of France Travail "
            f"job offers is imported{why_en}, and the ROME alone does not say which jobs are the most common.",
        ),
    )


def _day(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def job_titles_index(rome: RomeReference, offers: JobOffers | None = None) -> Autocomplete[JobTitle]:
    """Return the index of job titles (both genders are words of each title), in the order ``title_ranking`` says.

    Without ``offers``, the official offers file of the ROME's DATA_DIR is read when there is one.
    """
    if offers is None and rome.data_dir is not None:
        path = offers_file(rome.data_dir)
        offers = count_job_offers(path) if path is not None else None
    ranking = title_ranking(rome, offers)
    titles = list(rome.titles.values())
    if ranking.basis == "job-offers" and offers is not None:
        ordered = sorted(
            titles,
            key=lambda t: (-offers.by_title[t.code_ogr], -offers.by_job_group[t.rome_code], len(t.label), t.label),
        )
    else:
        ordered = sorted(titles, key=lambda t: (len(t.label), t.label))
    return Autocomplete(
        [(t.label, float(i), t) for i, t in enumerate(ordered)],
        ranking=ranking,
        typos=True,
        forms=lambda t: (t.masculine, t.feminine),
    )


def communes_index(geo: GeoReference) -> Autocomplete[Commune]:
    """Return the index of communes by name and postal code; bigger populations first."""
    ranking = Ranking(
        "population",
        ("Les communes les plus peuplées d'abord.", "The most populated communes first."),
        source=GEO_ATTRIBUTION,
    )
    return Autocomplete(
        [(f"{c.name} {' '.join(c.postal_codes)}", -c.population, c) for c in geo.communes.values()], ranking=ranking
    )
