"""Matching help requests with volunteers: a pure, explainable function of the requests, the pledges and the clock.

Hard rules (a volunteer is never proposed otherwise):
  * the volunteer pledged this kind of help, has room left this month
    (nobody gets more than they pledged) and shares a language with the job seeker;
  * the volunteer was not proposed for this request before (declined, no answer)
    and neither side blocked the other; nobody is matched with themselves;
  * a meeting (a coffee chat or a mock interview) in person needs both communes
    and a distance within the volunteer's radius; a remote meeting needs both to
    accept remote; when both gave their availability, a meeting needs a common slot.

Preferences, each one only breaking the ties of the one before:
  1. closeness of trade: same job group > mobility link (close job or
     evolution, ROME) > same domaine professionnel > same grand domaine >
     a volunteer open to every trade;
  2. for a meeting, in person before remote;
  3. fairness: the largest share of the monthly pledge still free (spreads the load);
  4. for a meeting in person, the shortest distance.
The score ``10 * closeness + 4 * in_person + 3 * free_share + 2 * proximity``
encodes that order (the last three terms add up to less than 10). Requests are
served oldest first: waiting time is the priority between job seekers.

``rank_volunteers`` is the plain definition (every volunteer against one
request); ``match_requests`` computes the same proposals for a whole batch with
indexes (by kind, language, trade and, for meetings in person, a geographic
grid) instead of the product of all requests by all volunteers.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum

from services.volunteers.reasons import Reason
from shared.contracts.vocabulary import MEETING_HELPS, Help
from shared.reference.geo import Commune, distance_km

IN_PERSON_POINTS = 4.0
FAIRNESS_POINTS = 3.0
PROXIMITY_POINTS = 2.0
# Grid cells for coffees in person: about 55 km high and 50-60 km wide in mainland France.
CELL_LAT_DEG = 0.5
CELL_LON_DEG = 0.75
KM_PER_DEG_LAT = 111.2


class Closeness(IntEnum):
    """How close the volunteer's trade is to the job seeker's target job group."""

    OPEN_TO_ALL = 1
    SAME_GRAND_DOMAIN = 2
    SAME_DOMAIN = 3
    MOBILITY = 4
    SAME_JOB_GROUP = 5


@dataclass(frozen=True)
class Trades:
    """What matching needs from ROME: mobility links (both directions) and labels of codes."""

    mobility: Mapping[str, frozenset[str]] = field(default_factory=dict)
    labels: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_reference(cls, links: Mapping[str, frozenset[str]], labels: Mapping[str, str]) -> Trades:
        """Return the trades with each mobility link usable in both directions."""
        both: defaultdict[str, set[str]] = defaultdict(set)
        for source, targets in links.items():
            for target in targets:
                both[source].add(target)
                both[target].add(source)
        return cls({code: frozenset(linked) for code, linked in both.items()}, dict(labels))

    def label(self, code: str) -> str:
        """Return the label of a job group or domain, or the code itself."""
        return self.labels.get(code, code)


@dataclass(frozen=True)
class VolunteerCard:
    """What matching knows of one active pledge."""

    volunteer_id: str
    kinds: frozenset[Help]
    capacity: int
    load: int = 0
    job_groups: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()  # grand domaines (K) and domaines professionnels (K22)
    open_to_any_trade: bool = False
    languages: frozenset[str] = frozenset({"fr"})
    commune: Commune | None = None
    max_distance_km: float = 0.0  # 0: no coffee in person
    remote_coffee: bool = False
    availability: frozenset[str] = frozenset()  # empty: flexible

    @property
    def open_to_all(self) -> bool:
        """Return True when the volunteer helps whatever the trade (said so, or named no trade)."""
        return self.open_to_any_trade or not (self.job_groups or self.domains)

    @property
    def in_person(self) -> bool:
        """Return True when the volunteer offers coffees in person."""
        return (
            self.max_distance_km > 0
            and self.commune is not None
            and self.commune.latitude is not None
            and self.commune.longitude is not None
        )


@dataclass(frozen=True)
class RequestCard:
    """What matching knows of one open help request: only what the job seeker chose to share."""

    request_id: str
    subject: str
    kind: Help
    opened_at: datetime
    rome_code: str | None = None
    commune: Commune | None = None
    languages: frozenset[str] = frozenset({"fr"})
    in_person: bool = True
    remote: bool = True
    availability: frozenset[str] = frozenset()
    excluded: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Proposal:
    """A volunteer proposed for a request, with the score and the reasons."""

    request_id: str
    subject: str
    volunteer_id: str
    kind: Help
    closeness: Closeness
    in_person: bool
    preference: float  # fairness and proximity points, which order volunteers of the same tier
    distance_km: float | None
    reasons: tuple[Reason, ...]

    @property
    def score(self) -> float:
        """Return the score shown with the match: closeness first, then in person, then preference."""
        return round(10.0 * self.closeness + IN_PERSON_POINTS * self.in_person + self.preference, 3)


def closeness(rome_code: str | None, volunteer: VolunteerCard, trades: Trades) -> tuple[Closeness, str] | None:
    """Return how close the volunteer's trade is to the target job group, and the code that makes it so."""
    if rome_code is None:
        return (Closeness.OPEN_TO_ALL, "") if volunteer.open_to_all else None
    if rome_code in volunteer.job_groups:
        return Closeness.SAME_JOB_GROUP, rome_code
    linked = volunteer.job_groups & trades.mobility.get(rome_code, frozenset())
    if linked:
        return Closeness.MOBILITY, min(linked)
    domain, grand = rome_code[:3], rome_code[:1]
    if domain in volunteer.domains or any(g[:3] == domain for g in volunteer.job_groups):
        return Closeness.SAME_DOMAIN, domain
    if any(code[:1] == grand for code in (*volunteer.domains, *volunteer.job_groups)):
        return Closeness.SAME_GRAND_DOMAIN, grand
    if volunteer.open_to_all:
        return Closeness.OPEN_TO_ALL, ""
    return None


