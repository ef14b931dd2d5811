"""Reference-intensity bodies: the version list and one version with its rows."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from domain.reference_intensity import ReferenceIntensitySet, SetSource
from service.db.models import ReferenceIntensitySetRecord
from service.reference_intensities import decode_reference_intensities

__all__ = ["ReferenceIntensityRead", "ReferenceIntensityRef"]


class ReferenceIntensityRef(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    year: int
    version: int
    """The year's version: each load is the next; a version is never edited."""
    label: str
    source: SetSource
    """Where the set was published (document, table and page, or URL)."""
    sha256: str
    """SHA-256 of the set's RFC 8785 canonical JSON (keys sorted, decimals as strings)."""
    created_at: dt.datetime

    @classmethod
    def of(cls, r: ReferenceIntensitySetRecord) -> ReferenceIntensityRef:
        return cls(
            id=r.id,
            year=r.year,
            version=r.version,
            label=r.label,
            source=decode_reference_intensities(r).intensities.source,
            sha256=r.sha256,
            created_at=r.created_at,
        )


class ReferenceIntensityRead(ReferenceIntensityRef, kw_only=True):
    intensities: ReferenceIntensitySet
    """The set as loaded: per GB/T 4754-2017 class, L_industry (tCO2/万元), basis, source, confidence."""

    @classmethod
    def of(cls, r: ReferenceIntensitySetRecord) -> ReferenceIntensityRead:
        ref = ReferenceIntensityRef.of(r)
        return cls(**msgspec.structs.asdict(ref), intensities=decode_reference_intensities(r).intensities)
