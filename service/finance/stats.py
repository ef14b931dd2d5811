"""The finance bureau's figures for a year (金融监管局 / the PBoC branch): financing requests sent
that year and the banks' answers, by the colour the banks saw, sector and district; green,
transition and sustainability-linked credit by the product applied for; and every approval to a
red or below-基准 enterprise, named (they should be rare, and each one explained).

Counting rules (docs/finance.md): a request counts once, in the year it was sent (Beijing time),
with the colour and policy consequences pinned when it was sent; `requested_yuan` sums the
requests' amounts; approvals, declines and pending answers count per bank answering;
`approved_yuan` sums the amounts the banks approved; `mean_margin_bp` is the approved-amount
weighted mean of the margins stated with approvals (to 0.01 bp; null when none was stated).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.finance.products import COLOURS, ProductKind
from domain.policy.model import ConsequenceKind
from service.access_log import log_read
from service.auth.principal import Principal
from service.db.base import as_filed
from service.db.models import Enterprise, FinanceProductRecord, FinancingRecipient, FinancingRequest, Organisation

__all__ = ["BELOW_BASELINE_KINDS", "CREDIT_CLASSES", "finance_stats"]

BELOW_BASELINE_KINDS = frozenset({ConsequenceKind.RETROFIT_REQUIRED.value, ConsequenceKind.PHASE_OUT_LISTED.value})
"""Consequences that fall only on a product below 基准 (domain/data/policies_zibo.json)."""

CREDIT_CLASSES = {
    ProductKind.GREEN_LOAN.value: "green",
    ProductKind.GREEN_BOND_UNDERWRITING.value: "green",
    ProductKind.TRANSITION_LOAN.value: "transition",
    ProductKind.SUSTAINABILITY_LINKED_LOAN.value: "sustainability_linked",
}
"""The credit an approval counts as, by the kind of product applied for; none named: unspecified."""


class _Cell:
    """One row of a breakdown: requests and requested amount; answers, approved amount, margins."""

    def __init__(self) -> None:
        self.requests: set[Any] = set()
        self.requested = Decimal(0)
        self.approvals = self.declines = self.pending = 0
        self.approved = Decimal(0)
        self.margin_weight = Decimal(0)
        self.margin_sum = Decimal(0)

    def add_request(self, request_id: Any, amount: Decimal) -> None:
        if request_id not in self.requests:
            self.requests.add(request_id)
            self.requested += amount

    def add_answer(self, status: str, amount: Decimal | None, margin_bp: int | None) -> None:
        if status == "approved" and amount is not None:
            self.approvals += 1
            self.approved += amount
            if margin_bp is not None:
                self.margin_weight += amount
                self.margin_sum += amount * margin_bp
        elif status == "declined":
            self.declines += 1
        else:
            self.pending += 1

    def out(self) -> dict[str, Any]:
        margin = None
        if self.margin_weight:
            margin = str((self.margin_sum / self.margin_weight).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN))
        return {"requests": len(self.requests), "requested_yuan": str(as_filed(self.requested)),
                "approvals": self.approvals, "approved_yuan": str(as_filed(self.approved)), "declines": self.declines,
                "pending": self.pending, "mean_margin_bp": margin}  # fmt: skip


def _rows(cells: dict[str, _Cell], key: str, order: list[str] | None = None) -> list[dict[str, Any]]:
    names = order if order is not None else sorted(cells)
    return [{key: name, **cells[name].out()} for name in names if name in cells]


async def finance_stats(db: AsyncSession, actor: Principal, year: int) -> dict[str, Any]:
    stmt = (
        select(FinancingRequest, Enterprise, FinancingRecipient, Organisation.name, FinanceProductRecord.kind)
        .join(Enterprise, Enterprise.enterprise_id == FinancingRequest.enterprise_id)
        .join(FinancingRecipient, FinancingRecipient.request_id == FinancingRequest.id)
        .join(Organisation, Organisation.id == FinancingRecipient.bank_org_id)
        .outerjoin(FinanceProductRecord, FinanceProductRecord.id == FinancingRecipient.product_id)
        .where(FinancingRequest.year == year)
        .order_by(FinancingRequest.created_at, FinancingRequest.id, FinancingRecipient.created_at)
    )
    total = _Cell()
    by: dict[str, dict[str, _Cell]] = {k: defaultdict(_Cell) for k in ("colour", "sector", "district", "credit")}
    flagged: list[dict[str, Any]] = []
    for req, ent, rec, bank, kind in (await db.execute(stmt)).all():
        amount = rec.approved_amount_yuan
        credit = CREDIT_CLASSES.get(kind or "", "unspecified")
        for cell in (total, by["colour"][req.colour], by["sector"][ent.sector], by["district"][ent.district]):
            cell.add_request(req.id, req.amount_yuan)
            cell.add_answer(rec.status, amount, rec.margin_bp)
        by["credit"][credit].add_request(req.id, req.amount_yuan)
        by["credit"][credit].add_answer(rec.status, amount, rec.margin_bp)
        below = bool(BELOW_BASELINE_KINDS & set(req.consequence_kinds))
        if rec.status == "approved" and (req.colour == "red" or below):
            flagged.append({
                "request_id": str(req.id), "uscc": ent.uscc, "name": ent.name, "district": ent.district,
                "sector": ent.sector, "colour": req.colour, "below_baseline": below,
                "consequence_kinds": list(req.consequence_kinds), "bank_org_id": str(rec.bank_org_id),
                "bank_name": bank, "credit": credit, "approved_yuan": str(as_filed(amount or Decimal(0))),
                "rate_percent": str(as_filed(rec.rate_percent)) if rec.rate_percent is not None else None,
                "margin_bp": rec.margin_bp,
            })  # fmt: skip
            await log_read(db, actor, ent.enterprise_id, "finance_stats", f"approval:{req.id}")
    return {
        "year": year,
        "totals": total.out(),
        "by_colour": _rows(by["colour"], "colour", list(COLOURS)),
        "by_sector": _rows(by["sector"], "sector"),
        "by_district": _rows(by["district"], "district"),
        "by_credit": _rows(by["credit"], "credit", ["green", "transition", "sustainability_linked", "unspecified"]),
        "flagged_approvals": flagged,
    }
