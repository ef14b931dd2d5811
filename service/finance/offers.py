"""Finance offers: every product valid today matched against what the enterprise's rating and
policy sheet show, with each rule passed or failed. The enterprise itself and the supervisors
read them (their reads are logged); banks never see another bank's offers to an enterprise."""

from __future__ import annotations

import datetime as dt

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import NotFound
from domain.finance.matching import Offer, RatingView, match
from domain.organisations import OrgKind
from service.access_log import log_read
from service.auth.principal import Principal
from service.db.models import Enterprise
from service.enterprises import get_enterprise
from service.finance.products import Product, beijing_today, current_products
from service.finance.view import rating_view

__all__ = ["Matched", "Offers", "offers_for"]


class Matched(msgspec.Struct, frozen=True, kw_only=True):
    product: Product
    offer: Offer


class Offers(msgspec.Struct, frozen=True, kw_only=True):
    enterprise: Enterprise
    on: dt.date
    """The Beijing date the products' validity was read on."""
    view: RatingView
    items: list[Matched]
    """Eligible first, then by bank name and code."""


async def offers_for(db: AsyncSession, actor: Principal, uscc: str) -> Offers:
    """The guard lets in the enterprise itself (another's USCC is 404) and the supervisors."""
    if actor.kind is OrgKind.ENTERPRISE and not actor.owns(uscc):
        raise NotFound("No such enterprise.")
    ent, _ = await get_enterprise(db, uscc)
    view = await rating_view(db, ent.enterprise_id)
    today = beijing_today()
    matched = [Matched(product=p, offer=match(p.product, view, today)) for p in await current_products(db, today)]
    matched.sort(key=lambda m: (not m.offer.eligible, m.product.bank_name, m.product.record.code))
    await log_read(db, actor, ent.enterprise_id, "finance_offers", uscc)
    return Offers(enterprise=ent, on=today, view=view, items=matched)
