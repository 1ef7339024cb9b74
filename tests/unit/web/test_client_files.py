"""The web client as files, checked without a browser: the JavaScript budget, what the files may
contain, the routes the gateway must answer, and the texts (French, tu, English)."""

from __future__ import annotations

import json
import re

from services.gateway.routes.web import CLIENT_SECTIONS, WEB_DIR, web_client

JS_BUDGET_BYTES = 150 * 1024  # all the JavaScript, as the gateway sends it (gzipped)
I18N = WEB_DIR / "i18n"
# "vous" that stays with "tu": the two people of a help together, a meeting, and the word itself.
PLURAL_VOUS = {"help.contact", "help.they-do-not-share"}


def texts(name: str) -> dict[str, str | dict[str, str]]:
    loaded: dict[str, str | dict[str, str]] = json.loads((I18N / f"{name}.json").read_text(encoding="utf-8"))
    return loaded


def flat(value: str | dict[str, str]) -> list[str]:
    return list(value.values()) if isinstance(value, dict) else [value]


def test_all_the_javascript_stays_under_150_kb_compressed() -> None:
    # Every script a phone may download (the pages, loaded when first shown, and the service
    # worker), each in the gzip form the gateway sends (small files go as they are).
    scripts = {name: file for name, file in web_client().files.items() if name.endswith(".js")}
    assert "js/app.js" in scripts and "sw.js" in scripts and any(name.startswith("js/pages/") for name in scripts)
    assert len(scripts) == len(list(WEB_DIR.rglob("*.js"))), "every .js file is served"
    sent = {name: len(file.gzipped if file.gzipped is not None else file.body) for name, file in scripts.items()}
    total = sum(sent.values())
    raw = sum(len(file.body) for file in scripts.values())
    print(f"\nJavaScript: {len(scripts)} files, {raw} bytes, {total} bytes gzipped as sent")
    assert total < JS_BUDGET_BYTES, f"{total} bytes gzipped > {JS_BUDGET_BYTES}: {sent}"


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
