"""The web console's people and sessions: per-person accounts an organisation's own clients
create (passwords hashed with Argon2id), and the sessions a login opens (the cookie holds a
random token; only its SHA-256 is stored)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import CheckConstraint, ForeignKey, Index, SmallInteger, String, func
from sqlalchemy.orm import Mapped, mapped_column

from service.db.base import Base

__all__ = ["ConsoleSession", "ConsoleUser"]


class ConsoleUser(Base):
    __tablename__ = "console_users"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)  # uq_console_users_username
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))  # argon2id, PHC string
    failed_logins: Mapped[int] = mapped_column(SmallInteger, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    created_by_client_id: Mapped[str | None] = mapped_column(String(64))
    disabled_at: Mapped[dt.datetime | None]


class ConsoleSession(Base):
    __tablename__ = "console_sessions"
    __table_args__ = (
        CheckConstraint("(client_id IS NULL) <> (user_id IS NULL)", name="one_subject"),
        Index("ix_console_sessions_expires_at", "expires_at"),
    )

    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))
    client_id: Mapped[str | None] = mapped_column(ForeignKey("api_clients.client_id"))  # logged in with a client
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("console_users.id"))  # or as a person
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    expires_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]
