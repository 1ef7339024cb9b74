"""Every text a person types into the public API goes through the one validator (shared/contracts/text.py).

The walk reads the gateway's OpenAPI document, so a new field is covered without anyone remembering it: a string
is either a closed value (an enumeration, a format, a code's pattern) or typed text with the validator's pattern,
or one of the few strings that are not text people read (passwords, tokens, a login address, a time zone name).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from services.gateway.bootstrap import create_app
from services.gateway.settings import GatewaySettings

# Strings nobody reads as text: secrets and tokens are compared, a login address is looked up, a time zone is
# checked against the IANA database.
NOT_TEXT = {"password", "new_password", "current_password", "refresh_token", "token", "ticket", "email", "time_zone"}
# Every text field the issue names, found by the walk (so the walk does find them).
TYPED_TEXT = {
    "POST /v1/auth/signup first_name",
    "POST /v1/auth/guest first_name",
    "POST /v1/volunteers/signup first_name",
    "PATCH /v1/me/profile profile.custom_gender",
    "PATCH /v1/me/profile profile.custom_frustrations.0",
    "POST /v1/me/plan/actions title",
    "POST /v1/me/help-requests sharing.note",
    "POST /v1/me/help-requests/{request_id}/messages body",
    "POST /v1/volunteers/me/matches/{match_id}/messages body",
    "POST /v1/me/help-requests/{request_id}/feedback comment",
    "POST /v1/volunteers/me/matches/{match_id}/report comment",
    "GET /v1/reference/cities q",
}


def string_fields(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Yield (operation, dotted field, schema) for every string a request may carry in its body or query."""
    components = document["components"]["schemas"]

    def resolve(schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            schema = components[schema["$ref"].rsplit("/", 1)[1]]
        return schema

    def walk(schema: dict[str, Any], path: list[str]) -> Iterator[tuple[str, dict[str, Any]]]:
        for option in map(resolve, resolve(schema).get("anyOf", [schema])):
            if option.get("type") == "string":
                yield ".".join(path), option
            elif option.get("type") == "object":
                for name, inner in option.get("properties", {}).items():
                    yield from walk(inner, [*path, name])
            elif option.get("type") == "array" and "items" in option:
                yield from walk(option["items"], [*path, "0"])

    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            name = f"{method.upper()} {path}"
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query":
                    for field, schema in walk(parameter["schema"], [parameter["name"]]):
                        yield name, field, schema
            for content in operation.get("requestBody", {}).get("content", {}).values():
                for field, schema in walk(content["schema"], []):
                    yield name, field, schema


def test_every_free_text_field_refuses_what_typed_text_must_not_hold(tmp_path: Path) -> None:
    document = create_app(GatewaySettings(var_dir=tmp_path)).openapi()
    free, typed = [], set()
    for operation, field, schema in string_fields(document):
        closed = {"enum", "const", "format", "contentMediaType"} & schema.keys()
        if "pattern" in schema and r"\u202a-\u202e" in schema["pattern"]:
            typed.add(f"{operation} {field}")
        elif not closed and "pattern" not in schema and field.rsplit(".", 1)[-1] not in NOT_TEXT:
            free.append(f"{operation} {field}")
    assert free == [], "free text without the shared validator (shared/contracts/text.py): " + ", ".join(free)
    assert typed >= TYPED_TEXT, TYPED_TEXT - typed
