"""The three journeys of issue 19, at 360 px, as the people see them, with the emails they get and when.

1. Michèle, 62, accountant in Lyon, searching for 8 months: signs up with her email, answers the
   questionnaire, asks to be addressed in the feminine; her diagnosis names her priority with its
   reasons and says the market figures are demonstration figures; then her advice and her plan at the
   pace she chose. "Votre diagnostic est prêt" arrives only once she has finished the questionnaire,
   written in the feminine ("inscrite").
2. Inès, 24, no diploma and no car, looks for a first job as a warehouse worker in Roubaix: starts
   without an email, types "manutentionaire" (one n short), has never done the job, and gets a
   priority (never "Encore quelques questions" without one) with the missing facts asked beside it;
   she keeps her answers with an email, then invites a counsellor.
3. The counsellor she invites: accepts the link, reads about her in the third person and only what she
   chose to share, and is told plainly once she ends the sharing (410 sharing_ended).

Screenshots at 360 px of each key step go to var/e2e-screenshots/ (with 1280 px ones); with
UPDATE_DOC_SCREENSHOTS=1 a few of them are also written to docs/screenshots/journeys/ for docs/WEB.md.
"""

from __future__ import annotations

import re
from datetime import date

import httpx
import pytest
from playwright.async_api import BrowserContext, Page, expect

from tests.e2e.browser import (
    PageErrors,
    Shots,
    choose,
    choose_suggestion,
    doc_screenshot,
    log_in,
    open_menu_item,
    start_as_guest,
)
from tests.support.journey import Person, unique_name
from tests.support.mail import Mail, mails_to
from tests.support.system import System, eventually

pytestmark = pytest.mark.e2e
PASSWORD = "un long mot de passe"
WELCOME = "Votre diagnostic est prêt"
DIGEST = "Vos actions du jour"


def months_ago(months: int) -> tuple[int, int]:
    """Return the (year, month) that was ``months`` months before this one."""
    today = date.today()
    index = today.year * 12 + today.month - 1 - months
    return index // 12, index % 12 + 1


async def started_months_ago(page: Page, months: int) -> None:
    """Answer "Depuis quand cherchez-vous ?" with the month the search began."""
    await expect(page.get_by_role("heading", level=1)).to_have_text("Depuis quand cherchez-vous ?")
    year, month = months_ago(months)
    await page.get_by_text("J'ai commencé", exact=True).click()
    await page.get_by_label("Mois").select_option(str(month))
    await page.get_by_label("Année").select_option(str(year))
    await page.get_by_role("button", name="Continuer").click()
    await expect(page.get_by_role("heading", level=1)).not_to_have_text("Depuis quand cherchez-vous ?")


async def type_number(page: Page, label: str, value: int) -> None:
    heading = page.get_by_role("heading", level=1)
    question = await heading.inner_text()
    await page.get_by_label(label).fill(str(value))
    await page.get_by_role("button", name="Continuer").click()
    await expect(heading).not_to_have_text(question)


async def skip(page: Page, question: str) -> None:
    heading = page.get_by_role("heading", level=1)
    await expect(heading).to_contain_text(question)
    await page.get_by_role("button", name="Passer cette question").click()
    await expect(heading).not_to_contain_text(question)


