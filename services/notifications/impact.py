"""Impact figures from the survey answers: satisfaction, NPS, jobs found, help — by main challenge (pure).

Every answer becomes a tally (counts only); the figures are ratios of tallies.
A figure whose denominator is under ``MIN_GROUP_SIZE`` is hidden, so no answer
can be traced back to a person, and so is any figure that would let a hidden
one be worked out by subtraction (complementary suppression, see
``complementary_suppression``). When a person erases their account, their
answers are deleted and only their tally is kept, added to anonymous counters
per main challenge: the figures stay right and nothing points to anyone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from shared.contracts.api.notifications import Figure, Impact, ImpactGroup

MIN_GROUP_SIZE = 10
HELPED = ("YES_A_LOT", "YES")
# Each figure of a group, and the tally that counts its answers (its denominator).
ANSWERS_OF = {
    "satisfaction": "followup",
    "nps": "nps",
    "found_job_share": "status",
    "helped_share_of_job_finders": "found_job_helped_answers",
    "helped_share": "helped_answers",
}
HIDDEN = Figure(value=None, answers=None, hidden=True)


def tally(kind: str, answers: Mapping[str, Any]) -> Counter[str]:
    """Return the counts one answer adds to the impact figures."""
    counts: Counter[str] = Counter()
    if kind == "first-followup":
        counts["followup"] += 1
        counts["satisfied"] += int(answers["score"] >= 4)
    elif kind == "nps":
        counts["nps"] += 1
        counts["promoters"] += int(answers["score"] >= 9)
        counts["detractors"] += int(answers["score"] <= 6)
    elif kind == "employment-status":
        counts["status"] += 1
        found = bool(answers.get("has_new_job"))
        helped = answers.get("helped")
        counts["found_job"] += int(found)
        if helped is not None:
            counts["helped_answers"] += 1
            counts["helped"] += int(helped in HELPED)
            if found:
                counts["found_job_helped_answers"] += 1
                counts["found_job_helped"] += int(helped in HELPED)
    return counts


def _share(numerator: int, denominator: int) -> Figure:
    if denominator < MIN_GROUP_SIZE:
        return HIDDEN
    return Figure(value=round(numerator / denominator, 4), answers=denominator, hidden=False)


def _group(main_challenge: str | None, counts: Counter[str]) -> ImpactGroup:
    nps = _share(counts["promoters"] - counts["detractors"], counts["nps"])
    if nps.value is not None:
        nps = nps.model_copy(update={"value": round(nps.value * 100, 1)})
    return ImpactGroup(
        main_challenge=main_challenge,
        satisfaction=_share(counts["satisfied"], counts["followup"]),
        nps=nps,
        found_job_share=_share(counts["found_job"], counts["status"]),
        helped_share_of_job_finders=_share(counts["found_job_helped"], counts["found_job_helped_answers"]),
        helped_share=_share(counts["helped"], counts["helped_answers"]),
    )


def _by_size(item: tuple[int, str | None]) -> tuple[int, str]:
    return item[0], item[1] or ""


def complementary_suppression(answers: Mapping[str | None, int]) -> set[str | None]:
    """Return the groups whose figure must be hidden, from each group's number of answers to that figure.

    The overall figure is published with its number of answers, and it is the
    sum of every group (those without a main challenge, ``None``, included,
    though they are never shown on their own). Hiding only the groups under
    ``MIN_GROUP_SIZE`` is not enough: overall minus the shown groups gives the
    hidden ones' total, and with one hidden group (12 + 3: the overall shows
    15, so the hidden group is 3) that is its exact figure. The standard
    answer of statistical disclosure control for a table with a published
    total is complementary (or secondary) suppression: also hide the smallest
    shown groups until the hidden ones together hold ``MIN_GROUP_SIZE`` answers
    or more, so what can be subtracted is never a group under the minimum.
    Hiding the smallest groups loses the least, and the overall figure, the
    one most read, stays shown: it is hidden only when it is itself under the
    minimum, which is the case whenever no shown group is left to hide.
    """
    hidden = {group for group, count in answers.items() if group is None or count < MIN_GROUP_SIZE}
    behind = sum(answers[group] for group in hidden)
    shown = sorted(((count, group) for group, count in answers.items() if group not in hidden), key=_by_size)
    # Nothing behind (every hidden group has no answer) reveals nobody.
    while 0 < behind < MIN_GROUP_SIZE and shown:
        count, group = shown.pop(0)
        hidden.add(group)
        behind += count
    return hidden


def _suppressed(groups: Mapping[str | None, Counter[str]]) -> list[ImpactGroup]:
    """Return the shown groups' figures, sorted by main challenge, each one hidden where it must be."""
    hidden_of = {
        figure: complementary_suppression({group: counts[answered] for group, counts in groups.items()})
        for figure, answered in ANSWERS_OF.items()
    }
    return [
        _group(group, counts).model_copy(
            update={figure: HIDDEN for figure, hidden in hidden_of.items() if group in hidden}
        )
        for group, counts in sorted(groups.items(), key=lambda item: item[0] or "")
        if group is not None
    ]


def impact(tallies: Iterable[tuple[str | None, Mapping[str, int]]]) -> Impact:
    """Return the figures, overall and by main challenge, from (main challenge, tally) pairs."""
    overall: Counter[str] = Counter()
    groups: dict[str | None, Counter[str]] = {}
    for challenge, counts in tallies:
        overall.update(counts)
        groups.setdefault(challenge, Counter()).update(counts)
    return Impact(min_group_size=MIN_GROUP_SIZE, overall=_group(None, overall), by_main_challenge=_suppressed(groups))
