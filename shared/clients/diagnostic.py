"""The diagnostic service's internal API, as its callers use it (models in ``shared/contracts/api/diagnostic.py``)."""

from __future__ import annotations

from typing import Any

from shared.clients import ServiceClient
from shared.contracts.vocabulary import Locale


class DiagnosticClient(ServiceClient):
    service = "diagnostic"

    async def read_diagnoses(self, user_id: str, *, locale: Locale | None = None) -> Any:
        """Return the person's ``DiagnosisView`` of each project (a JSON list), in their locale unless one is given."""
        params = {"locale": locale.value} if locale else None
        return await self._call("GET", f"/internal/diagnoses/{user_id}", params=params)

    async def read_market(self, rome: str, departement: str, *, locale: str) -> Any:
        """Return a job group's ``MarketView`` (JSON) in a département."""
        return await self._call("GET", f"/internal/market/{rome}/{departement}", params={"locale": locale})

    async def read_hints(self, rome: str, departement: str, *, locale: str) -> Any:
        """Return the questionnaire's ``HintsView`` (JSON) for a job group in a département."""
        return await self._call("GET", f"/internal/market/{rome}/{departement}/hints", params={"locale": locale})

    async def list_datasets(self) -> Any:
        """Return the ``DatasetView`` of each dataset behind the figures (a JSON list)."""
        return await self._call("GET", "/internal/datasets")
