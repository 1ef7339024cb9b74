"""One meaning per fact: a table keyed by the members of a shared enumeration is written once.

Two tables for one idea drift apart (the pace capped a day at 5 actions in the plan and listed 8 in
the email), and a person then reads two truths. This scan finds every dict literal of services/ and
shared/ keyed by members of an enumeration of ``shared/contracts/vocabulary.py`` and fails when one
enumeration has such a table in two places.
"""

from __future__ import annotations

import ast
import enum
import re
from collections import defaultdict
from pathlib import Path

import shared.contracts.vocabulary as vocabulary

ROOT = Path(__file__).resolve().parents[2]
ENUMS = {name for name, value in vars(vocabulary).items() if isinstance(value, type) and issubclass(value, enum.Enum)}


def tables_by_enum() -> dict[str, list[str]]:
    """Return, for each shared enumeration, where a dict literal keyed by its members is written."""
    found: dict[str, list[str]] = defaultdict(list)
    for path in sorted([*ROOT.glob("services/**/*.py"), *ROOT.glob("shared/**/*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Dict):
                continue
            owners = [
                key.value.id
                for key in node.keys
                if isinstance(key, ast.Attribute) and isinstance(key.value, ast.Name) and key.value.id in ENUMS
            ]
            if len(owners) >= 2 and len(set(owners)) == 1:
                found[owners[0]].append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_each_shared_enumeration_has_at_most_one_table() -> None:
    twice = {name: where for name, where in tables_by_enum().items() if len(where) > 1}
    assert not twice, f"tables written twice (keep one, beside its owner): {twice}"


def test_the_pace_is_defined_on_its_contract_only() -> None:
    assert tables_by_enum()["ActionPace"] == [f"shared/contracts/vocabulary.py:{_pace_table_line()}"]


def _pace_table_line() -> int:
    source = (ROOT / "shared/contracts/vocabulary.py").read_text(encoding="utf-8")
    return next(i for i, line in enumerate(source.splitlines(), start=1) if line.startswith("_PACE_RULES"))


def test_one_strict_base_model() -> None:
    # "Unknown fields are refused" is one rule: seven copies of the base class had drifted (docstrings,
    # configs); every client-input model now derives from shared/contracts/strict.py.
    defined = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in sorted([*ROOT.glob("services/**/*.py"), *ROOT.glob("shared/**/*.py")])
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef) and node.name.lstrip("_") == "Strict"
    ]
    assert defined == ["shared/contracts/strict.py:12"], defined


def _calls_in(function: ast.AST) -> set[str]:
    return {
        node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        for node in ast.walk(function)
        if isinstance(node, ast.Call)
    }


def test_every_service_forgets_a_person_through_its_registry() -> None:
    # Two ways to erase drifted: a collection added to the registry (export, orphan search) was not
    # deleted by the hand-written erasure beside it. Every erasure is now ``erase_person`` over the registry.
    erasers = {
        f"{path.relative_to(ROOT)}:{node.name}": _calls_in(node)
        for path in sorted(ROOT.glob("services/*/*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.AsyncFunctionDef) and node.name == "on_user_erased"
    }
    services_with_data = {
        path.parent.name
        for path in ROOT.glob("services/*/*.py")
        if "PERSONAL_DATA = (" in path.read_text(encoding="utf-8")
    }
    # The profile service is where erasure starts (it publishes user-erased): services/profile/erasure.py.
    assert {name.split("/")[1] for name in erasers} == services_with_data - {"profile"}
    profile_erasure = ast.parse((ROOT / "services/profile/erasure.py").read_text(encoding="utf-8"))
    erasers["services/profile/erasure.py"] = _calls_in(profile_erasure)
    assert all("erase_person" in calls for calls in erasers.values()), {
        name: sorted(calls) for name, calls in erasers.items() if "erase_person" not in calls
    }


# --- One message engine: gender and plurals are read in shared/messages.py only ---------------------------

ENGINE = "shared/messages.py"
_REGEX_CALLS = {"compile", "sub", "subn", "search", "match", "fullmatch", "finditer", "findall", "split"}
# A pattern that reads alternatives between braces or brackets: "{masculine|feminine}", "[m|f]", "{n#a|b}".
_READS_ALTERNATIVES = re.compile(r"\\[{\[].*\\\|")
# Words that spell both forms instead of choosing one: "jour(s)", "inscrit(e)".
_SPELLED_BOTH = re.compile(r"\w\((?:s|e|es|x|ne|le|se)\)")
# The templates' older syntaxes: "[masculine|feminine]" (diagnostic) and a plural chosen in Jinja ("'s' if").
_OLD_SYNTAX = re.compile(r"^(?!\s*#).*(?:\[[^\[\]|{}\n]*\|[^\[\]|{}\n]*\]|\{\{\s*'[^']*'\s+if\b)", re.MULTILINE)


def _sources(root: Path) -> list[Path]:
    paths = [*root.glob("services/**/*.py"), *root.glob("shared/**/*.py")]
    return sorted(p for p in paths if "__pycache__" not in p.parts)


def _content(root: Path) -> list[Path]:
    return sorted(
        p for p in root.glob("services/**/*") if p.suffix in (".yaml", ".j2") and "web" not in p.parts and p.is_file()
    )


def second_message_engines(root: Path = ROOT) -> list[str]:
    """Return where a module other than the engine parses gender or plural forms, or spells both forms."""
    found = []
    for path in _sources(root):
        where = str(path.relative_to(root))
        if where == ENGINE:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "re"
                and node.func.attr in _REGEX_CALLS
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
                and _READS_ALTERNATIVES.search(node.args[0].value)
            ):
                found.append(f"{where}:{node.lineno}: a pattern reads gender or plural alternatives")
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if "·" in node.value:
                    found.append(f"{where}:{node.lineno}: derives an inclusive form (·)")
                if both := _SPELLED_BOTH.search(node.value):
                    found.append(f"{where}:{node.lineno}: spells both forms: {both.group(0)!r}")
            if isinstance(node, ast.FunctionDef) and re.search(r"singular|plural", node.name):
                found.append(f"{where}:{node.lineno}: a plural rule ({node.name})")
    for path in _content(root):
        text = path.read_text(encoding="utf-8")
        for pattern, what in ((_SPELLED_BOTH, "spells both forms"), (_OLD_SYNTAX, "an older template syntax")):
            if match := pattern.search(text):
                found.append(f"{path.relative_to(root)}: {what}: {match.group(0).strip()!r}")
    return found


def test_gender_and_plurals_are_read_by_one_engine() -> None:
    # Four engines had three syntaxes and two defaults: a person of unknown gender read "prêt·e" on the
    # diagnosis and "prêt" in an email. Every text now goes through shared/messages.py.
    assert second_message_engines() == []


def test_the_scan_finds_a_second_engine(tmp_path: Path) -> None:
    service = tmp_path / "services" / "sneaky"
    (service / "content").mkdir(parents=True)
    (service / "texts.py").write_text(
        'import re\n\nGENDER = re.compile(r"\\[(\\w*)\\|(\\w*)\\]")\nWAITING = "depuis {days} jour(s)"\n\n\n'
        "def plural(n: int) -> bool:\n    return n > 1\n",
        encoding="utf-8",
    )
    (service / "content" / "texts.yaml").write_text(
        "# [masculin|féminin] in a comment is fine\nready:\n  fr: Vous êtes [prêt|prête].\n", encoding="utf-8"
    )
    found = second_message_engines(tmp_path)
    assert {line.split(": ", 1)[1] for line in found} == {
        "a pattern reads gender or plural alternatives",
        "spells both forms: 'r(s)'",
        "a plural rule (plural)",
        "an older template syntax: 'fr: Vous êtes [prêt|prête]'",
    }, found
    assert _OLD_SYNTAX.search("more: \"Et {{ count }} autre{{ 's' if count > 1 else '' }}\"")
