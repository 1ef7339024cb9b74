"""The rate limit on help requests: one live request per kind, at most N opened in any 7 days."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.volunteers.request_quota import Quota, check_quota
from shared.contracts.vocabulary import Help
from shared.envelope import iso
from shared.problems import ConflictError
from tests.unit.volunteers.conftest import NOW

QUOTA = Quota(per_week=3)


def request(i: int, kind: str, status: str, opened_days_ago: float | None) -> dict[str, object]:
    opened = None if opened_days_ago is None else iso(NOW - timedelta(days=opened_days_ago))
    return {"_id": f"rq_{i}", "kind": kind, "status": status, "opened_at": opened}


def test_a_first_request_is_allowed() -> None:
    check_quota(kind=Help.CV_REVIEW, now=NOW, requests=[], quota=QUOTA)


def test_one_live_request_per_kind() -> None:
    live = [request(1, "cv-review", "proposed", 1)]
    with pytest.raises(ConflictError) as refused:
        check_quota(kind=Help.CV_REVIEW, now=NOW, requests=live, quota=QUOTA)
    assert refused.value.code == "request_already_active"
    check_quota(kind=Help.COFFEE_CHAT, now=NOW, requests=live, quota=QUOTA)
    # The request being opened does not count against itself.
    check_quota(kind=Help.CV_REVIEW, now=NOW, requests=live, quota=QUOTA, ignore_request_id="rq_1")


def test_at_most_n_requests_opened_in_any_seven_days() -> None:
    done = [request(i, "cv-review", "completed", days) for i, days in enumerate((6, 3, 1))]
    with pytest.raises(ConflictError) as refused:
        check_quota(kind=Help.COFFEE_CHAT, now=NOW, requests=done, quota=QUOTA)
    assert refused.value.code == "request_quota_reached"
    assert refused.value.params == {"max": 3, "retry_after_days": 1}  # the one opened 6 days ago leaves tomorrow
    older = [request(i, "cv-review", "completed", days) for i, days in enumerate((8, 3, 1))]
    check_quota(kind=Help.COFFEE_CHAT, now=NOW, requests=older, quota=QUOTA)


def test_requests_waiting_for_the_sharing_choice_do_not_count() -> None:
    waiting = [request(i, "cv-review", "awaiting-sharing-choice", None) for i in range(5)]
    check_quota(kind=Help.COVER_LETTER_REVIEW, now=NOW, requests=waiting, quota=QUOTA)
