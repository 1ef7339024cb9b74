"""The client with the keyboard only, phone first: start as a guest, answer the first questions
(typing, choosing a suggestion with the arrows, choosing an answer with the arrows), open the menu
and reach the diagnosis, open a "why?". The mouse is never used, and every element the keyboard
reaches shows where the focus is.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.async_api import BrowserContext, Locator, Page, expect

from tests.e2e.browser import PageErrors, Shots, assert_accessible
from tests.support.journey import unique_name
from tests.support.system import System

pytestmark = pytest.mark.e2e
TAB_LIMIT = 25  # more Tab presses than any screen needs to reach its controls
# What the focused element draws: an answer (a radio or a box in its label) draws the ring on the
# whole label, the rest on themselves.
FOCUS_RING = """() => {
  const focused = document.activeElement;
  const drawn = focused.closest('.choice') || focused;
  const style = getComputedStyle(drawn);
  return {
    element: `${focused.tagName.toLowerCase()} "${(focused.textContent || focused.name || '').trim().slice(0, 40)}"`,
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== 'none',
    body: focused === document.body,
  };
}"""


async def assert_focus_visible(page: Page) -> None:
    ring: dict[str, Any] = await page.evaluate(FOCUS_RING)
    assert not ring["body"], "the focus was lost (on the page's body)"
    assert ring["outline"] or ring["shadow"], f"no visible focus on {ring['element']}"


async def press(page: Page, key: str) -> None:
    """Press a key that moves the focus, then check the focus can be seen where it landed."""
    await page.keyboard.press(key)
    await assert_focus_visible(page)


async def tab_to(page: Page, target: Locator, *, key: str = "Tab") -> None:
    """Press Tab (or Shift+Tab) until the target has the focus, checking the focus at each stop."""
    for _ in range(TAB_LIMIT):
        await press(page, key)
        if await target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{TAB_LIMIT} presses of {key} never reached {target}")


async def heading(page: Page, text: str | re.Pattern[str]) -> None:
    await expect(page.get_by_role("heading", level=1)).to_have_text(text)


async def test_a_guest_reaches_the_diagnosis_with_the_keyboard_only(
    e2e_system: System, context: BrowserContext, shots: Shots
) -> None:
    base = e2e_system.url("gateway")
    page = await context.new_page()
    errors = PageErrors(page)
    await page.goto(base + "/")
    await heading(page, "Un coach pour votre recherche d'emploi")

    # Start as a guest: the first name, then Enter sends the form.
    await tab_to(page, page.get_by_role("link", name="Essayer sans adresse e-mail"))
    await page.keyboard.press("Enter")
    await heading(page, "Essayer sans compte")
    name = unique_name("Gisèle")
    await tab_to(page, page.get_by_label("Votre prénom"))
    await page.keyboard.type(name)
    await page.keyboard.press("Enter")
    await heading(page, f"Bienvenue {name}")
    await tab_to(page, page.get_by_role("link", name="Commencer"))
    await page.keyboard.press("Enter")

    # The job title and the city: typed, a suggestion chosen with the arrows, Enter to go on.
    await heading(page, "Quel métier recherchez-vous ?")
    job = page.get_by_role("combobox", name="Métier")
    await tab_to(page, job)
    await page.keyboard.type("coiffeu", delay=30)
    await expect(page.get_by_role("option").first).to_be_visible()
    await press(page, "ArrowDown")
    await expect(job).to_have_attribute("aria-activedescendant", re.compile(".+"))
    await page.keyboard.press("Enter")  # takes the suggestion
    await expect(job).to_have_value(re.compile("Coiffeu", re.IGNORECASE))
    await page.keyboard.press("Enter")  # sends the answer
    await heading(page, "Où cherchez-vous ?")
    city = page.get_by_role("combobox", name="Ville ou code postal")
    await tab_to(page, city)
    await page.keyboard.type("Lyon", delay=30)
    await expect(page.get_by_role("option", name=re.compile("^Lyon")).first).to_be_visible()
    await press(page, "ArrowDown")
    await page.keyboard.press("Enter")
    await expect(city).to_have_value(re.compile("^Lyon"))
    await page.keyboard.press("Enter")

    # One choice among several: the arrows move through the answers and choose; Shift+Tab goes back
    # to the question's "why", Tab returns to the chosen answer.
    await heading(page, "Quel est votre projet ?")
    first = page.get_by_role("radio", name="Retrouver un emploi dans mon métier")
    await tab_to(page, first)
    await press(page, "ArrowDown")
    second = page.get_by_role("radio").nth(1)
    await expect(second).to_be_focused()
    await expect(second).to_be_checked()
    await press(page, "ArrowUp")
    await expect(first).to_be_checked()
    await tab_to(page, page.get_by_role("button", name="Continuer"))
    await tab_to(page, first, key="Shift+Tab")
    await expect(first).to_be_checked()
    await assert_accessible(page, "keyboard: a choice focused")
    await page.keyboard.press("Enter")
    await heading(page, "Avez-vous déjà fait ce métier ?")

    # The menu, opened with the space bar from the top of the page, leads to the diagnosis.
    menu = page.get_by_role("button", name="Menu")
    await tab_to(page, menu, key="Shift+Tab")
    await page.keyboard.press("Space")
    await expect(menu).to_have_attribute("aria-expanded", "true")
    navigation = page.get_by_role("navigation", name="Menu principal")
    await tab_to(page, navigation.get_by_role("link", name="Diagnostic"))
    await page.keyboard.press("Enter")
    await heading(page, "Votre diagnostic")
    challenges = page.get_by_role("heading", name="Les 7 points que nous avons regardés")
    await expect(challenges).to_be_visible(timeout=60_000)

    # A "why?" opens with Enter.
    why = page.locator("summary", has_text="Pourquoi ?").first
    await tab_to(page, why)
    await page.keyboard.press("Enter")
    await expect(page.locator("details[open]").first).to_be_visible()
    await shots.take(page, "diagnosis")
    await assert_accessible(page, "keyboard: the diagnosis, a why open")
    errors.assert_none()
