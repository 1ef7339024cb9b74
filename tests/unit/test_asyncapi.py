"""The committed AsyncAPI document matches the code, and incompatible event changes are caught."""

from __future__ import annotations

import copy
import json

from shared.asyncapi import DOCUMENT, generate, incompatibilities


def test_the_committed_document_is_compatible_and_up_to_date() -> None:
    committed = json.loads(DOCUMENT.read_text())
    current = json.loads(json.dumps(generate(), sort_keys=True))
    assert incompatibilities(committed, current) == []
    assert committed == current, "docs/asyncapi.json is out of date: run `make docs`"


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
