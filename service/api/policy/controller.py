"""政策集成: `/v1/policy-sets` (public reads; the rating authority loads new versions) and an
enterprise-year's policy sheet `/v1/enterprises/{uscc}/policy`."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.params import JSONBody, PathParameter

from domain.organisations import OrgKind
from domain.policy.model import PolicySet
from service.api.pagination import YearQuery
from service.api.policy.schemas import PolicySetRead, PolicySetRef, PolicySheetRead
from service.auth.access import access, public
from service.db.session import DB
from service.idempotency import idempotent
from service.policy import sets as use
from service.policy.sheet import policy_sheet, refresh_all

__all__ = ["PolicyController"]

E, B, REG, RA, FR = (OrgKind.ENTERPRISE, OrgKind.BANK, OrgKind.REGULATOR, OrgKind.RATING_AUTHORITY,
                     OrgKind.FINANCE_REGULATOR)  # fmt: skip
SetId = Annotated[uuid.UUID, PathParameter(description="The version's id")]
Uscc = Annotated[str, PathParameter(description="统一社会信用代码 (18 characters)")]


class PolicyController(Controller):
    path = "/v1"
    tags = ["policy"]

    @get("/policy-sets", **public())
    async def list_sets(self, db: DB) -> list[PolicySetRef]:
        """Every version, oldest first; sheets use the latest, a rating pins the one it was issued under."""
        return [PolicySetRef.of(r) for r in await use.list_policy_sets(db)]

    @get("/policy-sets/{policy_set_id:uuid}", **public(errors=(404,)))
    async def get_set(self, policy_set_id: SetId, db: DB) -> PolicySetRead:
        """One version: every rule with its condition, consequence, effective dates and legal source."""
        return PolicySetRead.of(await use.get_policy_set(db, policy_set_id))

    @post("/policy-sets", **access(RA, errors=(409, 413, 422)))
    async def create_set(
        self, data: JSONBody[PolicySet], request: Request[Any, Any, Any], db: DB
    ) -> Response[PolicySetRead]:
        """Load the next version (every rule citing its document and article). The same content as
        the latest version is 409; Idempotency-Key replays the first answer. Stored sheets follow
        at once; issued ratings keep the consequences they pinned."""

        async def run() -> PolicySetRead:
            record = await use.create_policy_set(db, request.user, data)
            await refresh_all(db)  # the stored sheets (regulator lists, webhooks) follow at once
            return PolicySetRead.of(record)

        return await idempotent(request, db, run)

    @get("/enterprises/{uscc:str}/policy", **access(E, B, REG, RA, FR, errors=(404, 422)))
    async def sheet(self, uscc: Uscc, year: YearQuery, request: Request[Any, Any, Any], db: DB) -> PolicySheetRead:
        """What the city's policies mean for the enterprise in `year`: every consequence (限期改造,
        列入淘汰, 阶梯电价 with the yuan amount, 背压改造, green-credit eligibility, transition
        finance) with its rule, source and the figures that triggered it, from the current
        account and the year's active rating under the latest policy set. The enterprise itself,
        regulators, the rating authority; a bank under `full` consent (the read is logged)."""
        ent, sheet = await policy_sheet(db, request.user, uscc, year)
        return PolicySheetRead.of(ent, sheet)