async def api_login(client: httpx.AsyncClient, email: str) -> dict[str, str]:
    """Return the headers of a session of the person's own (to look at what the services hold)."""
    response = await client.post("/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"authorization": f"Bearer {response.json()['access_token']}"}


async def main_challenge(client: httpx.AsyncClient, auth: dict[str, str]) -> str | None:
    diagnoses = (await client.get("/v1/me/diagnosis", headers=auth)).json()
    return diagnoses[0]["main_challenge"] if diagnoses else None


def one_mail(system: System, address: str, subject: str) -> Mail | None:
    found = [mail for mail in mails_to(system, address) if mail.subject == subject]
    assert len(found) <= 1, f"{subject!r} sent {len(found)} times"
    return found[0] if found else None


async def test_journey_1_an_accountant_of_62_in_lyon_addressed_in_the_feminine(
    e2e_system: System, context: BrowserContext, shots: Shots
) -> None:
    base = e2e_system.url("gateway")
    page = await context.new_page()
    errors = PageErrors(page)
    name = unique_name("Michèle")
    email = f"{name.lower()}@example.org".replace("è", "e")

    # She signs up with her email.
    await page.goto(base + "/")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Un coach pour votre recherche d'emploi")
    await page.get_by_role("link", name="Commencer").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Créer votre compte")
    await page.get_by_label("Votre prénom").fill(name)
    await page.get_by_label("Adresse e-mail").fill(email)
    await page.get_by_label("Mot de passe").fill(PASSWORD)
    await page.get_by_role("button", name="Créer mon compte").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"Bienvenue {name}")
    await expect(page.get_by_text("vous pouvez vous arrêter et reprendre plus tard", exact=False)).to_be_visible()
    await page.get_by_role("link", name="Commencer").click()

    # The questionnaire: accountant, in Lyon, the job she has done for more than 20 years.
    await expect(page.get_by_role("heading", level=1)).to_have_text("Quel métier recherchez-vous ?")
    await choose_suggestion(page, "Métier", "comptable")
    await expect(page.get_by_role("combobox", name="Métier")).to_have_value("Comptable")
    await page.get_by_role("button", name="Continuer").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Où cherchez-vous ?")
    await choose_suggestion(page, "Ville ou code postal", "Lyon")
    await expect(page.get_by_role("combobox", name="Ville ou code postal")).to_have_value(re.compile("^Lyon"))
    await page.get_by_role("button", name="Continuer").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Quel est votre projet ?")
    await choose(page, "Retrouver un emploi dans mon métier")
    await choose(page, "Oui, j'ai fait ce métier")
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Combien d'années d'expérience avez-vous dans ce métier ?"
    )
    await choose(page, "20 ans ou plus")
    await started_months_ago(page, 8)
    await choose(page, "De 2 à 5")  # applications a week
    await type_number(page, "Nombre d'entretiens", 0)
    await choose(page, "De 2 à 5")  # offers a week
    await choose(page, "Quelques personnes")
    await choose(page, "Un métier qui me plaît")
    await choose(page, "Oui, j'ai les diplômes")
    await choose(page, "Dans mon département")
    await skip(page, "Quels contrats vous conviennent ?")
    await choose(page, "Oui")  # a CV
    await expect(page.get_by_role("heading", level=1)).to_have_text("Quelle est votre année de naissance ?")
    await type_number(page, "Année de naissance", date.today().year - 62)
    await choose(page, "Bac +2 (BTS, DUT, DEUG)")
    await expect(page.get_by_role("heading", level=1)).to_contain_text("le plus difficile")
    await page.get_by_text("Mon âge joue contre moi").click()
    await page.get_by_text("On ne répond pas à mes candidatures").click()
    await page.get_by_role("button", name="Continuer").click()
    # "Au féminin": the texts and the emails agree with her.
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Comment voulez-vous que nous nous adressions à vous ?"
    )
    await expect(page.get_by_text("Seulement pour accorder nos phrases", exact=False)).to_be_hidden()
    await choose(page, "Au féminin")
    await skip(page, "freine le plus votre recherche")
    await expect(page.get_by_role("heading", level=1)).to_have_text("À quel rythme voulez-vous avancer ?")
    await page.get_by_text("1 à 2 actions par jour", exact=True).click()
    await shots.take(page, "journey-1-pace")
    await doc_screenshot(page, "journey1-01-questionnaire")

    # Her diagnosis already exists (every answer is saved as it is given), yet no email has left:
    # "your diagnosis is ready" waits for the end of the questionnaire.
    async with httpx.AsyncClient(base_url=base, timeout=15) as client:
        auth = await api_login(client, email)
        await eventually(lambda: main_challenge(client, auth), timeout=60, interval=1)
    assert mails_to(e2e_system, email) == [], "no email before the questionnaire is finished"

    await page.get_by_role("button", name="Voir mon diagnostic").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Votre diagnostic")
    await expect(page.get_by_text("Comptable, autour de Lyon")).to_be_visible()
    await expect(page.get_by_role("status").filter(has_text="Nous préparons votre diagnostic")).to_have_count(
        0, timeout=60_000
    )
    main = page.get_by_role("main")
    await expect(main.get_by_role("heading", name="Votre priorité : Décrocher plus d'entretiens")).to_be_visible()
    card = main.locator("li.card.highlight", has_text="Décrocher plus d'entretiens")
    await card.get_by_text("Pourquoi ?").click()
    await expect(card.get_by_text("Vous cherchez depuis 8 mois.")).to_be_visible()
    await expect(card.get_by_text("Entretiens obtenus : 0, en 8 mois de recherche.")).to_be_visible()
    # The market part: demonstration figures, said so first, and no conclusion drawn from them.
    await expect(main.locator(".estimate-note")).to_have_text(
        re.compile("^Chiffres de démonstration : aucune statistique officielle n'est chargée")
    )
    # In the feminine, as she asked.
    await expect(main.get_by_text(re.compile("Vous craignez d'être jugée sur autre chose"))).to_be_visible()
    await shots.take(page, "journey-1-diagnosis")
    await doc_screenshot(page, "journey1-02-diagnosis")

    # The welcome arrives now, once, to her, in the feminine.
    welcome = await eventually(lambda: one_mail(e2e_system, email, WELCOME), timeout=60, interval=0.5)
    assert welcome.to == email
    assert f"Bonjour {name}," in welcome.text
    assert "Votre principal défi aujourd'hui : décrocher plus d'entretiens." in welcome.text
    assert "vous êtes inscrite sur le coach emploi" in welcome.text

    # Her advice, the most useful first, with its stars and why; written in the feminine too.
    await open_menu_item(page, "Conseils")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Vos conseils")
    first = page.locator("article").first
    await expect(first).to_be_visible(timeout=60_000)
    await expect(first.get_by_role("img", name="3 étoiles sur 3")).to_be_visible()
    await expect(first.get_by_text("Pourquoi ce conseil ?")).to_be_visible()
    await expect(page.get_by_role("heading", name="Valoriser son expérience après 45 ans")).to_be_visible()
    await expect(page.get_by_text("Créer votre activité est possible, accompagnée", exact=False)).to_be_visible()
    await shots.take(page, "journey-1-advice")
    await doc_screenshot(page, "journey1-03-advice")

    # Her plan, at the pace she chose (1 to 2 actions a day), then a faster one in one tap.
    await open_menu_item(page, "Mon plan")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Mon plan d'action")
    slow = page.get_by_role("button", name="1 à 2 actions par jour")
    await expect(slow).to_have_attribute("aria-pressed", "true")
    await expect(page.get_by_role("link", name=re.compile(r"^Aujourd'hui \([0-2]\)$"))).to_be_visible(timeout=60_000)
    await page.get_by_role("link", name=re.compile("^Cette semaine")).click()
    await expect(page.get_by_role("button", name="C'est fait").first).to_be_visible(timeout=60_000)
    await shots.take(page, "journey-1-plan")
    await doc_screenshot(page, "journey1-04-plan")
    faster = page.get_by_role("button", name="3 à 4 actions par jour")
    await faster.click()
    await expect(faster).to_have_attribute("aria-pressed", "true")
    await expect(page.get_by_text("Rythme enregistré : 3 à 4 actions par jour.")).to_be_visible()
    await expect(slow).to_have_attribute("aria-pressed", "false")

    # Every email she got speaks to her in the feminine; the welcome was sent once.
    received = mails_to(e2e_system, email)
    assert [m.subject for m in received].count(WELCOME) == 1
    assert all("vous êtes inscrite" in m.text and m.to == email for m in received), [m.subject for m in received]
    errors.assert_none()


