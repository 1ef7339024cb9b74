"""The end of the questionnaire is a fact the person gives, once, and profile-updated carries it (a date)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from services.profile.edits import read_profile_patch
from services.profile.facts import profile_updated
from services.profile.profiles import profile_view
from shared.problems import InvalidInputError

TODAY = date(2026, 11, 20)


def stored(**changes: Any) -> dict[str, Any]:
    return {
        "_id": "u_0123456789abcdef",
        "revision": 4,
        "registered_at": "2026-11-01",
        "profile": {},
        "projects": [],
        "preferences": {},
        "consents": {"coaching": True},
        **changes,
    }


def test_reaching_the_end_sets_the_day_once_and_it_is_published() -> None:
    doc = stored()
    assert profile_updated(doc, is_guest=False).data.questionnaire_finished_at is None
    _, merged = read_profile_patch({"revision": 4, "questionnaire_finished": True}, doc, today=TODAY, stored_revision=4)
    assert merged["questionnaire_finished_at"] == "2026-11-20"
    assert profile_updated(merged, is_guest=False).data.questionnaire_finished_at == TODAY
    assert profile_view(merged, {"first_name": None}).questionnaire_finished_at == TODAY
    # Reaching the end again (after going back to a question) does not move the day.
    _, again = read_profile_patch(
        {"revision": 4, "questionnaire_finished": True}, merged, today=date(2026, 12, 1), stored_revision=4
    )
    assert again["questionnaire_finished_at"] == "2026-11-20"
    # Other saves keep it.
    _, other = read_profile_patch(
        {"revision": 4, "preferences": {"locale": "en"}}, merged, today=TODAY, stored_revision=4
    )
    assert other["questionnaire_finished_at"] == "2026-11-20"


@pytest.mark.parametrize("value", [False, "yes", 1])
def test_only_true_can_be_said(value: object) -> None:
    with pytest.raises(InvalidInputError) as refused:
        read_profile_patch({"revision": 4, "questionnaire_finished": value}, stored(), today=TODAY, stored_revision=4)
    assert [p.field for p in refused.value.problems] == ["questionnaire_finished"]
