"""披露 `/v1/disclosures`: every rated enterprise-year's public record (no token; rate-limited per
address), its feeds, and a regulator's withholding (docs/disclosure.md)."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, delete, get, post
from litestar.params import FromQuery, JSONBody, PathParameter

from domain.factors import Year as YearType
from domain.organisations import OrgKind
from service.api.disclosures.feeds import ATOM, JSON_FEED, JsonFeed, atom, json_feed
from service.api.disclosures.schemas import DisclosurePage, District, Record, Withholding, record_of
from service.api.pagination import DEFAULT_LIMIT, Limit, YearQuery, decode_cursor, encode_cursor
from service.auth.access import access, limit_by_address, public
from service.db.session import DB
from service.disclosure import reads, withholding
from service.public_url import verify_base

__all__ = ["DisclosureController"]

REG = OrgKind.REGULATOR
_YEAR = next(m for m in YearType.__metadata__ if isinstance(m, msgspec.Meta))  # bounded: the column is a SMALLINT
BUCKET = "disclosure"  # its own budget per address: a journalist's crawl leaves verification alone
Uscc = Annotated[str, PathParameter(description="统一社会信用代码 (18 characters)", max_length=18)]
Year = Annotated[int, PathParameter(ge=_YEAR.ge, le=_YEAR.le, description="The rated year")]


def _base(request: Request[Any, Any, Any]) -> str:
    return verify_base(request.app.state.settings)


class DisclosureController(Controller):
    path = "/v1/disclosures"
    tags = ["disclosures"]

    @get("/", **public(errors=(422, 429)))
    async def list_records(
        self,
        year: YearQuery,
        request: Request[Any, Any, Any],
        db: DB,
        district: FromQuery[District | None] = None,
        cursor: FromQuery[str | None] = None,
        limit: Limit = DEFAULT_LIMIT,
    ) -> DisclosurePage:
        """The year's records by USCC (optionally one district's), withheld ones as withheld."""
        await limit_by_address(request, BUCKET)
        found, more = await reads.page(
            db, year, district.value if district else None, after=decode_cursor(cursor), limit=limit
        )
        base = _base(request)
        last = found[-1].uscc if found and more else None
        return DisclosurePage(
            items=[record_of(s, base) for s in found], next_cursor=encode_cursor(last) if last else None
        )

    @get("/{uscc:str}/{year:int}", **public(errors=(404, 422, 429)))
    async def get_record(self, uscc: Uscc, year: Year, request: Request[Any, Any, Any], db: DB) -> Record:
        """One enterprise-year's record: who, emissions by scope, energy use, intensity, colour and grade,
        the verification and the rating's verification link; or, withheld, only that it is and why.
        404 for an enterprise without a completed rating for the year, as for a USCC nobody holds."""
        await limit_by_address(request, BUCKET)
        return record_of(await reads.one(db, uscc, year), _base(request))

    @get("/feed.atom", media_type=ATOM, **public(errors=(429,)))
    async def feed_atom(self, request: Request[Any, Any, Any], db: DB) -> Response[bytes]:
        """Atom 1.0: the newest (re)published records (100), newest first, each linking to its JSON record."""
        await limit_by_address(request, BUCKET)
        return Response(atom(await reads.feed(db), _base(request)), media_type=ATOM)

    @get("/feed.json", media_type=JSON_FEED, **public(errors=(429,)))
    async def feed_json(self, request: Request[Any, Any, Any], db: DB) -> JsonFeed:
        """JSON Feed 1.1: the same entries as the Atom feed."""
        await limit_by_address(request, BUCKET)
        return json_feed(await reads.feed(db), _base(request))

    @post("/{uscc:str}/{year:int}/withholding", status_code=200, **access(REG, errors=(404, 409, 413, 422)))
    async def withhold(
        self, uscc: Uscc, year: Year, data: JSONBody[Withholding], request: Request[Any, Any, Any], db: DB
    ) -> Record:
        """Withhold the record (暂缓公开) with a reason the public sees: its figures leave every read
        and feed until released. A regulator; 409 if it is withheld already. Audited."""
        await withholding.withhold(db, request.user, uscc, year, data.reason)
        return record_of(await reads.one(db, uscc, year), _base(request))

    @delete("/{uscc:str}/{year:int}/withholding", status_code=200, **access(REG, errors=(404, 409, 422)))
    async def release(self, uscc: Uscc, year: Year, request: Request[Any, Any, Any], db: DB) -> Record:
        """Release a withholding: the record shows its figures again. A regulator; 409 if it is not withheld.
        Audited."""
        await withholding.release(db, request.user, uscc, year)
        return record_of(await reads.one(db, uscc, year), _base(request))
