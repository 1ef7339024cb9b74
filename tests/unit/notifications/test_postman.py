"""SMTP through aiosmtplib against a real (in-process) SMTP server: accepted, bounced, deferred."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from services.notifications.mime import OutgoingEmail
from services.notifications.postman import DeliveryError, SmtpPostman
from tests.unit.notifications.support import settings


class Server:
    """Accepts mail, refuses ``bounce@`` with 550 and defers ``later@`` with 451."""

    def __init__(self) -> None:
        self.received: list[bytes] = []

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:  # noqa: N802
        if address.startswith("bounce@"):
            return "550 5.1.1 No such user"
        if address.startswith("later@"):
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.received.append(envelope.content)
        return "250 Message accepted"


@pytest.fixture
def smtp() -> Iterator[tuple[Server, int]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Server()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


def email(to: str) -> OutgoingEmail:
    return OutgoingEmail(
        "coach@coach.example", to, f"From: coach@coach.example\r\nTo: {to}\r\n\r\nBonjour\r\n".encode()
    )


async def test_one_connection_sends_many_and_refusals_are_told_apart(smtp: tuple[Server, int]) -> None:
    server, port = smtp
    postman = SmtpPostman(settings(smtp_port=port))
    try:
        await postman.send(email("a@example.org"))
        await postman.send(email("b@example.org"))
        with pytest.raises(DeliveryError) as bounced:
            await postman.send(email("bounce@example.org"))
        assert bounced.value.permanent
        with pytest.raises(DeliveryError) as deferred:
            await postman.send(email("later@example.org"))
        assert not deferred.value.permanent
        await postman.send(email("c@example.org"))  # the connection was reopened after the refusals
    finally:
        await postman.close()
    assert len(server.received) == 3


async def test_a_server_that_does_not_answer_is_a_transient_failure() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    postman = SmtpPostman(settings(smtp_port=port, smtp_timeout_s=1))
    with pytest.raises(DeliveryError) as error:
        await postman.send(email("a@example.org"))
    assert not error.value.permanent
