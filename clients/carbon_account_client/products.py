"""Finance products (a bank's, versioned) and an enterprise's finance offers, as the API answers.

Eligibility rules stay dicts (`{"kind": "colour_in", "colours": [...]}` and the like): the API
checks them, and a rule kind added later passes through an older SDK unchanged.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import msgspec

__all__ = ["FinanceProduct", "Offer", "OfferCheck", "OfferRating", "OfferedProduct", "Offers", "Terms"]


class Terms(msgspec.Struct, kw_only=True, omit_defaults=True):
    """A margin over `reference_rate` per colour in basis points (negative: a discount), and limits."""

    reference_rate: str = "LPR 1Y"
    margin_bp_by_colour: dict[str, int] = {}
    max_amount_yuan: Decimal | None = None
    max_term_months: int | None = None


class FinanceProduct(msgspec.Struct, kw_only=True):
    """One version of a bank's product; a new version never changes an old one."""

    id: uuid.UUID
    bank_org_id: uuid.UUID
    bank_name: str
    code: str
    version: int
    latest_version: int
    kind: str
    """green_loan | transition_loan | sustainability_linked_loan | green_bond_underwriting"""
    name: str
    description: str
    eligibility: list[dict[str, Any]]
    terms: Terms
    valid_from: dt.date
    valid_to: dt.date
    sha256: str
    created_at: dt.datetime

    @property
    def superseded(self) -> bool:
        return self.latest_version > self.version


class OfferedProduct(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    code: str
    version: int
    bank_org_id: uuid.UUID
    bank_name: str
    kind: str
    name: str
    terms: Terms
    valid_from: dt.date
    valid_to: dt.date


class OfferCheck(msgspec.Struct, kw_only=True):
    rule: str
    """validity | rated | one of the product's rule kinds"""
    passed: bool
    needed: str
    found: str


class Offer(msgspec.Struct, kw_only=True):
    product: OfferedProduct
    eligible: bool
    margin_bp: int | None
    """The margin for the enterprise's colour (None: the product states none for it)."""
    checks: list[OfferCheck]

    @property
    def failed(self) -> list[OfferCheck]:
        return [c for c in self.checks if not c.passed]


class OfferRating(msgspec.Struct, kw_only=True):
    rating_id: uuid.UUID | None
    """None: no active rating (nothing is eligible)."""
    year: int | None
    colour: str
    grade: int | None
    finance_tier: str
    consequences: list[str]


class Offers(msgspec.Struct, kw_only=True):
    uscc: str
    name: str
    on: dt.date
    rating: OfferRating
    eligible: int
    items: list[Offer]
    """Eligible first, then by bank and code."""
