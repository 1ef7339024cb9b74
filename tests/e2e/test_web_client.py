"""The installable app in a real browser: the service worker opens the client offline.

The checks that need no browser (serving, caching, the JavaScript budget, the texts, the
manifest) are in tests/unit/web/, so they run even where Chromium is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import async_playwright, expect

from tests.e2e.browser import CHROMIUM, LAUNCH_ARGS
from tests.support.system import System


@pytest.mark.e2e
async def test_the_service_worker_opens_the_app_offline(e2e_system: System, tmp_path: Path) -> None:
    base = e2e_system.url("gateway")
    async with async_playwright() as playwright:
        context = await playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True, locale="fr-FR"
        )
        try:
            page = await context.new_page()
            await page.goto(base + "/")
            await page.evaluate("navigator.serviceWorker.ready.then(() => true)")
            await page.reload()
            assert await page.evaluate("Boolean(navigator.serviceWorker.controller)")
            await context.set_offline(True)
            await page.goto(base + "/welcome")
            await expect(page.get_by_role("heading", level=1)).to_have_text("Un coach pour votre recherche d'emploi")
        finally:
            await context.close()
