"""The signed, expiring email confirmation token of a pledge."""

from __future__ import annotations

from datetime import timedelta

from services.volunteers.confirmation import read_confirmation, sign_confirmation
from tests.unit.volunteers.conftest import NOW

SECRET = "a-test-secret-of-at-least-32-characters"


def test_a_token_confirms_its_volunteer_until_it_expires() -> None:
    token = sign_confirmation("u_1a2b3c4d", secret=SECRET, expires_at=NOW + timedelta(hours=72))
    assert read_confirmation(token, secret=SECRET, now=NOW) == "u_1a2b3c4d"
    assert read_confirmation(token, secret=SECRET, now=NOW + timedelta(hours=72)) is None


def test_forged_or_damaged_tokens_are_refused() -> None:
    token = sign_confirmation("u_1a2b3c4d", secret=SECRET, expires_at=NOW + timedelta(hours=1))
    payload, _, signature = token.partition(".")
    other = sign_confirmation("u_attacker", secret=SECRET, expires_at=NOW + timedelta(hours=1))
    assert read_confirmation(token, secret="another-secret", now=NOW) is None
    assert read_confirmation(other.partition(".")[0] + "." + signature, secret=SECRET, now=NOW) is None
    assert read_confirmation(payload, secret=SECRET, now=NOW) is None
    assert read_confirmation("not a token!", secret=SECRET, now=NOW) is None
    assert read_confirmation(token[:-3] + "AAA", secret=SECRET, now=NOW) is None
