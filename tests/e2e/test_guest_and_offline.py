"""A guest's session and the app offline, in a real browser.

* A guest who closes the tab finds their answers when they come back on the same device (the intro
  says "you can stop and come back later"); on a device they said is shared, the session ends with
  the tab. Only the single-use refresh token is kept, never the access token.
* A guest can keep their answers at any time from a line under the header, and is warned before
  logging out that they would lose everything, with the way to keep them first.
* Reloaded offline, the app opens from the service worker's copy, still logged in, and says it is
  offline; the service worker keeps no personal data (nothing of /v1).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.async_api import BrowserContext, Page, async_playwright, expect

from tests.e2e.browser import CHROMIUM, LAUNCH_ARGS, PHONE, PageErrors, Shots, assert_accessible, start_as_guest
from tests.support.journey import unique_name
from tests.support.system import System

pytestmark = pytest.mark.e2e
# What the page keeps in the browser's storage: the record of the session, and no access token (a JWT).
STORAGE = "JSON.stringify({local: {...localStorage}, session: {...sessionStorage}})"


async def stored(page: Page) -> dict[str, dict[str, str]]:
    kept: dict[str, dict[str, str]] = json.loads(await page.evaluate(STORAGE))
    return kept


async def test_a_guest_comes_back_after_closing_the_tab_and_is_warned_before_losing_everything(
    e2e_system: System, context: BrowserContext, shots: Shots
) -> None:
    base = e2e_system.url("gateway")
    page = await context.new_page()
    errors = PageErrors(page)
    name = unique_name("Yvette")
    await start_as_guest(page, base, name)

    # Only the refresh token and whose it is are kept on the device; the access token stays in memory.
    kept = await stored(page)
    record = json.loads(kept["local"]["coach.session"])
    assert set(record) == {"refresh_token", "user_id", "role", "guest"} and record["guest"] is True
    assert "eyJ" not in json.dumps(kept), "no access token (a JWT) is ever written to storage"

    # The way to keep one's answers is always there, never in the way.
    banner = page.get_by_role("banner")
    await expect(banner.get_by_text("Vous utilisez le service sans compte.")).to_be_visible()
    await expect(banner.get_by_role("link", name="Garder mes réponses")).to_be_visible()
    await assert_accessible(page, "guest: the line to keep one's answers")

    # The tab is closed; a new one on the same device opens the app logged in as the same guest.
    await page.close()
    again = await context.new_page()
    errors = PageErrors(again)
    await again.goto(base + "/")
    await expect(again.get_by_role("heading", level=1)).to_have_text(f"Bienvenue {name}")
    assert json.loads((await stored(again))["local"]["coach.session"])["user_id"] == record["user_id"]
    # The refresh token was spent once and replaced (rotation), as at every use.
    assert json.loads((await stored(again))["local"]["coach.session"])["refresh_token"] != record["refresh_token"]

    # Logging out: a guest is told they would lose everything, and offered to keep their answers first.
    menu = again.get_by_role("button", name="Menu")
    if await menu.is_visible():
        await menu.click()
    await again.get_by_role("button", name="Se déconnecter").click()
    await expect(again.get_by_role("heading", level=1)).to_have_text("Se déconnecter ?")
    await expect(again.get_by_text("vous perdrez tout en vous déconnectant", exact=False)).to_be_visible()
    await shots.take(again, "guest-leaving")
    await assert_accessible(again, "guest: logging out, the warning")
    await again.get_by_role("link", name="Garder mes réponses d'abord").click()
    await expect(again.get_by_role("heading", level=1)).to_have_text("Garder mes réponses")
    await assert_accessible(again, "guest: keep my answers")
    email = f"{name.lower()}@example.org"
    await again.get_by_label("Adresse e-mail").fill(email)
    await again.get_by_label("Mot de passe").fill("un long mot de passe")
    await again.get_by_role("button", name="Garder mes réponses").click()
    await expect(again.get_by_text("C'est fait : votre compte est créé, rien n'est perdu.")).to_be_visible()
    # An account with an address goes back to the rule of accounts: kept for this tab only.
    kept = await stored(again)
    assert "coach.session" not in kept["local"] and "coach.session" in kept["session"]
    await expect(again.get_by_role("banner").get_by_text("Vous utilisez le service sans compte.")).to_have_count(0)
    await again.get_by_role("link", name="Se déconnecter maintenant").click()
    await again.get_by_role("main").get_by_role("button", name="Se déconnecter").click()
    await expect(again.get_by_role("heading", level=1)).to_have_text("Un coach pour votre recherche d'emploi")
    assert "coach.session" not in json.dumps(await stored(again))
    errors.assert_none()


async def test_on_a_shared_device_a_guest_session_ends_with_the_tab(
    e2e_system: System, context: BrowserContext
) -> None:
    base = e2e_system.url("gateway")
    page = await context.new_page()
    errors = PageErrors(page)
    await start_as_guest(page, base, unique_name("Malik"), shared_device=True)
    assert "coach.session" not in (await stored(page))["local"]
    await page.close()
    again = await context.new_page()
    await again.goto(base + "/")
    await expect(again.get_by_role("heading", level=1)).to_have_text("Un coach pour votre recherche d'emploi")
    errors.assert_none()


async def test_reloaded_offline_the_app_opens_with_its_session_and_keeps_no_personal_data(
    e2e_system: System, tmp_path: Path
) -> None:
    base = e2e_system.url("gateway")
    async with async_playwright() as playwright:
        # This test needs the service worker (the other browser tests block it).
        context = await playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=CHROMIUM,
            args=LAUNCH_ARGS,
            headless=True,
            locale="fr-FR",
            viewport=PHONE,
        )
        context.set_default_timeout(20_000)
        try:
            page = await context.new_page()
            errors = PageErrors(page)
            name = unique_name("Nadia")
            await start_as_guest(page, base, name)
            await page.evaluate("navigator.serviceWorker.ready.then(() => true)")

            await context.set_offline(True)
            await page.reload()
            # The app, from the worker's copy: logged in (no login page), saying it is offline.
            await expect(page.get_by_role("heading", level=1)).to_have_text("Pas de connexion pour l'instant")
            await expect(page.get_by_text("Hors connexion : l'application s'ouvre", exact=False)).to_be_visible()
            await expect(page.get_by_role("banner").get_by_role("link", name="Garder mes réponses")).to_be_visible()
            assert "/login" not in page.url
            # Another screen, never shown before, opens too: the worker kept the whole app at install.
            await page.goto(base + "/help")
            await expect(page.get_by_role("heading", level=1)).to_have_text("L'aide des bénévoles")
            await expect(page.get_by_text("La connexion semble coupée.", exact=False)).to_be_visible()
            assert "/login" not in page.url

            cached: list[str] = await page.evaluate(
                """async () => {
                  const urls = [];
                  for (const name of await caches.keys()) {
                    for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
                  }
                  return urls;
                }"""
            )
            assert any(url.endswith("/js/app.js") for url in cached) and any("/js/pages/" in url for url in cached)
            assert not [url for url in cached if "/v1/" in url], "the service worker never keeps the API's answers"

            # Back online: the screen comes back by itself.
            await context.set_offline(False)
            await page.goto(base + "/onboarding")
            await expect(page.get_by_role("heading", level=1)).to_have_text(f"Bienvenue {name}")
            errors.assert_none()
        finally:
            await context.close()
