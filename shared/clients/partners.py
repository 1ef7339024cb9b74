"""The partners service's internal API, as its callers use it: the export of what it holds about a person."""

from __future__ import annotations

from shared.clients import ServiceClient


class PartnersClient(ServiceClient):
    service = "partners"
