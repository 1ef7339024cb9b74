"""Bodies the gateway forwards as received, documented by their model: the service judges them whole.

A profile or project save is checked twice, for its format and against the reference data (job and
commune codes, dates). Checked at the gateway first, a person would get the format errors, fix them,
and only then learn that the job code was wrong. The profile service reads such a body itself and
answers every error of it in one 422; the gateway only makes sure it is a JSON object, and the API
document still describes it by its model (``forwarded_body``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel

_COMPONENTS: dict[str, Any] = {}


def forwarded_body(model: type[BaseModel]) -> dict[str, Any]:
    """Return the ``openapi_extra`` of a route whose body is this model, validated by the service behind."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    _COMPONENTS.update(schema.pop("$defs", {}))
    _COMPONENTS[model.__name__] = schema
    reference = {"$ref": f"#/components/schemas/{model.__name__}"}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": reference}}}}


async def json_object(request: Request) -> dict[str, Any]:
    """Return the request body as a JSON object; 422 naming the body, or the field, when it is not one.

    As FastAPI does for a body model: only a JSON content type is read as JSON, and a text holding a lone
    surrogate (which no UTF-8 text can carry on) is refused naming its field, before anything is forwarded.
    """
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json" and not content_type.endswith("+json"):
        raise RequestValidationError([{"type": "model_attributes_type", "loc": ("body",), "msg": "Not JSON"}])
    raw = await request.body()
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        if "surrogate" not in str(error):
            raise RequestValidationError([{"type": "json_invalid", "loc": ("body",), "msg": "Invalid JSON"}]) from None
        body = _lenient(raw)  # orjson refuses lone surrogates outright; find which field holds one
    if not isinstance(body, dict):
        raise RequestValidationError([{"type": "model_attributes_type", "loc": ("body",), "msg": "Not an object"}])
    surrogates = list(_with_surrogates(body, ()))
    if surrogates:
        raise RequestValidationError(
            [{"type": "string_unicode", "loc": ("body", *loc), "msg": "Lone surrogate"} for loc in surrogates]
        )
    return body


def _lenient(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise RequestValidationError([{"type": "json_invalid", "loc": ("body",), "msg": "Invalid JSON"}]) from None


def _with_surrogates(value: Any, loc: tuple[str | int, ...]) -> Iterator[tuple[str | int, ...]]:
    # A stack, not recursion: a body may nest as deep as the parser allows.
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(value, loc)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            if any("\ud800" <= char <= "\udfff" for char in item):
                yield where
        elif isinstance(item, dict):
            stack.extend((child, (*where, key)) for key, child in item.items())
        elif isinstance(item, list):
            stack.extend((child, (*where, index)) for index, child in enumerate(item))


def install(app: FastAPI) -> None:
    """Add the forwarded bodies' models to the API document's components (never replacing one)."""
    build: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = build()
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            for name, schema in _COMPONENTS.items():
                schemas.setdefault(name, schema)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
