"""Rate limits on sign-ups, logins, emailed links and password changes (the ``limits`` library).

Each action has up to three limits (OWASP ASVS 5.0 §6.1 and §6.3):

* **per address**: every attempt from one client address (shared connections of an agency or a
  library sit behind one address: these limits allow bursts);
* **per address and account**: what one address may try on one account. For logins and password
  changes only *failures* count, so a person who types the right password is never refused, and
  someone hammering an account from their address does not lock its owner out: the owner, from
  another address, still gets in;
* **per account**: failures on one account from every address together, a ceiling against a guessing
  attack spread over many addresses. When it is reached the answer offers the way in that needs no
  password: a login link sent to the owner's address.

Limits are kept in memory: each gateway replica counts on its own, so with N replicas a client gets
at most N times the limit. Point ``GATEWAY_RATE_LIMIT_STORAGE`` at a shared ``limits`` storage
(e.g. ``async+redis://``) to count across replicas. The client address is the connection's peer,
unless that peer is a proxy listed in ``GATEWAY_TRUSTED_PROXIES`` (none by default): a header sent by
anyone else cannot choose the address its requests are counted under.
"""

from __future__ import annotations

import ipaddress
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from fastapi import Request
from limits import RateLimitItem, parse_many
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string
from pydantic import BaseModel, ConfigDict, Field

from shared.messages import is_singular

Action = Literal["login", "link", "signup", "password"]
Scope = Literal["address", "address_account", "account"]
# Actions whose per-account limits count failures only (a right answer is never what gets counted).
COUNTS_FAILURES: frozenset[Action] = frozenset({"login", "password"})


class RateRule(BaseModel):
    """The limits of one action, in ``limits`` notation; several per scope are separated by ``;``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    per_address: str | None = Field(None, examples=["30/minute"])
    per_address_account: str | None = Field(None, examples=["10/15 minutes"])
    per_account: str | None = Field(None, examples=["50/hour"])


class RateLimitedError(Exception):
    """A limit was reached: the answer is 429 with the wait and what else the person can do."""

    def __init__(self, action: Action, scope: Scope, retry_after: int) -> None:
        super().__init__(f"{action} limited per {scope}")
        self.action = action
        self.scope = scope
        self.retry_after = retry_after


@dataclass(frozen=True)
class _Limits:
    per_address: Sequence[RateLimitItem]
    per_address_account: Sequence[RateLimitItem]
    per_account: Sequence[RateLimitItem]


def _parse(notation: str | None) -> list[RateLimitItem]:
    return parse_many(notation) if notation else []


def client_address(request: Request, trusted_proxies: Sequence[str]) -> str:
    """Return the address a request is counted under: its peer, or the client a trusted proxy names.

    ``X-Forwarded-For`` is read from the right: each trusted proxy appended the address it received
    the request from, so the first address from the right that is not a trusted proxy is the client.
    """
    peer = request.client.host if request.client else "unknown"
    networks = [ipaddress.ip_network(proxy, strict=False) for proxy in trusted_proxies]
    if not networks or not _within(peer, networks):
        return peer
    chain = [hop.strip() for hop in request.headers.get("x-forwarded-for", "").split(",") if hop.strip()]
    for hop in reversed(chain):
        if not _within(hop, networks):
            return hop
    return peer


def _within(address: str, networks: Sequence[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


class RateLimits:
    """Counts attempts and failures per action; raises RateLimitedError past a limit."""

    def __init__(self, rules: dict[Action, RateRule], *, storage: str, trusted_proxies: Sequence[str] = ()) -> None:
        self._limiter = MovingWindowRateLimiter(storage_from_string(storage))
        self._limits = {
            action: _Limits(_parse(rule.per_address), _parse(rule.per_address_account), _parse(rule.per_account))
            for action, rule in rules.items()
        }
        self._trusted = tuple(trusted_proxies)

    def _keys(
        self, request: Request, action: Action, account: str | None
    ) -> list[tuple[Scope, RateLimitItem, tuple[str, ...]]]:
        limits = self._limits[action]
        address = client_address(request, self._trusted)
        keys: list[tuple[Scope, RateLimitItem, tuple[str, ...]]] = [
            ("address", item, (action, "address", address)) for item in limits.per_address
        ]
        if account:
            who = account.strip().lower()
            keys += [("address_account", item, (action, "pair", address, who)) for item in limits.per_address_account]
            keys += [("account", item, (action, "account", who)) for item in limits.per_account]
        return keys

    async def check(self, request: Request, action: Action, account: str | None = None) -> None:
        """Count one attempt, or refuse it when a limit is already reached (nothing is counted then)."""
        keys = self._keys(request, action, account)
        for scope, item, key in keys:
            if not await self._limiter.test(item, *key):
                raise RateLimitedError(action, scope, await self._retry_after(item, key))
        for scope, item, key in keys:
            if scope == "address" or action not in COUNTS_FAILURES:
                await self._limiter.hit(item, *key)

    async def failed(self, request: Request, action: Action, account: str) -> None:
        """Count a failure (a wrong password) against the account, from this address and in all."""
        for scope, item, key in self._keys(request, action, account):
            if scope != "address":
                await self._limiter.hit(item, *key)

    async def _retry_after(self, item: RateLimitItem, key: tuple[str, ...]) -> int:
        reset, _ = await self._limiter.get_window_stats(item, *key)
        return max(1, math.ceil(reset - time.time()))


def wait_in_words(seconds: int, lang: int) -> str:
    """Return a wait as a person says it: "45 secondes", "1 minute", "2 heures" (lang 0 French, 1 English)."""
    if seconds < 90:
        amount, units = seconds, (("seconde", "secondes"), ("second", "seconds"))
    elif seconds < 90 * 60:
        amount, units = math.ceil(seconds / 60), (("minute", "minutes"), ("minute", "minutes"))
    else:
        amount, units = math.ceil(seconds / 3600), (("heure", "heures"), ("hour", "hours"))
    singular, plural = units[lang]
    return f"{amount} {singular if is_singular(amount, 'en' if lang else 'fr') else plural}"
