"""Impact figures: satisfaction, NPS, jobs found and help, by main challenge; never a group under 10."""

from __future__ import annotations

from services.notifications.impact import MIN_GROUP_SIZE, complementary_suppression, impact, tally
from shared.contracts.api.notifications import Impact, ImpactGroup


def answers(
    challenge: str | None, kind: str, values: dict[str, object], n: int
) -> list[tuple[str | None, dict[str, int]]]:
    return [(challenge, dict(tally(kind, values)))] * n


def test_figures_are_computed_per_group_and_overall() -> None:
    rows = (
        answers(
            "stuck-market",
            "employment-status",
            {"still_searching": False, "has_new_job": True, "helped": "YES_A_LOT"},
            6,
        )
        + answers(
            "stuck-market",
            "employment-status",
            {"still_searching": False, "has_new_job": True, "helped": "NOT_AT_ALL"},
            4,
        )
        + answers("stuck-market", "employment-status", {"still_searching": True, "helped": "NO"}, 10)
        + answers("bravo", "nps", {"score": 10}, 7)
        + answers("bravo", "nps", {"score": 3}, 3)
        + answers("bravo", "first-followup", {"score": 5}, 9)
        + answers("bravo", "first-followup", {"score": 2}, 1)
    )
    result = impact(rows)
    stuck = next(g for g in result.by_main_challenge if g.main_challenge == "stuck-market")
    assert stuck.found_job_share.value == 0.5 and stuck.found_job_share.answers == 20
    assert stuck.helped_share_of_job_finders.value == 0.6
    assert stuck.helped_share.value == 0.3
    bravo = next(g for g in result.by_main_challenge if g.main_challenge == "bravo")
    assert bravo.nps.value == 40.0
    assert bravo.satisfaction.value == 0.9
    assert result.overall.found_job_share.value == 0.5


def test_a_group_smaller_than_ten_is_never_shown() -> None:
    rows = answers("missing-diploma", "nps", {"score": 9}, MIN_GROUP_SIZE - 1)
    result = impact(rows)
    group = result.by_main_challenge[0]
    assert group.nps.hidden and group.nps.value is None and group.nps.answers is None
    assert result.overall.nps.hidden
    assert impact(answers("missing-diploma", "nps", {"score": 9}, MIN_GROUP_SIZE)).overall.nps.value == 100.0


def nps_answers(sizes: dict[str | None, int]) -> Impact:
    """Return the figures of NPS answers (all promoters), with this many answers per main challenge."""
    rows = []
    for challenge, size in sizes.items():
        rows += answers(challenge, "nps", {"score": 10}, size)
    return impact(rows)


def shown_nps(result: Impact) -> dict[str | None, int | None]:
    """Return the number of answers each group shows for the NPS (None: hidden)."""
    groups: list[ImpactGroup] = [result.overall, *result.by_main_challenge]
    return {group.main_challenge: group.nps.answers for group in groups}


def test_one_small_hidden_group_is_not_revealed_by_the_overall_figure() -> None:
    # 12 + 3: the overall's 15 answers minus the 12 shown would give the hidden 3.
    result = nps_answers({"stuck-market": 12, "bravo": 3})
    assert shown_nps(result) == {None: 15, "stuck-market": None, "bravo": None}
    assert all(g.nps.hidden and g.nps.value is None for g in result.by_main_challenge)
    # With more groups, only the smallest shown one is hidden with it: 35 - 20 = 15 hides the 3 among 15.
    result = nps_answers({"stuck-market": 12, "bravo": 3, "missing-diploma": 20})
    assert shown_nps(result) == {None: 35, "stuck-market": None, "bravo": None, "missing-diploma": 20}


def test_hidden_groups_that_together_hold_ten_answers_hide_nothing_more() -> None:
    result = nps_answers({"stuck-market": 6, "bravo": 5, "missing-diploma": 20})
    assert shown_nps(result) == {None: 31, "stuck-market": None, "bravo": None, "missing-diploma": 20}


def test_hidden_groups_under_ten_together_hide_the_next_smallest_group() -> None:
    # 3 + 4 hidden would still give a group of 7 by subtraction.
    assert complementary_suppression({"a": 3, "b": 4, "c": 20, "d": 30}) == {"a", "b", "c"}


def test_answers_without_a_main_challenge_count_as_a_hidden_group() -> None:
    # Never shown on their own, they are in the overall figure: 15 - 12 would give them.
    result = nps_answers({"stuck-market": 12, None: 3})
    assert shown_nps(result) == {None: 15, "stuck-market": None}


def test_nothing_is_hidden_when_every_group_holds_ten_answers() -> None:
    result = nps_answers({"stuck-market": 10, "bravo": 11, "missing-diploma": 25})
    assert shown_nps(result) == {None: 46, "stuck-market": 10, "bravo": 11, "missing-diploma": 25}
    assert complementary_suppression({"a": 0, "b": 12}) == {"a"}  # a group with no answer reveals nobody


def test_each_figure_is_protected_on_its_own_answers() -> None:
    rows = (
        answers("stuck-market", "nps", {"score": 10}, 12)
        + answers("bravo", "nps", {"score": 10}, 3)
        + answers("stuck-market", "first-followup", {"score": 5}, 12)
        + answers("bravo", "first-followup", {"score": 5}, 10)
    )
    stuck = next(g for g in impact(rows).by_main_challenge if g.main_challenge == "stuck-market")
    assert stuck.nps.hidden and not stuck.satisfaction.hidden and stuck.satisfaction.answers == 12
