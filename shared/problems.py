"""Errors that name the field and the reason, as values, from the domain to the HTTP edge.

Services answer ``422 {"errors": [{"field", "code", "params"}]}``; the gateway
turns each code into a sentence in the reader's language (problem+json).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError


class FieldProblem(BaseModel):
    field: str = Field(description="Dotted path of the field, e.g. projects.0.city_insee.")
    code: str = Field(description="Machine-readable reason, e.g. unknown_code.")
    params: dict[str, Any] = Field(default_factory=dict)


class InvalidInputError(Exception):
    """Input that the domain refuses (unknown code, impossible date...)."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__(", ".join(f"{p.field}: {p.code}" for p in problems))
        self.problems = problems


def problems_from_validation(error: ValidationError, prefix: str = "") -> list[FieldProblem]:
    """Return the field problems of a pydantic validation error (for values checked after a merge)."""
    return [
        FieldProblem(
            field=".".join([prefix, *(str(p) for p in item["loc"])]).strip("."),
            code=item["type"],
            params={k: v for k, v in (item.get("ctx") or {}).items() if isinstance(v, (int, float, str))},
        )
        for item in error.errors()
    ]


class ConflictError(Exception):
    """The write is based on a stale revision or breaks a rule of state (409)."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


class NotFoundError(Exception):
    """The thing does not exist, or is not the caller's to see (404)."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


def install_problem_handlers(app: FastAPI) -> None:
    """Map the domain errors to 422 / 409 / 404 answers."""

    @app.exception_handler(InvalidInputError)
    async def invalid(_: Request, error: InvalidInputError) -> JSONResponse:
        return JSONResponse({"errors": [p.model_dump() for p in error.problems]}, status_code=422)

    @app.exception_handler(ConflictError)
    async def conflict(_: Request, error: ConflictError) -> JSONResponse:
        return JSONResponse({"code": error.code, "params": error.params}, status_code=409)

    @app.exception_handler(NotFoundError)
    async def not_found(_: Request, error: NotFoundError) -> JSONResponse:
        return JSONResponse({"code": "not_found", "params": {"what": error.what}}, status_code=404)
