"""How many help requests a job seeker may open: a rate limit that keeps volunteers' time for everyone.

* one live request of each kind at a time (a second CV review waits for the first);
* at most ``per_week`` requests opened in any 7 days.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from services.volunteers.help_requests import LIVE_REQUEST, RequestStatus
from shared.contracts.vocabulary import Help
from shared.problems import ConflictError

WEEK = timedelta(days=7)


@dataclass(frozen=True)
class Quota:
    per_week: int = 3


def check_quota(
    *,
    kind: Help,
    now: datetime,
    requests: Iterable[Mapping[str, Any]],
    quota: Quota,
    ignore_request_id: str | None = None,
) -> None:
    """Raise ConflictError when the job seeker may not open one more request of this kind now."""
    opened_this_week: list[datetime] = []
    for request in requests:
        if request["_id"] == ignore_request_id:
            continue
        if request["kind"] == kind and RequestStatus(request["status"]) in LIVE_REQUEST:
            raise ConflictError("request_already_active", kind=kind.value)
        opened = request.get("opened_at")
        if opened and now - datetime.fromisoformat(opened) < WEEK:
            opened_this_week.append(datetime.fromisoformat(opened))
    if len(opened_this_week) >= quota.per_week:
        # The oldest of the window leaves it first.
        free_at = sorted(opened_this_week)[len(opened_this_week) - quota.per_week] + WEEK
        raise ConflictError(
            "request_quota_reached",
            max=quota.per_week,
            retry_after_days=max(1, math.ceil((free_at - now) / timedelta(days=1))),
        )
