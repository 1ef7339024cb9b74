"""SMTP delivery: one persistent aiosmtplib connection per postman, and the failure kinds that matter.

A 5xx answer is permanent (the address is refused: a hard bounce); anything
else — 4xx, a dropped connection, a timeout — is transient and retried later.
"""

from __future__ import annotations

from typing import Protocol

import aiosmtplib

from services.notifications.mime import OutgoingEmail
from services.notifications.settings import NotificationsSettings


class DeliveryError(Exception):
    """The SMTP server did not take the message."""

    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


class Postman(Protocol):
    async def send(self, email: OutgoingEmail) -> None:
        """Hand the email to the SMTP server; raise DeliveryError when it is not taken."""
        ...

    async def close(self) -> None:
        """Close the connection."""
        ...


class SmtpPostman:
    """Sends through one SMTP connection, opened on first use and reopened after any error."""

    def __init__(self, settings: NotificationsSettings) -> None:
        self._settings = settings
        self._smtp: aiosmtplib.SMTP | None = None

    async def _connection(self) -> aiosmtplib.SMTP:
        if self._smtp is not None and self._smtp.is_connected:
            return self._smtp
        settings = self._settings
        smtp = aiosmtplib.SMTP(
            hostname=settings.smtp_host,
            port=settings.smtp_port,
            timeout=settings.smtp_timeout_s,
            start_tls=settings.smtp_starttls,
        )
        await smtp.connect()
        if settings.smtp_username:
            password = settings.smtp_password.get_secret_value() if settings.smtp_password else ""
            await smtp.login(settings.smtp_username, password)
        self._smtp = smtp
        return smtp

    async def send(self, email: OutgoingEmail) -> None:
        try:
            smtp = await self._connection()
            await smtp.sendmail(email.sender, [email.recipient], email.data)
        except aiosmtplib.SMTPRecipientsRefused as error:
            await self.close()
            codes = [r.code for r in error.recipients]
            raise DeliveryError(f"recipient refused {codes}", permanent=all(500 <= c < 600 for c in codes)) from None
        except aiosmtplib.SMTPResponseException as error:
            await self.close()
            raise DeliveryError(f"SMTP {error.code}", permanent=500 <= error.code < 600) from None
        except (aiosmtplib.SMTPException, OSError) as error:
            await self.close()
            raise DeliveryError(type(error).__name__, permanent=False) from None

    async def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None and smtp.is_connected:
            try:
                await smtp.quit()
            except (aiosmtplib.SMTPException, OSError):
                smtp.close()
