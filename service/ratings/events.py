"""The webhook events a completed round raises: issued, superseded, colour changed."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.dialects.postgresql import distinct_on

from domain.webhooks import EventType
from service.db.models import RatingRecord
from service.webhooks.outbox import Event

__all__ = ["earlier_colours", "round_events"]


def earlier_colours(year: int) -> Select[Any]:
    """Each enterprise's newest unrevoked rating of an earlier year: what a new year's colour is compared with."""
    r = RatingRecord
    return (
        select(r.id, r.enterprise_id, r.colour)
        .where(r.year < year, r.status != "revoked")
        .ext(distinct_on(r.enterprise_id))
        .order_by(r.enterprise_id, r.year.desc(), r.issued_at.desc())
    )


def round_events(
    year: int, issued: list[dict[str, Any]], superseded: Sequence[Any], earlier: Sequence[Any] = ()
) -> Iterator[Event]:
    """`issued`: the new rating rows; `superseded`: (id, enterprise_id, colour) of the year's previous ones;
    `earlier`: the same of each enterprise's newest rating of an earlier year (for the colour change)."""
    before = {row.enterprise_id: row for row in superseded}
    last_year = {row.enterprise_id: row for row in earlier}
    for row in issued:
        ent: uuid.UUID = row["enterprise_id"]
        ids = {
            "rating_id": str(row["id"]),
            "uscc": row["payload"]["sub"],
            "year": year,
            "round_id": str(row["round_id"]),
            "methodology_version": row["methodology_version"],
        }
        yield ent, EventType.RATING_ISSUED, ids
        old = before.pop(ent, None)
        if old is not None:
            yield ent, EventType.RATING_SUPERSEDED, {**ids, "rating_id": str(old.id), "superseded_by": str(row["id"])}
        compared = old if old is not None else last_year.get(ent)
        if compared is not None and compared.colour != row["colour"]:
            yield ent, EventType.RATING_COLOUR_CHANGED, {**ids, "previous_rating_id": str(compared.id)}
    for ent, old in before.items():  # superseded without a successor (no current filing this time)
        yield ent, EventType.RATING_SUPERSEDED, {"rating_id": str(old.id), "year": year, "superseded_by": None}
