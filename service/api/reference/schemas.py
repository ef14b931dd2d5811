"""Reference-data bodies: factor sets, benchmark editions, the product list."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from domain.benchmarks import BenchmarkEdition
from domain.factors import FactorSet
from domain.products import Product
from service.db.models import BenchmarkEditionRecord, FactorSetRecord
from service.reference import decode_edition, decode_factor_set

__all__ = ["EditionRead", "EditionRef", "FactorSetRead", "FactorSetRef", "ProductRead"]


class FactorSetRef(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    year: int
    version: int
    label: str
    sha256: str
    """SHA-256 of the set's canonical JSON (keys sorted, decimals as strings)."""
    created_at: dt.datetime

    @classmethod
    def of(cls, r: FactorSetRecord) -> FactorSetRef:
        return cls(id=r.id, year=r.year, version=r.version, label=r.label, sha256=r.sha256, created_at=r.created_at)


class FactorSetRead(FactorSetRef, kw_only=True):
    factors: FactorSet

    @classmethod
    def of(cls, r: FactorSetRecord) -> FactorSetRead:
        ref = FactorSetRef.of(r)
        return cls(**msgspec.structs.asdict(ref), factors=decode_factor_set(r))


class EditionRef(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    effective_from: int
    version: int
    label: str
    sha256: str
    created_at: dt.datetime

    @classmethod
    def of(cls, r: BenchmarkEditionRecord) -> EditionRef:
        return cls(
            id=r.id,
            effective_from=r.effective_from,
            version=r.version,
            label=r.label,
            sha256=r.sha256,
            created_at=r.created_at,
        )


class EditionRead(EditionRef, kw_only=True):
    edition: BenchmarkEdition

    @classmethod
    def of(cls, r: BenchmarkEditionRecord) -> EditionRead:
        return cls(**msgspec.structs.asdict(EditionRef.of(r)), edition=decode_edition(r))


class ProductRead(msgspec.Struct, kw_only=True):
    code: str
    name: str
    sector: str
    indicator: str
    unit: str
    output_unit: str
    energy_units: list[str]
    """Units the product's own energy may be filed in."""
    attributes: list[str]
    per_attribute: str | None = None
    """The output is multiplied by this attribute (refining's 能量因数)."""
    industry_classes: list[str] = []
    """GB/T 4754-2017 classes the product is filed under (the project's mapping)."""

    @classmethod
    def of(cls, p: Product) -> ProductRead:
        return cls(
            code=p.code,
            name=p.name,
            sector=p.sector.value,
            indicator=p.indicator,
            unit=p.unit,
            output_unit=p.output_unit.value,
            energy_units=["kWh", "MWh"] if p.energy_basis.value == "electricity" else ["tce", "kgce"],
            attributes=sorted(p.attributes),
            per_attribute=p.per_attribute,
            industry_classes=list(p.industry_classes),
        )
