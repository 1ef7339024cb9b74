"""Matching rules: hard rules, preference order, fairness, waiting time, reasons; indexed = plain definition."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.volunteers.matching import (
    Closeness,
    RequestCard,
    Trades,
    VolunteerCard,
    assess,
    closeness,
    match_requests,
    match_requests_plainly,
    rank_volunteers,
)
from services.volunteers.reasons import TEXTS, both_languages
from services.volunteers.references import Reference
from shared.contracts.vocabulary import Help
from tests.unit.volunteers.conftest import NOW

CV, LETTER, COFFEE = Help.CV_REVIEW, Help.COVER_LETTER_REVIEW, Help.COFFEE_CHAT
HAIRDRESSER = "D1202"  # Coiffure


def volunteer(volunteer_id: str = "u_vol00001", **fields: object) -> VolunteerCard:
    base = VolunteerCard(volunteer_id=volunteer_id, kinds=frozenset({CV, LETTER, COFFEE}), capacity=3)
    return replace(base, **fields)  # type: ignore[arg-type]


def request(request_id: str = "rq_1", **fields: object) -> RequestCard:
    base = RequestCard(request_id=request_id, subject="u_seeker001", kind=CV, opened_at=NOW, rome_code=HAIRDRESSER)
    return replace(base, **fields)  # type: ignore[arg-type]


@pytest.fixture
def trades(reference: Reference) -> Trades:
    return reference.trades


def best(req: RequestCard, volunteers: list[VolunteerCard], trades: Trades) -> str | None:
    ranked = rank_volunteers(req, volunteers, trades, now=NOW)
    return ranked[0].volunteer_id if ranked else None


# --- Closeness of trade ----------------------------------------------------------------------------


def test_closeness_follows_the_rome_tree_and_mobility(trades: Trades) -> None:
    linked = min(trades.mobility[HAIRDRESSER])
    assert closeness(HAIRDRESSER, volunteer(job_groups=frozenset({HAIRDRESSER})), trades) == (
        Closeness.SAME_JOB_GROUP,
        HAIRDRESSER,
    )
    assert closeness(HAIRDRESSER, volunteer(job_groups=frozenset({linked})), trades) == (Closeness.MOBILITY, linked)
    assert closeness(HAIRDRESSER, volunteer(domains=frozenset({"D12"})), trades) == (Closeness.SAME_DOMAIN, "D12")
    assert closeness(HAIRDRESSER, volunteer(domains=frozenset({"D"})), trades) == (Closeness.SAME_GRAND_DOMAIN, "D")
    assert closeness(HAIRDRESSER, volunteer(job_groups=frozenset({"K2204"})), trades) is None
    assert closeness(HAIRDRESSER, volunteer(job_groups=frozenset({"K2204"}), open_to_any_trade=True), trades) == (
        Closeness.OPEN_TO_ALL,
        "",
    )
    # Naming no trade at all means helping whatever the trade.
    assert closeness(HAIRDRESSER, volunteer(), trades) == (Closeness.OPEN_TO_ALL, "")


def test_a_job_not_shared_is_only_matched_with_volunteers_open_to_every_trade(trades: Trades) -> None:
    req = request(rome_code=None)
    specialist = volunteer("u_a0000001", job_groups=frozenset({HAIRDRESSER}))
    generalist = volunteer("u_b0000001", open_to_any_trade=True, job_groups=frozenset({"K2204"}))
    assert best(req, [specialist, generalist], trades) == "u_b0000001"
    proposal = assess(req, generalist, trades, now=NOW)
    assert proposal is not None and proposal.reasons[0].code == "trade-not-shared"


def test_closer_trade_wins_over_everything_else(trades: Trades) -> None:
    same_group_but_busy = volunteer("u_z0000001", job_groups=frozenset({HAIRDRESSER}), capacity=5, load=4)
    same_domain_and_free = volunteer("u_a0000001", domains=frozenset({"D12"}), capacity=5)
    assert best(request(), [same_group_but_busy, same_domain_and_free], trades) == "u_z0000001"


# --- Hard rules ------------------------------------------------------------------------------------


def test_hard_rules_exclude_a_volunteer(trades: Trades) -> None:
    fine = volunteer(job_groups=frozenset({HAIRDRESSER}))
    assert assess(request(), fine, trades, now=NOW) is not None
    assert assess(request(), replace(fine, kinds=frozenset({COFFEE})), trades, now=NOW) is None  # not pledged
    assert assess(request(), replace(fine, load=3), trades, now=NOW) is None  # nothing left this month
    assert assess(request(), replace(fine, languages=frozenset({"en"})), trades, now=NOW) is None  # no language
    assert assess(request(excluded=frozenset({fine.volunteer_id})), fine, trades, now=NOW) is None  # asked before
    assert assess(request(subject=fine.volunteer_id), fine, trades, now=NOW) is None  # not with oneself


def test_coffee_in_person_needs_the_distance_within_the_volunteers_radius(reference: Reference) -> None:
    lyon, villeurbanne, marseille = (reference.geo.communes[c] for c in ("69123", "69266", "13055"))
    req = request(kind=COFFEE, commune=lyon, remote=False)
    near = volunteer("u_a0000001", commune=villeurbanne, max_distance_km=10)
    far = volunteer("u_b0000001", commune=marseille, max_distance_km=50)
    proposal = assess(req, near, reference.trades, now=NOW)
    assert proposal is not None and proposal.in_person and proposal.distance_km is not None
    assert proposal.distance_km < 10
    assert any(r.code == "place-in-person" for r in proposal.reasons)
    assert assess(req, far, reference.trades, now=NOW) is None
    # Remote works when both accept it.
    remote = replace(far, remote_coffee=True)
    assert assess(req, remote, reference.trades, now=NOW) is None
    proposal = assess(replace(req, remote=True), remote, reference.trades, now=NOW)
    assert proposal is not None and not proposal.in_person


def test_in_person_comes_before_remote_within_the_same_trade(reference: Reference) -> None:
    lyon, villeurbanne = reference.geo.communes["69123"], reference.geo.communes["69266"]
    req = request(kind=COFFEE, commune=lyon)
    in_person_busy = volunteer("u_z0000001", commune=villeurbanne, max_distance_km=20, capacity=5, load=4)
    remote_free = volunteer("u_a0000001", remote_coffee=True, capacity=5)
    assert best(req, [in_person_busy, remote_free], reference.trades) == "u_z0000001"


def test_coffee_needs_a_common_slot_when_both_gave_their_availability(trades: Trades) -> None:
    req = request(kind=COFFEE, availability=frozenset({"weekends"}))
    evenings = volunteer(remote_coffee=True, availability=frozenset({"weekday-evenings"}))
    flexible = replace(evenings, availability=frozenset())
    assert assess(req, evenings, trades, now=NOW) is None
    assert assess(req, flexible, trades, now=NOW) is not None
    both = assess(req, replace(evenings, availability=frozenset({"weekends", "weekday-evenings"})), trades, now=NOW)
    assert both is not None and any(r.code == "availability" for r in both.reasons)


# --- Fairness and waiting time ---------------------------------------------------------------------


def test_fairness_prefers_the_volunteer_with_the_largest_free_share(trades: Trades) -> None:
    half_busy = volunteer("u_a0000001", job_groups=frozenset({HAIRDRESSER}), capacity=4, load=2)
    untouched = volunteer("u_b0000001", job_groups=frozenset({HAIRDRESSER}), capacity=2)
    assert best(request(), [half_busy, untouched], trades) == "u_b0000001"


def test_a_batch_spreads_the_load_and_never_exceeds_a_pledge(trades: Trades) -> None:
    volunteers = [volunteer(f"u_v000000{i}", job_groups=frozenset({HAIRDRESSER}), capacity=2) for i in range(3)]
    requests = [request(f"rq_{i:02d}", subject=f"u_s{i:08d}", opened_at=NOW - timedelta(hours=i)) for i in range(10)]
    proposals = match_requests(requests, volunteers, trades, now=NOW)
    per_volunteer = {v.volunteer_id: sum(p.volunteer_id == v.volunteer_id for p in proposals) for v in volunteers}
    assert per_volunteer == {v.volunteer_id: 2 for v in volunteers}  # 6 helps pledged, 6 given, evenly
    # The first three proposals go to three different volunteers: the load is spread before anyone gets two.
    assert len({p.volunteer_id for p in proposals[:3]}) == 3


def test_the_oldest_requests_are_served_first(trades: Trades) -> None:
    only = [volunteer(job_groups=frozenset({HAIRDRESSER}), capacity=1)]
    new = request("rq_new", subject="u_s00000001", opened_at=NOW)
    old = request("rq_old", subject="u_s00000002", opened_at=NOW - timedelta(days=5))
    (proposal,) = match_requests([new, old], only, trades, now=NOW)
    assert proposal.request_id == "rq_old"
    assert proposal.reasons[-1].code == "waiting" and proposal.reasons[-1].params == {"days": 5}


def test_every_reason_reads_in_french_and_english(trades: Trades) -> None:
    proposal = assess(request(), volunteer(job_groups=frozenset({HAIRDRESSER})), trades, now=NOW)
    assert proposal is not None
    codes = [r.code for r in proposal.reasons]
    assert codes == ["trade-same-job-group", "place-remote-review", "language", "capacity", "waiting-new"]
    for reason in proposal.reasons:
        texts = both_languages(reason.code, reason.params)
        assert texts["fr"] and texts["en"] and texts["fr"] != texts["en"]
        assert "{" not in texts["fr"] + texts["en"]
    assert both_languages("language", {"languages": "fr"})["en"] == "Shared language: French."
    assert set(TEXTS) >= {r.code for r in proposal.reasons}


# --- The indexed batch matcher is the plain definition ---------------------------------------------

GROUPS = ("D1202", "D1201", "D1203", "D1101", "K2204", "K2111", "M1607")
CITIES = ("69123", "69266", "69259", "13055", "75056", "38185")


# Strategies are built once: Hypothesis validates a strategy the first time it draws from it, and a
# strategy built inside every draw is validated again for every generated population.
KINDS = st.sampled_from([CV, LETTER, COFFEE])
KIND_SETS = st.frozensets(KINDS, min_size=1)
LANGUAGES = st.frozensets(st.sampled_from(["fr", "en", "ar"]), min_size=1, max_size=2)
SLOTS = st.frozensets(st.sampled_from(["weekends", "weekday-evenings"]), max_size=2)
CITY = st.sampled_from(CITIES)
MAYBE_CITY = st.one_of(st.none(), CITY)
JOB_GROUP_SETS = st.frozensets(st.sampled_from(GROUPS), max_size=2)
MAYBE_JOB_GROUP = st.one_of(st.none(), st.sampled_from(GROUPS))
DOMAIN_SETS = st.frozensets(st.sampled_from(["D11", "D12", "K", "M16"]), max_size=1)
RADII = st.sampled_from([0.0, 5.0, 20.0, 400.0])
CAPACITIES = st.integers(1, 3)
VOLUNTEER_COUNTS = st.integers(1, 8)
REQUEST_COUNTS = st.integers(1, 12)
HOURS_WAITED = st.integers(0, 3)
LOADS = {capacity: st.integers(0, capacity) for capacity in range(1, 4)}
YES_NO = st.booleans()


@st.composite
def population(draw: st.DrawFn, reference: Reference) -> tuple[list[RequestCard], list[VolunteerCard]]:
    communes = reference.geo.communes
    volunteers = []
    for i in range(draw(VOLUNTEER_COUNTS)):
        capacity = draw(CAPACITIES)
        volunteers.append(
            VolunteerCard(
                volunteer_id=f"u_v{i:07d}",
                kinds=draw(KIND_SETS),
                capacity=capacity,
                load=draw(LOADS[capacity]),
                job_groups=draw(JOB_GROUP_SETS),
                domains=draw(DOMAIN_SETS),
                open_to_any_trade=draw(YES_NO),
                languages=draw(LANGUAGES),
                commune=communes[draw(CITY)],
                max_distance_km=draw(RADII),
                remote_coffee=draw(YES_NO),
                availability=draw(SLOTS),
            )
        )
    excluded = st.frozensets(st.sampled_from([v.volunteer_id for v in volunteers]), max_size=1)
    requests = []
    for j in range(draw(REQUEST_COUNTS)):
        city = draw(MAYBE_CITY)
        requests.append(
            RequestCard(
                request_id=f"rq_{j:04d}",
                subject=f"u_s{j % 3:07d}",
                kind=draw(KINDS),
                opened_at=NOW - timedelta(hours=draw(HOURS_WAITED)),
                rome_code=draw(MAYBE_JOB_GROUP),
                commune=None if city is None else communes[city],
                languages=draw(LANGUAGES),
                in_person=draw(YES_NO),
                remote=draw(YES_NO),
                availability=draw(SLOTS),
                excluded=draw(excluded),
            )
        )
    return requests, volunteers


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_indexed_matcher_makes_exactly_the_plain_definitions_proposals(
    data: st.DataObject, reference: Reference
) -> None:
    requests, volunteers = data.draw(population(reference))
    indexed = match_requests(requests, volunteers, reference.trades, now=NOW)
    plain = match_requests_plainly(requests, volunteers, reference.trades, now=NOW)
    assert [(p.request_id, p.volunteer_id, p.reasons) for p in indexed] == [
        (p.request_id, p.volunteer_id, p.reasons) for p in plain
    ]
    taken: dict[str, int] = {}
    for proposal in indexed:
        taken[proposal.volunteer_id] = taken.get(proposal.volunteer_id, 0) + 1
    for card in volunteers:
        assert card.load + taken.get(card.volunteer_id, 0) <= card.capacity  # never beyond the pledge