def _eligible(request: RequestCard, volunteer: VolunteerCard, load: int) -> bool:
    """Return True when the hard rules that do not depend on place allow the pair."""
    if volunteer.volunteer_id in request.excluded or volunteer.volunteer_id == request.subject:
        return False
    if load >= volunteer.capacity or not (request.languages & volunteer.languages):
        return False
    return not (
        request.kind in MEETING_HELPS
        and request.availability
        and volunteer.availability
        and not (request.availability & volunteer.availability)
    )


def _in_person_distance(request: RequestCard, volunteer: VolunteerCard) -> float | None:
    """Return the distance when a coffee in person is possible for the pair, else None."""
    if not (request.in_person and volunteer.in_person and request.commune is not None):
        return None
    assert volunteer.commune is not None
    km = distance_km(request.commune, volunteer.commune)
    return km if km is not None and km <= volunteer.max_distance_km else None


def _free_share(volunteer: VolunteerCard, load: int) -> float:
    return (volunteer.capacity - load) / volunteer.capacity


def _preference(volunteer: VolunteerCard, load: int, km: float | None) -> float:
    """Return the points that order volunteers of one tier: free share of the pledge, then proximity in person."""
    points = FAIRNESS_POINTS * _free_share(volunteer, load)
    if km is not None:
        points += PROXIMITY_POINTS * (1.0 - km / volunteer.max_distance_km)
    return points


def _waiting_reason(request: RequestCard, now: datetime) -> Reason:
    days = max(0, (now - request.opened_at).days)
    return Reason("waiting", {"days": days}) if days >= 1 else Reason("waiting-new")


def _trade_reason(request: RequestCard, level: Closeness, code: str, trades: Trades) -> Reason:
    if level is Closeness.OPEN_TO_ALL:
        return Reason("trade-not-shared" if request.rome_code is None else "trade-open-to-all")
    name = {
        Closeness.SAME_JOB_GROUP: "trade-same-job-group",
        Closeness.MOBILITY: "trade-mobility",
        Closeness.SAME_DOMAIN: "trade-same-domain",
        Closeness.SAME_GRAND_DOMAIN: "trade-same-grand-domain",
    }[level]
    return Reason(name, {"label": trades.label(code)})


