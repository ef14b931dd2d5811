"""An organisation's people in the console: its own clients create their accounts (the password
hashed with Argon2id, never stored or shown otherwise), list them and disable them. A disabled
person cannot log in and every session they hold stops at once; the row stays, so the username
is never reused for someone else and the audit trail keeps naming them."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import Conflict, NotFound
from service.audit import record_event
from service.auth.principal import Principal
from service.console.login import HASHER
from service.db.models import ConsoleSession, ConsoleUser

__all__ = ["create_person", "disable_person", "people_of"]


def _taken(username: str) -> Conflict:
    return Conflict(f"The username {username} is already taken.")


async def create_person(
    db: AsyncSession, actor: Principal, *, username: str, display_name: str, password: str
) -> ConsoleUser:
    """A person of the caller's own organisation. Usernames are unique across the platform (a
    login names no organisation), disabled people's included."""
    if await db.scalar(select(ConsoleUser.id).where(ConsoleUser.username == username)) is not None:
        raise _taken(username)
    password_hash = await asyncio.to_thread(HASHER.hash, password)  # ~50 ms of CPU: off the event loop
    person = ConsoleUser(org_id=actor.org_id, username=username, display_name=display_name,
                         password_hash=password_hash, failed_logins=0, created_by_client_id=actor.client_id)  # fmt: skip
    db.add(person)
    try:
        await db.flush()
    except IntegrityError as exc:  # a concurrent twin loses here; the request rolls back
        if "uq_console_users_username" not in str(exc.orig):
            raise
        raise _taken(username) from exc
    await db.refresh(person)
    await record_event(db, actor, "console_user.create", f"console_user:{person.id}", username=username)
    return person


async def people_of(db: AsyncSession, actor: Principal) -> list[ConsoleUser]:
    """The caller's organisation's people, disabled ones too, oldest first."""
    stmt = select(ConsoleUser).where(ConsoleUser.org_id == actor.org_id)
    return list(await db.scalars(stmt.order_by(ConsoleUser.created_at, ConsoleUser.username)))


async def disable_person(db: AsyncSession, actor: Principal, user_id: uuid.UUID) -> ConsoleUser:
    """Disable a person of the caller's organisation and end their sessions; disabling again
    changes nothing (the first time stays recorded). Another organisation's person is not found."""
    person = await db.get(ConsoleUser, user_id)
    if person is None or person.org_id != actor.org_id:
        raise NotFound("No such console user.")
    if person.disabled_at is None:
        now = dt.datetime.now(dt.UTC)
        person.disabled_at = now
        await db.execute(
            update(ConsoleSession)
            .where(ConsoleSession.user_id == person.id, ConsoleSession.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        await db.flush()
        await record_event(db, actor, "console_user.disable", f"console_user:{person.id}", username=person.username)
    return person
