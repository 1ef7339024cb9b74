"""A counsellor's journey in a real browser: open a job seeker's invitation link, create a counsellor
account on the way, follow the person, read about her — in the third person, only what she chose to
share — and be told, once she stops sharing, that she ended it and when. The job seeker invites
through the public API, then changes what she shares and stops sharing from her own page, in a tab of
her own.
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
        profile = (await client.get("/v1/me/profile", headers=seeker.auth)).json()
        saved = await client.patch(
            "/v1/me/profile",
            headers=seeker.auth,
            json={
                "revision": profile["revision"],
                "profile": {"gender": "FEMININE", "frustrations": ["AGE_DISCRIMINATION", "MOTIVATION"]},
            },
        )
        assert saved.status_code == 200, saved.text
        # She shares her diagnosis and what is hard for her, not the progress of her plan.
        invitation = (
            await client.post(
                "/v1/me/counsellor-invitations", headers=seeker.auth, json={"shared": ["diagnosis", "frustrations"]}
            )
        ).json()
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
        return await page.get_by_text(re.compile("^Sa priorité : ")).count() > 0

    await eventually(diagnosed, timeout=60, interval=1)
    # About her, not to her: third person, in her grammatical gender (this used to say "Votre priorité").
    main = page.get_by_role("main")
    await expect(main.get_by_text("Elle craint d'être jugée sur son âge.")).to_be_visible()
    await expect(main.get_by_text("Elle a du mal à garder le moral.")).to_be_visible()
    await expect(main.get_by_role("heading", name="Ce qui est difficile pour elle")).to_be_visible()
    await expect(main.get_by_text(re.compile(r"\b(Votre|Vos|Vous craignez)\b"))).to_have_count(0)
    # Only what she shares: no progress of her plan, and it says so.
    await expect(main.get_by_role("heading", name="L'avancée de son plan")).to_have_count(0)
    await expect(
        main.get_by_text(f"{seeker.first_name} ne partage pas avec vous : l'avancée de son plan.")
    ).to_be_visible()
    await shots.take(page, "person")
    await assert_accessible(page, "counsellor: one person")

    await page.get_by_role("link", name="Revenir à la liste").click()
    await expect(page.get_by_role("link", name=seeker.first_name)).to_be_visible()
    await expect(page.get_by_text("Partage : diagnostic, difficultés")).to_be_visible()
    await shots.take(page, "people")
    await assert_accessible(page, "counsellor: people")

    # Her own tab: she chooses what the counsellor sees, item by item, then stops sharing.
    hers = await context.new_page()
    her_errors = PageErrors(hers)
    await hers.goto(base + "/login")
    await hers.get_by_label("Adresse e-mail").fill(seeker.email or "")
    await hers.get_by_label("Mot de passe").fill("un long mot de passe")
    await hers.get_by_role("button", name="Se connecter").click()
    await expect(hers.get_by_role("heading", level=1)).to_have_text("Votre diagnostic")
    await hers.goto(base + "/settings/counsellors")
    await expect(hers.get_by_role("heading", level=1)).to_have_text("Partager avec un conseiller ou une conseillère")
    await expect(hers.get_by_role("heading", name=name, level=2)).to_be_visible()
    chosen = hers.get_by_role("group", name=f"Ce que {name} voit")
    await expect(chosen.get_by_role("checkbox", name=re.compile("^Mon diagnostic"))).to_be_checked()
    await expect(chosen.get_by_role("checkbox", name=re.compile("^L'avancée de mon plan"))).not_to_be_checked()
    await assert_accessible(hers, "job seeker: sharing with a counsellor")
    await chosen.get_by_role("checkbox", name=re.compile("^L'avancée de mon plan")).check()
    await chosen.get_by_role("checkbox", name=re.compile("^Ce qui est difficile pour moi")).uncheck()
    await hers.get_by_role("button", name="Enregistrer ce choix").click()
    await expect(hers.get_by_text(f"C'est enregistré : {name} voit seulement ce que vous avez coché.")).to_be_visible()

    await page.goto(f"{base}/counsellor/people/{seeker.user_id}")
    await expect(page.get_by_role("heading", name="L'avancée de son plan")).to_be_visible()
    await expect(page.get_by_role("heading", name="Ce qui est difficile pour elle")).to_have_count(0)
    await expect(page.get_by_text("Elle craint d'être jugée sur son âge.")).to_have_count(0)

    await hers.get_by_role("button", name="Arrêter le partage").click()
    await expect(hers.get_by_text(f"Arrêter le partage avec {name} ?", exact=False)).to_be_visible()
    await assert_accessible(hers, "job seeker: stop sharing, confirmation")
    await hers.get_by_role("button", name="Oui, arrêter le partage").click()
    await expect(hers.get_by_text("Vous ne partagez avec personne.")).to_be_visible()
    her_errors.assert_none()

    # The counsellor's page says she ended it, and when — not that the page does not exist.
    await page.reload()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Partage terminé")
    await expect(
        page.get_by_text(re.compile(r"^Cette personne a mis fin au partage le \d{1,2} \S+ \d{4}\."))
    ).to_be_visible()
    await expect(page.get_by_text("Cette ressource n'existe pas")).to_have_count(0)
    await assert_accessible(page, "counsellor: sharing ended")
    await page.get_by_role("link", name="Revenir à la liste").click()
    await expect(page.get_by_role("link", name=seeker.first_name)).to_have_count(0)
    await expect(page.get_by_text("Personne ne partage encore son suivi avec vous.")).to_be_visible()
    errors.assert_none()
