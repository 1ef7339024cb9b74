"""Rate limits: failures count per (address, account) and per account, never a right password;
X-Forwarded-For is believed only from a trusted proxy; waits are said as a person says them."""

from __future__ import annotations

import pytest
from starlette.requests import Request

from services.gateway.ratelimit import RateLimitedError, RateLimits, RateRule, client_address, wait_in_words


def request_from(peer: str, forwarded: str | None = None) -> Request:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
    return Request({"type": "http", "method": "POST", "path": "/", "headers": headers, "client": (peer, 50000)})


def limits(trusted: tuple[str, ...] = ()) -> RateLimits:
    return RateLimits(
        {
            "login": RateRule(per_address="100/minute", per_address_account="3/minute", per_account="5/minute"),
            "signup": RateRule(per_address="4/minute; 6/hour", per_account="2/hour"),
        },
        storage="async+memory://",
        trusted_proxies=trusted,
    )


def test_a_forwarded_header_is_ignored_unless_the_peer_is_a_trusted_proxy() -> None:
    assert client_address(request_from("203.0.113.9", "198.51.100.1"), ()) == "203.0.113.9"
    assert client_address(request_from("203.0.113.9", "198.51.100.1"), ("10.0.0.0/8",)) == "203.0.113.9"
    assert client_address(request_from("10.0.0.2", "198.51.100.1"), ("10.0.0.0/8",)) == "198.51.100.1"


def test_the_client_is_the_first_untrusted_hop_from_the_right() -> None:
    # The client wrote a fake first hop; the proxies appended the real ones.
    chain = "1.2.3.4, 198.51.100.7, 10.0.0.5"
    assert client_address(request_from("10.0.0.2", chain), ("10.0.0.0/8",)) == "198.51.100.7"
    assert client_address(request_from("10.0.0.2", "10.0.0.9"), ("10.0.0.0/8",)) == "10.0.0.2"
    assert client_address(request_from("10.0.0.2", "not an address"), ("10.0.0.0/8",)) == "not an address"


async def test_right_passwords_are_never_counted_against_an_account() -> None:
    rate = limits()
    here = request_from("198.51.100.1")
    for _ in range(20):
        await rate.check(here, "login", "martine@example.org")  # 20 successful logins in a row


async def test_failures_from_one_address_do_not_lock_the_owner_out_from_another() -> None:
    rate = limits()
    attacker, owner = request_from("198.51.100.66"), request_from("203.0.113.10")
    for _ in range(3):
        await rate.check(attacker, "login", "martine@example.org")
        await rate.failed(attacker, "login", "martine@example.org")
    with pytest.raises(RateLimitedError) as refused:
        await rate.check(attacker, "login", "Martine@example.org ")
    assert (refused.value.scope, refused.value.action) == ("address_account", "login")
    await rate.check(owner, "login", "martine@example.org")  # the owner, elsewhere, still gets in


async def test_failures_spread_over_many_addresses_reach_the_account_ceiling() -> None:
    rate = limits()
    for n in range(5):
        guesser = request_from(f"198.51.100.{n}")
        await rate.check(guesser, "login", "martine@example.org")
        await rate.failed(guesser, "login", "martine@example.org")
    with pytest.raises(RateLimitedError) as refused:
        await rate.check(request_from("203.0.113.10"), "login", "martine@example.org")
    assert refused.value.scope == "account" and refused.value.retry_after >= 1


async def test_sign_ups_allow_a_burst_then_refuse_per_address() -> None:
    rate = limits()
    agency = request_from("192.0.2.1")
    for n in range(4):
        await rate.check(agency, "signup", f"person{n}@example.org")
    with pytest.raises(RateLimitedError) as refused:
        await rate.check(agency, "signup", "person9@example.org")
    assert refused.value.scope == "address"
    await rate.check(request_from("192.0.2.2"), "signup", "person9@example.org")


async def test_a_refused_attempt_is_not_counted() -> None:
    rate = limits()
    for _ in range(2):
        await rate.check(request_from(f"192.0.2.{_}"), "signup", "martine@example.org")
    for _ in range(3):
        with pytest.raises(RateLimitedError):
            await rate.check(request_from("192.0.2.50"), "signup", "martine@example.org")
    # The address that was refused three times has used none of its own allowance.
    for n in range(4):
        await rate.check(request_from("192.0.2.50"), "signup", f"other{n}@example.org")


@pytest.mark.parametrize(
    ("seconds", "french", "english"),
    [
        (1, "1 seconde", "1 second"),
        (45, "45 secondes", "45 seconds"),
        (90, "2 minutes", "2 minutes"),
        (60 * 14 + 1, "15 minutes", "15 minutes"),
        (3600 * 2, "2 heures", "2 hours"),
    ],
)
def test_waits_are_said_in_words(seconds: int, french: str, english: str) -> None:
    assert wait_in_words(seconds, 0) == french
    assert wait_in_words(seconds, 1) == english
