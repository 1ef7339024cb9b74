"""Login links, password resets and email-change confirmations arrive by email and work once (profile,
notifications and gateway together)."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest

from tests.support.journey import sign_up
from tests.support.mail import link_token, read_mail
from tests.support.system import System, eventually

pytestmark = pytest.mark.integration


async def test_login_link_and_password_reset_arrive_by_email(
    client: httpx.AsyncClient, accounts_system: System
) -> None:
    person = await sign_up(client)
    before = set(accounts_system.mails())
    assert (await client.post("/v1/auth/login-link", json={"email": person.email})).status_code == 202

    def link_mail() -> list[Path]:
        return [m for m in accounts_system.mails() if m not in before and (person.email or "?") in read_mail(m).to]

    token = link_token(read_mail((await eventually(link_mail, timeout=10))[0]), "/link/login")
    session = await client.post("/v1/auth/login-link/redeem", json={"token": token})
    assert session.status_code == 200 and session.json()["user_id"] == person.user_id
    again = await client.post("/v1/auth/login-link/redeem", json={"token": token})
    assert again.status_code == 401  # a link works once

    before = set(accounts_system.mails())
    await client.post("/v1/auth/password-reset", json={"email": person.email})
    token = link_token(read_mail((await eventually(link_mail, timeout=10))[0]), "/link/reset-password")
    reset = await client.post(
        "/v1/auth/password-reset/confirm", json={"token": token, "password": "un nouveau mot de passe"}
    )
    assert reset.status_code == 200
    old = await client.post("/v1/auth/refresh", json={"refresh_token": person.refresh_token})
    assert old.status_code == 401  # every other session ended
    login = await client.post("/v1/auth/login", json={"email": person.email, "password": "un nouveau mot de passe"})
    assert login.status_code == 200


async def test_an_email_change_is_confirmed_by_a_link_sent_to_the_new_address(
    client: httpx.AsyncClient, accounts_system: System
) -> None:
    person = await sign_up(client)
    new_email = f"nouvelle-{uuid.uuid4().hex[:8]}@example.org"
    asked = await client.post("/v1/me/email", headers=person.auth, json={"new_email": new_email})
    assert asked.status_code == 202, asked.text
    # Nothing changes until the link is followed.
    before = await client.post("/v1/auth/login", json={"email": person.email, "password": "un long mot de passe"})
    assert before.status_code == 200

    def to_the_new_address() -> list[Path]:
        return [m for m in accounts_system.mails() if new_email in read_mail(m).to]

    (mail,) = await eventually(to_the_new_address, timeout=10)
    token = link_token(read_mail(mail), "/link/confirm-email")
    assert (await client.post("/v1/auth/email-change/confirm", json={"token": token})).status_code == 204
    again = await client.post("/v1/auth/email-change/confirm", json={"token": token})
    assert again.status_code == 401  # a link works once

    new = await client.post("/v1/auth/login", json={"email": new_email, "password": "un long mot de passe"})
    assert new.status_code == 200 and new.json()["user_id"] == person.user_id
    old = await client.post("/v1/auth/login", json={"email": person.email, "password": "un long mot de passe"})
    assert old.status_code == 401 and old.json()["code"] == "invalid_credentials"
    # Every session ended with the change.
    assert (await client.post("/v1/auth/refresh", json={"refresh_token": person.refresh_token})).status_code == 401
    profile = await client.get("/v1/me/profile", headers={"authorization": f"Bearer {new.json()['access_token']}"})
    assert profile.json()["email"] == new_email