def assess(
    request: RequestCard, volunteer: VolunteerCard, trades: Trades, *, now: datetime, load: int | None = None
) -> Proposal | None:
    """Return the proposal of this volunteer for this request with its score and reasons, or None if not allowed."""
    load = volunteer.load if load is None else load
    if request.kind not in volunteer.kinds or not _eligible(request, volunteer, load):
        return None
    trade = closeness(request.rome_code, volunteer, trades)
    if trade is None:
        return None
    level, code = trade
    km: float | None = None
    in_person = False
    if request.kind in MEETING_HELPS:
        km = _in_person_distance(request, volunteer)
        in_person = km is not None
        if not in_person and not (request.remote and volunteer.remote_coffee):
            return None
    preference = _preference(volunteer, load, km if in_person else None)
    reasons = [_trade_reason(request, level, code, trades)]
    interview = request.kind is Help.MOCK_INTERVIEW
    if request.kind not in MEETING_HELPS:
        reasons.append(Reason("place-remote-review"))
    elif in_person:
        place = "place-in-person-interview" if interview else "place-in-person"
        reasons.append(Reason(place, {"km": max(1, round(km or 0))}))
    else:
        reasons.append(Reason("place-remote-interview" if interview else "place-remote-coffee"))
    reasons.append(Reason("language", {"languages": ",".join(sorted(request.languages & volunteer.languages))}))
    common_slots = request.availability & volunteer.availability
    if request.kind in MEETING_HELPS and common_slots:
        reasons.append(Reason("availability", {"slots": ",".join(sorted(common_slots))}))
    reasons.append(Reason("capacity", {"remaining": volunteer.capacity - load, "capacity": volunteer.capacity}))
    reasons.append(_waiting_reason(request, now))
    return Proposal(
        request_id=request.request_id,
        subject=request.subject,
        volunteer_id=volunteer.volunteer_id,
        kind=request.kind,
        closeness=level,
        in_person=in_person,
        preference=preference,
        distance_km=round(km, 1) if in_person and km is not None else None,
        reasons=tuple(reasons),
    )


def _serving_order(requests: Iterable[RequestCard]) -> list[RequestCard]:
    """Return the requests oldest first (waiting time is the priority between job seekers)."""
    return sorted(requests, key=lambda r: (r.opened_at, r.request_id))


def rank_volunteers(
    request: RequestCard,
    volunteers: Sequence[VolunteerCard],
    trades: Trades,
    *,
    now: datetime,
    loads: Mapping[str, int] | None = None,
) -> list[Proposal]:
    """Return every allowed proposal for one request, best first (ties: smallest volunteer id)."""
    proposals = []
    for volunteer in volunteers:
        load = loads.get(volunteer.volunteer_id, volunteer.load) if loads is not None else volunteer.load
        proposal = assess(request, volunteer, trades, now=now, load=load)
        if proposal is not None:
            proposals.append(proposal)
    return sorted(proposals, key=lambda p: (-p.closeness, -p.in_person, -p.preference, p.volunteer_id))


def match_requests_plainly(
    requests: Sequence[RequestCard], volunteers: Sequence[VolunteerCard], trades: Trades, *, now: datetime
) -> list[Proposal]:
    """Return the batch's proposals by the plain definition (all pairs): the reference ``match_requests`` must equal."""
    loads = {v.volunteer_id: v.load for v in volunteers}
    proposals = []
    for request in _serving_order(requests):
        ranked = rank_volunteers(request, volunteers, trades, now=now, loads=loads)
        if ranked:
            proposals.append(ranked[0])
            loads[ranked[0].volunteer_id] += 1
    return proposals


# --- The indexed batch matcher -------------------------------------------------------------------


def _cell(latitude: float, longitude: float) -> tuple[int, int]:
    return math.floor(latitude / CELL_LAT_DEG), math.floor(longitude / CELL_LON_DEG)


def _cells_around(commune: Commune, radius_km: float) -> list[tuple[int, int]]:
    """Return every grid cell a disc of this radius around the commune touches (a safe superset)."""
    assert commune.latitude is not None and commune.longitude is not None
    dlat = radius_km / KM_PER_DEG_LAT * 1.02
    # Longitude degrees shrink toward the pole: use the disc's poleward edge.
    edge = min(89.0, abs(commune.latitude) + dlat)
    dlon = radius_km / (KM_PER_DEG_LAT * math.cos(math.radians(edge))) * 1.02
    low = _cell(commune.latitude - dlat, commune.longitude - dlon)
    high = _cell(commune.latitude + dlat, commune.longitude + dlon)
    return [(i, j) for i in range(low[0], high[0] + 1) for j in range(low[1], high[1] + 1)]


