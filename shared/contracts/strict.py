"""The base of every model a client sends: unknown fields are refused rather than silently dropped.

A misspelt field ("job_serch_started_at") silently dropped would look saved to the person and be lost;
refused, the 422 names it. One definition, for the public API, the internal APIs and the catalogues.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    """Client input: unknown fields are refused rather than silently dropped."""

    model_config = ConfigDict(extra="forbid")
