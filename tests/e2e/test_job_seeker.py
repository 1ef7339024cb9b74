"""A job seeker's whole journey in a real browser, phone first: sign up, answer the questionnaire,
wait while the diagnosis is prepared and see it arrive by the live stream, read the advice, mark an
action done, change the pace, look at another market, download the data, delete the account. Every
screen is scanned with axe-core and photographed at 360 px and 1280 px.
"""

from __future__ import annotations

import json
import re
from datetime import date

import httpx
import pytest
from playwright.async_api import BrowserContext, Page, Route, expect

from tests.e2e.browser import PageErrors, Shots, assert_accessible, choose, open_menu_item
from tests.support.journey import unique_name
from tests.support.system import System

pytestmark = pytest.mark.e2e
DIAGNOSIS_READS = re.compile(r"/v1/me/diagnosis(\?|$)")
LIVE_STREAM = re.compile(r"/v1/me/events\?ticket=")
# The client's switch that leaves the live stream as the only way to learn of a new diagnosis.
POLLING_OFF = "localStorage.setItem('coach.diagnosis-polling', 'off')"
POLL_MS = 5000  # pages/diagnosis.js


class DiagnosisHold:
    """Keeps the diagnosis page waiting: its reads of the diagnosis answer "none yet" and its live
    stream stays unopened, until released. The diagnostic service answers in a fraction of a second,
    too fast to look at the waiting state otherwise."""

    def __init__(self) -> None:
        self.reads = 0
        self.held = True
        self._streams: list[Route] = []

    async def read(self, route: Route) -> None:
        self.reads += 1
        if self.held:
            await route.fulfill(json=[])
        else:
            await route.continue_()

    async def stream(self, route: Route) -> None:
        if self.held:
            self._streams.append(route)
        else:
            await route.continue_()

    async def release(self) -> None:
        self.held = False
        for route in self._streams:
            await route.continue_()


