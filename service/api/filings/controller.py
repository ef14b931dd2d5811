"""Filings: drafts, edits, submission, verification, reads, the account result."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post, put
from litestar.params import JSONBody, PathParameter

from domain.filings import FilingContent
from domain.organisations import OrgKind
from service import accounts
from service import filings as use
from service.api.filings.schemas import (
    AccountYear,
    EnterpriseAccount,
    FilingCreate,
    FilingList,
    FilingRead,
    FilingResult,
    FilingSummary,
    VerificationCreate,
)
from service.api.pagination import OptionalYearQuery
from service.auth.access import access
from service.db.session import DB
from service.idempotency import idempotent
from service.policy.sheet import plan_progress
from service.policy.sheet import refresh as refresh_sheet
from service.verification import verifications_of, verify

__all__ = ["FilingController"]

E, V, REG, RA = OrgKind.ENTERPRISE, OrgKind.VERIFIER, OrgKind.REGULATOR, OrgKind.RATING_AUTHORITY
USCC = Annotated[str, PathParameter(description="统一社会信用代码 (18 characters)")]
FilingId = Annotated[uuid.UUID, PathParameter(description="The filing version's id")]


class FilingController(Controller):
    path = "/v1"
    tags = ["filings"]

    @post("/enterprises/{uscc:str}/filings", **access(E, pending_ok=True, errors=(404, 409, 413, 422)))
    async def create(
        self, uscc: USCC, data: JSONBody[FilingCreate], request: Request[Any, Any, Any], db: DB
    ) -> Response[FilingRead]:
        """A draft for a year (version 1), or a correction that names the version it supersedes."""

        async def run() -> FilingRead:
            filing, ent = await use.create_filing(
                db, request.user, uscc, period=data.period, supersedes=data.supersedes, content=data.content()
            )
            return FilingRead.of(filing, ent)

        return await idempotent(request, db, run)

    @get("/enterprises/{uscc:str}/filings", **access(E, V, REG, RA, pending_ok=True, errors=(404, 422)))
    async def list_filings(
        self, uscc: USCC, request: Request[Any, Any, Any], db: DB, period: OptionalYearQuery = None
    ) -> FilingList:
        """Every version, oldest first (optionally of one period). Verifiers: engaged ones only."""
        ent, rows = await use.filings_of(db, request.user, uscc, period)
        verdicts = await verifications_of(db, [f.id for f in rows])
        return FilingList(uscc=ent.uscc, items=[FilingSummary.of(f, ent, verdicts.get(f.id)) for f in rows])

    @get("/filings/{filing_id:uuid}", **access(E, V, REG, RA, pending_ok=True, errors=(404,)))
    async def read(self, filing_id: FilingId, request: Request[Any, Any, Any], db: DB) -> FilingRead:
        """One version with its lines and, once verified or rejected, the verifier's verdict."""
        filing, ent = await use.get_filing(db, request.user, filing_id)
        verdict = (await verifications_of(db, [filing.id])).get(filing.id)
        return FilingRead.of(filing, ent, verdict)

    @put("/filings/{filing_id:uuid}", **access(E, pending_ok=True, errors=(404, 409, 413, 422)))
    async def edit(
        self, filing_id: FilingId, data: JSONBody[FilingContent], request: Request[Any, Any, Any], db: DB
    ) -> FilingRead:
        """Replace a draft's lines; a submitted filing is never edited (file a correction)."""
        filing, ent = await use.edit_filing(db, request.user, filing_id, data)
        return FilingRead.of(filing, ent)

    @post("/filings/{filing_id:uuid}/submit", status_code=200, **access(E, errors=(404, 409, 422)))
    async def submit(self, filing_id: FilingId, request: Request[Any, Any, Any], db: DB) -> FilingRead:
        """Freeze a draft; it must be complete (value added) and its account must compute."""
        filing, ent = await use.submit_filing(db, request.user, filing_id)
        await refresh_sheet(db, ent, filing.period)  # the year's current account changed
        return FilingRead.of(filing, ent)

    @post("/filings/{filing_id:uuid}/verification", **access(V, errors=(404, 409, 413, 422)))
    async def verification(
        self, filing_id: FilingId, data: JSONBody[VerificationCreate], request: Request[Any, Any, Any], db: DB
    ) -> FilingRead:
        """An engaged verifier's verdict on a submitted filing: verified or rejected, with its opinion."""
        filing, ent, verdict = await verify(
            db,
            request.user,
            filing_id,
            outcome=data.outcome,
            opinion=data.opinion,
            report_sha256=data.report_sha256,
        )
        await refresh_sheet(db, ent, filing.period)  # a rejected version stops counting
        return FilingRead.of(filing, ent, verdict)

    @get("/filings/{filing_id:uuid}/result", **access(E, V, REG, RA, pending_ok=True, errors=(404, 422)))
    async def result(self, filing_id: FilingId, request: Request[Any, Any, Any], db: DB) -> FilingResult:
        """The account of this version: energy, CO2 by source, product levels, intensity, factors, flags."""
        filing, ent = await use.get_filing(db, request.user, filing_id)
        verdict = (await verifications_of(db, [filing.id])).get(filing.id)
        return FilingResult.of(FilingSummary.of(filing, ent, verdict), await use.compute(db, filing, ent))

    @get("/enterprises/{uscc:str}/account", **access(E, REG, RA, pending_ok=True, errors=(404, 422)))
    async def account(
        self, uscc: USCC, request: Request[Any, Any, Any], db: DB, year: OptionalYearQuery = None
    ) -> EnterpriseAccount:
        """Per year: the current version's account, every factor with source and confidence, the versions."""
        ent, years = await accounts.enterprise_account(db, request.user, uscc, year)
        return EnterpriseAccount(
            uscc=ent.uscc,
            name=ent.name,
            industry=ent.industry,
            sector=ent.sector,
            years=[
                AccountYear(
                    year=y.year,
                    current=FilingResult.of(FilingSummary.of(y.current[0], ent, y.current[1]), y.current[2])
                    if y.current
                    else None,
                    versions=[FilingSummary.of(f, ent, v) for f, v in y.versions],
                    retrofit_plans=await plan_progress(db, ent.enterprise_id, y.year, y.current[2].result)
                    if y.current
                    else [],
                )
                for y in years
            ],
        )