async def test_journey_2_a_first_job_in_roubaix_started_as_a_guest_then_kept_and_shared(
    e2e_system: System, context: BrowserContext, shots: Shots
) -> None:
    base = e2e_system.url("gateway")
    page = await context.new_page()
    errors = PageErrors(page)
    name = unique_name("Inès")
    email = f"{name.lower()}@example.org".replace("è", "e")

    # She starts without an email.
    await page.goto(base + "/")
    await page.get_by_role("link", name="Essayer sans adresse e-mail").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Essayer sans compte")
    await start_as_guest(page, base, name)
    await expect(page.get_by_role("banner").get_by_text("Vous utilisez le service sans compte.")).to_be_visible()
    await page.get_by_role("link", name="Commencer").click()

    # A warehouse worker, typed with one n short; in Roubaix; a first job she has never done.
    await expect(page.get_by_role("heading", level=1)).to_have_text("Quel métier recherchez-vous ?")
    await page.get_by_role("combobox", name="Métier").press_sequentially("manutentionaire", delay=30)
    await page.get_by_role("option", name="Manutentionnaire", exact=True).click()
    await expect(page.get_by_role("combobox", name="Métier")).to_have_value("Manutentionnaire")
    await page.get_by_role("button", name="Continuer").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Où cherchez-vous ?")
    await choose_suggestion(page, "Ville ou code postal", "Roubaix")
    await expect(page.get_by_role("combobox", name="Ville ou code postal")).to_have_value(re.compile("^Roubaix"))
    await page.get_by_role("button", name="Continuer").click()
    await choose(page, "Trouver mon premier emploi")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Avez-vous déjà fait ce métier ?")
    await choose(page, "Non, jamais")
    # She stops there for today and looks at her diagnosis.
    await open_menu_item(page, "Diagnostic")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Votre diagnostic")
    await expect(page.get_by_role("status").filter(has_text="Nous préparons votre diagnostic")).to_have_count(
        0, timeout=60_000
    )
    main = page.get_by_role("main")
    priority = main.get_by_role("heading", name=re.compile("^Votre priorité : "))
    await expect(priority).to_have_text("Votre priorité : Trouver un métier qui vous plaît")
    await expect(main.get_by_text("Encore quelques questions")).to_have_count(0)
    await expect(main.locator(".estimate-note")).to_contain_text("Chiffres de démonstration")
    card = main.locator("li.card.highlight", has_text="Trouver un métier qui vous plaît")
    await card.get_by_text("Pourquoi ?").click()
    await expect(card.get_by_text("Vous n'avez jamais exercé ce métier.")).to_be_visible()
    refine = main.get_by_role("region", name="Pour affiner votre diagnostic")
    await expect(refine.get_by_role("group", name="Depuis quand cherchez-vous ?")).to_be_visible()
    await expect(refine.get_by_role("group", name="Ce métier vous plaît-il ?")).to_be_visible()
    await expect(refine.get_by_role("group", name="Quelle est votre année de naissance ?")).to_be_visible()
    await expect(refine.get_by_text("années d'expérience")).to_have_count(0)  # never asked of her
    await shots.take(page, "journey-2-diagnosis")
    await doc_screenshot(page, "journey2-01-diagnosis")
    await doc_screenshot(page, "journey2-02-missing-answers", at=refine)

    # She answers one of them right there; the diagnosis updates itself.
    liked = refine.locator("form", has=page.get_by_role("group", name="Ce métier vous plaît-il ?"))
    await liked.get_by_text("Un métier qui me plaît", exact=True).click()
    await liked.get_by_role("button", name="Enregistrer ma réponse").click()
    # (It says "Merci ! Votre diagnostic se met à jour…" until the new diagnosis replaces the page.)
    await expect(refine.get_by_role("group", name="Ce métier vous plaît-il ?")).to_have_count(0, timeout=60_000)
    await expect(main.get_by_text("Ce métier vous plaît, c'est une bonne base.")).to_be_visible(timeout=60_000)
    await expect(priority).to_have_text("Votre priorité : Trouver un métier qui vous plaît")
    assert mails_to(e2e_system, email) == []

    # She keeps her answers with an email, from the line under the header: same account, nothing lost.
    await page.get_by_role("banner").get_by_role("link", name="Garder mes réponses").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Garder mes réponses")
    await page.get_by_label("Adresse e-mail").fill(email)
    await page.get_by_label("Mot de passe").fill(PASSWORD)
    await page.get_by_role("button", name="Garder mes réponses").click()
    await expect(page.get_by_text("C'est fait : votre compte est créé, rien n'est perdu.")).to_be_visible()
    await expect(page.get_by_role("banner").get_by_text("Vous utilisez le service sans compte.")).to_have_count(0)
    await shots.take(page, "journey-2-kept")
    await doc_screenshot(page, "journey2-03-account-kept")

    # Then she finishes the questionnaire where she left it.
    await page.goto(base + "/onboarding")
    await page.get_by_role("link", name="Reprendre là où j'en étais").click()
    await started_months_ago(page, 3)
    await expect(page.get_by_role("heading", level=1)).to_contain_text("candidatures")
    await choose(page, "De 2 à 5")
    await type_number(page, "Nombre d'entretiens", 0)
    await choose(page, "De 2 à 5")
    await choose(page, "Presque personne")
    await choose(page, "Un métier qui me plaît")
    await choose(page, "Aucun diplôme n'est demandé")
    await choose(page, "Dans mon département")
    await skip(page, "Quels contrats vous conviennent ?")
    await skip(page, "Avez-vous un CV à jour ?")
    await type_number(page, "Année de naissance", date.today().year - 24)
    await choose(page, "Aucun diplôme")
    await skip(page, "le plus difficile")
    await choose(page, "Au féminin")
    await skip(page, "freine le plus votre recherche")
    assert mails_to(e2e_system, email) == [], "nothing is sent before the questionnaire is finished"
    await choose(page, "1 à 2 actions par jour", button="Voir mon diagnostic")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Votre diagnostic")
    await expect(page.get_by_role("status").filter(has_text="Nous préparons votre diagnostic")).to_have_count(
        0, timeout=60_000
    )
    await expect(priority).to_have_text("Votre priorité : Trouver un métier qui vous plaît")
    await expect(main.get_by_role("region", name="Pour affiner votre diagnostic")).to_have_count(0)

    # The welcome now reaches the address she gave, once, in the feminine.
    welcome = await eventually(lambda: one_mail(e2e_system, email, WELCOME), timeout=60, interval=0.5)
    assert welcome.to == email
    assert f"Bonjour {name}," in welcome.text
    assert "Votre principal défi aujourd'hui : trouver un métier qui vous plaît." in welcome.text
    assert "vous êtes inscrite sur le coach emploi" in welcome.text

    # She invites a counsellor, choosing item by item what the counsellor will see.
    await page.goto(base + "/settings/counsellors")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Partager avec un conseiller ou une conseillère")
    await expect(page.get_by_text("Vous ne partagez avec personne.")).to_be_visible()
    offered = page.get_by_role("group", name="Ce que la personne invitée verra")
    await expect(offered.get_by_role("checkbox", name=re.compile("^Mon diagnostic"))).to_be_checked()
    await expect(offered.get_by_role("checkbox", name=re.compile("^L'avancée de mon plan"))).to_be_checked()
    await expect(offered.get_by_role("checkbox", name=re.compile("^Ce qui est difficile pour moi"))).not_to_be_checked()
    await offered.get_by_role("checkbox", name=re.compile("^L'avancée de mon plan")).uncheck()
    await page.get_by_role("button", name="Créer un lien d'invitation").click()
    link = page.get_by_label("Lien à donner à votre conseiller")
    await expect(link).to_have_value(re.compile(r"/link/counsellor#.+"))
    expires = page.get_by_text(re.compile(r"^Ce lien marche une seule fois, jusqu'au "))
    await expect(expires).to_be_visible()
    await shots.take(page, "journey-2-invitation")
    await doc_screenshot(page, "journey2-04-invitation", at=expires, block="end")

    # Inviting sends nothing: the only email she has is the welcome (the day's actions may follow it).
    subjects = [m.subject for m in mails_to(e2e_system, email)]
    assert subjects.count(WELCOME) == 1 and set(subjects) <= {WELCOME, DIGEST}, subjects
    errors.assert_none()


