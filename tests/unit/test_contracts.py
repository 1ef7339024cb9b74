"""The event contracts document themselves: every field of every event has a description and an example."""

from __future__ import annotations

import types
import typing
from typing import Any

import pytest
from pydantic import BaseModel

from shared.contracts.partners import PartnerEventPublished
from shared.topics import EVENTS


def models_in(annotation: Any) -> list[type[BaseModel]]:
    """Return the pydantic models an annotation refers to (inside lists, unions, Annotated...)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    for argument in typing.get_args(annotation):
        found += models_in(argument)
    return found


def every_field(model: type[BaseModel], seen: set[type[BaseModel]] | None = None) -> list[tuple[str, Any]]:
    seen = seen if seen is not None else set()
    if model in seen:
        return []
    seen.add(model)
    fields = []
    for name, info in model.model_fields.items():
        fields.append((f"{model.__name__}.{name}", info))
        for inner in models_in(info.annotation):
            fields += every_field(inner, seen)
    return fields


@pytest.mark.parametrize("event", [*EVENTS, PartnerEventPublished], ids=lambda e: e.__name__)
def test_every_field_has_a_description_and_an_example(event: type[BaseModel]) -> None:
    missing = [
        name
        for name, info in every_field(event)
        if not info.description
        or (not info.examples and not _is_model(info.annotation) and name.split(".")[1] != "data")
    ]
    assert not missing, f"fields without a description or an example: {missing}"


def _is_model(annotation: Any) -> bool:
    return bool(models_in(annotation)) and not isinstance(annotation, types.GenericAlias)
