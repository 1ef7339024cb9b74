"""Accounts cannot be taken over or destroyed (issue 17), through the public API of a running system.

* every route that creates or changes a unique value answers the documented 409 on a clash, and both
  accounts are intact afterwards (each still logs in with its own password, keeps its profile);
* a changed password, email or reset ends every other session and spends every emailed link; a new
  link of a kind cancels the older ones;
* rate limits count failures per (address, account) and per account: hammering an account from one
  address does not lock its owner out, and a 429 says in French how long to wait and what else to do;
* new passwords are refused when short, personal or common; an email change does not tell whether
  the address has an account.

The gateway here trusts 127.0.0.1 as a proxy, so each test speaks from addresses of its own
(``X-Forwarded-For``); tests/integration/test_accounts.py checks that no header is trusted by default.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.journey import Person, sign_up, sign_up_as_guest
from tests.support.mail import link_token, read_mail
from tests.support.system import Broker, System, eventually, start_system

pytestmark = pytest.mark.integration
PASSWORD = "un long mot de passe"
PAIR_FAILURES, ACCOUNT_FAILURES, SIGNUP_BURST = 3, 6, 4


@pytest.fixture(scope="module")
async def secured(broker: Broker, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[System]:
    failures = f'"per_address_account": "{PAIR_FAILURES}/minute", "per_account": "{ACCOUNT_FAILURES}/minute"'
    running = await start_system(
        broker,
        tmp_path_factory.mktemp("account-security") / "var",
        services=["profile", "notifications", "volunteers", "gateway"],
        extra_env={
            "GATEWAY_TRUSTED_PROXIES": '["127.0.0.1"]',
            "GATEWAY_RATE_LIMIT_LOGIN": f'{{"per_address": "1000/minute", {failures}}}',
            "GATEWAY_RATE_LIMIT_PASSWORD": f'{{"per_address": "1000/minute", {failures}}}',
            "GATEWAY_RATE_LIMIT_SIGNUP": f'{{"per_address": "{SIGNUP_BURST}/minute", "per_account": "100/hour"}}',
        },
    )
    yield running
    running.stop()


def address() -> str:
    """Return a client address of this test's own (documentation range), so limits never mix."""
    return f"198.51.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"


@pytest.fixture
async def client(secured: System) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        base_url=secured.url("gateway"), timeout=15, headers={"x-forwarded-for": address()}
    ) as http:
        yield http


def bearer(tokens: dict[str, Any]) -> dict[str, str]:
    return {"authorization": f"Bearer {tokens['access_token']}"}


async def log_in(client: httpx.AsyncClient, email: str, password: str = PASSWORD, **kwargs: Any) -> httpx.Response:
    return await client.post("/v1/auth/login", json={"email": email, "password": password}, **kwargs)


async def assert_intact(client: httpx.AsyncClient, person: Person, password: str = PASSWORD) -> None:
    """The person still logs in with their own password and reads their own profile."""
    assert person.email is not None
    login = await log_in(client, person.email, password)
    assert login.status_code == 200, login.text
    assert login.json()["user_id"] == person.user_id
    profile = await client.get("/v1/me/profile", headers=bearer(login.json()))
    assert profile.status_code == 200 and profile.json()["email"] == person.email


def mails_to(system: System, recipient: str, before: set[Path]) -> list[Path]:
    return [m for m in system.mails() if m not in before and recipient in read_mail(m).to]


async def emailed_token(system: System, recipient: str, before: set[Path], path: str) -> str:
    mails = await eventually(lambda: mails_to(system, recipient, before), timeout=15)
    return link_token(read_mail(mails[-1]), path)


# --- 409 on every route that creates or changes a unique value; both accounts intact ----------------


async def test_a_guest_cannot_take_over_an_address_that_has_an_account(client: httpx.AsyncClient) -> None:
    """The issue's report, replayed: the upgrade is refused and the victim keeps everything."""
    victim = await sign_up(client)
    assert victim.email is not None
    guest = await sign_up_as_guest(client)
    await client.post("/v1/me/projects", headers=guest.auth, json={"revision": 0, "project": {"job_code_ogr": "12694"}})

    upgrade = await client.post(
        "/v1/me/upgrade", headers=guest.auth, json={"email": victim.email, "password": "attacker password 1"}
    )
    assert upgrade.status_code == 409 and upgrade.json()["code"] == "email_taken"

    await assert_intact(client, victim)
    assert (await log_in(client, victim.email, "attacker password 1")).status_code == 401
    guest_profile = (await client.get("/v1/me/profile", headers=guest.auth)).json()
    assert guest_profile["is_guest"] is True and guest_profile.get("email") is None
    assert len(guest_profile["projects"]) == 1
    # The guest can still upgrade with an address of their own.
    own = f"{guest.user_id}@example.org"
    assert (
        await client.post("/v1/me/upgrade", headers=guest.auth, json={"email": own, "password": PASSWORD})
    ).is_success


