"""`/v1/finance-products`: banks publish versions of their products; anyone reads them. There is
no PUT or PATCH: new terms are a new version, and every version stays readable by its id."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromQuery, JSONBody, PathParameter, QueryParameter

from domain.finance.products import FinanceProduct, ProductKind
from domain.organisations import OrgKind
from service.api.finance.product_schemas import ProductRead
from service.api.pagination import DEFAULT_LIMIT, Limit, Page, cursor_error, decode_cursor, encode_cursor
from service.auth.access import access, public
from service.db.session import DB
from service.finance import products as use
from service.idempotency import idempotent

__all__ = ["FinanceProductController"]

ProductId = Annotated[uuid.UUID, PathParameter(description="The version's id")]
ValidOn = Annotated[
    dt.date | None,
    QueryParameter(description="Only products valid on this day (default: today in Beijing, unless all_versions)."),
]


def _after(cursor: str | None) -> use.After | None:
    raw = decode_cursor(cursor)
    if raw is None:
        return None
    bank, code, version = [*raw.split("|"), "", ""][:3]
    try:
        return uuid.UUID(bank), code, int(version)
    except ValueError as exc:
        raise cursor_error() from exc


def _cursor(last: use.Product) -> str:
    r = last.record
    return encode_cursor(f"{r.bank_org_id}|{r.code}|{r.version}")


class FinanceProductController(Controller):
    path = "/v1/finance-products"
    tags = ["finance"]

    @post("/", **access(OrgKind.BANK, errors=(409, 413, 422)))
    async def publish(
        self, data: JSONBody[FinanceProduct], request: Request[Any, Any, Any], db: DB
    ) -> Response[ProductRead]:
        """Publish a product: a code the bank has not used is version 1; an existing code of the
        bank's gets the next version (the old ones stay, readable by id). The same content as the
        code's latest version is 409. Rules name known colours, finance tiers and policy
        consequence kinds (422 naming the field otherwise). Idempotency-Key replays the first answer."""

        async def run() -> ProductRead:
            return ProductRead.of(await use.publish_product(db, request.user, data))

        return await idempotent(request, db, run)

    @get("/", **public(errors=(422,)))
    async def list_products(
        self,
        db: DB,
        kind: FromQuery[ProductKind | None] = None,
        bank_org_id: FromQuery[uuid.UUID | None] = None,
        valid_on: ValidOn = None,
        all_versions: FromQuery[bool] = False,
        cursor: FromQuery[str | None] = None,
        limit: Limit = DEFAULT_LIMIT,
    ) -> Page[ProductRead]:
        """Each bank's products, by bank, code and version: each code's latest version valid today
        (Beijing) by default, or on `valid_on`; `all_versions=true` lists every version (of any
        validity unless `valid_on` is given)."""
        on = valid_on if valid_on is not None or all_versions else use.beijing_today()
        filters = use.ProductFilter(kind=kind, bank_org_id=bank_org_id, valid_on=on, all_versions=all_versions)
        rows, more = await use.list_products(db, filters, after=_after(cursor), limit=limit)
        return Page(items=[ProductRead.of(r) for r in rows], next_cursor=_cursor(rows[-1]) if more and rows else None)

    @get("/{product_id:uuid}", **public(errors=(404,)))
    async def one(self, product_id: ProductId, db: DB) -> ProductRead:
        """One version, superseded or not (`latest_version` says which is current)."""
        return ProductRead.of(await use.get_product(db, product_id))
