"""The web client as files: how the gateway serves them, what they may contain, the JavaScript
budget, the texts (French, tu, English), and the installable app (manifest and service worker).
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from playwright.async_api import async_playwright, expect

from services.gateway.bootstrap import create_app
from services.gateway.routes.web import CLIENT_SECTIONS, WEB_DIR, web_client
from services.gateway.settings import GatewaySettings
from tests.e2e.browser import CHROMIUM, LAUNCH_ARGS
from tests.support.system import System

JS_BUDGET_BYTES = 150 * 1024  # all the JavaScript, gzipped
I18N = WEB_DIR / "i18n"
# "vous" that stays with "tu": the two people of a help together, a meeting, and the word itself.
PLURAL_VOUS = {"help.contact", "help.they-do-not-share"}


@pytest.fixture
async def gateway(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[httpx.AsyncClient]:
    """The real gateway app, in process (its startup, which loads reference data, is not needed here)."""
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    app = create_app(GatewaySettings())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1:8000") as client:
        yield client


def texts(name: str) -> dict[str, str | dict[str, str]]:
    loaded: dict[str, str | dict[str, str]] = json.loads((I18N / f"{name}.json").read_text(encoding="utf-8"))
    return loaded


def flat(value: str | dict[str, str]) -> list[str]:
    return list(value.values()) if isinstance(value, dict) else [value]


def test_all_the_javascript_stays_under_150_kb_compressed() -> None:
    scripts = sorted(WEB_DIR.rglob("*.js"))
    sizes = {p.relative_to(WEB_DIR).as_posix(): len(gzip.compress(p.read_bytes(), compresslevel=9)) for p in scripts}
    total = sum(sizes.values())
    print(f"\nJavaScript: {len(scripts)} files, {sum(p.stat().st_size for p in scripts)} bytes, {total} bytes gzipped")
    assert total < JS_BUDGET_BYTES, f"{total} bytes gzipped > {JS_BUDGET_BYTES}: {sizes}"


async def test_every_page_of_the_client_is_answered_with_the_page_and_revalidated(gateway: httpx.AsyncClient) -> None:
    version = web_client().version
    for path in (
        "/",
        "/plan",
        "/plan?view=week",
        "/link/login",
        "/advice/improve-resume",
        "/surveys/nps",
        "/emails/unsubscribe",
    ):
        response = await gateway.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/html")
        assert response.headers["cache-control"] == "no-cache"
        assert f"/assets/{version}/js/app.js" in response.text
        assert "default-src 'self'" in response.headers["content-security-policy"]
    etag = (await gateway.get("/")).headers["etag"]
    assert (await gateway.get("/diagnosis", headers={"if-none-match": etag})).status_code == 304
    assert (await gateway.head("/")).status_code == 200


async def test_assets_are_versioned_cached_for_a_year_and_gzipped(gateway: httpx.AsyncClient) -> None:
    version = web_client().version
    response = await gateway.get(f"/assets/{version}/js/app.js", headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["content-encoding"] == "gzip"
    old = await gateway.get("/assets/0123456789ab/js/app.js")
    assert old.status_code == 200 and old.headers["cache-control"] == "no-cache"  # a page of the last release
    for bad in ("js/../index.html", "index.html", ".hidden", "js/%2e%2e/%2e%2e/routes/web.py", "nope.js"):
        assert (await gateway.get(f"/assets/{version}/{bad}")).status_code == 404, bad


async def test_the_api_and_its_documentation_are_untouched(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get("/v1/no-such-route")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert (await gateway.get("/v1/me/profile/")).status_code == 307  # trailing slash redirect
    assert (await gateway.get("/docs")).status_code == 200
    paths = (await gateway.get("/openapi.json")).json()["paths"]
    assert all(path.startswith(("/v1/", "/health")) for path in paths), "the client's pages stay out of the API"


async def test_the_routes_the_client_calls_are_in_the_public_api(gateway: httpx.AsyncClient) -> None:
    document = (await gateway.get("/openapi.json")).json()
    routes = {(method.upper(), path) for path, item in document["paths"].items() for method in item}
    endpoints = (WEB_DIR / "js" / "endpoints.js").read_text(encoding="utf-8")
    called = {
        ("GET", "/v1/me/advice"),
        ("GET", "/v1/me/plan"),
        ("PATCH", "/v1/me/plan/actions/{action_id}"),
        ("GET", "/v1/market/{rome}/{departement}"),
        ("GET", "/v1/market/{rome}/{departement}/hints"),
        ("GET", "/v1/me/diagnosis"),
    }
    assert called <= routes, f"the gateway lacks {called - routes}"
    for _, path in called:  # and endpoints.js names each of them
        assert re.sub(r"\{\w+\}", "", path).rstrip("/").split("/")[-1] in endpoints, path


async def test_the_app_is_installable(gateway: httpx.AsyncClient) -> None:
    manifest = (await gateway.get("/manifest.webmanifest")).json()
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    assert any(icon.get("purpose") == "maskable" for icon in manifest["icons"])
    for icon in manifest["icons"]:
        assert (await gateway.get(icon["src"])).status_code == 200, icon["src"]
    worker = await gateway.get("/sw.js")
    assert worker.headers["service-worker-allowed"] == "/" and "/v1" in worker.text
    assert (await gateway.get("/favicon.ico")).headers["content-type"] == "image/png"


def test_every_client_path_is_served_and_every_served_section_is_a_client_path() -> None:
    routes = (WEB_DIR / "js" / "routes.js").read_text(encoding="utf-8")
    sections = {path.split("/")[1] for path in re.findall(r"path: '(/[^']*)'", routes) if path != "/"}
    assert sections == set(CLIENT_SECTIONS)


def test_no_inline_code_no_markup_from_strings_and_nothing_from_other_sites() -> None:
    index = (WEB_DIR / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)", index), "scripts must be files (CSP: script-src 'self')"
    assert "style=" not in index and "<style" not in index, "styles must be files (CSP: style-src 'self')"
    for path in WEB_DIR.rglob("*"):
        if path.suffix not in {".js", ".css", ".html", ".webmanifest"}:
            continue
        source = path.read_text(encoding="utf-8")
        found = re.findall(r"https?://(?!www\.w3\.org/2000/svg)[^\s'\"`)]+", source)
        assert not found, f"{path.name} loads from another site: {found}"
        if path.suffix == ".js":
            risky = re.findall(
                r"\.(?:inner|outer)HTML\s*=|insertAdjacentHTML\(|document\.write\(|\beval\(|new Function\(", source
            )
            assert not risky, f"{path.name} builds markup from strings or runs strings as code: {risky}"
            assert not re.search(r"style=|\.style\.|setAttribute\('style'", source), f"{path.name} sets inline styles"


def test_french_and_english_have_the_same_texts() -> None:
    fr, en, tu = texts("fr"), texts("en"), texts("fr-tu")
    assert set(fr) == set(en), f"only in fr: {set(fr) - set(en)}; only in en: {set(en) - set(fr)}"
    assert set(tu) <= set(fr), f"fr-tu overrides unknown keys: {set(tu) - set(fr)}"
    for key, value in fr.items():
        assert isinstance(value, str) == isinstance(en[key], str), key
        if isinstance(value, dict):
            assert {"one", "other"} <= set(value) and {"one", "other"} <= set(en[key]), key
        placeholders = {p for v in flat(value) for p in re.findall(r"\{(\w+)\}", v)}
        assert placeholders == {p for v in flat(en[key]) for p in re.findall(r"\{(\w+)\}", v)}, key


def test_tu_is_used_everywhere_the_person_is_addressed() -> None:
    fr, tu = texts("fr"), texts("fr-tu")
    formal = re.compile(r"\b(vous|votre|vos|vôtre|vôtres)\b|\b\w+ez\b", re.IGNORECASE)

    def addresses(text: str) -> bool:
        text = re.sub(r"rendez-vous|«\u00a0(tu|vous)\u00a0»|\b(chez|assez)\b", "", text, flags=re.IGNORECASE)
        return bool(formal.search(text))

    missing = [k for k, v in fr.items() if not k.startswith("locale.") and any(map(addresses, flat(v))) and k not in tu]
    assert not missing, f"these texts say 'vous' and need a 'tu' version in fr-tu.json: {missing}"
    still_formal = [k for k, v in tu.items() if k not in PLURAL_VOUS and any(map(addresses, flat(v)))]
    assert not still_formal, f"these 'tu' texts still say 'vous': {still_formal}"


def test_every_text_the_scripts_name_exists() -> None:
    fr = texts("fr")
    used: set[str] = set()
    for path in (WEB_DIR / "js").rglob("*.js"):
        used |= set(re.findall(r"\bt\('([a-z0-9@.-]+)'", path.read_text(encoding="utf-8")))
    assert used, "the scripts name their texts with t('key')"
    assert not used - set(fr), f"missing texts: {sorted(used - set(fr))}"


@pytest.mark.e2e
async def test_the_service_worker_opens_the_app_offline(e2e_system: System, tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is absent")
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
