"""`/v1/console-users`: an organisation's own clients manage the people who log in to the web
console (/console/) with a username and password instead of the organisation's client secret."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, delete, get, post
from litestar.params import JSONBody, PathParameter

from service.auth.access import ALL_KINDS, access
from service.console import people as use
from service.db.models import ConsoleUser
from service.db.session import DB

__all__ = ["ConsoleUserController", "PersonCreate", "PersonRead"]

UserId = Annotated[uuid.UUID, PathParameter(description="The console user's id")]


class PersonCreate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    username: Annotated[str, msgspec.Meta(pattern="^[a-z0-9._-]{3,64}$")]
    """3 to 64 characters: lower-case letters, digits, `.`, `_`, `-`; unique on the platform."""
    display_name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    password: Annotated[str, msgspec.Meta(min_length=12, max_length=1024)]
    """At least 12 characters; kept only as an Argon2id hash, never shown again."""


class PersonRead(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    username: str
    display_name: str
    created_at: dt.datetime
    created_by_client_id: str | None
    failed_logins: int
    """Wrong passwords since the last successful login."""
    disabled_at: dt.datetime | None

    @classmethod
    def of(cls, p: ConsoleUser) -> PersonRead:
        return cls(id=p.id, username=p.username, display_name=p.display_name, created_at=p.created_at,
                   created_by_client_id=p.created_by_client_id, failed_logins=p.failed_logins,
                   disabled_at=p.disabled_at)  # fmt: skip


class ConsoleUserController(Controller):
    path = "/v1/console-users"
    tags = ["console"]

    @post("/", status_code=201, **access(*ALL_KINDS, errors=(409, 413, 422)))
    async def create(self, data: JSONBody[PersonCreate], request: Request[Any, Any, Any], db: DB) -> PersonRead:
        """A person of the caller's own organisation, who logs in to the console at /console/login
        with this username and password. 409 if the username is taken (by anyone, ever)."""
        person = await use.create_person(
            db, request.user, username=data.username, display_name=data.display_name, password=data.password
        )
        return PersonRead.of(person)

    @get("/", **access(*ALL_KINDS))
    async def list_people(self, request: Request[Any, Any, Any], db: DB) -> list[PersonRead]:
        """The caller's organisation's people, disabled ones included (never a password or its hash)."""
        return [PersonRead.of(p) for p in await use.people_of(db, request.user)]

    @delete("/{user_id:uuid}", status_code=200, **access(*ALL_KINDS, errors=(404,)))
    async def disable(self, user_id: UserId, request: Request[Any, Any, Any], db: DB) -> PersonRead:
        """Disable a person: no more logins, and their open console sessions end now. Again is a no-op."""
        return PersonRead.of(await use.disable_person(db, request.user, user_id))
