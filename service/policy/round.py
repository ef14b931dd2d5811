"""Policies at issue: every rating of a round pins the latest policy set and the consequences it
gave (columns of the ratings row, set before the insert, never recomputed), and the round
stores the same consequences as the enterprises' current sheets for the year.

The CPU part (``pin``) runs in the round's worker thread beside the signing, from what the
round already holds (the accounts, the filings, the new rows); one query loads the set and the
plan statuses beforehand (``policy_inputs``).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from domain.policy.evaluate import evaluate
from domain.policy.facts import RatingFacts
from domain.policy.model import PolicySetVersion
from scoring.model import Candidate
from service.policy.facts import facts_of, plan_statuses
from service.policy.sets import latest_policy_set
from service.policy.sheet import Stored, consequences_json
from service.ratings.inputs import Entry

__all__ = ["PolicyInputs", "pin", "policy_inputs"]

PolicyInputs = tuple[PolicySetVersion | None, dict[uuid.UUID, dict[str, str]]]


async def policy_inputs(db: AsyncSession, enterprise_ids: list[uuid.UUID], year: int) -> PolicyInputs:
    """The latest set and the plan statuses of `year` (the rated year) for the enterprises."""
    return await latest_policy_set(db), await plan_statuses(db, enterprise_ids, year)


def pin(inputs: PolicyInputs, entries: list[Entry], cands: list[Candidate], rows: list[dict[str, Any]]) -> list[Stored]:
    """Set `policy_set_id` and `policy_consequences` on each new ratings row; the sheets to store."""
    version, statuses = inputs
    if version is None:
        return []
    sheets = []
    for entry, cand, row in zip(entries, cands, rows, strict=True):
        rating = RatingFacts(colour=row["colour"], grade=row["grade"], finance_tier=str(row["payload"]["finance_tier"]))
        facts = facts_of(cand.account, entry.content, district=entry.district,
                         plans=statuses.get(entry.enterprise_id, {}), rating=rating)  # fmt: skip
        found = consequences_json(evaluate(version.policies, facts))
        row["policy_set_id"], row["policy_consequences"] = version.id, found
        sheets.append(Stored(enterprise_id=entry.enterprise_id, uscc=entry.uscc, year=row["year"],
                             policy_set_id=version.id, policy_set_version=version.version,
                             rating_id=row["id"], consequences=found))  # fmt: skip
    return sheets
