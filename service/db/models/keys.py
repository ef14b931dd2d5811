"""Signing keys: the public half in the clear, the private half encrypted at rest."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, LargeBinary, String, func, text
from sqlalchemy.orm import Mapped, mapped_column

from service.db.base import Base

__all__ = ["SigningKey"]


class SigningKey(Base):
    __tablename__ = "signing_keys"
    __table_args__ = (
        # One current access key, even when several API processes start at once.
        Index(
            "uq_signing_keys_current_access",
            "purpose",
            unique=True,
            postgresql_where=text("retired_at IS NULL AND purpose = 'access'"),
        ),
    )

    kid: Mapped[str] = mapped_column(String(64), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(16))  # access | rating
    alg: Mapped[str] = mapped_column(String(16))
    public_pem: Mapped[str]
    private_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    activates_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())  # published before it signs
    retired_at: Mapped[dt.datetime | None]
