"""One matching round: read the open requests and active pledges, run the pure matcher, store the proposals.

The matcher runs on a snapshot, outside any transaction; each proposal is then
written in a unit of work that first checks the request is still open and the
pledge still active (either may have changed meanwhile: it is then left for
the next round). Only the holder of the upkeep lease runs rounds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from services.volunteers.help_requests import RequestStatus, after_proposal
from services.volunteers.lifecycle import MatchStatus, Timing, month_of, monthly_load, proposed
from services.volunteers.matching import Proposal, RequestCard, VolunteerCard, match_requests
from services.volunteers.references import Reference
from services.volunteers.repository import BLOCKS, MATCHES, PLEDGES, REQUESTS, new_id
from services.volunteers.transitions import match_data
from shared.contracts.api.volunteers import PledgeStatus
from shared.contracts.vocabulary import Help
from shared.contracts.volunteers import MatchProposed
from shared.service import ServiceRuntime
from shared.store import Store

# Matches that ended without the help: their volunteer is not asked again for the same request.
ASKED_BEFORE = frozenset(
    status.value for status in (MatchStatus.DECLINED, MatchStatus.EXPIRED, MatchStatus.LAPSED, MatchStatus.CLOSED)
)


def volunteer_card(pledge: Mapping[str, Any], *, load: int, reference: Reference) -> VolunteerCard:
    """Return what matching knows of a pledge."""
    coffee = pledge.get("coffee") or {}
    commune = reference.geo.communes.get(coffee.get("city_insee") or "")
    return VolunteerCard(
        volunteer_id=pledge["_id"],
        kinds=frozenset(Help(k) for k in pledge["kinds"]),
        capacity=pledge["monthly_capacity"],
        load=load,
        job_groups=frozenset(pledge.get("job_groups", [])),
        domains=frozenset(pledge.get("domains", [])),
        open_to_any_trade=bool(pledge.get("open_to_any_trade")),
        languages=frozenset(pledge.get("languages", ["fr"])),
        commune=commune,
        max_distance_km=float(coffee.get("max_distance_km", 0)) if coffee.get("in_person") else 0.0,
        remote_coffee=bool(coffee.get("remote")),
        availability=frozenset(pledge.get("availability", [])),
    )


def request_card(request: Mapping[str, Any], *, excluded: frozenset[str], reference: Reference) -> RequestCard:
    """Return what matching knows of a request: only what the job seeker shared."""
    sharing = request.get("sharing") or {}
    return RequestCard(
        request_id=request["_id"],
        subject=request["subject"],
        kind=Help(request["kind"]),
        opened_at=datetime.fromisoformat(request["opened_at"]),
        rome_code=sharing.get("rome_code"),
        commune=reference.geo.communes.get(sharing.get("city_insee") or ""),
        languages=frozenset(sharing.get("languages", ["fr"])),
        in_person=bool(sharing.get("meet_in_person")),
        remote=bool(sharing.get("remote_ok", True)),
        availability=frozenset(sharing.get("availability", [])),
        excluded=excluded,
    )


async def snapshot(
    store: Store, *, now: datetime, reference: Reference
) -> tuple[list[RequestCard], list[VolunteerCard]]:
    """Return the open requests and the active pledges, as matching sees them.

    A request never goes back to a volunteer who already had it (declined, no
    answer, stale, closed), nor to someone either side blocked.
    """
    open_requests = [r async for r in store.collection(REQUESTS).iterate({"status": RequestStatus.OPEN.value})]
    if not open_requests:
        return [], []
    blocked_by: defaultdict[str, set[str]] = defaultdict(set)
    async for pair in store.collection(BLOCKS).iterate():
        # A block works both ways: neither side is proposed to the other again.
        blocked_by[pair["blocker"]].add(pair["blocked"])
        blocked_by[pair["blocked"]].add(pair["blocker"])
    asked: defaultdict[str, set[str]] = defaultdict(set)
    open_ids = {r["_id"] for r in open_requests}
    async for match in store.collection(MATCHES).iterate({"status": {"$in": sorted(ASKED_BEFORE)}}):
        if match["request_id"] in open_ids:
            asked[match["request_id"]].add(match["volunteer"])
    requests = [
        request_card(r, excluded=frozenset(asked[r["_id"]] | blocked_by.get(r["subject"], set())), reference=reference)
        for r in open_requests
    ]
    month = month_of(now)
    loads = monthly_load([m async for m in store.collection(MATCHES).iterate({"month": month})], month)
    volunteers = [
        volunteer_card(p, load=loads[p["_id"]], reference=reference)
        async for p in store.collection(PLEDGES).iterate({"status": PledgeStatus.ACTIVE.value})
    ]
    return requests, volunteers


async def store_proposals(
    runtime: ServiceRuntime, proposals: Sequence[Proposal], *, timing: Timing, chunk: int = 200
) -> int:
    """Write the proposals that still hold, with their match-proposed events; return how many were written."""
    written = 0
    for start in range(0, len(proposals), chunk):
        async with runtime.unit_of_work() as uow:
            requests, pledges, matches = (uow.collection(n) for n in (REQUESTS, PLEDGES, MATCHES))
            for proposal in proposals[start : start + chunk]:
                request = await requests.get(proposal.request_id)
                pledge = await pledges.get(proposal.volunteer_id)
                if request is None or request["status"] != RequestStatus.OPEN or pledge is None:
                    continue
                if pledge["status"] != PledgeStatus.ACTIVE:
                    continue
                match = proposed(
                    match_id=new_id("mt"),
                    request_id=proposal.request_id,
                    subject=proposal.subject,
                    volunteer_id=proposal.volunteer_id,
                    kind=proposal.kind,
                    score=proposal.score,
                    reasons=[r.as_document() for r in proposal.reasons],
                    now=uow.now,
                    timing=timing,
                )
                taken = await requests.update(
                    {"_id": proposal.request_id, "status": RequestStatus.OPEN.value},
                    set=after_proposal(
                        match["_id"], proposal.volunteer_id, now=uow.now, asked=request.get("volunteers_asked", 0)
                    ),
                )
                if not taken:
                    continue
                await matches.insert(match)
                uow.publish(MatchProposed(subject=proposal.subject, data=match_data(match)))
                written += 1
    return written


async def matching_round(runtime: ServiceRuntime, *, reference: Reference, timing: Timing) -> int:
    """Propose a volunteer to every open request that can have one now; return how many proposals were made."""
    now = runtime.clock()
    requests, volunteers = await snapshot(runtime.store, now=now, reference=reference)
    if not requests or not volunteers:
        return 0
    return await store_proposals(
        runtime, match_requests(requests, volunteers, reference.trades, now=now), timing=timing
    )
