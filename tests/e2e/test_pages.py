"""The other screens, each scanned with axe-core: logging in (password, emailed link, forgotten
password), starting as a guest and keeping one's answers, asking volunteers for help, the welcome
page once logged in, a new email address confirmed by its link, the pages behind email links
(fewer emails, a survey), an unknown address, and the English version.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from playwright.async_api import BrowserContext, Page, expect

from services.notifications.links import sign, survey_purpose
from tests.e2e.browser import PageErrors, Shots, assert_accessible, open_menu_item
from tests.support.journey import complete_profile, sign_up, unique_name
from tests.support.mail import link_token, read_mail
from tests.support.system import System, eventually

pytestmark = pytest.mark.e2e


async def heading(page: Page, text: str | re.Pattern[str]) -> None:
    await expect(page.get_by_role("heading", level=1)).to_have_text(text)


async def test_logging_in_and_the_emailed_link_pages(e2e_system: System, context: BrowserContext, shots: Shots) -> None:
    base = e2e_system.url("gateway")
    page = await context.new_page()
    errors = PageErrors(page)
    async with httpx.AsyncClient(base_url=base, timeout=15) as client:
        person = await sign_up(client)
        await complete_profile(client, person)

    await page.goto(base + "/login")
    await heading(page, "Se connecter")
    await page.get_by_label("Adresse e-mail").fill(person.email or "")
    await page.get_by_label("Mot de passe").fill("pas le bon mot de passe")
    await page.get_by_role("button", name="Se connecter").click()
    await expect(page.get_by_role("alert")).to_contain_text("Adresse ou mot de passe incorrect")
    await shots.take(page, "login-error")
    await assert_accessible(page, "login with an error")
    await page.get_by_role("button", name="Afficher").click()  # the password can be read back
    await expect(page.get_by_label("Mot de passe")).to_have_attribute("type", "text")
    await page.get_by_label("Mot de passe").fill("un long mot de passe")
    await page.get_by_role("button", name="Se connecter").click()
    await heading(page, "Votre diagnostic")  # a complete profile goes straight to the diagnosis

    # A reload keeps the session (the refresh token is in sessionStorage), then logging out ends it.
    await page.reload()
    await heading(page, "Votre diagnostic")
    await open_menu_item(page, "Aide bénévole")
    await heading(page, "L'aide des bénévoles")
    await assert_accessible(page, "help requests")
    await page.get_by_role("link", name="Demander de l'aide").click()
    await heading(page, "Demander l'aide d'un bénévole")
    await assert_accessible(page, "new help request")
    await page.get_by_role("radio", name=re.compile("^Un café")).check()
    await page.get_by_role("button", name="Demander de l'aide").click()
    await heading(page, "Un café avec quelqu'un du métier")
    await expect(page.get_by_text("Recherche d'un bénévole")).to_be_visible()
    await shots.take(page, "help-request")
    await assert_accessible(page, "one help request")
    await page.get_by_role("button", name="Menu").click()
    await page.get_by_role("button", name="Se déconnecter").click()
    await heading(page, "Un coach pour votre recherche d'emploi")

    # Log in by an emailed link, the password forgotten, then an unknown page.
    for path, title in (
        ("/login/link", "Se connecter sans mot de passe"),
        ("/login/forgotten", "Mot de passe oublié"),
    ):
        await page.goto(base + path)
        await heading(page, title)
        await page.get_by_label("Adresse e-mail").fill(person.email or "")
        await page.get_by_role("button", name="Envoyer le lien").click()
        await expect(page.get_by_text("C'est envoyé.")).to_be_visible()
        await assert_accessible(page, f"{path} sent")

    def login_link() -> str | None:
        for mail_path in e2e_system.mails():
            mail = read_mail(mail_path)
            if (person.email or "") in mail.to and "/link/login#" in mail.text:
                return mail.text.split("/link/login#", 1)[1].split()[0]
        return None

    token = await eventually(login_link, timeout=30)
    await page.goto(f"{base}/link/login#{token}")
    await heading(page, "Votre diagnostic")
    await page.goto(f"{base}/link/login#{token}")  # a link works once
    await heading(page, "Ce lien ne marche plus")
    await assert_accessible(page, "expired link")
    await page.goto(base + "/link/reset-password#not-a-real-token")
    await heading(page, "Choisir un nouveau mot de passe")
    await assert_accessible(page, "reset password")
    await page.goto(base + "/nowhere/at-all")
    await expect(page.get_by_role("heading", level=1)).to_have_count(0)  # not a client path: the API's 404
    await page.goto(base + "/plan/unknown/deep/link")
    await heading(page, "Page introuvable")
    await assert_accessible(page, "not found")
    errors.assert_none()


async def test_a_guest_keeps_their_answers_by_adding_an_address(
    e2e_system: System, context: BrowserContext, shots: Shots
) -> None:
    base = e2e_system.url("gateway")
    page = await context.new_page()
    errors = PageErrors(page)
    await page.goto(base + "/guest")
    await heading(page, "Essayer sans compte")
    await assert_accessible(page, "guest")
    await page.get_by_label("Votre prénom").fill("Yvette")
    await page.get_by_role("button", name="Commencer").click()
    await heading(page, "Bienvenue Yvette")
    await open_menu_item(page, "Paramètres")
    await heading(page, "Paramètres")
    name = unique_name("Yvette")
    await page.get_by_label("Adresse e-mail").fill(f"{name.lower()}@example.org")
    # Exactly: an email choice of the settings page mentions the password in its own label.
    await page.get_by_label("Mot de passe", exact=True).fill("un long mot de passe")
    await page.get_by_role("button", name="Créer mon compte").click()
    await expect(page.get_by_text("Votre compte est créé, rien n'est perdu.")).to_be_visible()
    await shots.take(page, "guest-upgraded")
    await assert_accessible(page, "settings after upgrade")
    errors.assert_none()


async def test_a_new_email_address_is_confirmed_by_its_link(
    e2e_system: System, context: BrowserContext, shots: Shots
) -> None:
    base = e2e_system.url("gateway")
    async with httpx.AsyncClient(base_url=base, timeout=15) as client:
        person = await sign_up(client)
    page = await context.new_page()
    errors = PageErrors(page)
    await page.goto(base + "/login")
    await page.get_by_label("Adresse e-mail").fill(person.email or "")
    await page.get_by_label("Mot de passe").fill("un long mot de passe")
    await page.get_by_role("button", name="Se connecter").click()
    await heading(page, f"Bienvenue {person.first_name}")  # nothing answered yet: the questionnaire

    # The welcome page stays open once logged in, under the person's own menu.
    await page.goto(base + "/welcome")
    await heading(page, "Un coach pour votre recherche d'emploi")
    await assert_accessible(page, "welcome, logged in")
    await open_menu_item(page, "Paramètres")
    await heading(page, "Paramètres")
    new_email = f"{unique_name('Nouvelle').lower()}@example.org"
    await page.get_by_label("Nouvelle adresse e-mail").fill(new_email)
    await page.get_by_role("button", name="Changer d'adresse").click()
    await expect(page.get_by_text("Un lien de confirmation est parti vers la nouvelle adresse.")).to_be_visible()

    def confirmation() -> str | None:
        for mail_path in e2e_system.mails():
            mail = read_mail(mail_path)
            if new_email in mail.to and "/link/confirm-email#" in mail.text:
                return link_token(mail, "/link/confirm-email")
        return None

    token = await eventually(confirmation, timeout=30)
    await page.goto(f"{base}/link/confirm-email#{token}")
    await heading(page, "Adresse confirmée")
    assert "#" not in page.url, "the token leaves the address bar once read"
    await shots.take(page, "email-confirmed")
    await assert_accessible(page, "new email confirmed")

    # Every session ended with the change: the new address logs in, and the link works once.
    await page.get_by_role("main").get_by_role("link", name="Se connecter").click()
    await heading(page, "Se connecter")
    await page.get_by_label("Adresse e-mail").fill(new_email)
    await page.get_by_label("Mot de passe").fill("un long mot de passe")
    await page.get_by_role("button", name="Se connecter").click()
    await heading(page, f"Bienvenue {person.first_name}")
    await page.goto(f"{base}/link/confirm-email#{token}")
    await heading(page, "Ce lien ne marche plus")
    await assert_accessible(page, "email link used twice")
    errors.assert_none()


async def test_the_pages_behind_email_links_work_without_logging_in(
    e2e_system: System, context: BrowserContext, shots: Shots
) -> None:
    base = e2e_system.url("gateway")
    async with httpx.AsyncClient(base_url=base, timeout=15) as client:
        person = await sign_up(client)
    page = await context.new_page()
    errors = PageErrors(page)

    # Fewer emails, then a survey: the links are signed for this person as the notifications service
    # signs the links of its emails (their format is that service's own test).
    def signed(purpose: str) -> str:
        expires = datetime.now(UTC) + timedelta(days=30)
        token = sign(e2e_system.secret_key, purpose=purpose, subject=person.user_id, expires_at=expires)
        return str(httpx.QueryParams(token=token))

    link = f"/emails/unsubscribe?{signed('unsubscribe')}"
    await page.goto(base + link)
    await heading(page, "Vos e-mails")
    await page.get_by_text("Une fois par mois").click()
    await page.get_by_role("button", name="Enregistrer").click()
    await expect(page.get_by_text("C'est enregistré.")).to_be_visible()
    await shots.take(page, "unsubscribe")
    await assert_accessible(page, "unsubscribe")

    await page.goto(f"{base}/surveys/nps?{signed(survey_purpose('nps'))}")
    await expect(page.get_by_role("heading", level=1)).to_be_visible()
    await page.get_by_role("button", name="Envoyer mes réponses").click()  # nothing chosen
    await expect(page.get_by_text("Choisissez une réponse pour continuer.")).to_be_visible()
    await page.get_by_role("radio", name="9", exact=True).check()
    await page.get_by_role("button", name="Envoyer mes réponses").click()
    await expect(page.get_by_role("status").filter(has_text=re.compile("."))).to_be_visible()
    await shots.take(page, "survey")
    await assert_accessible(page, "survey")

    # An altered link: a kind explanation, not an error code.
    await page.goto(f"{base}/emails/unsubscribe?token=altered-token-0000")
    await expect(page.get_by_role("alert")).to_contain_text("Paramètres")
    await assert_accessible(page, "unsubscribe, invalid link")
    errors.assert_none()


async def test_the_client_in_english_and_with_tu(e2e_system: System, context: BrowserContext, shots: Shots) -> None:
    base = e2e_system.url("gateway")
    page = await context.new_page()
    errors = PageErrors(page)
    await page.goto(base + "/")
    await page.get_by_label("Langue").select_option("en")
    await heading(page, "A coach for your job search")
    assert await page.get_attribute("html", "lang") == "en"
    await page.get_by_role("link", name="Get started").click()
    await page.get_by_role("button", name="Create my account").click()
    await expect(page.get_by_label("Email address")).to_have_attribute("aria-invalid", "true")
    # The API answers in English.
    await expect(page.get_by_text("This text is too short: at least 12 characters.").first).to_be_visible()
    await shots.take(page, "signup-english")
    await assert_accessible(page, "sign-up in English")
    await page.get_by_label("Language").select_option("fr@tu")
    await heading(page, "Créer ton compte")
    assert await page.get_attribute("html", "lang") == "fr"
    await expect(page.get_by_text("Prends ton temps")).to_be_visible()
    await page.get_by_label("Langue").select_option("fr")
    await heading(page, "Créer votre compte")
    errors.assert_none()
