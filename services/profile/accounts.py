"""Accounts: ids, email normalisation and password hashing (argon2id).

Hashing takes a few hundred milliseconds of CPU by design; it runs on a worker
thread (argon2-cffi releases the GIL), so that one sign-up or login never
stalls every other request of the process while it hashes.
"""

from __future__ import annotations

import asyncio
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verifying against a dummy hash when the email is unknown keeps the timing equal.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def new_user_id() -> str:
    """Return a random pseudonymous user id (also the subject of every event about the person)."""
    return "u_" + secrets.token_hex(8)


def normalize_email(email: str) -> str:
    """Return the email trimmed and lower-cased (the unique login key)."""
    return email.strip().lower()


def _verify(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


async def hash_password(password: str) -> str:
    """Return the argon2id hash of a password."""
    return await asyncio.to_thread(_hasher.hash, password)


async def verify_password(password_hash: str | None, password: str) -> bool:
    """Return True when the password matches; takes the same time when there is no account."""
    return await asyncio.to_thread(_verify, password_hash, password)
