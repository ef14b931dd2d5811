"""The demo city's 融资服务, seeded after its rating rounds: the two banks publish a green loan, a
transition loan and a green-bond underwriting; one enterprise below 基准 files a retrofit plan
(which makes it a transition-finance candidate); three enterprises send financing requests and the
banks answer. The figures of GET /v1/stats/finance for the current year follow from the amounts
here (tests/e2e/test_demo.py works them out by hand)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounting.result import Level
from domain.consents import Purpose, Scope
from domain.filings import FilingStatus
from domain.finance.products import (
    ColourIn,
    ConsequencesAny,
    ConsequencesNone,
    FinanceProduct,
    GradeAtMost,
    ProductKind,
    Terms,
)
from domain.finance.requests import AnswerStatus
from domain.organisations import OrgKind, OrgStatus
from service.auth.principal import Principal
from service.db.models import Enterprise, Filing
from service.filings import compute
from service.finance import requests as financing
from service.finance.products import publish_product
from service.finance.view import rating_view
from service.policy.plans import PlanInput, file_plan

__all__ = ["REQUESTS", "seed_finance"]

VALID = (dt.date(2024, 1, 1), dt.date(2030, 12, 31))
_REPORT = "ab" * 32

PRODUCTS = {
    "bank_1": [
        FinanceProduct(code="green-loan", kind=ProductKind.GREEN_LOAN, name="碳效贷 (demo green loan)",
                       eligibility=[ColourIn(colours=["dark_green", "light_green"]),
                                    ConsequencesNone(consequences=["green_credit_ineligible", "phase_out_listed"])],
                       terms=Terms(margin_bp_by_colour={"dark_green": -30, "light_green": -15}),
                       valid_from=VALID[0], valid_to=VALID[1]),
        FinanceProduct(code="transition-loan", kind=ProductKind.TRANSITION_LOAN, name="转型贷 (demo transition loan)",
                       eligibility=[ConsequencesAny(consequences=["transition_finance_candidate"])],
                       terms=Terms(margin_bp_by_colour={"yellow": 20, "red": 40}), valid_from=VALID[0],
                       valid_to=VALID[1]),
    ],
    "bank_2": [
        FinanceProduct(code="green-bond", kind=ProductKind.GREEN_BOND_UNDERWRITING, name="绿色债券承销 (demo)",
                       eligibility=[ColourIn(colours=["dark_green", "light_green"]), GradeAtMost(grade=3)],
                       terms=Terms(), valid_from=VALID[0], valid_to=VALID[1]),
    ],
}  # fmt: skip

# (who, amount, [(bank, product code or None, answers...)]): each answer (status, amount, rate, margin, reason)
REQUESTS: dict[str, tuple[Decimal, list[tuple[str, str | None, list[tuple[Any, ...]]]]]] = {
    "green": (Decimal("80000000"), [
        ("bank_1", "green-loan", [("under_review",), ("approved", Decimal("60000000"), Decimal("3.05"), -30)]),
        ("bank_2", "green-bond", [("declined", None, None, None, "发行窗口未到 (demo)")]),
    ]),
    "transition": (Decimal("30000000"), [
        ("bank_1", "transition-loan", [("approved", Decimal("25000000"), Decimal("3.85"), 40)]),
    ]),
    "other": (Decimal("10000000"), [("bank_2", None, [("under_review",)])]),
}  # fmt: skip
"""The three demo requests: a green enterprise's, the retrofitting enterprise's, a yellow one's."""


async def _principals(db: AsyncSession, out: dict[str, Any]) -> tuple[dict[str, Principal], list[Principal]]:
    banks = {k: Principal(client_id=out[k]["client_id"], org_id=uuid.UUID(out[k]["org_id"]), kind=OrgKind.BANK,
                          status=OrgStatus.ACTIVE) for k in PRODUCTS}  # fmt: skip
    ents = []
    for e in out["enterprises"]:
        if e.get("status") == "pending":
            continue
        org = await db.scalar(select(Enterprise.enterprise_id).where(Enterprise.uscc == e["uscc"]))
        ents.append(Principal(client_id=e["client_id"], org_id=org, kind=OrgKind.ENTERPRISE, status=OrgStatus.ACTIVE,
                              uscc=e["uscc"]))  # fmt: skip
    return banks, ents


async def _below_baseline(db: AsyncSession, uscc: str, year: int) -> tuple[str, Decimal] | None:
    """A product of the enterprise's current account of `year` below 基准, and its 基准."""
    ent = await db.scalar(select(Enterprise).where(Enterprise.uscc == uscc))
    assert ent is not None
    filing = await db.scalar(
        select(Filing).where(Filing.enterprise_id == ent.enterprise_id, Filing.period == year,
                             Filing.status.in_((FilingStatus.SUBMITTED.value, FilingStatus.VERIFIED.value)))
        .order_by(Filing.version.desc()).limit(1)
    )  # fmt: skip
    if filing is None:
        return None
    for p in (await compute(db, filing, ent)).result.products:
        if p.level is Level.BELOW_BASELINE and p.baseline is not None:
            return p.product, p.baseline
    return None


async def seed_finance(db: AsyncSession, out: dict[str, Any], year: int) -> dict[str, str]:
    """Products, one retrofit plan, three requests and their answers; the USCC of each request."""
    banks, ents = await _principals(db, out)
    codes: dict[tuple[str, str], Any] = {}
    for bank, products in PRODUCTS.items():
        for p in products:
            codes[(bank, p.code)] = (await publish_product(db, banks[bank], p)).record.id
    chosen: dict[str, Principal] = {}
    for ent in ents:
        view = await rating_view(db, ent.org_id)  # an enterprise's organisation id is its enterprise_id
        if "green" not in chosen and view.colour in ("dark_green", "light_green"):
            chosen["green"] = ent
        elif "other" not in chosen and view.colour == "yellow":
            chosen["other"] = ent
        elif "transition" not in chosen and "phase_out_listed" not in view.consequences and view.rating_id:
            found = await _below_baseline(db, ent.uscc or "", view.year or year)
            if found is not None:
                product, baseline = found
                plan = PlanInput(year=view.year or year, product=product, target_unit_energy_use=baseline,
                                 measures="余热发电与窑系统节能改造 (demo)", investment_wan=Decimal("4800"),
                                 completion_date=dt.date(year + 1, 12, 31), document_sha256=_REPORT)  # fmt: skip
                await file_plan(db, ent, ent.uscc or "", plan)
                chosen["transition"] = ent
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(days=180)
    sent = {}
    for who, (amount, targets) in REQUESTS.items():
        ent = chosen[who]
        new = financing.NewRequest(
            amount_yuan=amount, purpose=Purpose.CREDIT, use_of_proceeds="节能降碳改造 (demo)", term_months=36,
            scope=Scope.FULL, expires_at=expires,
            banks=[financing.Target(bank_org_id=banks[b].org_id, product_id=codes.get((b, c or ""))) for b, c, _ in targets],
        )  # fmt: skip
        req = await financing.send(db, ent, ent.uscc or "", new)
        for bank, _, answers in targets:
            for a in answers:
                status, amount_yuan, rate, margin, reason = (*a, None, None, None, None)[:5]
                await financing.answer(db, banks[bank], req.id, financing.Answer(
                    status=AnswerStatus(status), amount_yuan=amount_yuan, rate_percent=rate, margin_bp=margin,
                    reason=reason))  # fmt: skip
        sent[who] = ent.uscc or ""
    return sent
