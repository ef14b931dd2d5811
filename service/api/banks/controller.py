"""Banks: the directory, consents, the access log, financed emissions."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, post
from litestar.params import FromQuery, JSONBody, PathParameter

from domain.errors import InvalidField
from domain.organisations import OrgKind
from service import consents as use
from service.access_log import access_log
from service.api.banks.schemas import AccessLogRead, BankRead, ConsentCreate, ConsentRead, PortfolioRequest
from service.api.pagination import (
    DEFAULT_LIMIT,
    Limit,
    Page,
    cursor_error,
    decode_cursor,
    decode_time_id,
    encode_cursor,
    encode_time_id,
)
from service.auth.access import ALL_KINDS, access
from service.db.session import DB
from service.idempotency import idempotent
from service.portfolio import Loan, Portfolio, financed_emissions

__all__ = ["BankController", "loans_of"]

E, B, REG, RA = OrgKind.ENTERPRISE, OrgKind.BANK, OrgKind.REGULATOR, OrgKind.RATING_AUTHORITY
USCC = Annotated[str, PathParameter(description="统一社会信用代码 (18 characters)")]


def loans_of(data: PortfolioRequest) -> list[Loan]:
    out = []
    for i, loan in enumerate(data.loans):
        if (loan.equity_plus_debt_yuan is None) == (loan.evic_yuan is None):
            raise InvalidField(
                f"loans[{i}].equity_plus_debt_yuan", "give exactly one of equity_plus_debt_yuan, evic_yuan"
            )
        basis = "evic" if loan.evic_yuan is not None else "equity_plus_debt"
        denominator = loan.evic_yuan if loan.evic_yuan is not None else loan.equity_plus_debt_yuan
        assert denominator is not None
        out.append(
            Loan(
                uscc=loan.uscc,
                outstanding_yuan=loan.outstanding_yuan,
                denominator_yuan=denominator,
                basis=basis,
                reference=loan.reference,
            )
        )
    return out


class BankController(Controller):
    path = "/v1"
    tags = ["banks"]

    @get("/banks", **access(*ALL_KINDS, pending_ok=True))
    async def directory(self, db: DB) -> list[BankRead]:
        """Active banks, for an enterprise to grant consent to."""
        return [BankRead.of(org) for org in await use.banks(db)]

    @post("/enterprises/{uscc:str}/consents", **access(E, errors=(404, 413, 422)))
    async def grant(
        self, uscc: USCC, data: JSONBody[ConsentCreate], request: Request[Any, Any, Any], db: DB
    ) -> Response[ConsentRead]:
        """Let a bank read the enterprise's rating, for a purpose, in a scope, until a date."""

        async def run() -> ConsentRead:
            consent, bank = await use.grant(
                db, request.user, uscc, bank_org_id=data.bank_org_id, purpose=data.purpose, scope=data.scope,
                expires_at=data.expires_at,
            )  # fmt: skip
            return ConsentRead.of(consent, uscc, bank.name)

        return await idempotent(request, db, run)

    @get("/enterprises/{uscc:str}/consents", **access(E, REG, RA, errors=(404,)))
    async def list_consents(self, uscc: USCC, request: Request[Any, Any, Any], db: DB) -> list[ConsentRead]:
        """Every consent the enterprise gave, newest first (withdrawn and expired ones too)."""
        return [ConsentRead.of(c, uscc, bank.name) for c, bank in await use.consents_of(db, request.user, uscc)]

    @delete("/enterprises/{uscc:str}/consents/{consent_id:uuid}", status_code=200, **access(E, errors=(404, 409)))
    async def withdraw(
        self,
        uscc: USCC,
        consent_id: Annotated[uuid.UUID, PathParameter(description="The consent's id")],
        request: Request[Any, Any, Any],
        db: DB,
    ) -> ConsentRead:
        """Withdraw a consent, at once: the bank's next read is refused."""
        consent, bank = await use.withdraw(db, request.user, uscc, consent_id)
        return ConsentRead.of(consent, uscc, bank.name)

    @get("/consents", **access(B, errors=(422,)))
    async def bank_consents(
        self,
        request: Request[Any, Any, Any],
        db: DB,
        updated_since: FromQuery[dt.datetime | None] = None,
        cursor: FromQuery[str | None] = None,
        limit: Limit = DEFAULT_LIMIT,
    ) -> Page[ConsentRead]:
        """The consents this bank holds, oldest change first; `updated_since` syncs a loan book."""
        rows, more = await use.bank_consents(
            db, request.user, updated_since=updated_since, after=decode_time_id(cursor), limit=limit
        )
        last = rows[-1][0] if rows else None
        return Page(
            items=[ConsentRead.of(c, uscc, bank_name) for c, uscc, bank_name in rows],
            next_cursor=encode_time_id(last.updated_at, last.id) if more and last else None,
        )

    @get("/enterprises/{uscc:str}/access-log", **access(E, REG, RA, errors=(404, 422)))
    async def enterprise_log(
        self,
        uscc: USCC,
        request: Request[Any, Any, Any],
        db: DB,
        cursor: FromQuery[str | None] = None,
        limit: Limit = DEFAULT_LIMIT,
    ) -> Page[AccessLogRead]:
        """Who read this enterprise's ratings and certificates, newest first."""
        return await _log_page(db, request, uscc=uscc, org_id=None, cursor=cursor, limit=limit)

    @get("/access-log", **access(REG, RA, errors=(422,)))
    async def all_log(
        self,
        request: Request[Any, Any, Any],
        db: DB,
        org_id: FromQuery[uuid.UUID | None] = None,
        cursor: FromQuery[str | None] = None,
        limit: Limit = DEFAULT_LIMIT,
    ) -> Page[AccessLogRead]:
        """Every logged read, newest first (optionally of one reading organisation)."""
        return await _log_page(db, request, uscc=None, org_id=org_id, cursor=cursor, limit=limit)

    @post("/portfolio/financed-emissions", status_code=200, **access(B, errors=(413, 422)))
    async def portfolio(self, data: JSONBody[PortfolioRequest], request: Request[Any, Any, Any], db: DB) -> Portfolio:
        """Financed emissions (PCAF): per loan the attribution factor, attributed scope 1 and 2 CO2 and
        the data-quality score; loans without a `full` consent are listed as no_consent."""
        return await financed_emissions(db, request.user, loans_of(data))


async def _log_page(
    db: DB,
    request: Request[Any, Any, Any],
    *,
    uscc: str | None,
    org_id: uuid.UUID | None,
    cursor: str | None,
    limit: int,
) -> Page[AccessLogRead]:
    raw = decode_cursor(cursor)
    if raw is not None and not raw.isdigit():
        raise cursor_error()
    before = int(raw) if raw is not None else None
    rows, more = await access_log(db, request.user, uscc=uscc, org_id=org_id, before=before, limit=limit)
    return Page(
        items=[AccessLogRead.of(e, name, u) for e, name, u in rows],
        next_cursor=encode_cursor(str(rows[-1][0].id)) if more and rows else None,
    )
