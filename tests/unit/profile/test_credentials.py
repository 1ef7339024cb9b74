"""Refresh tokens rotate; a reused one revokes its whole family. One-time tokens work once, before they expire."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.profile.credentials import (
    ONE_TIME_TOKENS,
    REFRESH_TOKENS,
    REUSE_GRACE,
    RefreshRefusedError,
    credentials_changed,
    issue_one_time_token,
    issue_refresh_token,
    revoke_family_of,
    rotate_refresh_token,
    spend_one_time_token,
)
from shared.store.sqlite import SqliteStore

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


async def test_refresh_tokens_rotate_and_reuse_revokes_the_family() -> None:
    tokens = SqliteStore(":memory:").collection(REFRESH_TOKENS)
    first = await issue_refresh_token(tokens, user_id="u_1", now=NOW)
    user, second, _ = await rotate_refresh_token(tokens, first, now=NOW)
    assert user == "u_1" and second != first
    _, third, _ = await rotate_refresh_token(tokens, second, now=NOW)  # the browser goes on with the new one
    with pytest.raises(RefreshRefusedError, match="reused"):
        await rotate_refresh_token(tokens, first, now=NOW)  # a thief replays the old token...
    with pytest.raises(RefreshRefusedError, match="revoked"):
        await rotate_refresh_token(tokens, third, now=NOW)  # ...and the legitimate one is revoked too
    stored = await tokens.find()
    assert all(t["_id"] != "u_1" and len(t["_id"]) == 64 for t in stored)  # only hashes are kept


async def test_a_refresh_answer_lost_on_the_way_can_be_asked_for_again_within_a_minute() -> None:
    tokens = SqliteStore(":memory:").collection(REFRESH_TOKENS)
    first = await issue_refresh_token(tokens, user_id="u_1", now=NOW)
    _, lost, family = await rotate_refresh_token(tokens, first, now=NOW)  # the answer never arrives
    user, again, same_family = await rotate_refresh_token(tokens, first, now=NOW + timedelta(seconds=20))
    assert (user, same_family) == ("u_1", family) and again != lost
    with pytest.raises(RefreshRefusedError, match="revoked"):
        await rotate_refresh_token(tokens, lost, now=NOW)  # only one successor lives at a time
    _, following, _ = await rotate_refresh_token(tokens, again, now=NOW + timedelta(seconds=30))
    assert following


async def test_a_spent_token_is_a_replay_after_the_grace_or_once_its_successor_was_used() -> None:
    tokens = SqliteStore(":memory:").collection(REFRESH_TOKENS)
    late = await issue_refresh_token(tokens, user_id="u_1", now=NOW)
    _, unused, _ = await rotate_refresh_token(tokens, late, now=NOW)
    with pytest.raises(RefreshRefusedError, match="reused"):
        await rotate_refresh_token(tokens, late, now=NOW + REUSE_GRACE + timedelta(seconds=1))
    with pytest.raises(RefreshRefusedError, match="revoked"):
        await rotate_refresh_token(tokens, unused, now=NOW)

    first = await issue_refresh_token(tokens, user_id="u_2", now=NOW)
    _, second, _ = await rotate_refresh_token(tokens, first, now=NOW)
    _, third, _ = await rotate_refresh_token(tokens, second, now=NOW + timedelta(seconds=1))
    with pytest.raises(RefreshRefusedError, match="reused"):
        await rotate_refresh_token(tokens, first, now=NOW + timedelta(seconds=2))  # within the grace, yet a replay
    with pytest.raises(RefreshRefusedError, match="revoked"):
        await rotate_refresh_token(tokens, third, now=NOW + timedelta(seconds=3))


async def test_logout_revokes_and_expired_tokens_are_refused() -> None:
    tokens = SqliteStore(":memory:").collection(REFRESH_TOKENS)
    token = await issue_refresh_token(tokens, user_id="u_1", now=NOW)
    await revoke_family_of(tokens, token)
    with pytest.raises(RefreshRefusedError, match="revoked"):
        await rotate_refresh_token(tokens, token, now=NOW)
    old = await issue_refresh_token(tokens, user_id="u_1", now=NOW - timedelta(days=31))
    with pytest.raises(RefreshRefusedError, match="expired"):
        await rotate_refresh_token(tokens, old, now=NOW)
    with pytest.raises(RefreshRefusedError, match="unknown"):
        await rotate_refresh_token(tokens, "forged", now=NOW)


async def test_one_time_tokens_work_once_for_their_purpose_before_expiry() -> None:
    tokens = SqliteStore(":memory:").collection(ONE_TIME_TOKENS)
    link = await issue_one_time_token(tokens, user_id="u_1", purpose="login-link", now=NOW)
    assert await spend_one_time_token(tokens, link, purpose="password-reset", now=NOW) is None
    assert (await spend_one_time_token(tokens, link, purpose="login-link", now=NOW))["user_id"] == "u_1"  # type: ignore[index]
    assert await spend_one_time_token(tokens, link, purpose="login-link", now=NOW) is None
    late = await issue_one_time_token(tokens, user_id="u_1", purpose="login-link", now=NOW)
    assert await spend_one_time_token(tokens, late, purpose="login-link", now=NOW + timedelta(minutes=21)) is None


async def test_a_new_link_of_a_kind_cancels_the_older_ones_of_that_kind_only() -> None:
    tokens = SqliteStore(":memory:").collection(ONE_TIME_TOKENS)
    first = await issue_one_time_token(tokens, user_id="u_1", purpose="login-link", now=NOW)
    reset = await issue_one_time_token(tokens, user_id="u_1", purpose="password-reset", now=NOW)
    someone_else = await issue_one_time_token(tokens, user_id="u_2", purpose="login-link", now=NOW)
    second = await issue_one_time_token(tokens, user_id="u_1", purpose="login-link", now=NOW)
    assert await spend_one_time_token(tokens, first, purpose="login-link", now=NOW) is None
    assert await spend_one_time_token(tokens, second, purpose="login-link", now=NOW) is not None
    assert await spend_one_time_token(tokens, reset, purpose="password-reset", now=NOW) is not None
    assert await spend_one_time_token(tokens, someone_else, purpose="login-link", now=NOW) is not None


async def test_changed_credentials_end_every_other_session_and_spend_every_link() -> None:
    store = SqliteStore(":memory:")
    refresh, links = store.collection(REFRESH_TOKENS), store.collection(ONE_TIME_TOKENS)
    here = await issue_refresh_token(refresh, user_id="u_1", now=NOW, family="here")
    elsewhere = await issue_refresh_token(refresh, user_id="u_1", now=NOW)
    other_person = await issue_refresh_token(refresh, user_id="u_2", now=NOW)
    login = await issue_one_time_token(links, user_id="u_1", purpose="login-link", now=NOW)
    change = await issue_one_time_token(links, user_id="u_1", purpose="email-change", now=NOW, new_email="n@x.fr")
    theirs = await issue_one_time_token(links, user_id="u_2", purpose="password-reset", now=NOW)

    await credentials_changed(refresh, links, "u_1", keep_family="here")

    assert (await rotate_refresh_token(refresh, here, now=NOW))[0] == "u_1"  # the session that asked goes on
    with pytest.raises(RefreshRefusedError, match="revoked"):
        await rotate_refresh_token(refresh, elsewhere, now=NOW)
    assert (await rotate_refresh_token(refresh, other_person, now=NOW))[0] == "u_2"
    assert await spend_one_time_token(links, login, purpose="login-link", now=NOW) is None
    assert await spend_one_time_token(links, change, purpose="email-change", now=NOW) is None
    assert await spend_one_time_token(links, theirs, purpose="password-reset", now=NOW) is not None
