"""How the gateway serves the web client, checked in process (no browser, no running system): the
page on every client path, versioned and gzipped assets, the API left as it is, the routes the
client calls, and the installable app (manifest, icons, service worker)."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from services.gateway.bootstrap import create_app
from services.gateway.routes.web import WEB_DIR, web_client
from services.gateway.settings import GatewaySettings


@pytest.fixture
async def gateway(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[httpx.AsyncClient]:
    """The real gateway app, in process (its startup, which loads reference data, is not needed here)."""
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    app = create_app(GatewaySettings())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1:8000") as client:
        yield client


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


async def test_the_service_worker_keeps_the_whole_app_for_offline_use_and_never_the_api(
    gateway: httpx.AsyncClient,
) -> None:
    # Offline, a reload must open the app (every screen, even one not shown yet) and its session:
    # the worker keeps the page and every asset of this version at install, and nothing of /v1.
    version = web_client().version
    worker = (await gateway.get("/sw.js")).text
    listed = re.search(r"const ASSET_FILES = (\[.*?\]);", worker)
    assert listed, "the gateway fills in the list of assets"
    assets = set(json.loads(listed.group(1)))
    served = {name for name in web_client().files if name not in {"index.html", "sw.js", "manifest.webmanifest"}}
    assert assets == served
    assert {"js/app.js", "js/session.js", "js/pages/diagnosis.js", "css/app.css", "i18n/fr.json"} <= assets
    for name in sorted(assets)[:5]:
        assert (await gateway.get(f"/assets/{version}/{name}")).status_code == 200, name
    assert f"'/assets/{version}'" in worker and "cache.addAll(SHELL)" in worker
    assert "url.pathname.startsWith('/v1/')) return;" in worker  # personal data: always the network
