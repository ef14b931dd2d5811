"""Keyset pages: the rows after a cursor's (time, id), in (time, id) order, by an index-friendly
row comparison rather than an offset that rereads every earlier row."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import ColumnElement, tuple_

__all__ = ["after_time_id"]


def after_time_id(at_column: Any, id_column: Any, after: tuple[dt.datetime, uuid.UUID]) -> ColumnElement[bool]:
    """`(at_column, id_column) > after`: the next page of a list ordered by both."""
    return tuple_(at_column, id_column) > tuple_(*after)
