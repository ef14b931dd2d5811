"""The facts of an enterprise-year for the policy rules, from what the service holds: the
account, the filing's product attributes and fuels, the rating, the retrofit plans."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounting import AccountResult
from domain.filings import FilingContent
from domain.policy.facts import COAL_CARRIERS, AccountFacts, RatingFacts, account_facts
from service.db.models import RetrofitPlan

__all__ = ["facts_of", "plan_statuses"]


def facts_of(
    account: AccountResult,
    content: FilingContent,
    *,
    district: str,
    plans: dict[str, str],
    rating: RatingFacts | None,
) -> AccountFacts:
    capacities = {f"products[{i}]": line.attributes.get("unit_capacity_mw") for i, line in enumerate(content.products)}
    coal = any(e.carrier in COAL_CARRIERS and e.use == "fuel" for e in content.energy)
    return account_facts(account, district=district, capacities=capacities, coal_fired=coal, plans=plans, rating=rating)


async def plan_statuses(
    db: AsyncSession, enterprise_ids: list[uuid.UUID], year: int
) -> dict[uuid.UUID, dict[str, str]]:
    """Per enterprise, the status of the latest retrofit plan of each product filed for `year` or
    before: a plan filed for 2025 does not make the 2024 sheet a transition-finance candidate."""
    stmt = (
        select(RetrofitPlan.enterprise_id, RetrofitPlan.product, RetrofitPlan.status)
        .where(RetrofitPlan.enterprise_id.in_(enterprise_ids), RetrofitPlan.year <= year)
        .order_by(RetrofitPlan.created_at)
    )
    out: dict[uuid.UUID, dict[str, str]] = {}
    for ent_id, product, status in (await db.execute(stmt)).all():
        out.setdefault(ent_id, {})[product] = status  # later rows overwrite: the latest wins
    return out
