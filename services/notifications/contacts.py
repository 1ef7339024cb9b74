"""The profile service, as the notifications service needs it: contacts at send time, and the frequency setting.

Addresses and first names are never stored here: they are read just before
sending and forgotten once the email has left.
"""

from __future__ import annotations

from typing import Protocol

import httpx

from services.notifications.render import Addressee
from services.notifications.settings import NotificationsSettings
from shared.contracts.vocabulary import CoachingEmailFrequency, Gender, Locale


class ProfileUnavailableError(Exception):
    """The profile service did not answer; try again later."""


class ContactBook(Protocol):
    async def addressee(self, subject: str) -> Addressee | None:
        """Return how to reach the person, or None when the account is gone or has no address."""
        ...


class FrequencySetting(Protocol):
    async def set_frequency(self, subject: str, frequency: CoachingEmailFrequency) -> int | None:
        """Change the person's email frequency in their profile; return the profile's new revision, or None
        when the account is gone."""
        ...


def _locale(value: object) -> Locale:
    try:
        return Locale(str(value))
    except ValueError:
        return Locale.FR


def _gender(value: object) -> Gender:
    try:
        return Gender(str(value))
    except ValueError:
        return Gender.UNKNOWN


class ProfileClient:
    """Calls the profile service's internal API with the internal token."""

    def __init__(self, settings: NotificationsSettings, client: httpx.AsyncClient) -> None:
        self._base = settings.profile_url.rstrip("/")
        self._client = client
        self._headers = {"authorization": f"Bearer {settings.internal_token.get_secret_value()}"}

    async def _request(self, method: str, path: str, **kwargs: object) -> httpx.Response:
        try:
            return await self._client.request(method, self._base + path, headers=self._headers, **kwargs)  # type: ignore[arg-type]
        except httpx.HTTPError as error:
            raise ProfileUnavailableError(type(error).__name__) from None

    async def addressee(self, subject: str) -> Addressee | None:
        """Return the person's address, first name, locale, gender and role, read now."""
        response = await self._request("GET", f"/internal/contacts/{subject}")
        if response.status_code == 404:
            return None
        if response.status_code >= 400:
            raise ProfileUnavailableError(f"HTTP {response.status_code}")
        body = response.json()
        if not body.get("email"):
            return None
        return Addressee(
            email=body["email"],
            first_name=body.get("first_name"),
            locale=_locale(body.get("locale")),
            gender=_gender(body.get("gender")),
            role=str(body.get("role") or "job-seeker"),
        )

    async def set_frequency(self, subject: str, frequency: CoachingEmailFrequency, *, attempts: int = 3) -> int | None:
        """Change the person's email frequency in their profile; return the profile's new revision, or None
        when the account is gone."""
        for _ in range(attempts):
            read = await self._request("GET", f"/internal/profiles/{subject}")
            if read.status_code == 404:
                return None
            if read.status_code >= 400:
                raise ProfileUnavailableError(f"HTTP {read.status_code}")
            patch = await self._request(
                "PATCH",
                f"/internal/profiles/{subject}",
                json={"revision": read.json()["revision"], "preferences": {"coaching_email_frequency": frequency}},
            )
            if patch.status_code == 409:
                continue  # someone saved the profile in between: read the new revision and try again
            if patch.status_code == 404:
                return None
            if patch.status_code >= 400:
                raise ProfileUnavailableError(f"HTTP {patch.status_code}")
            return int(patch.json()["revision"])
        raise ProfileUnavailableError("the profile kept changing")
