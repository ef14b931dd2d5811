"""Certificate bodies: the rating authority's seal."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from service.db.models import AuthoritySeal, Organisation

__all__ = ["SealRead", "SealUpload"]


class SealUpload(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    png: bytes
    """The seal as a PNG file, base64 in JSON: at most 512 KiB, each side 32 to 2048 pixels;
    a transparent background prints best. Printed on every certificate issued from now on."""


class SealRead(msgspec.Struct, kw_only=True):
    org_id: uuid.UUID
    org_name: str
    sha256: str
    """SHA-256 (hex) of the PNG bytes as stored."""
    width: int
    height: int
    uploaded_at: dt.datetime

    @classmethod
    def of(cls, seal: AuthoritySeal, org: Organisation) -> SealRead:
        return cls(org_id=org.id, org_name=org.name, sha256=seal.sha256, width=seal.width, height=seal.height,
                   uploaded_at=seal.uploaded_at)  # fmt: skip
