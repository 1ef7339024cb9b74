"""A service's own documents (/docs, /redoc, /openapi.json) describe its internal API: they need the internal
token, as the API does (shared/service.py). The gateway's public documents stay public (tests/unit/web)."""

from __future__ import annotations

import httpx
import pytest

from services.volunteers.references import Reference
from tests.unit.volunteers.conftest import NOW
from tests.unit.volunteers.harness import Clock, running_volunteers

DOCUMENTS = ["/openapi.json", "/docs", "/redoc"]


@pytest.mark.parametrize("path", DOCUMENTS)
async def test_a_services_documents_need_the_internal_token(reference: Reference, path: str) -> None:
    async with running_volunteers(reference, Clock(NOW)) as service:
        anonymous = httpx.AsyncClient(transport=httpx.ASGITransport(app=service.app), base_url="http://volunteers")
        async with anonymous:
            assert (await anonymous.get(path)).status_code == 401
            forged = await anonymous.get(path, headers={"authorization": "Bearer not-the-internal-token"})
            assert forged.status_code == 401
        allowed = await service.http.get(path)  # the harness's client carries the internal token
        assert allowed.status_code == 200


async def test_the_internal_document_still_describes_the_internal_api(reference: Reference) -> None:
    async with running_volunteers(reference, Clock(NOW)) as service:
        document = (await service.http.get("/openapi.json")).json()
    assert "/internal/pledges/{user_id}" in document["paths"]
    assert not {"/openapi.json", "/docs", "/redoc"} & set(document["paths"])
