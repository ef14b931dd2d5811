"""The webhook events a completed round raises: issued, superseded, colour changed."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from typing import Any

from domain.webhooks import EventType
from service.webhooks.outbox import Event

__all__ = ["round_events"]


def round_events(year: int, issued: list[dict[str, Any]], superseded: Sequence[Any]) -> Iterator[Event]:
    """`issued`: the new rating rows; `superseded`: (id, enterprise_id, colour) of the year's previous ones."""
    before = {row.enterprise_id: row for row in superseded}
    for row in issued:
        ent: uuid.UUID = row["enterprise_id"]
        ids = {
            "rating_id": str(row["id"]),
            "uscc": row["payload"]["sub"],
            "year": year,
            "round_id": str(row["round_id"]),
        }
        yield ent, EventType.RATING_ISSUED, ids
        old = before.pop(ent, None)
        if old is not None:
            yield ent, EventType.RATING_SUPERSEDED, {**ids, "rating_id": str(old.id), "superseded_by": str(row["id"])}
            if old.colour != row["colour"]:
                yield ent, EventType.RATING_COLOUR_CHANGED, {**ids, "previous_rating_id": str(old.id)}
    for ent, old in before.items():  # superseded without a successor (no current filing this time)
        yield ent, EventType.RATING_SUPERSEDED, {"rating_id": str(old.id), "year": year, "superseded_by": None}
