"""The volunteers service's internal API, as its callers use it (models in ``shared/contracts/api/volunteers.py``).

The acting person is in every path; a match is acted on from one side (``volunteer`` or ``seeker``),
which the service checks (404 on the wrong side).
"""

from __future__ import annotations

from typing import Any, Literal

import httpx

from shared.clients import ServiceClient
from shared.contracts.api.volunteers import (
    ConfirmInput,
    ContactSharingInput,
    FeedbackInput,
    MessageInput,
    PauseInput,
    PledgeUpdate,
    ReportInput,
    ScheduleInput,
)

Side = Literal["volunteer", "seeker"]


class VolunteersClient(ServiceClient):
    service = "volunteers"

    # --- pledges -----------------------------------------------------------------------------------

    async def check_pledge(self, pledge: dict[str, Any]) -> Any:
        """Refuse (422) a ``PledgeInput`` the service would refuse, before anything is created."""
        return await self._call("POST", "/internal/pledge-checks", json=pledge)

    async def create_pledge(self, user_id: str, pledge: dict[str, Any]) -> Any:
        """Create the person's pledge (a ``PledgeCreate``); return the ``PledgeCreated`` (JSON, with its
        confirmation token)."""
        return await self._call("POST", f"/internal/pledges/{user_id}", json=pledge)

    async def renew_confirmation(self, user_id: str) -> Any:
        """Return a new ``ConfirmationToken`` (JSON) for the pledge's confirmation email."""
        return await self._call("POST", f"/internal/pledges/{user_id}/confirmation")

    async def confirm_pledge(self, confirmation: ConfirmInput) -> Any:
        """Activate the pledge of the confirmation token; return its ``PledgeView`` (JSON)."""
        return await self._call("POST", "/internal/pledge-confirmations", json=confirmation.model_dump())

    async def read_pledge(self, user_id: str) -> Any:
        """Return the person's ``PledgeView`` (JSON)."""
        return await self._call("GET", f"/internal/pledges/{user_id}")

    async def update_pledge(self, user_id: str, change: PledgeUpdate) -> Any:
        """Change the fields sent; return the ``PledgeView`` (JSON)."""
        return await self._call(
            "PATCH", f"/internal/pledges/{user_id}", json=change.model_dump(mode="json", exclude_unset=True)
        )

    async def pause_pledge(self, user_id: str, pause: PauseInput) -> Any:
        """Pause the pledge; return the ``PledgeView`` (JSON)."""
        return await self._call("POST", f"/internal/pledges/{user_id}/pause", json=pause.model_dump(mode="json"))

    async def resume_pledge(self, user_id: str) -> Any:
        """Resume the pledge; return the ``PledgeView`` (JSON)."""
        return await self._call("POST", f"/internal/pledges/{user_id}/resume")

    async def withdraw_pledge(self, user_id: str) -> Any:
        """Withdraw the pledge; return the ``PledgeView`` (JSON)."""
        return await self._call("POST", f"/internal/pledges/{user_id}/withdraw")

    async def read_counters(self) -> Any:
        """Return the public ``Counters`` (JSON)."""
        return await self._call("GET", "/internal/counters")

    # --- help requests (the job seeker's) ----------------------------------------------------------

    def _request_path(self, user_id: str, request_id: str, action: str = "") -> str:
        return f"/internal/users/{user_id}/help-requests/{request_id}" + (f"/{action}" if action else "")

    async def list_help_requests(self, user_id: str) -> Any:
        """Return the ``HelpRequestView`` of each of the person's requests, newest first (a JSON list)."""
        return await self._call("GET", f"/internal/users/{user_id}/help-requests")

    async def ask_for_help(
        self, user_id: str, *, kind: str, sharing: dict[str, Any] | None, action_id: str | None
    ) -> Any:
        """Create a help request (a ``HelpRequestWrite``); return its ``HelpRequestView`` (JSON)."""
        body = {"kind": kind, "sharing": sharing, "action_id": action_id}
        return await self._call("POST", f"/internal/users/{user_id}/help-requests", json=body)

    async def read_help_request(self, user_id: str, request_id: str) -> Any:
        """Return the ``HelpRequestView`` (JSON) of one of the person's requests."""
        return await self._call("GET", self._request_path(user_id, request_id))

    async def choose_sharing(self, user_id: str, request_id: str, sharing: dict[str, Any]) -> Any:
        """Set what the volunteer will see (a ``SharingWrite``); return the ``HelpRequestView`` (JSON)."""
        return await self._call("PUT", self._request_path(user_id, request_id, "sharing"), json=sharing)

    async def cancel_help_request(self, user_id: str, request_id: str) -> Any:
        """Cancel the request; return the ``HelpRequestView`` (JSON)."""
        return await self._call("POST", self._request_path(user_id, request_id, "cancel"))

    async def upload_document(self, user_id: str, request_id: str, data: bytes, filename: str) -> Any:
        """Attach the document to review (``filename`` URL-quoted); return its ``DocumentInfo`` (JSON)."""
        return await self._call(
            "PUT", self._request_path(user_id, request_id, "document"), content=data, headers=_file_headers(filename)
        )

    async def download_document(self, user_id: str, document_id: str) -> httpx.Response:
        """Return a document the person may read, as the service answered it (content, type and name)."""
        return await self._caller.answer(self.service, "GET", f"/internal/users/{user_id}/documents/{document_id}")

    # --- matches (as either side) ------------------------------------------------------------------

    async def _match(
        self, method: str, user_id: str, match_id: str, action: str, side: Side | None, **kwargs: Any
    ) -> Any:
        path = f"/internal/users/{user_id}/matches/{match_id}" + (f"/{action}" if action else "")
        return await self._call(method, path, params={"side": side} if side else None, **kwargs)

    async def list_matches(self, user_id: str) -> Any:
        """Return the ``VolunteerMatchView`` of each of the volunteer's matches, newest first (a JSON list)."""
        return await self._call("GET", f"/internal/users/{user_id}/matches")

    async def read_match(self, user_id: str, match_id: str, *, side: Side) -> Any:
        """Return the match as the side sees it: a ``VolunteerMatchView`` or the seeker's ``HelpRequestView``."""
        return await self._match("GET", user_id, match_id, "", side)

    async def accept_match(self, user_id: str, match_id: str, *, side: Side) -> Any:
        """Accept to help; return what the side sees (JSON)."""
        return await self._match("POST", user_id, match_id, "accept", side)

    async def decline_match(self, user_id: str, match_id: str, *, side: Side) -> Any:
        """Decline to help; return what the side sees (JSON)."""
        return await self._match("POST", user_id, match_id, "decline", side)

    async def return_review(self, user_id: str, match_id: str, data: bytes, filename: str, *, side: Side) -> Any:
        """Upload the reviewed document (``filename`` URL-quoted); return its ``DocumentInfo`` (JSON)."""
        return await self._match(
            "PUT", user_id, match_id, "review", side, content=data, headers=_file_headers(filename)
        )

    async def schedule(self, user_id: str, match_id: str, schedule: ScheduleInput, *, side: Side) -> Any:
        """Set the coffee's date; return what the side sees (JSON)."""
        return await self._match("POST", user_id, match_id, "schedule", side, json=schedule.model_dump(mode="json"))

    async def complete(self, user_id: str, match_id: str, *, side: Side) -> Any:
        """Say the help took place; return what the side sees (JSON)."""
        return await self._match("POST", user_id, match_id, "complete", side)

    async def give_feedback(self, user_id: str, match_id: str, feedback: FeedbackInput, *, side: Side) -> Any:
        """Rate the help; return what the side sees (JSON)."""
        return await self._match("POST", user_id, match_id, "feedback", side, json=feedback.model_dump())

    async def share_contact(self, user_id: str, match_id: str, choice: ContactSharingInput, *, side: Side) -> Any:
        """Accept (or stop accepting) to show one's email; return what the side sees (JSON)."""
        return await self._match("PUT", user_id, match_id, "contact-sharing", side, json=choice.model_dump())

    async def read_counterpart(self, user_id: str, match_id: str, *, side: Side) -> Any:
        """Return the other side's user id (a ``Counterpart``, JSON), once both accepted to share contacts."""
        return await self._match("GET", user_id, match_id, "counterpart", side)

    async def list_match_messages(self, user_id: str, match_id: str, *, side: Side) -> Any:
        """Return the ``MessageView`` of each message of the match (a JSON list)."""
        return await self._match("GET", user_id, match_id, "messages", side)

    async def write_message(self, user_id: str, match_id: str, message: MessageInput, *, side: Side) -> Any:
        """Relay a message to the other side; return the ``MessagePosted`` (JSON, with its recipient)."""
        return await self._match("POST", user_id, match_id, "messages", side, json=message.model_dump())

    async def report(self, user_id: str, match_id: str, report: ReportInput, *, side: Side) -> Any:
        """Report the other side: the help stops."""
        return await self._match("POST", user_id, match_id, "report", side, json=report.model_dump(mode="json"))

    async def block(self, user_id: str, match_id: str, *, side: Side) -> Any:
        """Block the other side: never matched again."""
        return await self._match("POST", user_id, match_id, "block", side)


def _file_headers(filename: str) -> dict[str, str]:
    return {"x-filename": filename, "content-type": "application/octet-stream"}
