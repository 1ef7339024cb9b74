"""Login links and password resets arrive by email and work once (profile, notifications and gateway together)."""

from __future__ import annotations

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