async def answer_questionnaire(page: Page, shots: Shots) -> None:
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Bienvenue")
    await assert_accessible(page, "onboarding start")
    await page.get_by_role("link", name="Commencer").click()

    # The job title: typed, then chosen with the keyboard only (the ARIA combobox).
    await expect(page.get_by_role("heading", level=1)).to_have_text("Quel métier recherchez-vous ?")
    job = page.get_by_role("combobox", name="Métier")
    await job.press_sequentially("coiffeu", delay=30)
    await expect(page.get_by_role("option").first).to_be_visible()
    await assert_accessible(page, "onboarding job (suggestions open)")
    await job.press("ArrowDown")
    await expect(job).to_have_attribute("aria-activedescendant", re.compile(".+"))
    await job.press("Enter")
    await expect(job).to_have_value(re.compile("Coiffeu", re.IGNORECASE))
    await job.press("Enter")  # submits the question's form

    await expect(page.get_by_role("heading", level=1)).to_have_text("Où cherchez-vous ?")
    city = page.get_by_role("combobox", name="Ville ou code postal")
    await page.get_by_role("button", name="Continuer").click()  # nothing chosen: a kind message
    await expect(page.get_by_text("choisissez une proposition dans la liste")).to_be_visible()
    await expect(city).to_have_attribute("aria-invalid", "true")
    await city.press_sequentially("Lyon", delay=30)
    await page.get_by_role("option", name=re.compile("^Lyon")).first.click()
    await page.get_by_role("button", name="Continuer").click()

    # One question per screen, with its progress and its "why we ask"; the market hints appear.
    await expect(page.get_by_role("heading", level=1)).to_have_text("Quel est votre projet ?")
    await expect(page.get_by_text(re.compile(r"Question 3 sur \d+"))).to_be_visible()
    await page.get_by_text("Pourquoi cette question ?").click()
    await shots.take(page, "onboarding-question")
    await assert_accessible(page, "onboarding choice question")
    # Keyboard only: tab to the first answer, choose it with the space bar, submit with Enter.
    first = page.get_by_role("radio", name="Retrouver un emploi dans mon métier")
    await first.focus()
    await page.keyboard.press("Space")
    await expect(first).to_be_checked()
    await page.keyboard.press("Enter")

    await expect(page.get_by_role("heading", level=1)).to_have_text("Avez-vous déjà fait ce métier ?")
    await choose(page, "Oui, j'ai fait ce métier")
    await choose(page, "20 ans ou plus")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Depuis quand cherchez-vous ?")
    await page.get_by_text("J'ai commencé", exact=True).click()
    await page.get_by_label("Année").select_option(str(date.today().year - 1))
    await page.get_by_role("button", name="Continuer").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("candidatures")
    await choose(page, "De 2 à 5")
    await page.get_by_label("Nombre d'entretiens").fill("1")
    await page.get_by_role("button", name="Continuer").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("offres intéressantes")
    await choose(page, "De 2 à 5")
    await choose(page, "Quelques personnes")
    await choose(page, "Un métier qui me plaît")
    await choose(page, "Oui, j'ai les diplômes")
    await choose(page, "Dans mon département")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Quels contrats vous conviennent ?")
    await page.get_by_role("button", name="Passer cette question").click()  # optional: skipped
    await choose(page, "Oui")

    # The year of birth: a refused value is explained next to the field, in plain words.
    await expect(page.get_by_role("heading", level=1)).to_have_text("Quelle est votre année de naissance ?")
    birth = page.get_by_label("Année de naissance")
    await birth.fill("1850")
    await page.get_by_role("button", name="Continuer").click()
    await expect(birth).to_have_attribute("aria-invalid", "true")
    error_id = (await birth.get_attribute("aria-describedby") or "").split()[-1]
    await expect(page.locator(f"#{error_id}")).to_be_visible()
    await assert_accessible(page, "onboarding field error")
    await birth.fill("1966")
    await page.get_by_role("button", name="Continuer").click()
    await choose(page, "CAP ou BEP")
    await expect(page.get_by_role("heading", level=1)).to_contain_text("le plus difficile")
    await page.get_by_text("On ne répond pas à mes candidatures").click()
    await page.get_by_text("Mon âge joue contre moi").click()
    # The market hints, once the job and the city are known, each with its source.
    aside = page.get_by_role("complementary")
    await expect(aside).to_contain_text("Bon à savoir")
    await expect(aside.get_by_text(re.compile("Estimation|Donnée officielle")).first).to_be_visible()
    await shots.take(page, "onboarding-hints")
    await assert_accessible(page, "onboarding with market hints")
    await page.get_by_role("button", name="Continuer").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("nous nous adressions à vous")
    await page.get_by_role("button", name="Passer cette question").click()  # gender
    await expect(page.get_by_role("heading", level=1)).to_contain_text("freine le plus votre recherche")
    await page.get_by_role("button", name="Passer cette question").click()  # self-diagnosis
    await expect(page.get_by_role("heading", level=1)).to_have_text("À quel rythme voulez-vous avancer ?")


