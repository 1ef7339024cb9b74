"""The profile service, as the notifications service needs it: contacts at send time, and the frequency setting.

Addresses and first names are never stored here: they are read just before
sending and forgotten once the email has left.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, Protocol

import httpx

from services.notifications.render import Addressee
from services.notifications.settings import NotificationsSettings
from shared.clients import PeerCaller, ServiceAnswerError
from shared.clients.profile import ProfileClient as ProfileApi
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
    """The profile service's typed client, with the answers the notifications service needs from it."""

    def __init__(self, settings: NotificationsSettings, client: httpx.AsyncClient) -> None:
        headers = {"authorization": f"Bearer {settings.internal_token.get_secret_value()}"}
        self._profile = ProfileApi(PeerCaller(client, {"profile": settings.profile_url}, headers=headers))

    async def addressee(self, subject: str) -> Addressee | None:
        """Return the person's address, first name, locale, gender and role, read now."""
        try:
            body = await _unless_gone(self._profile.read_contact(subject))
        except ServiceAnswerError as error:
            raise ProfileUnavailableError(f"HTTP {error.status}") from None
        if body is None or not body.get("email"):
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
            try:
                read = await _unless_gone(self._profile.read_profile(subject))
                if read is None:
                    return None
                patch = {"revision": read["revision"], "preferences": {"coaching_email_frequency": frequency}}
                saved = await _unless_gone(self._profile.update_profile(subject, patch))
            except ServiceAnswerError as error:
                if error.status == 409:
                    continue  # someone saved the profile in between: read the new revision and try again
                raise ProfileUnavailableError(f"HTTP {error.status}") from None
            return None if saved is None else int(saved["revision"])
        raise ProfileUnavailableError("the profile kept changing")


async def _unless_gone(answer: Awaitable[Any]) -> Any:
    """Return the profile service's answer, None when the account is gone (404); ProfileUnavailableError
    when it did not answer."""
    try:
        return await answer
    except ServiceAnswerError as error:
        if error.status == 404:
            return None
        raise
    except httpx.HTTPError as error:
        raise ProfileUnavailableError(type(error).__name__) from None
