"""When the gateway is too busy to take a request (503 with Retry-After, nothing done), the client says
so, waits, and sends it again by itself: the person signs up without doing anything more."""

from __future__ import annotations

import pytest
from playwright.async_api import BrowserContext, Route, expect

from tests.e2e.browser import PageErrors, assert_accessible
from tests.support.journey import unique_name
from tests.support.system import System

pytestmark = pytest.mark.e2e
# What the gateway answers when no connection to a service is free (services/gateway/upstream.py).
BUSY = {
    "type": "https://coach.example/problems/busy",
    "title": "Service indisponible",
    "status": 503,
    "code": "busy",
    "detail": "Beaucoup de personnes utilisent le service en ce moment ; rien n'a été fait. Réessayez dans 2 secondes.",
    "params": {"retry_after": 2},
}


async def test_a_busy_refusal_is_explained_and_sent_again_by_the_client(
    e2e_system: System, context: BrowserContext
) -> None:
    page = await context.new_page()
    errors = PageErrors(page)
    refused: list[str] = []

    async def busy_once(route: Route) -> None:
        if not refused:
            refused.append(route.request.method)
            await route.fulfill(
                status=503,
                headers={"retry-after": "2", "content-language": "fr"},
                content_type="application/problem+json",
                json=BUSY,
            )
        else:
            await route.continue_()

    await page.route("**/v1/auth/signup", busy_once)
    await page.goto(e2e_system.url("gateway") + "/signup")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Créer votre compte")
    name = unique_name("Gisèle")
    await page.get_by_label("Votre prénom").fill(name)
    await page.get_by_label("Adresse e-mail").fill(f"{name.lower()}@example.org")
    await page.get_by_label("Mot de passe").fill("un long mot de passe")
    await page.get_by_role("button", name="Créer mon compte").click()

    notice = page.get_by_role("status").filter(has_text="Beaucoup de monde en ce moment")
    await expect(notice).to_have_text("Beaucoup de monde en ce moment. Nous réessayons pour vous dans 2 secondes…")
    await assert_accessible(page, "busy, sending again")
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Bienvenue")
    await expect(notice).to_have_count(0)
    assert refused == ["POST"]
    errors.assert_none()
