"""`/v1/enterprises/{uscc}/finance-offers`: the products an enterprise is eligible for now, and
the rule each one passed or failed."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get
from litestar.params import PathParameter

from domain.organisations import OrgKind
from service.api.finance.product_schemas import OffersRead
from service.auth.access import access
from service.db.session import DB
from service.finance.offers import offers_for

__all__ = ["FinanceOfferController"]

E, REG, RA, FR = OrgKind.ENTERPRISE, OrgKind.REGULATOR, OrgKind.RATING_AUTHORITY, OrgKind.FINANCE_REGULATOR
Uscc = Annotated[str, PathParameter(description="统一社会信用代码 (18 characters)")]


class FinanceOfferController(Controller):
    path = "/v1/enterprises"
    tags = ["finance"]

    @get("/{uscc:str}/finance-offers", **access(E, REG, RA, FR, errors=(404,)))
    async def offers(self, uscc: Uscc, request: Request[Any, Any, Any], db: DB) -> OffersRead:
        """Every product valid today (Beijing; each code's latest version) matched against the
        enterprise's newest active rating and that year's policy sheet: eligible first, then by
        bank and code, each with its margin for the enterprise's colour and every check (rule,
        passed, needed, found). Without a rating nothing is eligible (`rated` fails). The
        enterprise itself, regulators, the rating authority, the finance regulator (their reads
        are logged as `finance_offers`); not banks."""
        return OffersRead.of(await offers_for(db, request.user, uscc))
