"""Finance products and offers at the edge: a stored version as anyone reads it, and an
enterprise's offers with every check. The body a bank posts is domain.finance.products.FinanceProduct."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from domain.finance.matching import Check
from domain.finance.products import ProductKind, Rule, Terms
from service.finance.offers import Matched, Offers
from service.finance.products import Product

__all__ = ["OfferItem", "OfferProduct", "OfferRating", "OffersRead", "ProductRead"]


class ProductRead(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    """This version's id: GET /v1/finance-products/{id} reads it for good, superseded or not."""
    bank_org_id: uuid.UUID
    bank_name: str
    code: str
    """The bank's own name for the product across its versions."""
    version: int
    latest_version: int
    """The code's latest version: above `version`, this version is superseded."""
    kind: ProductKind
    name: str
    description: str
    eligibility: list[Rule]
    """Every rule must pass (and the enterprise must hold an active rating)."""
    terms: Terms
    valid_from: dt.date
    valid_to: dt.date
    sha256: str
    """SHA-256 of the product's RFC 8785 canonical JSON (as posted, decimals and dates as strings)."""
    created_at: dt.datetime

    @classmethod
    def of(cls, x: Product) -> ProductRead:
        r, p = x.record, x.product
        return cls(id=r.id, bank_org_id=r.bank_org_id, bank_name=x.bank_name, code=r.code, version=r.version,
                   latest_version=x.latest_version, kind=p.kind, name=p.name, description=p.description,
                   eligibility=p.eligibility, terms=p.terms, valid_from=p.valid_from, valid_to=p.valid_to,
                   sha256=r.sha256, created_at=r.created_at)  # fmt: skip


class OfferProduct(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    code: str
    version: int
    bank_org_id: uuid.UUID
    bank_name: str
    kind: ProductKind
    name: str
    terms: Terms
    valid_from: dt.date
    valid_to: dt.date


class OfferItem(msgspec.Struct, kw_only=True):
    product: OfferProduct
    eligible: bool
    margin_bp: int | None
    """The product's margin over its reference rate for the enterprise's colour, basis points
    (negative: a discount); None where the product states none for that colour."""
    checks: list[Check]
    """`validity`, `rated`, then each eligibility rule in order: what it needs, what was found."""

    @classmethod
    def of(cls, m: Matched) -> OfferItem:
        r, p = m.product.record, m.product.product
        product = OfferProduct(id=r.id, code=r.code, version=r.version, bank_org_id=r.bank_org_id,
                               bank_name=m.product.bank_name, kind=p.kind, name=p.name, terms=p.terms,
                               valid_from=p.valid_from, valid_to=p.valid_to)  # fmt: skip
        return cls(product=product, eligible=m.offer.eligible, margin_bp=m.offer.margin_bp, checks=m.offer.checks)


class OfferRating(msgspec.Struct, kw_only=True):
    """What the rules read: the newest active, unexpired rating (as a grade-only consent shows it)
    and the consequence kinds of that year's stored policy sheet."""

    rating_id: uuid.UUID | None
    """None: no active rating, and every product is not eligible (`rated` fails)."""
    year: int | None
    colour: str
    grade: int | None
    finance_tier: str
    consequences: list[str]


class OffersRead(msgspec.Struct, kw_only=True):
    uscc: str
    name: str
    on: dt.date
    """The Beijing date whose valid products were matched."""
    rating: OfferRating
    eligible: int
    """How many items are eligible."""
    items: list[OfferItem]
    """Every product valid on `on` (each code's latest version): eligible first, then by bank and code."""

    @classmethod
    def of(cls, x: Offers) -> OffersRead:
        v = x.view
        rating = OfferRating(rating_id=uuid.UUID(v.rating_id) if v.rating_id else None, year=v.year,
                             colour=v.colour, grade=v.grade, finance_tier=v.finance_tier,
                             consequences=sorted(v.consequences))  # fmt: skip
        items = [OfferItem.of(m) for m in x.items]
        return cls(uscc=x.enterprise.uscc, name=x.enterprise.name, on=x.on, rating=rating,
                   eligible=sum(1 for i in items if i.eligible), items=items)  # fmt: skip
