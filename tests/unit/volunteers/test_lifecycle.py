"""The life of a match with a fixed clock: answers, time-outs, re-offers, expiry, feedback, monthly load."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from services.volunteers import help_requests, lifecycle
from services.volunteers.help_requests import RequestStatus
from services.volunteers.lifecycle import MatchStatus, Role, Timing
from shared.contracts.vocabulary import Help
from shared.envelope import iso
from shared.problems import ConflictError
from tests.unit.volunteers.conftest import NOW

TIMING = Timing(answer_days=3, review_days=7, coffee_days=21, confirm_days=7, document_days=30)


def new_match(kind: Help = Help.CV_REVIEW) -> dict[str, Any]:
    return lifecycle.proposed(
        match_id="mt_1",
        request_id="rq_1",
        subject="u_seeker001",
        volunteer_id="u_vol00001",
        kind=kind,
        score=50.0,
        reasons=[],
        now=NOW,
        timing=TIMING,
    )


def step(match: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    return {**match, **changes}


def test_a_proposal_without_answer_expires_after_the_answer_days() -> None:
    match = new_match()
    assert match["respond_by"] == iso(NOW + timedelta(days=3))
    assert lifecycle.due_transition(match, now=NOW + timedelta(days=3) - timedelta(seconds=1)) is None
    later = NOW + timedelta(days=3)
    assert lifecycle.due_transition(match, now=later) is MatchStatus.EXPIRED
    expired = step(match, lifecycle.time_out(match, now=later, timing=TIMING))
    assert expired["status"] == "expired" and expired["end_reason"] == "timeout"
    assert lifecycle.offered_again(MatchStatus.EXPIRED)


def test_an_accepted_review_not_returned_in_time_lapses_and_is_offered_again() -> None:
    accepted = step(new_match(), lifecycle.accept(new_match(), now=NOW + timedelta(days=1), timing=TIMING))
    assert accepted["work_due_by"] == iso(NOW + timedelta(days=8))
    assert lifecycle.due_transition(accepted, now=NOW + timedelta(days=7)) is None
    assert lifecycle.due_transition(accepted, now=NOW + timedelta(days=8)) is MatchStatus.LAPSED
    assert lifecycle.offered_again(MatchStatus.LAPSED)


def test_a_returned_review_counts_as_done_when_nobody_confirms() -> None:
    accepted = step(new_match(), lifecycle.accept(new_match(), now=NOW, timing=TIMING))
    returned = step(
        accepted, lifecycle.return_review(accepted, now=NOW + timedelta(days=2), timing=TIMING, document_id="doc_1")
    )
    assert returned["status"] == "in-progress" and returned["review_document_id"] == "doc_1"
    due = NOW + timedelta(days=9)
    assert lifecycle.due_transition(returned, now=due) is MatchStatus.COMPLETED
    done = step(returned, lifecycle.time_out(returned, now=due, timing=TIMING))
    assert done["status"] == "completed" and done["completed_by"] == "timeout"
    assert done["documents_delete_after"] == iso(due + timedelta(days=30))


def test_a_coffee_is_scheduled_then_completed_after_its_date() -> None:
    match = new_match(Help.COFFEE_CHAT)
    accepted = step(match, lifecycle.accept(match, now=NOW, timing=TIMING))
    assert accepted["work_due_by"] == iso(NOW + timedelta(days=21))
    with pytest.raises(ConflictError, match="date_in_the_past"):
        lifecycle.schedule_coffee(accepted, now=NOW, at=NOW - timedelta(hours=1), timing=TIMING)
    with pytest.raises(ConflictError, match="not_a_review"):
        lifecycle.return_review(accepted, now=NOW, timing=TIMING, document_id="doc_1")
    at = NOW + timedelta(days=4)
    scheduled = step(accepted, lifecycle.schedule_coffee(accepted, now=NOW, at=at, timing=TIMING))
    assert scheduled["status"] == "in-progress" and scheduled["finish_by"] == iso(at + timedelta(days=7))
    with pytest.raises(ConflictError, match="coffee_not_held_yet"):
        lifecycle.complete(scheduled, now=NOW + timedelta(days=1), timing=TIMING, by="seeker")
    done = step(scheduled, lifecycle.complete(scheduled, now=at + timedelta(hours=2), timing=TIMING, by="seeker"))
    assert done["status"] == "completed"


def test_answers_are_refused_out_of_turn() -> None:
    match = new_match()
    declined = step(match, lifecycle.decline(match, now=NOW))
    with pytest.raises(ConflictError, match="match_state"):
        lifecycle.accept(declined, now=NOW, timing=TIMING)
    with pytest.raises(ConflictError, match="match_state"):
        lifecycle.complete(match, now=NOW, timing=TIMING, by="volunteer")  # not accepted yet
    with pytest.raises(ConflictError, match="match_state"):
        lifecycle.feedback(match, role=Role.SEEKER, rating=5, comment=None, now=NOW)  # not completed


def test_feedback_from_each_side_once_after_completion() -> None:
    match = step(new_match(), lifecycle.accept(new_match(), now=NOW, timing=TIMING))
    done = step(match, lifecycle.complete(match, now=NOW, timing=TIMING, by="volunteer"))
    changes = lifecycle.feedback(done, role=Role.SEEKER, rating=5, comment="Merci !", now=NOW)
    assert changes == {"feedback.seeker": {"rating": 5, "comment": "Merci !", "at": iso(NOW)}}
    given = {**done, "feedback": {"seeker": changes["feedback.seeker"]}}
    with pytest.raises(ConflictError, match="feedback_already_given"):
        lifecycle.feedback(given, role=Role.SEEKER, rating=4, comment=None, now=NOW)
    assert lifecycle.feedback(given, role=Role.VOLUNTEER, rating=4, comment=None, now=NOW)
    with pytest.raises(ConflictError, match="rating_out_of_range"):
        lifecycle.feedback(done, role=Role.VOLUNTEER, rating=6, comment=None, now=NOW)


def test_the_request_follows_its_match_and_keeps_its_waiting_time() -> None:
    request = help_requests.new_request(
        request_id="rq_1", subject="u_seeker001", kind=Help.CV_REVIEW, now=NOW, origin="direct"
    )
    assert request["status"] == "awaiting-sharing-choice" and request["sharing"] is None
    assert help_requests.after_match_change(MatchStatus.ACCEPTED, now=NOW)["status"] == RequestStatus.MATCHED
    for ended in (MatchStatus.DECLINED, MatchStatus.EXPIRED, MatchStatus.LAPSED, MatchStatus.CLOSED):
        changes = help_requests.after_match_change(ended, now=NOW)
        assert changes["status"] == RequestStatus.OPEN and changes["current_match_id"] is None
        assert "opened_at" not in changes  # the waiting time goes on
    assert help_requests.after_match_change(MatchStatus.COMPLETED, now=NOW)["status"] == "completed"


def test_the_monthly_load_counts_helps_given_or_promised_this_month() -> None:
    def match(status: str, month: str = "2026-11", volunteer: str = "u_a") -> dict[str, str]:
        return {"status": status, "month": month, "volunteer": volunteer}

    load = lifecycle.monthly_load(
        [
            match("proposed"),
            match("accepted"),
            match("completed"),
            match("declined"),
            match("expired"),
            match("completed", month="2026-10"),
            match("in-progress", volunteer="u_b"),
        ],
        "2026-11",
    )
    assert load == {"u_a": 3, "u_b": 1}
    assert lifecycle.month_of(NOW) == "2026-11"
