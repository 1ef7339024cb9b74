"""The web client: static files served by the gateway, with deep links and cache headers.

The client is plain files in ``services/gateway/web`` (no build step). They are
read once (on the first request), kept in memory with their gzip form, and given
a version (a hash of their content):

* the page (``index.html``) answers every path of the client (``/``, ``/plan``,
  ``/link/login``, ``/surveys/nps``...), so links in emails and bookmarks work;
  it is revalidated on each visit (``no-cache`` and an ETag), so a new release
  shows at once;
* the scripts, styles, texts and icons live under ``/assets/<version>/``, so
  they can be cached for a year: a new release has a new version, hence new URLs,
  and ES module imports (relative URLs) stay inside the same version.

Only client paths are routed here, never ``/v1``, ``/health`` or ``/docs``, and
none of these routes is in the OpenAPI document: the client uses the public API
like any other client.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi import Path as PathParam

router = APIRouter(include_in_schema=False)

WEB_DIR = Path(__file__).resolve().parents[1] / "web"
ASSETS = "/assets"
# The placeholder in index.html, the manifest and the service worker, replaced by /assets/<version>.
PLACEHOLDER = b"%ASSETS%"
# The placeholder in the service worker, replaced by the names of every asset (a JSON list): it keeps
# them all at install, so that the app opens offline, every screen of it.
ASSET_LIST = b"%ASSET_FILES%"
TEMPLATED = {"index.html", "manifest.webmanifest", "sw.js"}
# Files served at the root: the manifest, the favicon browsers ask for there, and the service
# worker, which must sit at the root to control every page.
ROOT_FILES = {"manifest.webmanifest": "manifest.webmanifest", "sw.js": "sw.js", "favicon.ico": "icons/favicon.png"}
# First segment of every path the client routes (js/routes.js); the page answers them all.
CLIENT_SECTIONS = (
    "welcome",
    "signup",
    "login",
    "guest",
    "link",
    "app",
    "onboarding",
    "profile",
    "diagnosis",
    "advice",
    "plan",
    "market",
    "settings",
    "help",
    "help-requests",
    "volunteer",
    "volunteers",
    "counsellor",
    "emails",
    "surveys",
)
MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".txt": "text/plain; charset=utf-8",
}
COMPRESSIBLE = {".html", ".js", ".css", ".json", ".webmanifest", ".svg", ".txt"}
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# Segments of letters, digits and ._@- that never start with a dot: no "..", no hidden files.
SAFE_PATH = re.compile(r"^[A-Za-z0-9_@-][A-Za-z0-9_@.-]*(/[A-Za-z0-9_@-][A-Za-z0-9_@.-]*)*$")


@dataclass(frozen=True)
class StaticFile:
    """One file of the client, ready to send."""

    body: bytes
    gzipped: bytes | None
    media_type: str
    etag: str


def _load(path: Path, version: str, assets: list[str]) -> StaticFile:
    body = path.read_bytes()
    if path.name in TEMPLATED and path.parent == WEB_DIR:
        body = body.replace(PLACEHOLDER, f"{ASSETS}/{version}".encode())
        body = body.replace(ASSET_LIST, json.dumps(assets).encode())
    compressible = path.suffix in COMPRESSIBLE and len(body) > 512
    return StaticFile(
        body=body,
        gzipped=gzip.compress(body, compresslevel=9, mtime=0) if compressible else None,
        media_type=MEDIA_TYPES.get(path.suffix, "application/octet-stream"),
        etag='"' + hashlib.sha256(body).hexdigest()[:20] + '"',
    )


class WebClient:
    """Every file of the client, in memory, under one version."""

    def __init__(self, root: Path) -> None:
        paths = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in MEDIA_TYPES)
        digest = hashlib.sha256()
        for path in paths:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
        self.version = digest.hexdigest()[:12]
        names = [path.relative_to(root).as_posix() for path in paths]
        assets = [name for name in names if name not in TEMPLATED]
        self.files = {name: _load(path, self.version, assets) for name, path in zip(names, paths, strict=True)}

    def get(self, name: str) -> StaticFile | None:
        """Return a file by its path relative to the client's folder (None when absent or unsafe)."""
        return self.files.get(name) if SAFE_PATH.match(name) else None


@cache
def web_client() -> WebClient:
    """Return the client, read from disk on first use (once per process: restart to serve new files)."""
    return WebClient(WEB_DIR)


def send(request: Request, file: StaticFile, cache_control: str, status_code: int = 200) -> Response:
    """Return the file, gzipped when the browser accepts it, or 304 when its copy is current."""
    headers = {"cache-control": cache_control, "etag": file.etag, "vary": "accept-encoding"}
    if status_code == 200 and file.etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    body = file.body
    if file.gzipped is not None and "gzip" in request.headers.get("accept-encoding", ""):
        body = file.gzipped
        headers["content-encoding"] = "gzip"
    if request.method == "HEAD":
        headers["content-length"] = str(len(body))
        return Response(status_code=status_code, headers=headers, media_type=file.media_type)
    return Response(body, status_code=status_code, headers=headers, media_type=file.media_type)


async def page(request: Request) -> Response:
    """Return the client's page (the client's router then shows the right screen)."""
    index = web_client().get("index.html")
    if index is None:
        raise HTTPException(status_code=404)
    return send(request, index, REVALIDATE)


for _section in CLIENT_SECTIONS:
    router.add_api_route(f"/{_section}", page, methods=["GET", "HEAD"])
    router.add_api_route(f"/{_section}/{{rest:path}}", page, methods=["GET", "HEAD"])
router.add_api_route("/", page, methods=["GET", "HEAD"])


@router.api_route("/assets/{version}/{name:path}", methods=["GET", "HEAD"])
async def asset(
    request: Request,
    version: Annotated[str, PathParam(max_length=40)],
    name: Annotated[str, PathParam(max_length=200)],
) -> Response:
    """Return a script, style, text file or icon; cached for a year when the version is current."""
    client = web_client()
    file = client.get(name)
    if file is None or name in TEMPLATED:
        raise HTTPException(status_code=404)
    # A page of the previous release may still ask for its files: give it today's, but not for long.
    return send(request, file, IMMUTABLE if version == client.version else REVALIDATE)


async def root_file(request: Request) -> Response:
    """Return the manifest, the service worker or the favicon (revalidated: they name the current version)."""
    file = web_client().get(ROOT_FILES[request.url.path.lstrip("/")])
    if file is None:
        raise HTTPException(status_code=404)
    response = send(request, file, REVALIDATE)
    if request.url.path == "/sw.js":
        response.headers["service-worker-allowed"] = "/"
    return response


for _name in ROOT_FILES:
    router.add_api_route(f"/{_name}", root_file, methods=["GET", "HEAD"])
