"""Signing keys at rest: private halves sealed with AES-256-GCM under the service secret."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from service.db.models import SigningKey

__all__ = ["KeyPair", "current_key", "public_keys", "rotate", "seal", "signing_key", "unseal"]


class KeyPair:
    def __init__(self, kid: str, alg: str, private: Ed25519PrivateKey) -> None:
        self.kid = kid
        self.alg = alg
        self.private = private
        self.public = private.public_key()


def _kek(secret_key: str, purpose: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=f"carbon-account/{purpose}".encode()).derive(
        secret_key.encode()
    )


def seal(secret_key: str, purpose: str, plaintext: bytes) -> bytes:
    nonce = secrets.token_bytes(12)
    return nonce + AESGCM(_kek(secret_key, purpose)).encrypt(nonce, plaintext, purpose.encode())


def unseal(secret_key: str, purpose: str, sealed: bytes) -> bytes:
    return AESGCM(_kek(secret_key, purpose)).decrypt(sealed[:12], sealed[12:], purpose.encode())


def _from_row(row: SigningKey, secret_key: str) -> KeyPair:
    raw = unseal(secret_key, row.purpose, row.private_encrypted)
    return KeyPair(row.kid, row.alg, Ed25519PrivateKey.from_private_bytes(raw))


def _new_key(purpose: str, secret_key: str) -> dict[str, object]:
    private = Ed25519PrivateKey.generate()
    raw = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return {
        "kid": hashlib.sha256(public_pem).hexdigest()[:16],
        "purpose": purpose,
        "alg": "EdDSA",
        "public_pem": public_pem.decode(),
        "private_encrypted": seal(secret_key, purpose, raw),
    }


async def current_key(session: AsyncSession, purpose: str, secret_key: str) -> KeyPair:
    """The current access key, created on first use (one wins if processes race)."""
    stmt = select(SigningKey).where(SigningKey.purpose == purpose, SigningKey.retired_at.is_(None))
    row = (await session.execute(stmt)).scalar_one_or_none()
    if row is None:
        await session.execute(insert(SigningKey).values(**_new_key(purpose, secret_key)).on_conflict_do_nothing())
        row = (await session.execute(stmt)).scalar_one()
    return _from_row(row, secret_key)


async def signing_key(session: AsyncSession, purpose: str, secret_key: str) -> KeyPair:
    """The newest key whose publication delay has passed; the very first key signs at once."""
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtext('signing_keys'), hashtext(:p))"), {"p": purpose})
    active = (
        select(SigningKey)
        .where(SigningKey.purpose == purpose, SigningKey.retired_at.is_(None), SigningKey.activates_at <= func.now())
        .order_by(SigningKey.activates_at.desc())
        .limit(1)
    )
    row = (await session.execute(active)).scalar_one_or_none()
    if row is None:
        any_key = await session.scalar(select(SigningKey.kid).where(SigningKey.purpose == purpose).limit(1))
        if any_key is not None:
            raise RuntimeError(f"no {purpose} key is active yet; wait for the publication delay")
        await session.execute(insert(SigningKey).values(**_new_key(purpose, secret_key)))
        row = (await session.execute(active)).scalar_one()
    return _from_row(row, secret_key)


async def rotate(session: AsyncSession, purpose: str, secret_key: str, delay_seconds: int) -> SigningKey:
    """A new key, published now and signing from `delay_seconds` on (JWKS caches must see it first)."""
    values = _new_key(purpose, secret_key)
    activates = func.now() + dt.timedelta(seconds=delay_seconds)
    await session.execute(insert(SigningKey).values(**values, activates_at=activates))
    return (await session.execute(select(SigningKey).where(SigningKey.kid == values["kid"]))).scalar_one()


async def public_keys(session: AsyncSession, purpose: str) -> list[SigningKey]:
    """Every key of a purpose that ever signed or is about to: what the JWKS publishes."""
    stmt = select(SigningKey).where(SigningKey.purpose == purpose).order_by(SigningKey.activates_at, SigningKey.kid)
    return list(await session.scalars(stmt))
