"""Client ids and secrets: generated at random, kept only as a salted hash.

Secrets are 256 random bits, so a salted SHA-256 is as strong as a slow KDF here (slow
KDFs exist to protect guessable passwords) and keeps the token endpoint fast.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

__all__ = ["hash_secret", "new_client_id", "new_secret", "secret_matches"]


def new_client_id() -> str:
    return "ca_" + secrets.token_hex(12)


def new_secret() -> str:
    return "cas_" + secrets.token_urlsafe(32)


def hash_secret(secret: str, salt: bytes | None = None) -> tuple[bytes, bytes]:
    """Return (salt, hash)."""
    salt = salt or secrets.token_bytes(16)
    return salt, hashlib.sha256(salt + secret.encode()).digest()


def secret_matches(secret: str, salt: bytes, expected: bytes) -> bool:
    return hmac.compare_digest(hash_secret(secret, salt)[1], expected)