async def test_signing_up_with_a_taken_address_is_a_conflict(client: httpx.AsyncClient) -> None:
    owner = await sign_up(client)
    again = await client.post(
        "/v1/auth/signup",
        json={"first_name": "Autre", "email": (owner.email or "").upper(), "password": "attacker password 1"},
    )
    assert again.status_code == 409 and again.json()["code"] == "email_taken"
    await assert_intact(client, owner)


async def test_signing_up_as_a_volunteer_with_a_taken_address_is_a_conflict(client: httpx.AsyncClient) -> None:
    owner = await sign_up(client)
    pledge = {"kinds": ["cv-review"], "monthly_capacity": 2, "job_groups": ["M1203"]}
    volunteer = await client.post(
        "/v1/volunteers/signup",
        json={"first_name": "Claire", "email": owner.email, "password": "attacker password 1", "pledge": pledge},
    )
    assert volunteer.status_code == 409 and volunteer.json()["code"] == "email_taken", volunteer.text
    await assert_intact(client, owner)


async def test_an_email_change_to_a_taken_address_tells_nothing_and_mails_its_owner(
    client: httpx.AsyncClient, secured: System
) -> None:
    owner, asker = await sign_up(client), await sign_up(client)
    assert owner.email is not None
    free = f"libre-{uuid.uuid4().hex[:8]}@example.org"
    before = set(secured.mails())
    to_taken = await client.post("/v1/me/email", headers=asker.auth, json={"new_email": owner.email})
    to_free = await client.post("/v1/me/email", headers=asker.auth, json={"new_email": free})
    assert to_taken.status_code == to_free.status_code == 202
    assert to_taken.json() == to_free.json()

    (taken_mail,) = await eventually(lambda: mails_to(secured, owner.email or "?", before), timeout=15)
    said = read_mail(taken_mail)
    assert "déjà un compte" in said.subject and "/link/confirm-email" not in said.text
    confirm = await emailed_token(secured, free, before, "/link/confirm-email")
    assert confirm
    # The asker's own log cannot tell the two apart either.
    campaigns = [m["campaign"] for m in (await client.get("/v1/me/emails", headers=asker.auth)).json()]
    assert "email-change-taken" not in campaigns
    await assert_intact(client, owner)
    await assert_intact(client, asker)


async def test_confirming_an_address_taken_in_between_is_a_conflict(client: httpx.AsyncClient, secured: System) -> None:
    first, second = await sign_up(client), await sign_up(client)
    wanted = f"convoitee-{uuid.uuid4().hex[:8]}@example.org"
    before = set(secured.mails())
    await client.post("/v1/me/email", headers=first.auth, json={"new_email": wanted})
    await client.post("/v1/me/email", headers=second.auth, json={"new_email": wanted})
    mails = await eventually(lambda: len(mails_to(secured, wanted, before)) == 2 and mails_to(secured, wanted, before))
    tokens = [link_token(read_mail(m), "/link/confirm-email") for m in mails]
    answers = [(await client.post("/v1/auth/email-change/confirm", json={"token": t})).status_code for t in tokens]
    assert sorted(answers) == [204, 409]
    winner, loser = (
        (first, second) if (await log_in(client, wanted)).json()["user_id"] == first.user_id else (second, first)
    )
    await assert_intact(client, loser)
    assert (await log_in(client, wanted)).json()["user_id"] == winner.user_id
    assert winner.email is not None and (await log_in(client, winner.email)).status_code == 401


async def test_a_counsellor_link_accepted_twice_stays_one_link_and_touches_no_other(client: httpx.AsyncClient) -> None:
    person, other = await sign_up(client), await sign_up(client)
    counsellor = await sign_up(client, role="counsellor")
    for who in (person, person, other):
        invitation = (await client.post("/v1/me/counsellor-invitations", headers=who.auth)).json()
        accepted = await client.post(
            "/v1/counsellor/invitations/accept",
            headers=counsellor.auth,
            json={"token": invitation["link"].split("#", 1)[1]},
        )
        assert accepted.status_code == 200, accepted.text
    followed = (await client.get("/v1/counsellor/people", headers=counsellor.auth)).json()
    assert sorted(link["user_id"] for link in followed) == sorted([person.user_id, other.user_id])
    for who in (person, other, counsellor):
        await assert_intact(client, who)


