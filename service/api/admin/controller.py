"""`/v1/admin/...`: organisations of banks and verifiers, API clients, rotation, revocation."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery, JSONBody

from domain.organisations import OrgKind
from service import organisations as orgs
from service.api.admin.schemas import (
    ClientCredentials,
    ClientRead,
    CreateClient,
    CreateOrganisation,
    OrganisationRead,
)
from service.api.pagination import DEFAULT_LIMIT, Limit, Page, cursor_error, decode_cursor, encode_cursor
from service.auth.access import access
from service.db.session import DB
from service.idempotency import idempotent

__all__ = ["AdminController"]

ADMIN = OrgKind.ADMIN


def _credentials(client: Any, secret: str | None) -> ClientCredentials:
    return ClientCredentials(client_id=client.client_id, org_id=client.org_id, name=client.name, client_secret=secret)


def _without_secret(value: ClientCredentials) -> ClientCredentials:
    return msgspec.structs.replace(value, client_secret=None)


class AdminController(Controller):
    path = "/v1/admin"
    tags = ["admin"]

    @post("/organisations", **access(ADMIN, errors=(409, 413, 422)))
    async def create_organisation(
        self, data: JSONBody[CreateOrganisation], request: Request[Any, Any, Any], db: DB
    ) -> Response[OrganisationRead]:
        """Create a bank or verifier organisation."""

        async def run() -> OrganisationRead:
            org = await orgs.create_organisation(db, request.user, kind=OrgKind(data.kind.value), name=data.name)
            return OrganisationRead.of(org)

        return await idempotent(request, db, run)

    @get("/organisations", **access(ADMIN, errors=(422,)))
    async def list_organisations(
        self,
        db: DB,
        kind: FromQuery[OrgKind | None] = None,
        cursor: FromQuery[str | None] = None,
        limit: Limit = DEFAULT_LIMIT,
    ) -> Page[OrganisationRead]:
        """Every organisation, in a stable (id) order."""
        after = decode_cursor(cursor)
        rows, more = await orgs.list_organisations(db, kind, after=_uuid_cursor(after) if after else None, limit=limit)
        return Page(
            items=[OrganisationRead.of(o) for o in rows],
            next_cursor=encode_cursor(str(rows[-1].id)) if more else None,
        )

    @get("/organisations/{org_id:uuid}", **access(ADMIN, errors=(404,)))
    async def get_organisation(self, org_id: FromPath[uuid.UUID], db: DB) -> OrganisationRead:
        return OrganisationRead.of(await orgs.get_organisation(db, org_id))

    @post("/organisations/{org_id:uuid}/clients", **access(ADMIN, errors=(404, 413, 422)))
    async def create_client(
        self, org_id: FromPath[uuid.UUID], data: JSONBody[CreateClient], request: Request[Any, Any, Any], db: DB
    ) -> Response[ClientCredentials]:
        """A new API client of a bank or verifier; its secret is in this answer only (others: 403)."""

        async def run() -> ClientCredentials:
            client, secret = await orgs.create_client(db, request.user, org_id=org_id, name=data.name)
            return _credentials(client, secret)

        return await idempotent(request, db, run, redact=_without_secret)

    @get("/organisations/{org_id:uuid}/clients", **access(ADMIN, errors=(404,)))
    async def list_clients(self, org_id: FromPath[uuid.UUID], db: DB) -> list[ClientRead]:
        return [ClientRead.of(c) for c in await orgs.list_clients(db, org_id)]

    @post("/clients/{client_id:str}/rotation", status_code=200, **access(ADMIN, errors=(404, 409)))
    async def rotate(self, client_id: FromPath[str], request: Request[Any, Any, Any], db: DB) -> ClientCredentials:
        """Replace a bank's or verifier's secret; the old secret and its tokens stop working at once."""
        client, secret = await orgs.rotate_secret(db, request.user, client_id)
        return _credentials(client, secret)

    @post("/clients/{client_id:str}/revocation", status_code=200, **access(ADMIN, errors=(404,)))
    async def revoke(self, client_id: FromPath[str], request: Request[Any, Any, Any], db: DB) -> ClientRead:
        """Revoke a client: its secret and tokens stop working at once. Idempotent."""
        return ClientRead.of(await orgs.revoke_client(db, request.user, client_id))


def _uuid_cursor(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise cursor_error() from exc
