"""Fixtures of the browser tests: the real system (broker, services, gateway) and Debian's Chromium.

Chromium is driven by Playwright but never downloaded: the tests use /usr/bin/chromium and are
skipped, with the reason, when it is absent. Each test gets a fresh browser profile.

To run the tests against a system already running (``make run``), set
``E2E_GATEWAY_URL=http://127.0.0.1:8000`` and ``E2E_VAR_DIR=var`` (where the emails are kept), and
``E2E_SECRET_KEY`` if that system does not use the development secret (the tests sign email links).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, cast

import pytest
from playwright.async_api import BrowserContext, async_playwright

from shared.settings import DEVELOPMENT_SECRET
from tests.e2e.browser import CHROMIUM, LAUNCH_ARGS, PHONE, SCREENSHOTS, Shots, scan_summary
from tests.support.system import Broker, System


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if not Path(CHROMIUM).exists():
        skip = pytest.mark.skip(reason=f"{CHROMIUM} is absent: install Debian's chromium to run the browser tests")
        for item in items:
            if "tests/e2e" in str(item.fspath):
                item.add_marker(skip)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say what the accessibility scans of this run covered (the list is in var/e2e-screenshots/)."""
    if _screenshots_emptied:
        for line in scan_summary():
            terminalreporter.write_line(line)


_screenshots_emptied = False  # set once this run has started its own list of scans


@pytest.fixture(scope="session")
def e2e_system(request: pytest.FixtureRequest) -> System:
    """The system the browser drives: the session's shared system (each test uses its own people), or
    the one named by ``E2E_GATEWAY_URL``."""
    url = os.environ.get("E2E_GATEWAY_URL")
    if not url:
        return cast(System, request.getfixturevalue("shared_system"))
    port = int(url.rsplit(":", 1)[1].rstrip("/"))
    var_dir = Path(os.environ.get("E2E_VAR_DIR", "var")).resolve()
    # `make run` is a development system: it signs with the public development secret.
    secret = os.environ.get("E2E_SECRET_KEY", DEVELOPMENT_SECRET)
    return System(broker=cast(Broker, None), var_dir=var_dir, prefix="", ports={"gateway": port}, secret_key=secret)


@pytest.fixture(scope="session", autouse=True)
def screenshot_dir() -> Path:
    """Where a person can look at the screenshots after the run (var/e2e-screenshots/), emptied first."""
    global _screenshots_emptied
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    _screenshots_emptied = True
    return SCREENSHOTS


@pytest.fixture
async def context(tmp_path: Path) -> AsyncIterator[BrowserContext]:
    """A fresh Chromium profile, in French, 360 px wide (a cheap phone) until a test widens it."""
    async with async_playwright() as playwright:
        browser_context = await playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=CHROMIUM,
            args=LAUNCH_ARGS,
            headless=True,
            locale="fr-FR",
            timezone_id="Europe/Paris",
            viewport=PHONE,
            accept_downloads=True,
            # The service worker would serve cached pages between steps; it is checked on its own.
            service_workers="block",
        )
        browser_context.set_default_timeout(20_000)
        try:
            yield browser_context
        finally:
            await browser_context.close()


@pytest.fixture
def shots(request: pytest.FixtureRequest, tmp_path: Path, screenshot_dir: Path) -> Shots:
    """Screenshots at 360 px and 1280 px, kept in the test's tmp dir and copied to var/e2e-screenshots/."""
    module = cast(Any, request.node).module.__name__.rsplit(".", 1)[-1]
    return Shots(tmp_path / "screenshots", screenshot_dir, prefix=module.removeprefix("test_").replace("_", "-"))
