"""New passwords: never the person's own address or name, never a common or guessable one (ASVS 5.0 §6.2)."""

from __future__ import annotations

import pytest

from services.profile.password_policy import password_problem

EMAIL, FIRST_NAME = "martine.dupont@example.org", "Martine"


@pytest.mark.parametrize(
    "password",
    [
        "un long mot de passe",
        "mon chat s'appelle Filou",
        "Martine aime les tulipes rouges",  # her name, inside a sentence of her own
        "correct horse battery staple",
        "Tr0ub4dor&3-Zèbre-Lune",
    ],
)
def test_good_passwords_are_accepted(password: str) -> None:
    assert password_problem(password, email=EMAIL, first_name=FIRST_NAME) is None


@pytest.mark.parametrize(
    "password",
    [
        "martine.dupont@example.org",  # the address itself
        "MARTINE.DUPONT@EXAMPLE.ORG",
        "Martine Martine Martine",  # the first name, repeated
        "martine1234567",  # the first name and a sequence
        "martinedupont2024",  # the address's local part and a year
        "Martine!!!!!!!!!",
    ],
)
def test_the_address_or_the_first_name_is_refused(password: str) -> None:
    assert password_problem(password, email=EMAIL, first_name=FIRST_NAME) == "password_is_personal"


@pytest.mark.parametrize(
    "password", ["azertyuiop123", "motdepasse123", "123456789012", "iloveyou1234", "qwertyuiop123"]
)
def test_the_most_common_passwords_are_refused(password: str) -> None:
    assert password_problem(password, email=EMAIL, first_name=FIRST_NAME) == "password_too_common"


@pytest.mark.parametrize("password", ["aaaaaaaaaaaa", "abcdefghijklm"])
def test_guessable_patterns_are_refused(password: str) -> None:
    assert password_problem(password, email=EMAIL, first_name=FIRST_NAME) in {
        "password_too_guessable",
        "password_too_common",
    }


def test_a_guest_without_an_address_is_judged_on_the_first_name_alone() -> None:
    assert password_problem("Karim Karim Karim", email=None, first_name="Karim") == "password_is_personal"
    assert password_problem("un long mot de passe", email=None, first_name=None) is None


def test_passwords_longer_than_the_estimator_takes_are_judged_on_their_start() -> None:
    sentence = "le petit train de montagne grimpe lentement vers le col enneigé " * 3
    assert len(sentence) > 72
    assert password_problem(sentence[:200], email=EMAIL, first_name=FIRST_NAME) is None
