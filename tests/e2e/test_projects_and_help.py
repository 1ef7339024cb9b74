"""Several projects, and volunteers' help asked by the person only, in a real browser.

* "My answers" lists the projects: add one (job and city, then its questions), choose the one the
  diagnosis and the plan show, delete one after a confirmation.
* An action a volunteer can help with shows « Demander à un ou une bénévole »: the request is made
  when the person taps it, never before; a mock interview is one of the helps; cancelling a request
  asks for a confirmation that says what is lost.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from playwright.async_api import BrowserContext, Route, expect

from tests.e2e.browser import PageErrors, Shots, assert_accessible, choose_suggestion, log_in, open_menu_item
from tests.support.journey import complete_profile, sign_up
from tests.support.system import System, eventually

pytestmark = pytest.mark.e2e
PLAN_READS = re.compile(r"/v1/me/plan(\?|$)")


async def test_several_projects_one_chosen_for_the_diagnosis_and_the_plan(
    e2e_system: System, context: BrowserContext, shots: Shots
) -> None:
    base = e2e_system.url("gateway")
    async with httpx.AsyncClient(base_url=base, timeout=15) as client:
        person = await sign_up(client)
        await complete_profile(client, person)  # a hairdresser in Lyon
    page = await context.new_page()
    errors = PageErrors(page)
    await log_in(page, base, person)

    await open_menu_item(page, "Mes réponses")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Mes réponses")
    projects = page.get_by_role("list").filter(has=page.get_by_role("heading", name=re.compile("autour de Lyon")))
    await expect(projects.get_by_role("listitem")).to_have_count(1)
    await expect(page.get_by_text("Projet affiché")).to_be_visible()

    # A second project: its job and its city, then its own questions.
    await page.get_by_role("button", name="Ajouter un projet").click()
    await choose_suggestion(page, "Métier", "comptab")
    await choose_suggestion(page, "Ville ou code postal", "roubaix")
    await assert_accessible(page, "my answers: a new project")
    await page.get_by_role("button", name="Ajouter ce projet").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Quel est votre projet ?")

    await open_menu_item(page, "Mes réponses")
    cards = page.locator(".projects > li")
    await expect(cards).to_have_count(2)
    roubaix = cards.filter(has_text="Roubaix")
    lyon = cards.filter(has_text="Lyon")
    await expect(roubaix.get_by_text("Projet affiché")).to_be_visible()  # the new one is chosen
    await expect(page.get_by_role("heading", name=re.compile("^Vos réponses pour « .*Roubaix »$"))).to_be_visible()
    await shots.take(page, "projects")
    await assert_accessible(page, "my answers: two projects")

    # The diagnosis and the plan show the chosen project.
    await open_menu_item(page, "Diagnostic")
    await expect(page.get_by_role("main").locator(".lead")).to_contain_text("Roubaix")
    await open_menu_item(page, "Mon plan")
    await expect(page.get_by_text(re.compile(r"^Projet : .*, autour de Roubaix\."))).to_be_visible()

    # Back to the first one, then the second is deleted, after a confirmation.
    await open_menu_item(page, "Mes réponses")
    await lyon.get_by_role("button", name="Voir ce projet").click()
    await expect(lyon.get_by_text("Projet affiché")).to_be_visible()
    await open_menu_item(page, "Diagnostic")
    await expect(page.get_by_role("main").locator(".lead")).to_contain_text("Lyon")
    await open_menu_item(page, "Mes réponses")
    await roubaix.get_by_role("button", name="Supprimer ce projet").click()
    await expect(roubaix.get_by_text(re.compile("^Supprimer « .*Roubaix » \\?"))).to_be_visible()
    await assert_accessible(page, "my answers: deleting a project, confirmation")
    await roubaix.get_by_role("button", name="Annuler").click()
    await expect(cards).to_have_count(2)  # nothing deleted without the confirmation
    await roubaix.get_by_role("button", name="Supprimer ce projet").click()
    await roubaix.get_by_role("button", name="Oui, supprimer").click()
    await expect(cards).to_have_count(1)
    async with httpx.AsyncClient(base_url=base, timeout=15) as client:
        profile = (await client.get("/v1/me/profile", headers=person.auth)).json()
    assert [p["city_name"] for p in profile["projects"]] == ["Lyon"]
    errors.assert_none()


async def test_help_is_asked_only_by_the_person_from_their_plan_and_cancelled_knowingly(
    e2e_system: System, context: BrowserContext, shots: Shots
) -> None:
    base = e2e_system.url("gateway")
    async with httpx.AsyncClient(base_url=base, timeout=15) as client:
        person = await sign_up(client)
        await complete_profile(client, person)

        async def planned() -> list[Any]:
            plan = (await client.get("/v1/me/plan", headers=person.auth, params={"view": "today"})).json()
            return list(plan.get("actions") or [])

        today = await eventually(planned, timeout=60, interval=1)
    action_id = today[0]["action_id"]

    # Whichever actions the plan chose today, the first one is one a volunteer can help with (a mock
    # interview): the page's reads of the plan say so, everything else is the real system.
    async def helpable(route: Route) -> None:
        response = await route.fetch()
        plan = await response.json()
        for action in plan.get("actions") or []:
            if action["action_id"] == action_id:
                action["needs_help"] = "mock-interview"
        await route.fulfill(response=response, json=plan)

    page = await context.new_page()
    errors = PageErrors(page)
    await page.route(PLAN_READS, helpable)
    await log_in(page, base, person)
    await open_menu_item(page, "Mon plan")
    card = page.locator("li.card").filter(has_text="jouer le recruteur pour un entretien blanc")
    ask = card.get_by_role("button", name="Demander à un ou une bénévole")
    await expect(ask).to_have_count(1)
    await assert_accessible(page, "plan: an action a volunteer can help with")
    async with httpx.AsyncClient(base_url=base, timeout=15) as client:
        # The action has been in the plan all along: nobody asked a volunteer on the person's behalf.
        assert (await client.get("/v1/me/help-requests", headers=person.auth)).json() == []

        await ask.click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Un entretien blanc")
        (request,) = (await client.get("/v1/me/help-requests", headers=person.auth)).json()
        assert request["kind"] == "mock-interview" and request["status"] == "awaiting-sharing-choice"
        assert request["origin"] == "plan" and request["action_id"] == action_id

        # Cancelling asks first, and says what is lost; « keep » keeps it.
        await page.get_by_role("button", name="Annuler la demande").click()
        await expect(page.get_by_text("Annuler cette demande ?", exact=False)).to_be_visible()
        await shots.take(page, "help-cancel-confirmation")
        await assert_accessible(page, "help request: cancelling, confirmation")
        await page.get_by_role("button", name="Non, garder la demande").click()
        assert (await client.get(f"/v1/me/help-requests/{request['request_id']}", headers=person.auth)).json()[
            "status"
        ] == "awaiting-sharing-choice"
        await page.get_by_role("button", name="Annuler la demande").click()
        await page.get_by_role("button", name="Oui, annuler la demande").click()
        await expect(page.get_by_text("La demande est annulée.")).to_be_visible()
        view = (await client.get(f"/v1/me/help-requests/{request['request_id']}", headers=person.auth)).json()
        assert view["status"] == "cancelled"

    # A mock interview can be asked from the help page too.
    await page.goto(base + "/help/new")
    await expect(page.get_by_role("radio", name=re.compile("^Un entretien blanc"))).to_be_visible()
    errors.assert_none()
