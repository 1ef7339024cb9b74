"""The AsyncAPI document of every topic, generated from the event contracts, and its compatibility check.

    python -m shared.asyncapi --write     regenerate docs/asyncapi.json (refused if the change is incompatible)
    python -m shared.asyncapi --check     exit 1 if the code and docs/asyncapi.json disagree or are incompatible

Within a major version an event may only grow: a removed topic, message,
property or required field, a changed type, or a new enum value (which a
strict reader would refuse) is incompatible. The code is checked against the
working docs/asyncapi.json and, in a git checkout, against the version of the
last commit, so editing the working file by hand cannot let a break through.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from faststream.kafka import KafkaBroker
from faststream.specification import AsyncAPI

from shared.contracts.partners import PartnerEventPublished
from shared.topics import EVENTS, dlq_topic

DOCUMENT = Path(__file__).resolve().parent.parent / "docs" / "asyncapi.json"
VERSION = "1.0.0"


def generate() -> dict[str, Any]:
    """Return the AsyncAPI 3.0 document of every topic."""
    broker = KafkaBroker(
        "kafka:9092",
        description="Events between the services of the job-search coach, and the partner feed.",
        specification_url="kafka:9092",
    )
    for event in EVENTS:
        broker.publisher(
            event.topic,
            schema=event,
            title=event.topic,
            description=(event.__doc__ or "").strip()
            + " Key: the pseudonymous subject."
            + f" Failed messages go to `{dlq_topic(event.topic)}` with the error in headers.",
        )
    broker.publisher(
        "partner.{partner_id}",
        schema=PartnerEventPublished,
        title="partner.{partner_id}",
        description=(PartnerEventPublished.__doc__ or "").strip()
        + " One topic per partner; the subject is that partner's pseudonym of the person.",
    )
    spec = AsyncAPI(broker, title="Coach emploi — events", version=VERSION, schema_version="3.0.0")
    document: dict[str, Any] = json.loads(spec.to_specification().to_json())
    return document


def _signature(schema: dict[str, Any]) -> Any:
    """Return what a reader relies on in a property schema: its types and references, not its prose."""
    keep = ("type", "$ref", "format", "items", "anyOf", "oneOf", "allOf", "const")
    result: dict[str, Any] = {}
    for key in keep:
        if key in schema:
            value = schema[key]
            if isinstance(value, list):
                result[key] = [_signature(v) if isinstance(v, dict) else v for v in value]
            elif isinstance(value, dict):
                result[key] = _signature(value)
            else:
                result[key] = value
    return result


def incompatibilities(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Return every change from ``old`` to ``new`` that would break an existing reader."""
    problems = [f"channel {name} removed" for name in old.get("channels", {}) if name not in new.get("channels", {})]
    old_schemas = old.get("components", {}).get("schemas", {})
    new_schemas = new.get("components", {}).get("schemas", {})
    for name, before in old_schemas.items():
        after = new_schemas.get(name)
        if after is None:
            problems.append(f"schema {name} removed")
            continue
        if "enum" in before:
            added = set(after.get("enum", [])) - set(before["enum"])
            if added:
                problems.append(f"schema {name}: new enum values {sorted(added)} (readers would refuse them)")
        for prop, prop_before in before.get("properties", {}).items():
            prop_after = after.get("properties", {}).get(prop)
            if prop_after is None:
                problems.append(f"{name}.{prop} removed")
            elif _signature(prop_before) != _signature(prop_after):
                problems.append(f"{name}.{prop} changed type")
        for prop in before.get("required", []):
            if prop not in after.get("required", []) and prop in after.get("properties", {}):
                problems.append(f"{name}.{prop} no longer required")
    return problems


def committed_document(path: Path = DOCUMENT, revision: str = "HEAD") -> dict[str, Any] | None:
    """Return the document as committed at the revision; None outside a git checkout or when not committed there."""
    git = shutil.which("git")
    if git is None:
        return None
    # ``<rev>:./<name>`` is relative to the directory git runs in: no need to know the repository root.
    shown = subprocess.run(  # noqa: S603 - git, found on the PATH, with our own arguments
        [git, "-C", str(path.parent), "show", f"{revision}:./{path.name}"], capture_output=True, timeout=30
    )
    if shown.returncode != 0:
        return None
    document: dict[str, Any] = json.loads(shown.stdout)
    return document


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    current = generate()
    committed = json.loads(DOCUMENT.read_text()) if DOCUMENT.exists() else None
    problems = incompatibilities(committed, current) if committed else []
    last_commit = committed_document()
    if last_commit is not None:
        problems += [f"{p} (since the last commit)" for p in incompatibilities(last_commit, current)]
    if problems:
        print("Incompatible event changes (bump the major version and add new topics instead):", file=sys.stderr)
        print("\n".join(f"  - {p}" for p in problems), file=sys.stderr)
        return 1
    if args.write:
        DOCUMENT.parent.mkdir(parents=True, exist_ok=True)
        DOCUMENT.write_text(json.dumps(current, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
        print(f"wrote {DOCUMENT}")
        return 0
    if committed != json.loads(json.dumps(current, sort_keys=True)):
        print("docs/asyncapi.json is out of date: run `make docs`", file=sys.stderr)
        return 1 if args.check else 0
    print("docs/asyncapi.json is up to date and compatible")
    return 0


if __name__ == "__main__":
    sys.exit(main())
