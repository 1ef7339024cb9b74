"""The email on the wire: RFC 5322 headers and a multipart/alternative body (plain text, then HTML).

Built as bytes directly rather than with ``email.message.EmailMessage``: the
standard library's header policy and generator cost several milliseconds per
message, more than rendering and SMTP together (see tests/perf/bench_emails.py).
Parts are UTF-8 in quoted-printable, which every server accepts (no 8BITMIME needed).
"""

from __future__ import annotations

import binascii
import secrets
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.header import Header
from email.message import EmailMessage
from email.utils import formataddr, formatdate, parseaddr

from services.notifications.catalogue import Campaign
from services.notifications.render import Rendered
from shared.contracts.vocabulary import Locale


@dataclass(frozen=True)
class OutgoingEmail:
    """What the SMTP server receives: the envelope and the message bytes."""

    sender: str
    recipient: str
    data: bytes

    def parsed(self) -> EmailMessage:
        """Return the message parsed back (for tests and debugging)."""
        parsed = message_from_bytes(self.data, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


def _header_text(value: str) -> str:
    if value.isascii():
        return value
    return Header(value, "utf-8", maxlinelen=76).encode().replace("\n", "\r\n")


def _address(value: str) -> str:
    name, address = parseaddr(value)
    return formataddr((name, address), charset="utf-8") if name else address


def _part(content_type: str, text: str) -> bytes:
    body = binascii.b2a_qp(text.encode(), istext=True).replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    return (
        f'Content-Type: {content_type}; charset="utf-8"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n'
    ).encode() + body


def compose(
    rendered: Rendered,
    *,
    sender: str,
    to: str,
    message_id: str,
    campaign: Campaign,
    locale: Locale,
    one_click_url: str | None,
) -> OutgoingEmail:
    """Return the email with plain-text and HTML alternatives, and RFC 8058 one-click unsubscribe when given."""
    if any(c in to for c in "\r\n<>,;") or "@" not in to:
        raise ValueError("not a single email address")  # never let a value add a header or a recipient
    sender_address = parseaddr(sender)[1]
    domain = sender_address.rpartition("@")[2] or "localhost"
    boundary = "=_" + secrets.token_hex(12)
    headers = [
        ("From", _address(sender)),
        ("To", to),
        ("Subject", _header_text(rendered.subject)),
        ("Date", formatdate(localtime=False, usegmt=True)),
        # The same message id on every attempt: a receiving server that got it twice can tell.
        ("Message-ID", f"<{message_id}@{domain}>"),
        ("MIME-Version", "1.0"),
        ("Content-Language", "en" if locale is Locale.EN else "fr"),
        ("X-Coach-Campaign", campaign.id),
    ]
    if one_click_url:
        headers += [("List-Unsubscribe", f"<{one_click_url}>"), ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")]
    headers.append(("Content-Type", f'multipart/alternative; boundary="{boundary}"'))
    head = "".join(f"{name}: {value}\r\n" for name, value in headers).encode()
    separator = f"\r\n--{boundary}\r\n".encode()
    data = (
        head
        + b"\r\n"
        + separator.lstrip(b"\r\n")
        + _part("text/plain", rendered.text)
        + separator
        + _part("text/html", rendered.html)
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return OutgoingEmail(sender=sender_address, recipient=to, data=data)
