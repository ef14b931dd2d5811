"""Finance products: a bank publishes versions of its own products, never edits them; anyone
reads them. A code is the bank's own (two banks may both have `green-loan`); the first
publication of a code is version 1, each later one the next version, and the same content as
the code's latest version is a conflict. The application role may only read and insert
(migration 0016).

"Current" means the latest version of each (bank, code), when its validity covers the day: a
new version replaces the old one at once, so a bank withdraws a product by publishing a version
whose validity has ended.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from zoneinfo import ZoneInfo

import msgspec
from sqlalchemy import Select, func, select, text, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from domain.canonical import canonical_json
from domain.errors import Conflict, NotFound
from domain.finance.products import FinanceProduct, ProductKind, validate_product
from service.audit import record_event
from service.auth.principal import Principal
from service.db.models import FinanceProductRecord, Organisation

__all__ = [
    "BEIJING",
    "After",
    "Product",
    "ProductFilter",
    "beijing_today",
    "current_products",
    "decode_product",
    "get_product",
    "list_products",
    "product_sha256",
    "publish_product",
]

BEIJING = ZoneInfo("Asia/Shanghai")
After = tuple[uuid.UUID, str, int]
"""A list's sort key: (bank_org_id, code, version), unique."""


class Product(msgspec.Struct, frozen=True, kw_only=True):
    """A stored version with its bank's name and the product it holds."""

    record: FinanceProductRecord
    bank_name: str
    latest_version: int
    """The code's latest version: above `record.version`, this version is superseded."""
    product: FinanceProduct


class ProductFilter(msgspec.Struct, frozen=True, kw_only=True):
    kind: ProductKind | None = None
    bank_org_id: uuid.UUID | None = None
    valid_on: dt.date | None = None
    """Only versions whose validity covers the day (None: any day, with all_versions only)."""
    all_versions: bool = False
    """Every version, not only each code's latest."""


def beijing_today() -> dt.date:
    return dt.datetime.now(BEIJING).date()


def product_sha256(p: FinanceProduct) -> str:
    """SHA-256 of the product's RFC 8785 canonical JSON (decimals and dates as strings)."""
    return hashlib.sha256(canonical_json(msgspec.to_builtins(p))).hexdigest()


_decoded: dict[uuid.UUID, FinanceProduct] = {}  # versions never change: decode each once


def decode_product(record: FinanceProductRecord) -> FinanceProduct:
    found = _decoded.get(record.id)
    if found is None:
        found = _decoded[record.id] = msgspec.convert(record.document, FinanceProduct)
    return found


async def _latest_version(db: AsyncSession, bank_org_id: uuid.UUID, code: str) -> FinanceProductRecord | None:
    stmt = (
        select(FinanceProductRecord)
        .where(FinanceProductRecord.bank_org_id == bank_org_id, FinanceProductRecord.code == code)
        .order_by(FinanceProductRecord.version.desc())
        .limit(1)
    )
    return await db.scalar(stmt)


async def publish_product(db: AsyncSession, actor: Principal, p: FinanceProduct) -> Product:
    """The next version of the bank's `code` (1 for a new code); the same content as its latest
    version is a conflict. Concurrent publications of one code wait on a lock, so none gets a
    unique-constraint error."""
    validate_product(p)
    key = f"finance_products:{actor.org_id}:{p.code}"
    await db.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})
    sha = product_sha256(p)
    latest = await _latest_version(db, actor.org_id, p.code)
    if latest is not None and latest.sha256 == sha:
        raise Conflict(
            f"The same product is version {latest.version} of {p.code} ({latest.id}); a new version must differ."
        )
    record = FinanceProductRecord(
        bank_org_id=actor.org_id,
        code=p.code,
        version=1 if latest is None else latest.version + 1,
        kind=p.kind.value,
        name=p.name,
        valid_from=p.valid_from,
        valid_to=p.valid_to,
        document=msgspec.to_builtins(p),
        sha256=sha,
        created_by_client_id=actor.client_id,
    )
    db.add(record)
    await db.flush()
    await record_event(
        db, actor, "finance_product.publish", f"finance_product:{record.id}", code=p.code, version=record.version
    )
    bank_name = await db.scalar(select(Organisation.name).where(Organisation.id == actor.org_id))
    return Product(record=record, bank_name=bank_name or "", latest_version=record.version, product=p)


def _products(f: ProductFilter) -> Select[tuple[FinanceProductRecord, str, int]]:
    """(version, bank name, the code's latest version number) of the filter."""
    p, later = FinanceProductRecord, aliased(FinanceProductRecord)
    latest = (
        select(func.max(later.version))
        .where(later.bank_org_id == p.bank_org_id, later.code == p.code)
        .scalar_subquery()
    )
    stmt = select(p, Organisation.name, latest).join(Organisation, Organisation.id == p.bank_org_id)
    if not f.all_versions:
        stmt = stmt.where(p.version == latest)
    if f.kind is not None:
        stmt = stmt.where(p.kind == f.kind.value)
    if f.bank_org_id is not None:
        stmt = stmt.where(p.bank_org_id == f.bank_org_id)
    if f.valid_on is not None:
        stmt = stmt.where(p.valid_from <= f.valid_on, p.valid_to >= f.valid_on)
    return stmt


def _product(record: FinanceProductRecord, bank_name: str, latest_version: int) -> Product:
    return Product(record=record, bank_name=bank_name, latest_version=latest_version, product=decode_product(record))


async def list_products(
    db: AsyncSession, f: ProductFilter, *, after: After | None, limit: int
) -> tuple[list[Product], bool]:
    """Ordered by bank, code and version; and whether more follow."""
    p = FinanceProductRecord
    stmt = _products(f).order_by(p.bank_org_id, p.code, p.version).limit(limit + 1)
    if after is not None:
        stmt = stmt.where(tuple_(p.bank_org_id, p.code, p.version) > tuple_(*after))
    rows = [_product(*row) for row in (await db.execute(stmt)).all()]
    return rows[:limit], len(rows) > limit


async def current_products(db: AsyncSession, on: dt.date) -> list[Product]:
    """The latest version of every bank's every code, valid `on` the day."""
    stmt = _products(ProductFilter(valid_on=on)).order_by(Organisation.name, FinanceProductRecord.code)
    return [_product(*row) for row in (await db.execute(stmt)).all()]


async def get_product(db: AsyncSession, product_id: uuid.UUID) -> Product:
    """One version, superseded or not."""
    stmt = _products(ProductFilter(all_versions=True)).where(FinanceProductRecord.id == product_id)
    row = (await db.execute(stmt)).one_or_none()
    if row is None:
        raise NotFound("No such finance product.")
    return _product(*row)
