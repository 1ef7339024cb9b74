"""A counsellor's journey in a real browser: open a job seeker's invitation link, create a counsellor
account on the way, follow the person, read their summary and diagnosis, and lose access at once
when the person stops sharing. The job seeker acts through the public API.
"""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.async_api import BrowserContext, expect

from tests.e2e.browser import PageErrors, Shots, assert_accessible
from tests.support.journey import complete_profile, sign_up, unique_name
from tests.support.system import System, eventually

pytestmark = pytest.mark.e2e


async def test_a_counsellor_follows_a_consenting_person_until_they_stop_sharing(
    e2e_system: System, context: BrowserContext, shots: Shots
) -> None:
    base = e2e_system.url("gateway")
    page = await context.new_page()
    errors = PageErrors(page)
    async with httpx.AsyncClient(base_url=base, timeout=15) as client:
        seeker = await sign_up(client, first_name=unique_name("Odile"))
        await complete_profile(client, seeker)
        invitation = (await client.post("/v1/me/counsellor-invitations", headers=seeker.auth)).json()
        fragment = invitation["link"].split("#", 1)[1]

        # The link, opened before having an account: the invitation waits while the account is created.
        await page.goto(f"{base}/link/counsellor#{fragment}")
        await expect(page.get_by_role("heading", level=1)).to_have_text("Invitation d'un conseiller")
        await assert_accessible(page, "counsellor invitation (logged out)")
        await page.get_by_role("link", name="Créer un compte conseiller").click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Créer un compte conseiller")
        await assert_accessible(page, "counsellor sign-up")
        name = unique_name("Paul")
        await page.get_by_label("Votre prénom").fill(name)
        await page.get_by_label("Adresse e-mail").fill(f"{name.lower()}@example.org")
        await page.get_by_label("Mot de passe").fill("un long mot de passe")
        await page.get_by_role("button", name="Créer mon compte").click()

        await expect(page.get_by_text(f"vous suivez désormais {seeker.first_name}")).to_be_visible()
        await assert_accessible(page, "counsellor invitation accepted")
        await page.get_by_role("link", name="Voir son résumé").click()
        await expect(page.get_by_role("heading", level=1)).to_have_text(seeker.first_name)
        await expect(page.get_by_text("Lecture seule.")).to_be_visible()

        async def diagnosed() -> bool:
            await page.reload()
            await expect(page.get_by_text("Lecture seule.")).to_be_visible()  # the page is drawn
            return await page.get_by_role("heading", name=re.compile("^Votre priorité")).count() > 0

        await eventually(diagnosed, timeout=60, interval=1)
        await shots.take(page, "person")
        await assert_accessible(page, "counsellor: one person")

        await page.get_by_role("link", name="Revenir à la liste").click()
        await expect(page.get_by_role("link", name=seeker.first_name)).to_be_visible()
        await shots.take(page, "people")
        await assert_accessible(page, "counsellor: people")

        # The person stops sharing: the counsellor no longer sees anything.
        counsellors = (await client.get("/v1/me/counsellors", headers=seeker.auth)).json()
        revoked = await client.delete(f"/v1/me/counsellors/{counsellors[0]['counsellor_id']}", headers=seeker.auth)
        assert revoked.status_code == 204
    await page.reload()
    await expect(page.get_by_role("link", name=seeker.first_name)).to_have_count(0)
    await expect(page.get_by_text("Personne ne partage encore son suivi avec vous.")).to_be_visible()
    errors.assert_none()
