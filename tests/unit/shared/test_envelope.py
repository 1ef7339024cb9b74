from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from shared.contracts.profile import ProfileFacts, ProfileUpdated, ProfileUpdatedData, UserErased
from shared.envelope import iso
from shared.topics import EVENT_BY_TOPIC, all_topics, dlq_topic


def profile_updated(subject: str = "u_0123456789abcdef") -> ProfileUpdated:
    return ProfileUpdated(
        subject=subject, data=ProfileUpdatedData(revision=1, registered_at="2026-11-01", profile=ProfileFacts())
    )


def test_an_event_survives_a_round_trip_through_json() -> None:
    event = profile_updated()
    again = ProfileUpdated.model_validate_json(event.model_dump_json())
    assert again == event
    assert again.event_type == "profile-updated" and again.producer == "profile" and again.schema_version == 1
    assert again.occurred_at.tzinfo is not None


def test_the_message_key_is_the_pseudonymous_subject() -> None:
    assert profile_updated().key() == b"u_0123456789abcdef"


@pytest.mark.parametrize("subject", ["martine@example.org", "short", "Martine Dupont"])
def test_a_subject_that_is_not_a_pseudonymous_id_is_refused(subject: str) -> None:
    with pytest.raises(ValidationError):
        profile_updated(subject)


def test_consumers_ignore_fields_added_by_a_newer_producer() -> None:
    payload = profile_updated().model_dump(mode="json")
    payload["data"]["new_optional_field"] = 42
    payload["brand_new_envelope_field"] = "x"
    assert ProfileUpdated.model_validate(payload).data.revision == 1


def test_every_topic_has_its_event_and_a_dead_letter_topic() -> None:
    assert EVENT_BY_TOPIC["user-erased"] is UserErased
    assert "p.profile-updated.dlq" in all_topics("p.")
    assert dlq_topic("action-due") == "action-due.dlq"


def test_iso_is_fixed_width_utc_so_text_order_is_time_order() -> None:
    paris = timezone(timedelta(hours=1))
    a = datetime(2026, 11, 22, 10, 0, 0, tzinfo=paris)
    b = datetime(2026, 11, 22, 9, 0, 0, 500, tzinfo=UTC)
    assert iso(a) == "2026-11-22T09:00:00.000000+00:00"
    assert iso(a) < iso(b)
    with pytest.raises(ValueError, match="naive"):
        iso(datetime(2026, 1, 1))
