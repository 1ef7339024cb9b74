"""Signed links: they name one person for one purpose until they expire, and cannot be altered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.notifications.links import UNSUBSCRIBE, LinkMaker, sign, survey_purpose, verify
from tests.unit.notifications.support import SUBJECT

NOW = datetime(2026, 11, 2, 9, tzinfo=UTC)
SECRET = "a-secret-of-the-right-length-for-tests"


def test_a_signed_link_names_its_person() -> None:
    token = sign(SECRET, purpose=UNSUBSCRIBE, subject=SUBJECT, expires_at=NOW + timedelta(days=1))
    assert verify(SECRET, token, purpose=UNSUBSCRIBE, now=NOW) == SUBJECT


def test_expired_altered_foreign_or_repurposed_links_are_refused() -> None:
    token = sign(SECRET, purpose=UNSUBSCRIBE, subject=SUBJECT, expires_at=NOW + timedelta(days=1))
    assert verify(SECRET, token, purpose=UNSUBSCRIBE, now=NOW + timedelta(days=2)) is None
    assert verify("another-secret", token, purpose=UNSUBSCRIBE, now=NOW) is None
    assert verify(SECRET, token, purpose=survey_purpose("nps"), now=NOW) is None
    other = sign(SECRET, purpose=UNSUBSCRIBE, subject="u_someone_else", expires_at=NOW + timedelta(days=1))
    forged = other.split(".")[0] + "." + token.split(".")[1]
    assert verify(SECRET, forged, purpose=UNSUBSCRIBE, now=NOW) is None
    assert verify(SECRET, "not a token", purpose=UNSUBSCRIBE, now=NOW) is None
    assert verify(SECRET, "", purpose=UNSUBSCRIBE, now=NOW) is None


def test_links_point_to_the_public_pages() -> None:
    links = LinkMaker("https://coach.example/", SECRET, NOW)
    assert links.unsubscribe_page(SUBJECT).startswith("https://coach.example/emails/unsubscribe?token=")
    assert links.one_click(SUBJECT).startswith("https://coach.example/v1/emails/unsubscribe/one-click?token=")
    assert links.survey("nps", SUBJECT).startswith("https://coach.example/surveys/nps?token=")