async def test_a_job_seeker_from_sign_up_to_deleting_the_account(
    e2e_system: System, context: BrowserContext, shots: Shots
) -> None:
    base = e2e_system.url("gateway")
    page = await context.new_page()
    errors = PageErrors(page)
    live_streams: list[str] = []
    page.on("request", lambda r: live_streams.append(r.url) if "/v1/me/events?" in r.url else None)

    # Welcome, in French, with the page language set and a skip link first in the tab order.
    await page.goto(base + "/")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Un coach pour votre recherche d'emploi")
    assert await page.get_attribute("html", "lang") == "fr"
    await page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    await expect(skip).to_be_focused()
    outline = await skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none", "the keyboard focus must be visible"
    await shots.take(page, "welcome")
    await assert_accessible(page, "welcome")

    # Sign up: empty fields are explained next to each field.
    await page.get_by_role("link", name="Commencer").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Créer votre compte")
    await page.get_by_role("button", name="Créer mon compte").click()
    email = page.get_by_label("Adresse e-mail")
    await expect(email).to_have_attribute("aria-invalid", "true")
    await expect(page.get_by_role("alert")).to_be_visible()
    await shots.take(page, "signup-errors")
    await assert_accessible(page, "sign-up with errors")
    name = unique_name("Martine")
    await page.get_by_label("Votre prénom").fill(name)
    await email.fill(f"{name.lower()}@example.org")
    await page.get_by_label("Mot de passe").fill("un long mot de passe")
    await page.get_by_role("button", name="Créer mon compte").click()

    await answer_questionnaire(page, shots)

    # The last answer: the diagnosis is being prepared, then arrives by the live stream alone (no
    # polling), without reloading the page. Fake timers let the test run the page's clock ahead.
    hold = DiagnosisHold()
    await page.route(DIAGNOSIS_READS, hold.read)
    await page.route(LIVE_STREAM, hold.stream)
    await page.evaluate(POLLING_OFF)
    await page.clock.install()
    await page.evaluate("window.__sameDocument = true")
    await choose(page, "1 à 2 actions par jour", button="Voir mon diagnostic")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Votre diagnostic")
    preparing = page.get_by_role("status").filter(has_text="Nous préparons votre diagnostic")
    await expect(preparing).to_be_visible()
    await expect(preparing).to_contain_text("Il s'affichera ici tout seul")
    await shots.take(page, "diagnosis-preparing")
    await assert_accessible(page, "diagnosis being prepared")
    await page.clock.run_for(3 * POLL_MS)  # with polling on, three more reads would go out now
    await hold.release()
    priority = page.get_by_role("heading", name=re.compile("^Votre priorité"))
    await expect(priority).to_be_visible(timeout=60_000)
    await expect(preparing).to_have_count(0)
    assert await page.evaluate("window.__sameDocument === true"), "the diagnosis must appear without a reload"
    assert live_streams, "the diagnosis page listens to the live events"
    # One read when the page opened, one when the stream opened: none from a timer.
    assert hold.reads == 2, f"the page read the diagnosis {hold.reads} times: polling is not off"
    await page.unroute(DIAGNOSIS_READS)
    await page.unroute(LIVE_STREAM)
    await page.evaluate("localStorage.removeItem('coach.diagnosis-polling')")
    await expect(page.get_by_role("heading", name="Les 7 points que nous avons regardés")).to_be_visible()
    await page.get_by_text("Pourquoi ?").first.click()
    # Each sentence about the person links to the question of "Mes réponses" that set the fact.
    behind = page.locator(".diagnosis details a[href*='return=profile']")
    await expect(behind.first).to_be_attached()
    assert (await behind.first.get_attribute("href") or "").startswith("/onboarding/")
    # Demonstration figures say so, and decide nothing.
    await expect(page.get_by_text("Chiffres de démonstration").first).to_be_visible()
    await expect(page.locator("meter")).to_have_count(1)
    await shots.take(page, "diagnosis")
    await assert_accessible(page, "diagnosis")

    # My answers: every answer can be changed.
    await open_menu_item(page, "Mes réponses")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Mes réponses")
    await assert_accessible(page, "my answers")

    # Advice with stars and reasons.
    await open_menu_item(page, "Conseils")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Vos conseils")
    first_card = page.locator("article").first
    await expect(first_card).to_be_visible(timeout=60_000)
    await expect(first_card.get_by_role("img", name=re.compile("étoiles? sur 3"))).to_be_visible()
    await first_card.get_by_text("Pourquoi ce conseil ?").click()
    await first_card.get_by_role("link", name="Voir ce conseil en entier").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Un conseil pour vous")
    await assert_accessible(page, "one piece of advice")
    await page.go_back()
    await expect(page.locator("article").first).to_be_visible()
    await shots.take(page, "advice")
    await assert_accessible(page, "advice")

    # The plan: mark an action done, say it was useful, change the pace in one tap.
    await open_menu_item(page, "Mon plan")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Mon plan d'action")
    # Today may be a day off (a week-end): the week holds today's actions and the next ones.
    await page.get_by_role("link", name=re.compile("^Cette semaine")).click()
    done_button = page.get_by_role("button", name="C'est fait").first
    await expect(done_button).to_be_visible(timeout=60_000)
    await shots.take(page, "plan")
    await assert_accessible(page, "plan")
    action_title = await page.locator("article h3").first.inner_text()
    await done_button.click()
    status = page.get_by_role("status").filter(has_text="Bravo")
    await expect(status).to_be_visible()
    await page.get_by_role("link", name=re.compile("^Fait")).click()
    done_card = page.locator("li.card", has_text=action_title)
    await expect(done_card).to_be_visible()
    await done_card.get_by_role("button", name="Oui").click()
    await expect(done_card.get_by_role("button", name="Oui")).to_have_attribute("aria-pressed", "true")
    await assert_accessible(page, "plan, done view")
    # Snooze another action to tomorrow, in two taps.
    await page.get_by_role("link", name=re.compile("^Cette semaine")).click()
    await page.locator("summary", has_text="Plus tard").first.click()
    await page.get_by_role("button", name="Demain").first.click()
    await expect(page.get_by_text("C'est noté, l'action est reportée.")).to_be_visible()
    pace = page.get_by_role("button", name="3 à 4 actions par jour")
    await pace.click()
    await expect(pace).to_have_attribute("aria-pressed", "true")
    await expect(page.get_by_text("Rythme enregistré")).to_be_visible()

    # The local market, with charts and their tables.
    await open_menu_item(page, "Mon marché")
    await expect(page.get_by_role("heading", level=1)).to_contain_text("marché du travail")
    await expect(page.locator("figure svg[role=img]").first).to_be_visible()
    await page.get_by_text("Voir les chiffres sous forme de tableau").first.click()
    await expect(page.locator("figure table").first).to_be_visible()
    await assert_accessible(page, "market, table open")
    await shots.take(page, "market")
    await assert_accessible(page, "market")
    # No official statistics are loaded here: no close job or place is suggested from demonstration figures
    # (issue 18). Another market still opens by its address, and the page leads back to the person's own.
    await expect(page.get_by_role("region", name="Des pistes proches")).to_have_count(0)
    await page.goto(base + "/market/N1103/59")
    await expect(page.get_by_role("link", name="Revenir à mon marché")).to_be_visible()
    await expect(page.locator("figure svg[role=img]").first).to_be_visible()
    await shots.take(page, "market-other")
    await assert_accessible(page, "market of another job and place")
    await page.get_by_role("link", name="Revenir à mon marché").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("marché du travail")

    # Settings: the pace chosen on the plan is there; tu, then English, then back to vous.
    await open_menu_item(page, "Paramètres")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Paramètres")
    await expect(page.get_by_role("radio", name="3 à 4 actions par jour")).to_be_checked()
    await shots.take(page, "settings")
    await assert_accessible(page, "settings")
    await page.get_by_label("Langue", exact=True).select_option("fr@tu")
    await expect(page.get_by_role("heading", name="Ton compte")).to_be_visible()
    await page.get_by_label("Langue", exact=True).select_option("en")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Settings")
    assert await page.get_attribute("html", "lang") == "en"
    await assert_accessible(page, "settings in English")
    await page.get_by_label("Language", exact=True).select_option("fr")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Paramètres")

    # Consents and sharing with a counsellor.
    await page.get_by_role("checkbox", name=re.compile("^Statistiques et recherche")).check()
    consents = page.get_by_role("region", name="Vos accords")
    await consents.get_by_role("button", name="Enregistrer").click()
    await expect(consents.get_by_text("C'est enregistré.")).to_be_visible()
    await page.get_by_role("button", name="Créer un lien d'invitation").click()
    await expect(page.get_by_label("Lien à donner à votre conseiller")).to_have_value(re.compile("/link/counsellor#"))

    # Export: a JSON file with what every service holds.
    async with page.expect_download() as download_info:
        await page.get_by_role("button", name="Télécharger mes données").click()
    download = await download_info.value
    archive = json.loads((await download.path()).read_text())
    assert archive["format"] == "coach-export/1"
    assert {"profile", "diagnostic", "advice"} <= set(archive["services"])

    # Delete: a second step, a box to tick, then the account is gone.
    await page.get_by_role("button", name="Supprimer mon compte").click()
    await page.get_by_role("button", name="Supprimer définitivement").click()
    await expect(page.get_by_text("Cochez la case pour confirmer.")).to_be_visible()
    await assert_accessible(page, "delete confirmation")
    await page.get_by_label("J'ai compris, je veux tout effacer").check()
    await page.get_by_role("button", name="Supprimer définitivement").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Votre compte est supprimé")
    await shots.take(page, "deleted")
    await assert_accessible(page, "account deleted")
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        login = await client.post(
            "/v1/auth/login", json={"email": f"{name.lower()}@example.org", "password": "un long mot de passe"}
        )
    assert login.status_code == 401
    errors.assert_none()
