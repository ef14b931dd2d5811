"""Cursor pagination: an opaque cursor over a unique sort key, never an offset; and the
query parameters the lists share (page size, year)."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import uuid
from typing import Annotated, Generic, TypeVar

import msgspec
from litestar.params import QueryParameter

from domain.factors import Year
from service.errors import FieldError, ProblemError

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "Limit",
    "OptionalYearQuery",
    "Page",
    "YearQuery",
    "cursor_error",
    "decode_cursor",
    "decode_time_id",
    "encode_cursor",
    "encode_time_id",
]

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
Limit = Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT, description=f"Page size, 1 to {MAX_LIMIT}.")]

# Litestar checks a query parameter against its QueryParameter bounds, not against the
# msgspec.Meta inside domain.factors.Year: without these, ?year=99999999 reached the
# database's SMALLINT and failed there (500).
_YEAR = next(m for m in Year.__metadata__ if isinstance(m, msgspec.Meta))
_YEAR_DOC = f"A calendar year, {_YEAR.ge} to {_YEAR.le}."
YearQuery = Annotated[int, QueryParameter(ge=_YEAR.ge, le=_YEAR.le, description=_YEAR_DOC)]
OptionalYearQuery = Annotated[int | None, QueryParameter(ge=_YEAR.ge, le=_YEAR.le, description=_YEAR_DOC)]

T = TypeVar("T")


class Page(msgspec.Struct, Generic[T], kw_only=True):
    items: list[T]
    next_cursor: str | None = None
    """Pass as `cursor` to get the next page; absent on the last page."""


_PREFIX = "after:"


def encode_cursor(value: str) -> str:
    return base64.urlsafe_b64encode((_PREFIX + value).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> str | None:
    if cursor is None:
        return None
    try:
        raw = base64.b64decode(cursor + "=" * (-len(cursor) % 4), altchars=b"-_", validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise cursor_error() from exc
    if not raw.startswith(_PREFIX):
        raise cursor_error()
    return raw.removeprefix(_PREFIX)


def cursor_error() -> ProblemError:
    return ProblemError(
        422,
        "validation",
        "The cursor is not one this API issued.",
        errors=[FieldError(field="query.cursor", detail="not a valid cursor")],
    )


def encode_time_id(at: dt.datetime, ident: uuid.UUID) -> str:
    """A cursor over a (timestamp, id) sort key."""
    return encode_cursor(f"{at.isoformat()}|{ident}")


def decode_time_id(cursor: str | None) -> tuple[dt.datetime, uuid.UUID] | None:
    raw = decode_cursor(cursor)
    if raw is None:
        return None
    at, _, ident = raw.partition("|")
    try:
        return dt.datetime.fromisoformat(at), uuid.UUID(ident)
    except ValueError as exc:
        raise cursor_error() from exc
