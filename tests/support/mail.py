"""Read the emails the SMTP sink kept as files."""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.support.system import System


@dataclass
class Mail:
    to: str
    subject: str
    text: str
    html: str
    headers: dict[str, str]


def read_mail(path: Path) -> Mail:
    """Return an email's recipients, subject and decoded text and HTML parts."""
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    text = html = ""
    for part in message.walk():
        if part.get_content_type() == "text/plain" and not text:
            text = str(part.get_content())
        elif part.get_content_type() == "text/html" and not html:
            html = str(part.get_content())
    return Mail(
        to=str(message["To"]),
        subject=str(message["Subject"]),
        text=text,
        html=html,
        headers={k.lower(): str(v) for k, v in message.items()},
    )


def link_token(mail: Mail, path: str) -> str:
    """Return the token after ``<path>#`` in the email's text (links keep tokens in the fragment)."""
    after = mail.text.split(f"{path}#", 1)[1]
    return after.split()[0].strip().rstrip(".,)>")


def mails_to(system: System, address: str) -> list[Mail]:
    """Return the emails the SMTP sink kept for one address, oldest first."""
    return [mail for mail in (read_mail(path) for path in system.mails()) if address in mail.to]
