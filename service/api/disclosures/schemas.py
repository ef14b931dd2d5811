"""What `/v1/disclosures` returns: the public record (domain.disclosure.Disclosed and what is read
beside it), or only the fact of a withholding; and the withholding's body."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

import msgspec

from domain.disclosure import Disclosed
from domain.districts import DISTRICTS
from service.disclosure.reads import Shown

__all__ = ["DisclosurePage", "DisclosureRead", "District", "Record", "WithheldRead", "Withholding", "record_of"]

District = StrEnum("District", {code: code for code in DISTRICTS})  # type: ignore[misc]
"""Zibo's county-level divisions (GB/T 2260): a query naming another is 422."""


class DisclosureRead(Disclosed, frozen=True, kw_only=True):
    """An enterprise-year's public record (docs/disclosure.md lists every field and why)."""

    rating_status: str
    """The rating's status now: active, revoked (withdrawn by the rating authority) or expired."""
    verify_url: str | None
    """Where anyone checks the rating's certificate: {public base URL}/verify/{certificate_no}
    (null while the certificate is being rendered)."""
    published_at: dt.datetime
    """The last (re)publication: the round's or the re-rating's."""
    withheld: bool = False


class WithheldRead(msgspec.Struct, frozen=True, kw_only=True):
    """A record a regulator withheld: who, which year, why and since when; none of its figures."""

    uscc: str
    name: str
    year: int
    withheld: bool = True
    withheld_reason: str
    withheld_at: dt.datetime


Record = DisclosureRead | WithheldRead


@dataclass(frozen=True, kw_only=True)
class DisclosurePage:
    """A dataclass, not a Struct: msgspec cannot describe a Struct holding an untagged union of
    Structs (and a tag would add a key the documented record does not have)."""

    items: list[Record]
    next_cursor: str | None = None
    """Pass as `cursor` to get the next page; absent on the last page."""


class Withholding(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=1000)]
    """Why the record is withheld (shown to the public), e.g. an open objection."""


def record_of(shown: Shown, base_url: str) -> Record:
    doc = shown.document
    if shown.withheld_at is not None and shown.withheld_reason is not None:
        return WithheldRead(uscc=doc["uscc"], name=doc["name"], year=doc["year"],
                            withheld_reason=shown.withheld_reason, withheld_at=shown.withheld_at)  # fmt: skip
    url = f"{base_url}/verify/{shown.certificate_no}" if shown.certificate_no else None
    read = {**doc, "rating_status": shown.rating_status, "verify_url": url, "published_at": shown.published_at}
    return msgspec.convert(read, DisclosureRead)
