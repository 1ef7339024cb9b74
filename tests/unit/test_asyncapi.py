"""The committed AsyncAPI document matches the code, and incompatible event changes are caught."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from shared.asyncapi import DOCUMENT, committed_document, generate, incompatibilities


def test_the_committed_document_is_compatible_and_up_to_date() -> None:
    committed = json.loads(DOCUMENT.read_text())
    current = json.loads(json.dumps(generate(), sort_keys=True))
    assert incompatibilities(committed, current) == []
    assert committed == current, "docs/asyncapi.json is out of date: run `make docs`"


def test_the_code_is_compatible_with_the_document_of_the_last_commit() -> None:
    # The working file can be edited by hand along with the code; the last commit cannot.
    last_commit = committed_document()
    if last_commit is None:
        pytest.skip("not a git checkout, or docs/asyncapi.json is not in HEAD yet: the working file was checked")
    assert incompatibilities(last_commit, generate()) == []


def test_the_last_commit_is_read_from_git_not_from_the_working_file(tmp_path: Path) -> None:
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed here")
    document = tmp_path / "docs" / "asyncapi.json"
    document.parent.mkdir()
    document.write_text('{"channels": {"user-erased": {}}}')

    def run(*args: str) -> None:
        subprocess.run([git, "-C", str(tmp_path), *args], check=True, capture_output=True)

    run("init", "-q")
    assert committed_document(document) is None  # nothing committed yet
    run("add", "docs/asyncapi.json")
    identity = ("-c", "user.name=ci", "-c", "user.email=ci@example.org", "-c", "commit.gpgsign=false")
    run(*identity, "commit", "-q", "-m", "document")
    document.write_text('{"channels": {}}')  # a hand edit that removes a channel

    assert committed_document(document) == {"channels": {"user-erased": {}}}


def test_every_topic_is_documented() -> None:
    channels = set(generate()["channels"])
    assert {"profile-updated", "user-erased", "diagnosis-ready", "advice-ready", "action-due"} <= channels
    assert "partner.{partner_id}" in channels


def test_breaking_changes_are_detected_and_additions_are_not() -> None:
    old = generate()
    schemas = old["components"]["schemas"]
    name = next(n for n, s in schemas.items() if "revision" in s.get("properties", {}))

    added = copy.deepcopy(old)
    added["components"]["schemas"][name]["properties"]["brand_new"] = {"type": "string"}
    assert incompatibilities(old, added) == []

    removed = copy.deepcopy(old)
    del removed["components"]["schemas"][name]["properties"]["revision"]
    assert incompatibilities(old, removed) == [f"{name}.revision removed"]

    retyped = copy.deepcopy(old)
    retyped["components"]["schemas"][name]["properties"]["revision"] = {"type": "string"}
    assert incompatibilities(old, retyped) == [f"{name}.revision changed type"]

    enum_name = next(n for n, s in schemas.items() if "enum" in s)
    grown = copy.deepcopy(old)
    grown["components"]["schemas"][enum_name]["enum"].append("SOMETHING_NEW")
    assert "new enum values" in incompatibilities(old, grown)[0]

    gone = copy.deepcopy(old)
    del gone["channels"]["user-erased"]
    assert "channel user-erased removed" in incompatibilities(old, gone)
