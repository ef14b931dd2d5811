"""Bootstrap callers from the command line: the first admin, regulator or rating authority."""

from __future__ import annotations

import uuid

from domain.organisations import OrgKind
from service.db.engine import make_engine, make_sessionmaker
from service.organisations import create_client, create_organisation, get_organisation
from service.settings import Settings

__all__ = ["bootstrap_client"]


async def bootstrap_client(
    settings: Settings, kind: OrgKind, org_name: str | None, org_id: str | None, name: str
) -> dict[str, str]:
    """An organisation of a bootstrap kind (or an existing one) and a new client, as the owner."""
    engine = make_engine(settings.database_url, pool_size=1)
    try:
        async with make_sessionmaker(engine)() as db, db.begin():
            if org_id:
                org = await get_organisation(db, uuid.UUID(org_id))
                if org.kind != kind.value:
                    raise SystemExit(f"organisation {org_id} is a {org.kind}, not a {kind.value}")
            else:
                org = await create_organisation(db, None, kind=kind, name=org_name or kind.value)
            client, secret = await create_client(db, None, org_id=org.id, name=name)
            return {
                "org_id": str(org.id),
                "org_kind": kind.value,
                "client_id": client.client_id,
                "client_secret": secret,
            }
    finally:
        await engine.dispose()
