"""Verifiers: the directory, and the enterprise engaging one (who then sees its filings)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.params import JSONBody, PathParameter

from domain.organisations import OrgKind
from service import verification as use
from service.api.verification.schemas import EngagementRead, EngageVerifier, VerifierRead
from service.auth.access import ALL_KINDS, access
from service.db.session import DB
from service.idempotency import idempotent

__all__ = ["VerifierController"]

E, REG, RA = OrgKind.ENTERPRISE, OrgKind.REGULATOR, OrgKind.RATING_AUTHORITY
USCC = Annotated[str, PathParameter(description="统一社会信用代码 (18 characters)")]


class VerifierController(Controller):
    path = "/v1"
    tags = ["verification"]

    @get("/verifiers", **access(*ALL_KINDS, pending_ok=True))
    async def directory(self, db: DB) -> list[VerifierRead]:
        """Active verifier organisations (第三方核查机构), for an enterprise to engage."""
        return [VerifierRead.of(org) for org in await use.verifiers(db)]

    @post("/enterprises/{uscc:str}/verifiers", **access(E, errors=(404, 409, 413, 422)))
    async def engage(
        self, uscc: USCC, data: JSONBody[EngageVerifier], request: Request[Any, Any, Any], db: DB
    ) -> Response[EngagementRead]:
        """Engage a verifier: from now on it sees and verifies this enterprise's filings."""

        async def run() -> EngagementRead:
            return EngagementRead.of(*await use.engage(db, request.user, uscc, data.verifier_org_id))

        return await idempotent(request, db, run)

    @get("/enterprises/{uscc:str}/verifiers", **access(E, REG, RA, pending_ok=True, errors=(404,)))
    async def engaged(self, uscc: USCC, request: Request[Any, Any, Any], db: DB) -> list[EngagementRead]:
        """The verifiers this enterprise engaged."""
        return [EngagementRead.of(e, org) for e, org in await use.engagements_of(db, request.user, uscc)]