def _trade_keys(volunteer: VolunteerCard) -> set[str]:
    """Return the index keys of the volunteer's trades: job groups, domains and grand domains they cover."""
    keys: set[str] = set()
    for group in volunteer.job_groups:
        keys.update(("g" + group, "d" + group[:3], "G" + group[:1]))
    for domain in volunteer.domains:
        keys.add(("d" if len(domain) == 3 else "G") + domain)
        keys.add("G" + domain[:1])
    if volunteer.open_to_all:
        keys.add("*")
    return keys


def _tiers(request: RequestCard, trades: Trades) -> list[tuple[Closeness, list[str]]]:
    """Return the trade keys to look up for a request, closest trade first."""
    code = request.rome_code
    if code is None:
        return [(Closeness.OPEN_TO_ALL, ["*"])]
    return [
        (Closeness.SAME_JOB_GROUP, ["g" + code]),
        (Closeness.MOBILITY, ["g" + linked for linked in sorted(trades.mobility.get(code, ()))]),
        (Closeness.SAME_DOMAIN, ["d" + code[:3]]),
        (Closeness.SAME_GRAND_DOMAIN, ["G" + code[:1]]),
        (Closeness.OPEN_TO_ALL, ["*"]),
    ]


Heap = list[tuple[float, int, int]]  # (-preference points, volunteer index, load when pushed)
Pools = dict[str, Heap]  # trade key -> heap
Cells = dict[str, list[int]]  # trade key -> volunteer indexes


