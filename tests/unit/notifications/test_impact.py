"""Impact figures: satisfaction, NPS, jobs found and help, by main challenge; never a group under 10."""

from __future__ import annotations

from services.notifications.impact import MIN_GROUP_SIZE, impact, tally


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
