"""The service's PDF-signing PKI: made once, its private keys sealed at rest."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.keystore import seal, unseal
from service.db.models import PkiRecord
from service.pdf.pki import PkiMaterial, new_pki

__all__ = ["ca_pem", "pki_material"]

PURPOSE = "pdf-signing"


async def pki_material(db: AsyncSession, secret_key: str) -> PkiMaterial:
    """The PKI, created on first use (one wins if processes race)."""
    record = await db.get(PkiRecord, 1)
    if record is None:
        await db.execute(text("SELECT pg_advisory_xact_lock(hashtext('pki'))"))
        record = await db.get(PkiRecord, 1)
    if record is None:
        made = new_pki()
        record = PkiRecord(
            id=1,
            ca_cert_pem=made.ca_cert_pem,
            signer_cert_pem=made.signer_cert_pem,
            ca_key_sealed=seal(secret_key, PURPOSE, made.ca_key_pem),
            signer_key_sealed=seal(secret_key, PURPOSE, made.signer_key_pem),
        )
        db.add(record)
        await db.flush()
        return made
    return PkiMaterial(
        ca_cert_pem=record.ca_cert_pem,
        signer_cert_pem=record.signer_cert_pem,
        ca_key_pem=unseal(secret_key, PURPOSE, record.ca_key_sealed),
        signer_key_pem=unseal(secret_key, PURPOSE, record.signer_key_sealed),
    )


async def ca_pem(db: AsyncSession, secret_key: str) -> str:
    return (await pki_material(db, secret_key)).ca_cert_pem