FIRST_JOB_IN_ROUBAIX: dict[str, object] = {
    "job_code_ogr": "16361",  # Manutentionnaire (N1105)
    "city_insee": "59512",
    "area_type": "DEPARTEMENT",
    "kind": "FIND_A_FIRST_JOB",
    "previous_job_similarity": "NEVER_DONE",
    "job_search_started_at": f"{months_ago(3)[0]}-{months_ago(3)[1]:02d}-01",
    "passionate_level": "LIKEABLE",
    "weekly_applications_estimate": "SOME",
    "weekly_offers_estimate": "SOME",
    "total_interview_count": 0,
    "network_estimate": 1,
    "training_fulfillment_estimate": "NO_TRAINING_REQUIRED",
}


async def guest_who_kept_her_answers(client: httpx.AsyncClient, name: str) -> Person:
    """Journey 2's person, through the public API: a guest's answers, then an email, the questionnaire done."""
    response = await client.post("/v1/auth/guest", json={"first_name": name})
    assert response.status_code == 201, response.text
    auth = {"authorization": f"Bearer {response.json()['access_token']}"}
    response = await client.patch(
        "/v1/me/profile",
        headers=auth,
        json={
            "revision": 0,
            "profile": {
                "gender": "FEMININE",
                "year_of_birth": date.today().year - 24,
                "highest_degree": "NO_DEGREE",
                "frustrations": ["EXPERIENCE", "SELF_CONFIDENCE"],
            },
        },
    )
    assert response.status_code == 200, response.text
    revision = response.json()["revision"]
    response = await client.post(
        "/v1/me/projects", headers=auth, json={"revision": revision, "project": FIRST_JOB_IN_ROUBAIX}
    )
    assert response.status_code == 201, response.text
    email = f"{name.lower()}@example.org".replace("è", "e")
    response = await client.post("/v1/me/upgrade", headers=auth, json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    tokens = response.json()
    person = Person(tokens["user_id"], name, email, tokens["access_token"], tokens["refresh_token"])
    revision = (await client.get("/v1/me/profile", headers=person.auth)).json()["revision"]
    response = await client.patch(
        "/v1/me/profile", headers=person.auth, json={"revision": revision, "questionnaire_finished": True}
    )
    assert response.status_code == 200, response.text
    return person


async def test_journey_3_the_counsellor_she_invites_reads_about_her_until_she_ends_it(
    e2e_system: System, context: BrowserContext, shots: Shots
) -> None:
    base = e2e_system.url("gateway")
    async with httpx.AsyncClient(base_url=base, timeout=15) as client:
        she = await guest_who_kept_her_answers(client, unique_name("Inès"))

    # Her tab: she invites, sharing her diagnosis and what is hard for her, not her plan's progress.
    hers = await context.new_page()
    her_errors = PageErrors(hers)
    await log_in(hers, base, she)
    await hers.goto(base + "/settings/counsellors")
    offered = hers.get_by_role("group", name="Ce que la personne invitée verra")
    await offered.get_by_role("checkbox", name=re.compile("^L'avancée de mon plan")).uncheck()
    await offered.get_by_role("checkbox", name=re.compile("^Ce qui est difficile pour moi")).check()
    await hers.get_by_role("button", name="Créer un lien d'invitation").click()
    link = hers.get_by_label("Lien à donner à votre conseiller")
    await expect(link).to_have_value(re.compile(r"/link/counsellor#.+"))
    # The link names the public address of the service; the test system listens on a port of its own.
    fragment = (await link.input_value()).split("#", 1)[1]

    # The counsellor opens the link she was given, and creates a counsellor account on the way.
    page = await context.new_page()
    errors = PageErrors(page)
    await page.goto(f"{base}/link/counsellor#{fragment}")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Invitation d'un conseiller")
    await expect(page.get_by_text(re.compile("^Une personne vous invite à suivre sa recherche"))).to_be_visible()
    await page.get_by_role("link", name="Créer un compte conseiller").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Créer un compte conseiller")
    counsellor = unique_name("Paul")
    counsellor_email = f"{counsellor.lower()}@example.org"
    await page.get_by_label("Votre prénom").fill(counsellor)
    await page.get_by_label("Adresse e-mail").fill(counsellor_email)
    await page.get_by_label("Mot de passe").fill(PASSWORD)
    await page.get_by_role("button", name="Créer mon compte").click()
    accepted = f"C'est fait : vous suivez désormais {she.first_name}, en lecture seule."
    await expect(page.get_by_text(accepted)).to_be_visible()
    await shots.take(page, "journey-3-accepted")
    await doc_screenshot(page, "journey3-01-invitation-accepted")

    # About her, in the third person and in the feminine; only what she shares.
    await page.get_by_role("link", name="Voir son résumé").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(she.first_name)
    main = page.get_by_role("main")

    async def diagnosed() -> bool:
        await page.reload()
        await expect(page.get_by_role("heading", level=1)).to_have_text(she.first_name)
        return await main.get_by_text(re.compile("^Sa priorité : ")).count() > 0

    await eventually(diagnosed, timeout=60, interval=1)
    await expect(main.get_by_text("Sa priorité : trouver un métier qui lui plaît")).to_be_visible()
    await expect(main.get_by_role("heading", name="Ce qui est difficile pour elle")).to_be_visible()
    await expect(main.get_by_text("On lui dit qu'elle manque d'expérience.")).to_be_visible()
    await expect(main.get_by_text("Elle manque de confiance en elle.")).to_be_visible()
    await expect(main.get_by_text("Obtenir le diplôme demandé : ne la concerne pas")).to_be_visible()
    # Nothing speaks to her: no "Votre priorité", no "vous craignez", no "qui vous plaît" (the counsellor
    # is the "vous" of "ne partage pas avec vous").
    await expect(main.get_by_text(re.compile(r"\b(Votre|Vos|[Vv]ous craignez|vous plaît)\b"))).to_have_count(0)
    await expect(main.get_by_role("heading", name="L'avancée de son plan")).to_have_count(0)
    not_shared = f"{she.first_name} ne partage pas avec vous : l'avancée de son plan."
    await expect(main.get_by_text(not_shared)).to_be_visible()
    await shots.take(page, "journey-3-person")
    await doc_screenshot(page, "journey3-02-about-her")

    # She ends the sharing from her own tab.
    await hers.reload()
    await expect(hers.get_by_role("heading", name=counsellor, level=2)).to_be_visible()
    chosen = hers.get_by_role("group", name=f"Ce que {counsellor} voit")
    await expect(chosen.get_by_role("checkbox", name=re.compile("^Mon diagnostic"))).to_be_checked()
    await expect(chosen.get_by_role("checkbox", name=re.compile("^L'avancée de mon plan"))).not_to_be_checked()
    await expect(chosen.get_by_role("checkbox", name=re.compile("^Ce qui est difficile pour moi"))).to_be_checked()
    await shots.take(hers, "journey-3-her-sharing")
    await doc_screenshot(hers, "journey3-03-her-choice", at=hers.get_by_role("heading", name=counsellor, level=2))
    await hers.get_by_role("button", name="Arrêter le partage").click()
    await expect(hers.get_by_text(f"Arrêter le partage avec {counsellor} ?", exact=False)).to_be_visible()
    await hers.get_by_role("button", name="Oui, arrêter le partage").click()
    await expect(hers.get_by_text("Vous ne partagez avec personne.")).to_be_visible()
    her_errors.assert_none()

    # The counsellor is told plainly: the API answers 410 sharing_ended, the page says who ended it and when.
    async with page.expect_response(lambda r: f"/v1/counsellor/people/{she.user_id}" in r.url) as answer:
        await page.reload()
    ended = await answer.value
    assert ended.status == 410 and (await ended.json())["code"] == "sharing_ended"
    await expect(page.get_by_role("heading", level=1)).to_have_text("Partage terminé")
    await expect(
        main.get_by_text(re.compile(r"^Cette personne a mis fin au partage le \d{1,2} \S+ \d{4}\."))
    ).to_be_visible()
    await expect(main.get_by_text("Cette ressource n'existe pas")).to_have_count(0)
    await shots.take(page, "journey-3-ended")
    await doc_screenshot(page, "journey3-04-sharing-ended")
    await page.get_by_role("link", name="Revenir à la liste").click()
    await expect(page.get_by_text("Personne ne partage encore son suivi avec vous.")).to_be_visible()

    # No email goes to the counsellor at any step (a counsellor only gets the emails they ask for).
    assert mails_to(e2e_system, counsellor_email) == []
    errors.assert_none()
