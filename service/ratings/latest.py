"""The latest rating of an enterprise in one statement: the read banks make most.

One statement finds the enterprise, (for a bank) its widest active consent, the newest
rating of the latest year and whether the next year's round completed, and logs the read
in the same statement (so in the same transaction). Same rules as the other reads: no
consent, another's enterprise and no enterprise are one 404; a refused read is not logged.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import asyncpg
import msgspec

from domain.errors import NotFound
from domain.organisations import OrgKind
from service.access_log import LOGGED_KINDS
from service.auth.principal import Principal
from service.ratings.reads import SEES_ALL, status_now

__all__ = ["LatestRating", "latest_rating"]

MISSING = "No such enterprise."

# $1 uscc, $2 the bank's organisation (banks only)
_BANK_ACCESS = """
  SELECT c.id, c.scope, c.purpose FROM consents c, e
  WHERE c.enterprise_id = e.enterprise_id AND c.bank_org_id = $2
    AND c.withdrawn_at IS NULL AND c.expires_at > now()
  ORDER BY c.scope, c.expires_at DESC  -- 'full' < 'grade_only': the widest scope first
  LIMIT 1
"""
_OWN_ACCESS = "SELECT NULL::uuid AS id, 'full'::text AS scope, 'supervision'::text AS purpose, $2::uuid AS reader"

_LATEST = """
WITH e AS (SELECT enterprise_id, uscc FROM enterprises WHERE uscc = $1),
a AS ({access}),
r AS (
  SELECT r.* FROM ratings r, e WHERE r.enterprise_id = e.enterprise_id
  ORDER BY r.year DESC, r.issued_at DESC, r.id LIMIT 1
),
log AS (
  INSERT INTO access_log (client_id, org_id, org_kind, enterprise_id, consent_id, purpose, what, resource_id, scope)
  SELECT $3::text, $4::uuid, $5::text, e.enterprise_id, a.id, a.purpose, 'rating', r.id::text, a.scope
  FROM e, a, r WHERE $6::boolean
  RETURNING 1
)
SELECT e.uscc, a.scope, r.id, r.round_id, r.year, r.status, r.colour, r.grade, r.methodology_version, r.issued_at,
       r.expires_at, r.revoked_reason, r.kid, r.grade_token,
       r.supersedes_rating_id, r.rerating_reason, r.objection_id,
       (SELECT c.certificate_no FROM certificates c WHERE c.rating_id = r.id) AS certificate_no,
       r.payload->>'band' AS band, r.payload->>'finance_tier' AS finance_tier,
       CASE WHEN a.scope = 'full' THEN r.token END AS token,
       CASE WHEN a.scope = 'full' THEN r.payload::text END AS payload,
       CASE WHEN a.scope = 'full' THEN r.policy_set_id END AS policy_set_id,
       CASE WHEN a.scope = 'full' THEN r.policy_consequences::text END AS policy_consequences,
       EXISTS (SELECT 1 FROM rating_rounds rr WHERE rr.year = r.year + 1 AND rr.status = 'completed') AS next_done,
       (SELECT count(*) FROM log) AS logged
FROM e JOIN a ON true LEFT JOIN r ON true
"""
_FOR_BANKS = _LATEST.format(access=_BANK_ACCESS)
_FOR_OTHERS = _LATEST.format(access=_OWN_ACCESS)


class LatestRating(msgspec.Struct, kw_only=True):
    rating_id: uuid.UUID
    round_id: uuid.UUID
    uscc: str
    year: int
    status: str
    colour: str
    grade: int | None
    band: str | None
    finance_tier: str
    methodology_version: str
    issued_at: dt.datetime
    expires_at: dt.datetime
    revoked_reason: str | None
    kid: str
    grade_token: str
    scope: str
    token: str | None
    payload: dict[str, Any] | None
    supersedes_rating_id: uuid.UUID | None = None
    rerating_reason: str | None = None
    objection_id: uuid.UUID | None = None
    certificate_no: str | None = None
    policy_set_id: uuid.UUID | None = None
    policy_consequences: list[dict[str, Any]] | None = None


async def latest_rating(pool: asyncpg.Pool, actor: Principal, uscc: str) -> LatestRating:
    if actor.kind is OrgKind.BANK:
        sql, org = _FOR_BANKS, actor.org_id
    elif actor.kind in SEES_ALL or actor.owns(uscc):
        sql, org = _FOR_OTHERS, actor.org_id
    else:
        raise NotFound(MISSING)
    logged = actor.kind in LOGGED_KINDS
    row = await pool.fetchrow(sql, uscc, org, actor.client_id, actor.org_id, actor.kind.value, logged)
    if row is None:
        raise NotFound(MISSING)  # no such enterprise, or no consent: one answer
    if row["id"] is None:
        raise NotFound("No rating for this enterprise yet.")
    full = row["scope"] == "full"
    return LatestRating(
        rating_id=row["id"], round_id=row["round_id"], uscc=row["uscc"], year=row["year"],
        status=status_now(row["status"], row["expires_at"], dt.datetime.now(dt.UTC), row["next_done"]), colour=row["colour"], grade=row["grade"], band=row["band"],
        finance_tier=row["finance_tier"], methodology_version=row["methodology_version"],
        issued_at=row["issued_at"], expires_at=row["expires_at"], revoked_reason=row["revoked_reason"],
        kid=row["kid"], grade_token=row["grade_token"], scope=row["scope"],
        token=row["token"] if full else None, payload=json.loads(row["payload"]) if full else None,
        supersedes_rating_id=row["supersedes_rating_id"], rerating_reason=row["rerating_reason"],
        objection_id=row["objection_id"], certificate_no=row["certificate_no"],
        policy_set_id=row["policy_set_id"],
        policy_consequences=json.loads(row["policy_consequences"]) if row["policy_consequences"] else None,
    )  # fmt: skip
