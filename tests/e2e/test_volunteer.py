"""A volunteer's journey in a real browser: pledge with a new account, confirm the address with the
link of the real email, get matched with a job seeker's CV review, accept, download the CV, send
the review back, and rate the help once the job seeker says it took place.

The job seeker acts through the public API (the same one the client uses) so that the test follows
the volunteer's screens.
"""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from playwright.async_api import BrowserContext, expect

from tests.e2e.browser import PageErrors, Shots, assert_accessible
from tests.support.journey import sign_up, unique_name
from tests.support.mail import link_token, read_mail
from tests.support.system import System, eventually

pytestmark = pytest.mark.e2e
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


async def test_a_volunteer_pledges_reviews_a_cv_and_rates_the_help(
    e2e_system: System, context: BrowserContext, shots: Shots, tmp_path: Path
) -> None:
    base = e2e_system.url("gateway")
    page = await context.new_page()
    errors = PageErrors(page)

    # The pledge, with a new account: what, how often, which trade.
    await page.goto(base + "/volunteers/join")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Devenir bénévole")
    name = unique_name("Claire")
    email = f"{name.lower()}@example.org"
    await page.get_by_label("Votre prénom").fill(name)
    await page.get_by_label("Adresse e-mail").fill(email)
    await page.get_by_label("Mot de passe").fill("un long mot de passe")
    await page.get_by_role("button", name="Je m'engage").click()  # nothing ticked: said kindly
    await expect(page.get_by_text("Cochez au moins une aide.")).to_be_visible()
    await page.get_by_role("checkbox", name=re.compile("^Relecture de CV")).check()
    await page.get_by_label("Combien d'aides par mois, au plus ?").select_option("2")
    jobs = page.get_by_role("combobox", name="Les métiers que vous connaissez")
    await jobs.press_sequentially("coiffeu", delay=30)
    await page.get_by_role("listbox", name="Les métiers que vous connaissez").get_by_role("option").first.click()
    await expect(page.get_by_role("button", name=re.compile("^Retirer Coiffeu"))).to_be_visible()
    await shots.take(page, "pledge-form")
    await assert_accessible(page, "volunteer pledge form")
    await page.get_by_role("button", name="Je m'engage").click()

    await expect(page.get_by_role("heading", level=1)).to_have_text("Mon engagement de bénévole")
    await expect(page.get_by_text("À confirmer")).to_be_visible()
    await assert_accessible(page, "volunteer pledge (to confirm)")

    # The confirmation link of the real email.
    def confirmation() -> str | None:
        for path in e2e_system.mails():
            mail = read_mail(path)
            if email in mail.to and "/link/volunteer-confirm#" in mail.text:
                return link_token(mail, "/link/volunteer-confirm")
        return None

    token = await eventually(confirmation, timeout=30)
    await page.goto(f"{base}/link/volunteer-confirm#{token}")
    await expect(page.get_by_text("votre engagement de bénévole est actif")).to_be_visible()
    assert "#" not in page.url, "the token leaves the address bar once read"
    await assert_accessible(page, "volunteer confirmation link")
    await page.get_by_role("link", name="Mon engagement").last.click()
    await expect(page.get_by_text("Actif", exact=True)).to_be_visible()
    await shots.take(page, "pledge-active")
    await assert_accessible(page, "volunteer pledge (active)")
    await page.get_by_role("button", name="Faire une pause").click()
    await expect(page.get_by_text("En pause", exact=True)).to_be_visible()
    await page.get_by_role("button", name="Reprendre").click()
    await expect(page.get_by_text("Actif", exact=True)).to_be_visible()

    # A job seeker asks for a CV review and sends the CV (through the API).
    async with httpx.AsyncClient(base_url=base, timeout=15) as client:
        seeker = await sign_up(client, first_name=unique_name("Karim"))
        created = await client.post(
            "/v1/me/help-requests",
            headers=seeker.auth,
            json={
                "kind": "cv-review",
                "sharing": {"share_first_name": True, "rome_code": "D1202", "city_insee": "69123"},
            },
        )
        assert created.status_code == 201, created.text
        request_id = created.json()["request_id"]
        uploaded = await client.put(
            f"/v1/me/help-requests/{request_id}/document",
            headers=seeker.auth,
            files={"file": ("cv-karim.pdf", PDF, "application/pdf")},
        )
        assert uploaded.status_code == 201, uploaded.text

        # The volunteer sees the proposal, with only what the job seeker shared.
        await page.get_by_role("link", name="Mes mises en relation").first.click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Mes mises en relation")

        async def proposed() -> bool:
            await page.reload()
            listed = page.get_by_role("link", name=re.compile(seeker.first_name))
            await expect(listed.or_(page.get_by_text("Pas encore de mise en relation."))).to_be_visible()
            return await listed.count() > 0

        await eventually(proposed, timeout=40, interval=1)
        await assert_accessible(page, "volunteer matches")
        await page.get_by_role("link", name=re.compile(seeker.first_name)).click()
        await expect(page.get_by_text(f"Prénom : {seeker.first_name}")).to_be_visible()
        await shots.take(page, "match-proposed")
        await assert_accessible(page, "volunteer match (proposed)")
        await page.get_by_role("button", name="J'accepte d'aider").click()
        await expect(page.get_by_text("Merci ! La personne est prévenue.")).to_be_visible()

        # Messages go through the service; the email address is shown only if both accept.
        await page.get_by_label("Votre message").fill("Bonjour, je lis votre CV ce soir.")
        await page.get_by_role("button", name="Envoyer", exact=True).click()
        await expect(page.get_by_text("Bonjour, je lis votre CV ce soir.")).to_be_visible()
        share = page.get_by_role("button", name="J'accepte de partager mon adresse e-mail")
        await share.click()
        await expect(share).to_have_attribute("aria-pressed", "true")
        messages = (await client.get(f"/v1/me/help-requests/{request_id}/messages", headers=seeker.auth)).json()
        assert [m["body"] for m in messages] == ["Bonjour, je lis votre CV ce soir."]

        # The review: download the CV, send the annotated one back.
        async with page.expect_download() as download_info:
            await page.get_by_role("button", name=re.compile("^Télécharger le document")).click()
        download = await download_info.value
        assert (await download.path()).read_bytes() == PDF
        review = tmp_path / "cv-karim-relu.pdf"
        review.write_bytes(PDF.replace(b"Catalog", b"Catalog /Reviewed true"))
        await page.get_by_label("Votre relecture (le document annoté)").set_input_files(str(review))
        await page.get_by_role("button", name="Envoyer le fichier").click()
        await expect(page.get_by_text("Relecture bien envoyée. Merci !")).to_be_visible()
        await shots.take(page, "match-review-sent")
        await assert_accessible(page, "volunteer match (review sent)")

        # The job seeker receives the review and says the help took place.
        view = (await client.get(f"/v1/me/help-requests/{request_id}", headers=seeker.auth)).json()
        assert view["match"]["review_document"]["filename"].startswith("cv-karim-relu")
        completed = await client.post(f"/v1/me/help-requests/{request_id}/complete", headers=seeker.auth)
        assert completed.status_code == 200, completed.text

    # The volunteer rates the help.
    await page.reload()
    await page.get_by_text("5 — Excellente").click()
    await page.get_by_label("Un commentaire").fill("Karim était très motivé.")
    await page.get_by_role("button", name="Envoyer mon avis").click()
    await expect(page.get_by_text("Merci pour votre avis !")).to_be_visible()
    await expect(page.get_by_text("Votre note : 5 / 5.")).to_be_visible()
    await assert_accessible(page, "volunteer match (feedback given)")
    errors.assert_none()
