"""The events a completed round raises: issued always; superseded for the year's previous
rating; colour changed against that rating, or else the newest rating of an earlier year."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec

from service.ratings.events import round_events


class Old(msgspec.Struct):
    id: uuid.UUID
    enterprise_id: uuid.UUID
    colour: str


def _row(ent: uuid.UUID, colour: str) -> dict[str, Any]:
    return {"id": uuid.uuid4(), "enterprise_id": ent, "round_id": uuid.uuid4(), "colour": colour,
            "methodology_version": "2", "payload": {"sub": "91370303MA3EX011XA"}}  # fmt: skip


def _types(events: list[Any]) -> list[str]:
    return [t.value for _, t, _ in events]


def test_same_year_rerun_supersedes_and_compares_with_the_superseded() -> None:
    ent = uuid.uuid4()
    old = Old(uuid.uuid4(), ent, "yellow")
    events = list(round_events(2024, [_row(ent, "light_green")], [old], [Old(uuid.uuid4(), ent, "light_green")]))
    assert _types(events) == ["rating.issued", "rating.superseded", "rating.colour_changed"]
    assert events[2][2]["previous_rating_id"] == str(old.id)


def test_a_new_year_compares_with_last_years_rating() -> None:
    ent, quiet = uuid.uuid4(), uuid.uuid4()
    earlier = [Old(uuid.uuid4(), ent, "red"), Old(uuid.uuid4(), quiet, "yellow")]
    events = list(round_events(2024, [_row(ent, "yellow"), _row(quiet, "yellow")], [], earlier))
    assert _types(events) == ["rating.issued", "rating.colour_changed", "rating.issued"]
    assert events[1][2]["previous_rating_id"] == str(earlier[0].id)


def test_a_rating_without_successor_is_still_superseded() -> None:
    gone = Old(uuid.uuid4(), uuid.uuid4(), "yellow")
    events = list(round_events(2024, [], [gone]))
    assert _types(events) == ["rating.superseded"] and events[0][2]["superseded_by"] is None
