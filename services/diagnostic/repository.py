"""Where the diagnostic service keeps diagnoses (one current diagnosis per person and project)."""

from __future__ import annotations

from shared.store import Index

DIAGNOSES = "diagnoses"
INDEXES = (Index(DIAGNOSES, ("subject",)),)


def diagnosis_id(subject: str, project_id: str) -> str:
    """Return the id of the current diagnosis of a person's project."""
    return f"{subject}:{project_id}"
