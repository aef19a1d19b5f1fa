"""Credentials: argon2 password hashes, and random API tokens and session ids that are stored only
as SHA-256 digests (they carry 256 bits of randomness, so a fast digest is safe for them)."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

__all__ = [
    "TOKEN_PREFIX",
    "digest",
    "hash_password",
    "new_secret",
    "new_token",
    "same",
    "verify_password",
]

TOKEN_PREFIX = "stead_"
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_secret() -> str:
    """32 random bytes, URL-safe: session ids, CSRF tokens, generated passwords."""
    return secrets.token_urlsafe(32)


def new_token() -> str:
    """A new API token; the prefix makes leaked tokens easy to find by secret scanners."""
    return TOKEN_PREFIX + new_secret()


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def same(a: str, b: str) -> bool:
    """Compare secrets in constant time."""
    return hmac.compare_digest(a.encode(), b.encode())
