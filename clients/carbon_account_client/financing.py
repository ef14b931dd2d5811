"""Financing requests (an enterprise's, sent to one or more banks) and the banks' answers, as the API answers.

A bank sees a request with its own recipient only; the enterprise and regulators see every bank's.
Amounts and rates are exact Decimals.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import msgspec

__all__ = ["Answer", "BankChoice", "FinancingRequest", "Recipient", "Target", "targets"]


class Target(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """A bank to send the request to (GET /v1/banks) and, optionally, the version of its product applied for."""

    bank_org_id: uuid.UUID | str
    product_id: uuid.UUID | str | None = None


BankChoice = uuid.UUID | str | tuple[uuid.UUID | str, uuid.UUID | str | None] | Target | Mapping[str, Any]
"""A bank org id, a (bank_org_id, product_id) pair, a `Target`, or a mapping of the same keys."""


def targets(banks: Sequence[BankChoice]) -> list[dict[str, str]]:
    """The request's `banks` as the API reads them."""
    out: list[dict[str, str]] = []
    for choice in banks:
        if isinstance(choice, Target):
            bank, product = choice.bank_org_id, choice.product_id
        elif isinstance(choice, tuple):
            bank, product = choice
        elif isinstance(choice, Mapping):
            bank, product = choice["bank_org_id"], choice.get("product_id")
        else:
            bank, product = choice, None
        out.append({"bank_org_id": str(bank), **({"product_id": str(product)} if product is not None else {})})
    return out


class Answer(msgspec.Struct, kw_only=True):
    """One answer a bank gave; only an approval has an amount, a rate and a margin."""

    status: str
    """under_review | approved | declined"""
    amount_yuan: Decimal | None
    rate_percent: Decimal | None
    margin_bp: int | None
    reason: str | None
    at: dt.datetime


class Recipient(msgspec.Struct, kw_only=True):
    """A bank the request went to, with its latest answer in the top fields and every answer in `answers`."""

    bank_org_id: uuid.UUID
    bank_name: str
    product_id: uuid.UUID | None
    consent_id: uuid.UUID
    """The consent the request granted this bank (it ends when the request closes)."""
    status: str
    """received | under_review | approved | declined (the last two are final)."""
    amount_yuan: Decimal | None
    rate_percent: Decimal | None
    margin_bp: int | None
    reason: str | None
    answered_at: dt.datetime | None
    answers: list[Answer]
    """Oldest first."""

    @property
    def final(self) -> bool:
        return self.status in ("approved", "declined")


class FinancingRequest(msgspec.Struct, kw_only=True):
    """One request with the rating the banks saw pinned when it was sent."""

    id: uuid.UUID
    uscc: str
    name: str
    district: str
    sector: str
    year: int
    """The year it was sent (Beijing time)."""
    amount_yuan: Decimal
    purpose: str
    """credit | bond"""
    use_of_proceeds: str
    term_months: int
    scope: str
    """full | grade_only: the scope of the consents it granted."""
    expires_at: dt.datetime
    status: str
    """open | closed (every bank answered finally, or withdrawn) | expired"""
    closed_reason: str | None
    """answered | withdrawn"""
    closed_at: dt.datetime | None
    rating_id: uuid.UUID | None
    rating_year: int | None
    colour: str
    grade: int | None
    consequence_kinds: list[str]
    created_at: dt.datetime
    recipients: list[Recipient]
    """Every bank it went to (a bank sees only its own)."""

    def recipient(self, bank_org_id: uuid.UUID | str) -> Recipient:
        """The named bank's recipient (KeyError if the request did not go to it, or it is not shown)."""
        for r in self.recipients:
            if str(r.bank_org_id) == str(bank_org_id):
                return r
        raise KeyError(str(bank_org_id))
