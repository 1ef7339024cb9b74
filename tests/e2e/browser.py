"""Helpers of the browser tests: Chromium's launch, screenshots, the accessibility scan, page errors."""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from axe_playwright_python.async_playwright import Axe
from playwright.async_api import ConsoleMessage, Locator, Page, ViewportSize, expect

from services.gateway.routes.web import WEB_DIR
from tests.support.journey import Person
from tests.support.system import ROOT

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = ROOT / "var" / "e2e-screenshots"
SCANNED = SCREENSHOTS / "axe-scanned.jsonl"
# The screenshots docs/WEB.md shows, rewritten only when UPDATE_DOC_SCREENSHOTS=1 (`make doc-screenshots`).
DOC_SCREENSHOTS = ROOT / "docs" / "screenshots" / "journeys"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE: ViewportSize = {"width": 360, "height": 780}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
# WCAG 2.0, 2.1 and 2.2, levels A and AA, and axe's best practices. Naming the tags also runs the
# rules axe leaves off by default, such as target-size (WCAG 2.2, 2.5.8): without runOnly it never ran.
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice")
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": list(AXE_TAGS)}, "resultTypes": ["violations"]}
# WCAG 2.2's minimum target (2.5.8), in CSS pixels.
MIN_TARGET_PX = 24
# The controls a person taps: buttons, fields, disclosure triangles, options, and links drawn as
# buttons or in the menu. Links inside a sentence are left to axe (WCAG exempts inline targets).
CONTROLS = (
    "button, input:not([type=hidden]), select, textarea, summary, [role=option], [role=button],"
    " a.button, .site-header a, .segmented a"
)
_axe = Axe()


