"""Helpers of the browser tests: Chromium's launch, screenshots, the accessibility scan, page errors."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from axe_playwright_python.async_playwright import Axe
from playwright.async_api import ConsoleMessage, Page, ViewportSize

from tests.support.system import ROOT

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = ROOT / "var" / "e2e-screenshots"
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
# Every axe-core rule (WCAG 2.0/2.1/2.2 A and AA, and best practices), violations only.
AXE_OPTIONS = {"resultTypes": ["violations"]}
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


async def assert_accessible(page: Page, name: str) -> None:
    """Run axe-core on the page as it is now; fail with a readable list of violations."""
    results = await _axe.run(page, options=AXE_OPTIONS)
    violations: list[dict[str, Any]] = results.response["violations"]
    report = [
        f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(str(n["target"]) for n in v["nodes"][:5])
        for v in violations
    ]
    assert not violations, f"accessibility violations on {name} ({page.url}):\n" + "\n".join(report)
    _record(name, page.url)


def _record(name: str, url: str) -> None:
    """Keep the list of scanned screens beside the screenshots (what "every page" covered)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / "axe-scanned.jsonl"
    with path.open("a", encoding="utf-8") as log:
        log.write(json.dumps({"screen": name, "url": url, "violations": 0}) + "\n")


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
