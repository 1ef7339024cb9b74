"""The notifications service's internal API, as its callers use it (models in
``shared/contracts/api/notifications.py``)."""

from __future__ import annotations

from typing import Any

from shared.clients import ServiceClient
from shared.contracts.api.notifications import LinkCheck, SurveySubmission, UnsubscribeChoice


class NotificationsClient(ServiceClient):
    service = "notifications"

    async def queue_message(self, *, campaign: str, subject: str, dedupe_key: str, variables: dict[str, str]) -> Any:
        """Queue one email of a campaign (a ``MessageRequest``); return its ``MessageAccepted`` (JSON).

        The body is sent as given, not validated here: the service answers 422 with the field.
        """
        body = {"campaign": campaign, "subject": subject, "dedupe_key": dedupe_key, "variables": variables}
        return await self._call("POST", "/internal/messages", json=body)

    async def list_messages(self, user_id: str) -> Any:
        """Return the ``MessageView`` of each email to the person, newest first (a JSON list)."""
        return await self._call("GET", f"/internal/messages/{user_id}")

    async def verify_link(self, check: LinkCheck) -> Any:
        """Return the ``VerifiedLink`` (JSON) of a signed email link; 403 when expired or altered."""
        return await self._call("POST", "/internal/links/verify", json=check.model_dump())

    async def read_unsubscribe_page(self, token: str) -> Any:
        """Return the ``UnsubscribePage`` (JSON) of the person a signed unsubscribe link is for."""
        return await self._call("GET", "/internal/unsubscribe", params={"token": token})

    async def unsubscribe(self, choice: UnsubscribeChoice) -> Any:
        """Apply a choice of the unsubscribe page; return the ``UnsubscribeResult`` (JSON)."""
        return await self._call("POST", "/internal/unsubscribe", json=choice.model_dump(mode="json"))

    async def unsubscribe_in_one_click(self, token: str) -> Any:
        """Stop every email but those the person asks for (RFC 8058); return the service's answer (JSON)."""
        return await self._call("POST", "/internal/unsubscribe/one-click", json={"token": token})

    async def read_survey(self, kind: str, token: str) -> Any:
        """Return a survey's ``SurveyPage`` (JSON) for the person a signed link is for."""
        return await self._call("GET", f"/internal/surveys/{kind}", params={"token": token})

    async def answer_survey(self, kind: str, answers: SurveySubmission) -> Any:
        """Record a survey's answers; return the ``SurveyRecorded`` (JSON)."""
        return await self._call("POST", f"/internal/surveys/{kind}", json=answers.model_dump(mode="json"))

    async def read_impact(self) -> Any:
        """Return the aggregate ``Impact`` figures (JSON)."""
        return await self._call("GET", "/internal/impact")
