"""Rate limits on login, link and sign-up requests, per client address and per account (the ``limits`` library).

Limits are kept in memory: each gateway replica counts on its own, so with N
replicas a client gets at most N times the limit. Point ``GATEWAY_RATE_LIMIT_STORAGE``
at a shared ``limits`` storage (e.g. ``async+redis://``) to count across replicas.
"""

from __future__ import annotations

import math
import time

from fastapi import HTTPException, Request
from limits import RateLimitItem, parse
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string

from services.gateway.settings import GatewaySettings


class RateLimits:
    """Counts attempts per action, client address and account; refuses with 429 past the limit."""

    def __init__(self, settings: GatewaySettings) -> None:
        self._limiter = MovingWindowRateLimiter(storage_from_string(settings.rate_limit_storage))
        rules = {
            "login": settings.rate_limit_login,
            "link": settings.rate_limit_link,
            "signup": settings.rate_limit_signup,
        }
        self._rules: dict[str, tuple[RateLimitItem, RateLimitItem]] = {
            action: (parse(per_ip), parse(per_account)) for action, (per_ip, per_account) in rules.items()
        }

    async def check(self, request: Request, action: str, account: str | None = None) -> None:
        """Count one attempt; raise 429 (with Retry-After) when a limit is exceeded."""
        per_ip, per_account = self._rules[action]
        client = request.client.host if request.client else "unknown"
        checks = [(per_ip, ("ip", client))]
        if account:
            checks.append((per_account, ("account", account.strip().lower())))
        for item, key in checks:
            if not await self._limiter.hit(item, action, *key):
                reset, _ = await self._limiter.get_window_stats(item, action, *key)
                retry_after = max(1, math.ceil(reset - time.time()))
                raise HTTPException(status_code=429, detail="rate_limited", headers={"Retry-After": str(retry_after)})
