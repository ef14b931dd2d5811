"""Signing keys: the public half in the clear, the private half encrypted at rest."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import LargeBinary, String, func
from sqlalchemy.orm import Mapped, mapped_column

from service.db.base import Base

__all__ = ["SigningKey"]


class SigningKey(Base):
    __tablename__ = "signing_keys"

    kid: Mapped[str] = mapped_column(String(64), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(16))  # access | rating
    alg: Mapped[str] = mapped_column(String(16))
    public_pem: Mapped[str]
    private_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    retired_at: Mapped[dt.datetime | None]