# --- changed credentials end the other sessions and spend the links ---------------------------------


async def test_a_password_change_ends_every_other_session_and_spends_every_link(
    client: httpx.AsyncClient, secured: System
) -> None:
    person = await sign_up(client)
    assert person.email is not None
    elsewhere = (await log_in(client, person.email)).json()
    before = set(secured.mails())
    await client.post("/v1/auth/login-link", json={"email": person.email})
    login_token = await emailed_token(secured, person.email, before, "/link/login")
    before = set(secured.mails())
    await client.post("/v1/auth/password-reset", json={"email": person.email})
    reset_token = await emailed_token(secured, person.email, before, "/link/reset-password")

    changed = await client.post(
        "/v1/me/password",
        headers=person.auth,
        json={"current_password": PASSWORD, "new_password": "une toute nouvelle phrase"},
    )
    assert changed.status_code == 204, changed.text

    here = await client.post("/v1/auth/refresh", json={"refresh_token": person.refresh_token})
    assert here.status_code == 200  # the session that changed it goes on
    there = await client.post("/v1/auth/refresh", json={"refresh_token": elsewhere["refresh_token"]})
    assert there.status_code == 401 and there.json()["code"] == "session_expired"
    assert (await client.post("/v1/auth/login-link/redeem", json={"token": login_token})).status_code == 401
    reset = await client.post(
        "/v1/auth/password-reset/confirm", json={"token": reset_token, "password": "encore une autre phrase"}
    )
    assert reset.status_code == 401
    assert (await log_in(client, person.email, "une toute nouvelle phrase")).status_code == 200


async def test_a_reset_and_an_email_change_end_every_session_and_spend_the_other_links(
    client: httpx.AsyncClient, secured: System
) -> None:
    person = await sign_up(client)
    assert person.email is not None
    before = set(secured.mails())
    await client.post("/v1/auth/login-link", json={"email": person.email})
    login_token = await emailed_token(secured, person.email, before, "/link/login")
    new_email = f"nouvelle-{uuid.uuid4().hex[:8]}@example.org"
    before = set(secured.mails())
    await client.post("/v1/me/email", headers=person.auth, json={"new_email": new_email})
    change_token = await emailed_token(secured, new_email, before, "/link/confirm-email")
    before = set(secured.mails())
    await client.post("/v1/auth/password-reset", json={"email": person.email})
    reset_token = await emailed_token(secured, person.email, before, "/link/reset-password")

    reset = await client.post(
        "/v1/auth/password-reset/confirm", json={"token": reset_token, "password": "une toute nouvelle phrase"}
    )
    assert reset.status_code == 200
    assert (await client.post("/v1/auth/refresh", json={"refresh_token": person.refresh_token})).status_code == 401
    assert (await client.post("/v1/auth/login-link/redeem", json={"token": login_token})).status_code == 401
    assert (await client.post("/v1/auth/email-change/confirm", json={"token": change_token})).status_code == 401

    # An email change confirmed ends the session the reset opened.
    before = set(secured.mails())
    await client.post("/v1/me/email", headers=bearer(reset.json()), json={"new_email": new_email})
    change_token = await emailed_token(secured, new_email, before, "/link/confirm-email")
    assert (await client.post("/v1/auth/email-change/confirm", json={"token": change_token})).status_code == 204
    after = await client.post("/v1/auth/refresh", json={"refresh_token": reset.json()["refresh_token"]})
    assert after.status_code == 401


async def test_a_new_link_of_a_kind_cancels_the_older_one(client: httpx.AsyncClient, secured: System) -> None:
    person = await sign_up(client)
    assert person.email is not None
    tokens = []
    for _ in range(2):
        before = set(secured.mails())
        await client.post("/v1/auth/login-link", json={"email": person.email})
        tokens.append(await emailed_token(secured, person.email, before, "/link/login"))
    assert (await client.post("/v1/auth/login-link/redeem", json={"token": tokens[0]})).status_code == 401
    assert (await client.post("/v1/auth/login-link/redeem", json={"token": tokens[1]})).status_code == 200


# --- rate limits that cannot lock a person out ------------------------------------------------------


