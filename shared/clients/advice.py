"""The advice service's internal API, as its callers use it (models in ``shared/contracts/api/advice.py``)."""

from __future__ import annotations

from typing import Any

from shared.clients import ServiceClient
from shared.contracts.api.advice import ActionPatch, DaysOffUpdate, OwnActionCreate, View
from shared.contracts.vocabulary import Locale


class AdviceClient(ServiceClient):
    service = "advice"

    async def read_advice(self, user_id: str, *, locale: Locale | None = None) -> Any:
        """Return the person's ``AdviceView`` (JSON), in their locale unless one is given."""
        params = {"locale": locale.value} if locale else None
        return await self._call("GET", f"/internal/advice/{user_id}", params=params)

    async def read_plan(self, user_id: str, *, view: View | None = None) -> Any:
        """Return one view of the person's plan, a ``PlanView`` (JSON); every action without ``view``."""
        return await self._call("GET", f"/internal/plans/{user_id}", params={"view": view} if view else None)

    async def update_action(self, user_id: str, action_id: str, change: ActionPatch) -> Any:
        """Return the changed ``ActionView`` (JSON); only the fields sent change."""
        return await self._call(
            "PATCH",
            f"/internal/plans/{user_id}/actions/{action_id}",
            json=change.model_dump(mode="json", exclude_unset=True),
        )

    async def add_action(self, user_id: str, action: OwnActionCreate) -> Any:
        """Return the person's new own ``ActionView`` (JSON)."""
        return await self._call(
            "POST", f"/internal/plans/{user_id}/actions", json=action.model_dump(mode="json", exclude_unset=True)
        )

    async def set_days_off(self, user_id: str, days_off: DaysOffUpdate) -> Any:
        """Return the ``PlanView`` (JSON) moved around the person's new days off."""
        return await self._call("PUT", f"/internal/plans/{user_id}/days-off", json=days_off.model_dump(mode="json"))
