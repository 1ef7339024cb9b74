"""The profile service's internal API, as its callers use it (models in ``shared/contracts/api/profile.py``
and ``shared/contracts/counsellors.py``)."""

from __future__ import annotations

from typing import Any

from shared.clients import ServiceClient
from shared.contracts.api.profile import ConsentChange
from shared.contracts.counsellors import SharedItem, SharingChoice
from shared.contracts.vocabulary import ConsentPurpose


class ProfileClient(ServiceClient):
    service = "profile"

    # --- accounts and sessions ---------------------------------------------------------------------

    async def create_account(self, account: dict[str, Any]) -> Any:
        """Create an account (first name, locale; email, password and role unless a guest); return its session."""
        return await self._call("POST", "/internal/accounts", json=account)

    async def log_in(self, *, email: str, password: str) -> Any:
        """Return a new session for an email and its password; 404 or 422 when they do not match."""
        return await self._call("POST", "/internal/auth/password", json={"email": email, "password": password})

    async def refresh(self, refresh_token: str) -> Any:
        """Return the session's new tokens; 409 when the token was used already (the family ends)."""
        return await self._call("POST", "/internal/auth/refresh", json={"refresh_token": refresh_token})

    async def log_out(self, refresh_token: str) -> Any:
        """End the session of a refresh token and every token issued from it."""
        return await self._call("POST", "/internal/auth/logout", json={"refresh_token": refresh_token})

    async def issue_one_time_token(self, *, email: str, purpose: str) -> Any:
        """Return a one-time token (and its user id) for a login link or a password reset; 404 without an account."""
        return await self._call("POST", "/internal/auth/one-time-tokens", json={"email": email, "purpose": purpose})

    async def redeem_login_link(self, token: str) -> Any:
        """Return a new session for the token of a login link."""
        return await self._call("POST", "/internal/auth/login-link/redeem", json={"token": token})

    async def confirm_password_reset(self, *, token: str, password: str) -> Any:
        """Set a new password with the token of a reset link; return a new session."""
        return await self._call(
            "POST", "/internal/auth/password-reset/confirm", json={"token": token, "password": password}
        )

    async def confirm_email_change(self, token: str) -> Any:
        """Change the email address to the one the token was sent to."""
        return await self._call("POST", "/internal/auth/email-change/confirm", json={"token": token})

    async def upgrade_guest(self, user_id: str, *, email: str, password: str) -> Any:
        """Turn a guest account into a full account; return its new session."""
        return await self._call(
            "POST", f"/internal/accounts/{user_id}/upgrade", json={"email": email, "password": password}
        )

    async def request_email_change(self, user_id: str, new_email: str) -> Any:
        """Return the token confirming a new address, or ``already_registered`` when it has an account."""
        return await self._call("POST", f"/internal/accounts/{user_id}/email-change", json={"new_email": new_email})

    async def change_password(
        self, user_id: str, *, current_password: str, new_password: str, keep_session: str | None
    ) -> Any:
        """Change the password (409 ``wrong_password``); every session but ``keep_session`` ends."""
        body = {"current_password": current_password, "new_password": new_password, "keep_session": keep_session}
        return await self._call("POST", f"/internal/accounts/{user_id}/password", json=body)

    async def erase_user(self, user_id: str) -> Any:
        """Erase the account; every service forgets the person (404 when already erased)."""
        return await self._call("DELETE", f"/internal/users/{user_id}")

    async def read_contact(self, user_id: str) -> Any:
        """Return how to reach the person: email, first name, locale, gender and role (404 once erased)."""
        return await self._call("GET", f"/internal/contacts/{user_id}")

    # --- profile, projects, consents ---------------------------------------------------------------

    async def read_profile(self, user_id: str) -> Any:
        """Return the person's ``ProfileView`` (JSON)."""
        return await self._call("GET", f"/internal/profiles/{user_id}")

    async def update_profile(self, user_id: str, patch: dict[str, Any]) -> Any:
        """Save a ``ProfilePatch`` (sent as the person wrote it: the service judges it whole); return the
        ``ProfileView`` (JSON)."""
        return await self._call("PATCH", f"/internal/profiles/{user_id}", json=patch)

    async def add_project(self, user_id: str, project: dict[str, Any]) -> Any:
        """Add a project (a ``ProjectWrite``, sent as written); return the ``ProfileView`` (JSON)."""
        return await self._call("POST", f"/internal/profiles/{user_id}/projects", json=project)

    async def update_project(self, user_id: str, project_id: str, project: dict[str, Any]) -> Any:
        """Change a project (a ``ProjectWrite``, sent as written); return the ``ProfileView`` (JSON)."""
        return await self._call("PATCH", f"/internal/profiles/{user_id}/projects/{project_id}", json=project)

    async def delete_project(self, user_id: str, project_id: str, *, revision: int) -> Any:
        """Remove a project; return the ``ProfileView`` (JSON); 409 when ``revision`` is stale."""
        return await self._call(
            "DELETE", f"/internal/profiles/{user_id}/projects/{project_id}", json={"revision": revision}
        )

    async def read_consents(self, user_id: str) -> Any:
        """Return the person's ``Consents`` (JSON): current ones and their history."""
        return await self._call("GET", f"/internal/profiles/{user_id}/consents")

    async def set_consent(self, user_id: str, purpose: ConsentPurpose, change: ConsentChange) -> Any:
        """Grant or withdraw a purpose; return the ``Consents`` (JSON)."""
        return await self._call(
            "PUT", f"/internal/profiles/{user_id}/consents/{purpose.value}", json=change.model_dump()
        )

    # --- counsellors -------------------------------------------------------------------------------

    async def invite_counsellor(self, user_id: str, shared: list[SharedItem] | None = None) -> Any:
        """Return the token and expiry of a counsellor invitation sharing ``shared`` (the default without)."""
        body = {"shared": [item.value for item in shared]} if shared is not None else None
        return await self._call("POST", f"/internal/profiles/{user_id}/counsellor-invitations", json=body)

    async def list_counsellors(self, user_id: str) -> Any:
        """Return the ``CounsellorLink`` of each counsellor the person shares with (a JSON list)."""
        return await self._call("GET", f"/internal/profiles/{user_id}/counsellors")

    async def set_counsellor_sharing(self, user_id: str, counsellor_id: str, choice: SharingChoice) -> Any:
        """Change what a counsellor reads; return the ``CounsellorLink`` (JSON)."""
        return await self._call(
            "PUT",
            f"/internal/profiles/{user_id}/counsellors/{counsellor_id}/sharing",
            json=choice.model_dump(mode="json"),
        )

    async def revoke_counsellor(self, user_id: str, counsellor_id: str) -> Any:
        """Stop sharing with a counsellor."""
        return await self._call("DELETE", f"/internal/profiles/{user_id}/counsellors/{counsellor_id}")

    async def accept_invitation(self, counsellor_id: str, token: str) -> Any:
        """Start following the person who sent the invitation; return the ``CounsellorLink`` (JSON)."""
        return await self._call(
            "POST", f"/internal/counsellors/{counsellor_id}/invitations/accept", json={"token": token}
        )

    async def list_followed_people(self, counsellor_id: str) -> Any:
        """Return the ``CounsellorLink`` of each person sharing with the counsellor (a JSON list)."""
        return await self._call("GET", f"/internal/counsellors/{counsellor_id}/people")

    async def read_followed_person(self, counsellor_id: str, user_id: str) -> Any:
        """Return the ``PersonSummary`` (JSON) a person shares with the counsellor; 410 once the sharing ended."""
        return await self._call("GET", f"/internal/counsellors/{counsellor_id}/people/{user_id}")