class _Index:
    """Volunteers by kind, language and trade: heaps by preference (remote), lists by grid cell (in person).

    Lookups are by plain strings in small dictionaries: the matcher does a few
    hundred thousand of them per batch.
    """

    def __init__(self, volunteers: Sequence[VolunteerCard]) -> None:
        self.volunteers = volunteers
        self.loads = [v.load for v in volunteers]
        # Remote help: (kind, language) -> trade key -> heap.
        self.remote: defaultdict[tuple[str, str], defaultdict[str, Heap]] = defaultdict(lambda: defaultdict(list))
        self.heaps_of: list[list[Heap]] = [[] for _ in volunteers]
        # Meetings in person (coffee, mock interview): (kind, language, cell) -> trade key -> volunteer indexes.
        self.cells: defaultdict[tuple[str, str, str], defaultdict[str, list[int]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for index, volunteer in enumerate(volunteers):
            if volunteer.load >= volunteer.capacity:
                continue
            trade_keys = _trade_keys(volunteer)
            entry = (-_preference(volunteer, volunteer.load, None), index, volunteer.load)
            in_person = bool(MEETING_HELPS & volunteer.kinds) and volunteer.in_person
            cells = (
                [f"{i},{j}" for i, j in _cells_around(volunteer.commune, volunteer.max_distance_km)]
                if in_person and volunteer.commune is not None
                else []
            )
            for kind in volunteer.kinds:
                remote = kind not in MEETING_HELPS or volunteer.remote_coffee
                for language in volunteer.languages:
                    if remote:
                        pools = self.remote[(kind.value, language)]
                        for trade_key in trade_keys:
                            pools[trade_key].append(entry)
                            self.heaps_of[index].append(pools[trade_key])
                    if kind in MEETING_HELPS:
                        for cell in cells:
                            members = self.cells[(kind.value, language, cell)]
                            for trade_key in trade_keys:
                                members[trade_key].append(index)
        for pools in self.remote.values():
            for heap in pools.values():
                heapq.heapify(heap)

    def take(self, index: int) -> None:
        """Count one more help for the volunteer and re-rank them in their heaps."""
        self.loads[index] += 1
        volunteer = self.volunteers[index]
        load = self.loads[index]
        if load >= volunteer.capacity:
            return  # their stale entries are dropped when seen
        entry = (-_preference(volunteer, load, None), index, load)
        for heap in self.heaps_of[index]:
            heapq.heappush(heap, entry)

    def remote_pools(self, request: RequestCard) -> list[Pools]:
        """Return the remote pools the request can draw from (one per language it speaks)."""
        kind = request.kind.value  # a plain string hashes faster than the enum member
        return [pools for language in request.languages if (pools := self.remote.get((kind, language)))]

    def cell_pools(self, request: RequestCard) -> list[Cells]:
        """Return the in-person pools of the request's grid cell (one per language), for a coffee in person."""
        commune = request.commune
        if not request.in_person or commune is None or commune.latitude is None or commune.longitude is None:
            return []
        i, j = _cell(commune.latitude, commune.longitude)
        cell = f"{i},{j}"
        kind = request.kind.value
        return [members for language in request.languages if (members := self.cells.get((kind, language, cell)))]

    def best_remote(self, request: RequestCard, pools: list[Pools], trade_keys: Sequence[str]) -> int | None:
        """Return the index of the best remote volunteer under these keys: most preferred, then smallest id."""
        best: tuple[float, int] | None = None
        for by_trade in pools:
            for trade_key in trade_keys:
                heap = by_trade.get(trade_key)
                if not heap:
                    continue
                put_back = []
                while heap:
                    negative_points, index, load = heap[0]
                    volunteer = self.volunteers[index]
                    if load != self.loads[index] or load >= volunteer.capacity:
                        heapq.heappop(heap)  # stale or full
                        continue
                    if _eligible(request, volunteer, load):
                        if best is None or (negative_points, index) < best:
                            best = (negative_points, index)
                        break
                    put_back.append(heapq.heappop(heap))
                for entry in put_back:
                    heapq.heappush(heap, entry)
        return None if best is None else best[1]

    def best_in_person(self, request: RequestCard, pools: list[Cells], trade_keys: Sequence[str]) -> int | None:
        """Return the index of the best volunteer for a coffee in person under these keys."""
        best: tuple[float, int] | None = None
        for by_trade in pools:
            for trade_key in trade_keys:
                members = by_trade.get(trade_key)
                if not members:
                    continue
                full = False
                for index in members:
                    volunteer = self.volunteers[index]
                    load = self.loads[index]
                    if load >= volunteer.capacity:
                        full = True
                        continue
                    if not _eligible(request, volunteer, load):
                        continue
                    km = _in_person_distance(request, volunteer)
                    if km is None:
                        continue
                    candidate = (-_preference(volunteer, load, km), index)
                    if best is None or candidate < best:
                        best = candidate
                if full:
                    members[:] = [m for m in members if self.loads[m] < self.volunteers[m].capacity]
        return None if best is None else best[1]


def _signature(request: RequestCard) -> tuple[object, ...]:
    """Return what decides, apart from exclusions, whether any volunteer can take the request."""
    if request.kind not in MEETING_HELPS:
        return request.kind, request.languages, request.rome_code
    place = request.commune.insee if request.in_person and request.commune is not None else None
    return request.kind, request.languages, request.rome_code, request.availability, request.remote, place


def match_requests(
    requests: Sequence[RequestCard], volunteers: Sequence[VolunteerCard], trades: Trades, *, now: datetime
) -> list[Proposal]:
    """Return at most one proposal per request, oldest request first, never beyond a volunteer's monthly pledge."""
    ordered_volunteers = sorted(volunteers, key=lambda v: v.volunteer_id)
    index = _Index(ordered_volunteers)
    tiers_by_code: dict[str | None, list[tuple[Closeness, list[str]]]] = {}
    # Loads only grow during a batch: once a request that excludes nobody finds no volunteer, no later
    # request with the same signature can find one. Most requests of a large batch end there.
    volunteer_ids = {v.volunteer_id for v in volunteers}
    unservable: set[tuple[object, ...]] = set()
    proposals: list[Proposal] = []
    for request in _serving_order(requests):
        signature = _signature(request)
        if signature in unservable:
            continue
        tiers = tiers_by_code.get(request.rome_code)
        if tiers is None:
            tiers = tiers_by_code[request.rome_code] = _tiers(request, trades)
        meeting = request.kind in MEETING_HELPS
        near = index.cell_pools(request) if meeting else []
        remote = index.remote_pools(request) if not meeting or request.remote else []
        chosen: int | None = None
        for _level, keys in tiers if (near or remote) else ():
            if near and (chosen := index.best_in_person(request, near, keys)) is not None:
                break
            if remote and (chosen := index.best_remote(request, remote, keys)) is not None:
                break
        if chosen is None:
            if not request.excluded and request.subject not in volunteer_ids:
                unservable.add(signature)
            continue
        volunteer = ordered_volunteers[chosen]
        proposal = assess(request, volunteer, trades, now=now, load=index.loads[chosen])
        assert proposal is not None, "the index proposed a pair the rules refuse"
        proposals.append(proposal)
        index.take(chosen)
    return proposals