async def test_failed_logins_from_one_address_do_not_lock_the_owner_out(secured: System) -> None:
    async with httpx.AsyncClient(base_url=secured.url("gateway"), timeout=15) as client:
        owner = await sign_up(client)
        assert owner.email is not None
        attacker = {"x-forwarded-for": address()}
        statuses = [
            (await log_in(client, owner.email, "pas le bon mot de passe", headers=attacker)).status_code
            for _ in range(PAIR_FAILURES + 1)
        ]
        assert statuses == [401] * PAIR_FAILURES + [429]
        refused = await log_in(client, owner.email, headers=attacker)
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
        assert "lien de connexion" in refused.json()["detail"] and "Réessayez dans" in refused.json()["detail"]
        # The owner, from their own address, gets in with the right password.
        assert (await log_in(client, owner.email, headers={"x-forwarded-for": address()})).status_code == 200


async def test_guesses_spread_over_many_addresses_stop_and_the_answer_offers_a_login_link(secured: System) -> None:
    async with httpx.AsyncClient(base_url=secured.url("gateway"), timeout=15) as client:
        owner = await sign_up(client)
        assert owner.email is not None
        for _ in range(ACCOUNT_FAILURES):
            wrong = await log_in(client, owner.email, "pas le bon mot de passe", headers={"x-forwarded-for": address()})
            assert wrong.status_code == 401
        ceiling = await log_in(client, owner.email, headers={"x-forwarded-for": address()})
        assert ceiling.status_code == 429
        english = await log_in(client, owner.email, headers={"x-forwarded-for": address(), "accept-language": "en"})
        assert "login link" in english.json()["detail"]
        assert "lien de connexion" in ceiling.json()["detail"]
        # The way in that needs no password stays open.
        link = await client.post(
            "/v1/auth/login-link", json={"email": owner.email}, headers={"x-forwarded-for": address()}
        )
        assert link.status_code == 202


async def test_the_current_password_is_rate_limited_per_account(client: httpx.AsyncClient) -> None:
    person = await sign_up(client)
    body = {"current_password": "pas le bon mot de passe", "new_password": "une toute nouvelle phrase"}
    statuses = [
        (await client.post("/v1/me/password", headers=person.auth, json=body)).status_code
        for _ in range(PAIR_FAILURES + 1)
    ]
    assert statuses == [409] * PAIR_FAILURES + [429]
    right = await client.post(
        "/v1/me/password",
        headers=person.auth,
        json={"current_password": PASSWORD, "new_password": "une toute nouvelle phrase"},
    )
    assert right.status_code == 429  # refused before any hashing while the limit holds
    assert "Mot de passe oublié" in right.json()["detail"]


async def test_sign_ups_from_one_connection_allow_a_group_then_say_how_long_to_wait(secured: System) -> None:
    agency = {"x-forwarded-for": address()}
    async with httpx.AsyncClient(base_url=secured.url("gateway"), timeout=15, headers=agency) as client:
        for _ in range(SIGNUP_BURST):
            await sign_up_as_guest(client)
        refused = await client.post("/v1/auth/guest", json={"first_name": "Yasmine"})
        assert refused.status_code == 429 and refused.json()["code"] == "rate_limited"
        wait = int(refused.headers["retry-after"])
        assert 1 <= wait <= 60
        detail = refused.json()["detail"]
        assert detail.startswith("Beaucoup de comptes ont été créés depuis cette connexion internet. Réessayez dans ")
        assert "téléphone" in detail
    async with httpx.AsyncClient(base_url=secured.url("gateway"), timeout=15) as client:
        other = await client.post(
            "/v1/auth/guest", json={"first_name": "Yasmine"}, headers={"x-forwarded-for": address()}
        )
        assert other.status_code == 201


# --- new passwords ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "code", "words"),
    [
        ("court mot", "string_too_short", "au moins 12 caractères"),
        ("azertyuiop123", "password_too_common", "plus utilisés"),
        ("Bérangère Bérangère", "password_is_personal", "prénom"),
    ],
)
async def test_weak_new_passwords_are_refused_with_a_reason_in_french(
    client: httpx.AsyncClient, password: str, code: str, words: str
) -> None:
    email = f"berangere-{uuid.uuid4().hex[:6]}@example.org"
    refused = await client.post(
        "/v1/auth/signup", json={"first_name": "Bérangère", "email": email, "password": password}
    )
    assert refused.status_code == 422, refused.text
    (error,) = refused.json()["errors"]
    assert (error["field"], error["code"]) == ("password", code)
    assert words in error["reason"]
    # The same rules hold for a password change (the personal one built from this person's own name).
    person = await sign_up(client)
    new_password = f"{person.first_name} {person.first_name}" if code == "password_is_personal" else password
    change = await client.post(
        "/v1/me/password", headers=person.auth, json={"current_password": PASSWORD, "new_password": new_password}
    )
    assert change.status_code == 422 and change.json()["errors"][0]["field"] == "new_password"
    await assert_intact(client, person)
