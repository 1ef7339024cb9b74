"""Impact figures from the survey answers: satisfaction, NPS, jobs found, help — by main challenge (pure).

Every answer becomes a tally (counts only); the figures are ratios of tallies.
A figure whose denominator is under ``MIN_GROUP_SIZE`` is hidden, so no answer
can be traced back to a person. When a person erases their account, their
answers are deleted and only their tally is kept, added to anonymous counters
per main challenge: the figures stay right and nothing points to anyone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from services.notifications.schemas import Figure, Impact, ImpactGroup

MIN_GROUP_SIZE = 10
HELPED = ("YES_A_LOT", "YES")


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
        return Figure(value=None, answers=None, hidden=True)
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


def impact(tallies: Iterable[tuple[str | None, Mapping[str, int]]]) -> Impact:
    """Return the figures, overall and by main challenge, from (main challenge, tally) pairs."""
    overall: Counter[str] = Counter()
    groups: dict[str | None, Counter[str]] = {}
    for challenge, counts in tallies:
        overall.update(counts)
        groups.setdefault(challenge, Counter()).update(counts)
    return Impact(
        min_group_size=MIN_GROUP_SIZE,
        overall=_group(None, overall),
        by_main_challenge=[
            _group(challenge, counts)
            for challenge, counts in sorted(groups.items(), key=lambda item: item[0] or "")
            if challenge is not None
        ],
    )
