"""The content files: complete, consistent, and a broken one stops the service naming the file and entry."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from services.advice.catalogue import CONTENT_DIR, ContentError, catalogue, load_catalogue
from services.advice.modules.base import AdviceModule
from services.advice.modules.registry import MODULES
from shared.contracts.vocabulary import HelpKind, MainChallenge


def test_the_catalogue_holds_what_the_issue_asks_for() -> None:
    content = catalogue()
    assert set(content.advice) == {m.advice_id for m in MODULES}
    assert len(content.strategies) >= 26
    assert len(content.actions) >= 49
    assert {t.needs_help for t in content.actions.values()} >= set(HelpKind)
    for challenge in MainChallenge:
        assert len(content.strategies_by_challenge[challenge]) >= 3, challenge
    durations = {t.duration for t in content.actions.values()}
    assert durations == {"15-30min", "1h", "1-3h"}


def test_every_advice_with_a_plan_has_actions_and_every_strategy_has_advice() -> None:
    content = catalogue()
    planned = {a for s in content.strategies for a in s.advice}
    assert planned <= set(content.actions_by_advice), planned - set(content.actions_by_advice)


@pytest.mark.parametrize("locale", ["fr", "fr@tu", "en"])
def test_every_text_renders_in_every_locale_and_gender(locale: str) -> None:
    content = catalogue()
    for entry in content.advice.values():
        for text in (entry.title, entry.pitch, *entry.tips):
            for gender in ("m", "f", "n"):
                rendered = text.render(locale, gender)
                assert rendered and "{" not in rendered and "|" not in rendered, rendered
    for template in content.actions.values():
        assert template.title.render(locale)
        assert template.resource.url.startswith("https://")


def test_tu_texts_never_say_vous() -> None:
    content = catalogue()
    for entry in content.advice.values():
        for text in (entry.pitch, *entry.tips):
            informal = text.render("fr@tu").lower()
            assert " vous " not in f" {informal} " and " votre " not in f" {informal} ", informal


def copy_content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, folder)
    return folder


def edit(folder: Path, name: str, change: object) -> None:
    path = folder / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)  # type: ignore[operator]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def entry(data: list[dict[str, object]], entry_id: str) -> dict[str, object]:
    return next(e for e in data if e["id"] == entry_id)


BROKEN = [
    (
        "advice.yaml",
        lambda d: entry(d, "improve-resume")["pitch"].pop("en"),  # type: ignore[attr-defined]
        "advice.yaml: entry 'improve-resume': pitch: Value error, missing the 'en' text",
    ),
    (
        "advice.yaml",
        lambda d: entry(d, "follow-up")["pitch"].pop("fr@tu"),  # type: ignore[attr-defined]
        "advice.yaml: entry 'follow-up': pitch: Value error, the 'fr' text says vous: give its 'fr@tu' twin",
    ),
    ("advice.yaml", lambda d: entry(d, "senior").pop("tips"), "advice.yaml: entry 'senior': tips: Field required"),
    ("advice.yaml", lambda d: d.remove(entry(d, "vae")), "advice.yaml: no entry for the modules ['vae']"),
    (
        "actions.yaml",
        lambda d: entry(d, "ask-cv-review").update(duration="2h"),
        "actions.yaml: entry 'ask-cv-review': duration:",
    ),
    (
        "actions.yaml",
        lambda d: entry(d, "ask-cv-review").update(advice="no-such-advice"),
        "actions.yaml: entry 'ask-cv-review': unknown advice 'no-such-advice'",
    ),
    (
        "actions.yaml",
        lambda d: entry(d, "list-contacts")["resource"].update(url="http://x"),  # type: ignore[attr-defined]
        "actions.yaml: entry 'list-contacts': resource.url:",
    ),
    (
        "strategies.yaml",
        lambda d: entry(d, "get-diploma").update(challenges=["no-such-challenge"]),
        "strategies.yaml: entry 'get-diploma': challenges.0:",
    ),
    (
        "strategies.yaml",
        lambda d: d.append(dict(entry(d, "get-diploma"))),
        "strategies.yaml: entry 'get-diploma': duplicate id",
    ),
    (
        "reasons.yaml",
        lambda d: entry(d, "cdi-rare")["text"].update(  # type: ignore[attr-defined]
            fr="Seuls {cdi_share} des contrats sont des CDI.", en="Only {cdi_share} are permanent."
        ),
        "reasons.yaml: entry 'cdi-rare': cites a market figure without {estimate}",
    ),
    (
        "reasons.yaml",
        lambda d: entry(d, "age")["text"].update(en="At {years}, you count."),  # type: ignore[attr-defined]
        "reasons.yaml: entry 'age': text: Value error, placeholders differ",
    ),
    (
        "reasons.yaml",
        lambda d: d.remove(entry(d, "no-resume")),
        "reasons.yaml: no entry 'no-resume' (given by the module 'fresh-resume')",
    ),
    (
        "reasons.yaml",
        lambda d: d.remove(entry(d, "useful-to-any-search")),
        "reasons.yaml: no entry 'useful-to-any-search' (given by the module 'online-salons')",
    ),
]


@pytest.mark.parametrize(("name", "change", "message"), BROKEN, ids=[b[2][:40] for b in BROKEN])
def test_a_broken_file_fails_fast_naming_the_file_and_entry(
    tmp_path: Path, name: str, change: object, message: str
) -> None:
    folder = copy_content(tmp_path)
    edit(folder, name, change)
    with pytest.raises(ContentError) as raised:
        load_catalogue(folder)
    assert str(raised.value).startswith(message), str(raised.value)


def test_a_module_that_declares_no_reason_stops_the_service() -> None:
    silent = [m if m.advice_id != "life-balance" else AdviceModule(m.advice_id, m.score) for m in MODULES]
    with pytest.raises(ContentError) as raised:
        load_catalogue(modules=silent)
    assert str(raised.value) == "modules/registry.py: the module 'life-balance' declares no reason keys"


def test_invalid_yaml_is_reported_with_the_file(tmp_path: Path) -> None:
    folder = copy_content(tmp_path)
    (folder / "phrases.yaml").write_text("estimate: [unclosed", encoding="utf-8")
    with pytest.raises(ContentError, match=r"^phrases.yaml: not valid YAML"):
        load_catalogue(folder)


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    folder = copy_content(tmp_path)
    (folder / "actions.yaml").unlink()
    with pytest.raises(ContentError, match=r"^actions.yaml: file missing"):
        load_catalogue(folder)


def test_the_service_refuses_to_start_with_broken_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from services.advice import bootstrap
    from services.advice import catalogue as catalogue_module

    folder = copy_content(tmp_path)
    edit(folder, "advice.yaml", lambda d: entry(d, "vae")["title"].pop("fr"))  # type: ignore[attr-defined]
    monkeypatch.setattr(catalogue_module, "CONTENT_DIR", folder)
    monkeypatch.setattr(bootstrap, "catalogue", lambda: load_catalogue(folder))
    with pytest.raises(ContentError, match=r"advice\.yaml: entry 'vae': title"):
        bootstrap.create_app()
