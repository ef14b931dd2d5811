"""Declarative base: constraint naming convention and the one type map."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import DateTime, MetaData, Numeric, Uuid
from sqlalchemy.orm import DeclarativeBase

__all__ = ["NAMING_CONVENTION", "Base", "as_filed"]

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    # Numbers are never floats; times always carry their zone.
    type_annotation_map = {
        dt.datetime: DateTime(timezone=True),
        Decimal: Numeric(38, 12),
        uuid.UUID: Uuid(),
    }


def as_filed(d: Decimal) -> Decimal:
    """A `Numeric(38, 12)` value without the column's padding (110.000000000000 → 110), as it
    was filed: the same number, the way the filer wrote it."""
    n = d.normalize()
    return n.quantize(Decimal(1)) if n == n.to_integral_value() else n