@dataclass
class Shots:
    """Takes each screenshot at 360 px and 1280 px wide; keeps them in the test's folder and in var/."""

    folder: Path
    published: Path
    prefix: str
    taken: list[Path] = field(default_factory=list)

    async def take(self, page: Page, name: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        for label, size in (("360", PHONE), ("1280", DESKTOP)):
            await page.set_viewport_size(size)
            path = self.folder / f"{self.prefix}--{name}--{label}.png"
            await page.screenshot(path=str(path), full_page=True)
            shutil.copy(path, self.published / path.name)
            self.taken.append(path)
        await page.set_viewport_size(PHONE)


async def doc_screenshot(page: Page, name: str, *, at: Locator | None = None, block: str = "start") -> None:
    """Write what a phone shows (360 px, one screen) to docs/screenshots/journeys/<name>.png.

    The top of the page, or the screen that shows ``at`` (at its top, or at its bottom with
    ``block="end"``). Only when UPDATE_DOC_SCREENSHOTS=1, so that
    an ordinary test run never rewrites the documentation.
    """
    if os.environ.get("UPDATE_DOC_SCREENSHOTS") != "1":
        return
    DOC_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.set_viewport_size(PHONE)
    if at is None:
        await page.evaluate("window.scrollTo(0, 0)")
    else:
        await at.evaluate("(el, block) => el.scrollIntoView({ block })", block)
    await page.screenshot(path=str(DOC_SCREENSHOTS / f"{name}.png"), full_page=False, animations="disabled")


# Run in the page at 360 px: how wide the document is, and the controls smaller than the minimum.
_PHONE_CHECK = """([selector, min]) => {
  const small = [];
  for (const el of document.querySelectorAll(selector)) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || el.closest('.visually-hidden')) continue; // not drawn
    if (box.width < min || box.height < min) {
      const name = (el.getAttribute('aria-label') || el.textContent || el.name || '').trim().slice(0, 40);
      small.push(`${el.tagName.toLowerCase()} "${name}" ${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  return { scrollWidth: document.documentElement.scrollWidth, small };
}"""


async def assert_accessible(page: Page, name: str) -> None:
    """Scan the page as it is now with axe-core at 360 px and at 1280 px, and check it fits a phone.

    Fails with a readable list: axe's violations at either width and, at 360 px, a page that
    scrolls sideways or a control smaller than 24 x 24 CSS px.
    """
    problems: list[str] = []
    evaluated: set[str] = set()
    for size in (PHONE, DESKTOP):
        await page.set_viewport_size(size)
        results: dict[str, Any] = (await _axe.run(page, options=AXE_OPTIONS)).response
        found = {rule["id"] for kind in ("passes", "violations", "incomplete") for rule in results[kind]}
        assert "target-size" in found, f"axe did not evaluate target-size on {name} ({page.url})"
        evaluated |= found
        problems += [f"{size['width']} px: {_describe(v)}" for v in results["violations"]]
        if size == PHONE:
            problems += await _phone_problems(page)
    await page.set_viewport_size(PHONE)
    assert not problems, f"accessibility problems on {name} ({page.url}):\n" + "\n".join(problems)
    _record(name, page.url, len(evaluated))


def _describe(violation: dict[str, Any]) -> str:
    targets = "; ".join(str(node["target"]) for node in violation["nodes"][:5])
    return f"{violation['id']} ({violation['impact']}): {violation['help']} — {targets}"


async def _phone_problems(page: Page) -> list[str]:
    measured: dict[str, Any] = await page.evaluate(_PHONE_CHECK, [CONTROLS, MIN_TARGET_PX])
    problems = [f"360 px: control under {MIN_TARGET_PX} px: {control}" for control in measured["small"]]
    if measured["scrollWidth"] > PHONE["width"]:
        problems.append(f"360 px: the page scrolls sideways ({measured['scrollWidth']} px wide)")
    return problems


def _client_routes() -> list[str]:
    """Return the paths of js/routes.js that draw a screen (redirects left out)."""
    routes = (WEB_DIR / "js" / "routes.js").read_text(encoding="utf-8")
    return re.findall(r"\{ path: '(/[^']*)', load:", routes)


CLIENT_ROUTES = _client_routes()


def client_route(url: str) -> str:
    """Return the route of js/routes.js a URL shows ('/market/:rome/:departement'), as the client matches it."""
    parts = urlsplit(url).path.rstrip("/").split("/")[1:]
    for route in CLIENT_ROUTES:
        pattern = [] if route == "/" else route.split("/")[1:]
        if len(pattern) == len(parts) and all(
            (piece.startswith(":") and part != "") or piece == part for piece, part in zip(pattern, parts, strict=True)
        ):
            return route
    return "(not found)"


def _record(name: str, url: str, rules: int) -> None:
    """Keep the list of scanned screens beside the screenshots (what "every page" covered)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    line = {"screen": name, "route": client_route(url), "widths": [PHONE["width"], DESKTOP["width"]], "rules": rules}
    with SCANNED.open("a", encoding="utf-8") as log:
        log.write(json.dumps(line) + "\n")


def scan_summary() -> list[str]:
    """Return what the accessibility scans of this run covered, and the client routes none scanned."""
    if not SCANNED.exists():
        return []
    scans = [json.loads(line) for line in SCANNED.read_text(encoding="utf-8").splitlines()]
    routes = {scan["route"] for scan in scans}
    missing = [route for route in CLIENT_ROUTES if route not in routes]
    return [
        f"axe-core (WCAG 2.2 AA and best practices, 360 and 1280 px): {len(scans)} scans of "
        f"{len({scan['screen'] for scan in scans})} screens, 0 violations",
        f"client routes scanned in this run: {len(CLIENT_ROUTES) - len(missing)} of {len(CLIENT_ROUTES)}",
        "not scanned in this run: " + (", ".join(missing) or "none"),
    ]


class PageErrors:
    """Collects script errors, failed CSP checks and console errors of a page: a clean client has none."""

    def __init__(self, page: Page) -> None:
        self.messages: list[str] = []
        page.on("pageerror", lambda error: self.messages.append(f"pageerror: {error}"))
        page.on("console", self._console)

    def _console(self, message: ConsoleMessage) -> None:
        text = message.text
        unexpected_error = message.type == "error" and not _expected(text)
        if unexpected_error or "Content Security Policy" in text or "missing text" in text:
            self.messages.append(f"console: {text}")

    def assert_none(self) -> None:
        assert not self.messages, "\n".join(self.messages)


def _expected(text: str) -> bool:
    # The browser logs every HTTP error answer as an error; the tests provoke some on purpose
    # (a wrong password, a field to correct, an account deleted), and the page shows them.
    return "Failed to load resource" in text


async def open_menu_item(page: Page, name: str) -> None:
    """Follow a link of the main menu, opening the menu first when it is folded (phones)."""
    button = page.get_by_role("button", name="Menu")
    if await button.is_visible() and await button.get_attribute("aria-expanded") != "true":
        await button.click()
    await page.get_by_role("navigation", name="Menu principal").get_by_role("link", name=name).click()


async def choose(page: Page, answer: str, *, button: str = "Continuer") -> None:
    """Answer a one-choice question by tapping the answer, then go on (and wait for the next screen)."""
    heading = page.get_by_role("heading", level=1)
    question = await heading.inner_text()
    await page.get_by_text(answer, exact=True).click()
    await page.get_by_role("button", name=button).click()
    await expect(heading).not_to_have_text(question)


async def choose_suggestion(page: Page, label: str, typed: str) -> None:
    """Type a few letters in an autocomplete (job title, commune) and tap its first suggestion."""
    box = page.get_by_role("combobox", name=label)
    await box.press_sequentially(typed, delay=30)
    await page.get_by_role("listbox", name=label).get_by_role("option").first.click()


async def start_as_guest(page: Page, base: str, name: str, *, shared_device: bool = False) -> None:
    """Start without an email from the guest page, up to the questionnaire's first screen."""
    await page.goto(base + "/guest")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Essayer sans compte")
    await page.get_by_label("Votre prénom").fill(name)
    if shared_device:
        await page.get_by_role("checkbox", name="Cet appareil est partagé", exact=False).check()
    await page.get_by_role("button", name="Commencer").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"Bienvenue {name}")


async def log_in(page: Page, base: str, person: Person) -> None:
    """Log in from the login page with the tests' password, up to the diagnosis the app opens first."""
    await page.goto(base + "/login")
    await page.get_by_label("Adresse e-mail").fill(person.email or "")
    await page.get_by_label("Mot de passe").fill("un long mot de passe")
    await page.get_by_role("button", name="Se connecter").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Votre diagnostic")
