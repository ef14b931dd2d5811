"""Financing requests over HTTP: an enterprise sends one to several banks and follows every answer;
a bank lists those sent to it and answers; the finance bureau and regulators list them all."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from litestar import Controller, Request, Response, get, post
from litestar.params import FromQuery, JSONBody, PathParameter

from domain.factors import Year
from domain.organisations import OrgKind
from service.api.finance.request_schemas import AnswerCreate, RequestCreate, RequestRead
from service.api.pagination import DEFAULT_LIMIT, Limit, Page, decode_time_id, encode_time_id
from service.auth.access import access
from service.db.session import DB
from service.finance import requests as use
from service.idempotency import idempotent

__all__ = ["FinancingRequestController"]

E, B, REG, RA, FR = (OrgKind.ENTERPRISE, OrgKind.BANK, OrgKind.REGULATOR, OrgKind.RATING_AUTHORITY,
                     OrgKind.FINANCE_REGULATOR)  # fmt: skip
Uscc = Annotated[str, PathParameter(description="统一社会信用代码 (18 characters)")]
RequestId = Annotated[uuid.UUID, PathParameter(description="The financing request's id")]


class FinancingRequestController(Controller):
    path = "/v1"
    tags = ["finance"]

    @post("/enterprises/{uscc:str}/financing-requests", **access(E, errors=(404, 413, 422)))
    async def send(
        self, uscc: Uscc, data: JSONBody[RequestCreate], request: Request[Any, Any, Any], db: DB
    ) -> Response[RequestRead]:
        """Send one request to one or more banks (at most 10). Each bank gets a consent of the
        request's purpose and scope that ends when the request closes (or at `expires_at`), and the
        webhook `financing.requested`. The rating they will see is pinned with the request.
        Idempotency-Key replays the first answer."""

        async def run() -> RequestRead:
            req = await use.send(db, request.user, uscc, data.input())
            return RequestRead.of(await use.one_request(db, request.user, req.id))

        return await idempotent(request, db, run)

    @get("/enterprises/{uscc:str}/financing-requests", **access(E, REG, RA, FR, errors=(404,)))
    async def of_enterprise(self, uscc: Uscc, request: Request[Any, Any, Any], db: DB) -> list[RequestRead]:
        """The enterprise's requests, newest first, each with every bank's answers."""
        return [RequestRead.of(x) for x in await use.requests_of(db, request.user, uscc)]

    @get("/financing-requests", **access(B, REG, RA, FR, errors=(422,)))
    async def listed(
        self,
        request: Request[Any, Any, Any],
        db: DB,
        year: FromQuery[Year | None] = None,
        status: FromQuery[Literal["open", "closed"] | None] = None,
        district: FromQuery[str | None] = None,
        bank_org_id: FromQuery[uuid.UUID | None] = None,
        cursor: FromQuery[str | None] = None,
        limit: Limit = DEFAULT_LIMIT,
    ) -> Page[RequestRead]:
        """A bank: the requests sent to it (only its own answers); the finance bureau, regulators
        and the rating authority: every request with its outcomes. Oldest first; each read logged."""
        f = use.RequestFilter(year=year, status=status, district=district, bank_org_id=bank_org_id)
        rows, more = await use.list_requests(db, request.user, f, after=decode_time_id(cursor), limit=limit)
        last = rows[-1].request if rows else None
        return Page(
            items=[RequestRead.of(x) for x in rows],
            next_cursor=encode_time_id(last.created_at, last.id) if more and last else None,
        )

    @get("/financing-requests/{request_id:uuid}", **access(E, B, REG, RA, FR, errors=(404,)))
    async def one(self, request_id: RequestId, request: Request[Any, Any, Any], db: DB) -> RequestRead:
        """One request: the enterprise that sent it, a bank it went to (its own answers only), regulators."""
        return RequestRead.of(await use.one_request(db, request.user, request_id))

    @post("/financing-requests/{request_id:uuid}/answers", status_code=200,
          **access(B, errors=(404, 409, 413, 422)))  # fmt: skip
    async def answer(
        self, request_id: RequestId, data: JSONBody[AnswerCreate], request: Request[Any, Any, Any], db: DB
    ) -> RequestRead:
        """The bank's next answer: `under_review`, then `approved` (amount ≤ the amount asked, rate,
        margin) or `declined` (with a reason). A final answer cannot be changed (409); nor can a
        closed or expired request be answered. When every bank has answered finally the request
        closes and the consents it granted end."""
        return RequestRead.of(await use.answer(db, request.user, request_id, data.input()))

    @post("/financing-requests/{request_id:uuid}/withdrawal", status_code=200, **access(E, errors=(404, 409)))
    async def withdraw(self, request_id: RequestId, request: Request[Any, Any, Any], db: DB) -> RequestRead:
        """The enterprise closes its open request: the consents it granted end; answers given stay."""
        return RequestRead.of(await use.withdraw(db, request.user, request_id))
