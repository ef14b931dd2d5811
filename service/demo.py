"""Demo data for `serve --demo`: one organisation of each kind and two enterprises.

Seeded once per database; the credentials are written (0600) to the data directory
and printed, since secrets are shown once and cannot be read back.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy import select

from domain.organisations import Decision, OrgKind, OrgStatus
from domain.uscc import org_code_check_character, uscc_check_character
from service.auth.principal import Principal
from service.db.engine import make_engine, make_sessionmaker
from service.db.models import Enterprise, Organisation
from service.enterprises import decide, register
from service.organisations import create_client, create_organisation
from service.settings import Settings, data_dir

__all__ = ["demo_uscc", "seed_demo"]

_DEMO_ORGS = (
    (OrgKind.ADMIN, "演示平台管理员 Demo admin"),
    (OrgKind.REGULATOR, "淄博市生态环境局 (demo)"),
    (OrgKind.RATING_AUTHORITY, "淄博市双碳办 (demo)"),
    (OrgKind.BANK, "演示银行淄博分行 Demo bank"),
    (OrgKind.VERIFIER, "演示核查机构 Demo verifier"),
)
_DEMO_ENTERPRISES = (
    ("370303", "MA3C4K1", "3011", "淄博演示水泥有限公司", True),
    ("370305", "MA3D2P8", "2511", "淄博演示石化有限公司", False),
)


def demo_uscc(district: str, org_body7: str) -> str:
    """A USCC with valid check characters, for demo and test data."""
    body8 = org_body7 + "1"
    first17 = "91" + district + body8 + org_code_check_character(body8)
    return first17 + uscc_check_character(first17)


async def seed_demo(settings: Settings) -> dict[str, Any]:
    path = data_dir() / f"demo-credentials-{uuid.uuid5(uuid.NAMESPACE_URL, settings.database_url)}.json"
    engine = make_engine(settings.database_url, pool_size=1)
    try:
        async with make_sessionmaker(engine)() as db, db.begin():
            if path.exists():
                saved = json.loads(path.read_text())
                if await db.get(Organisation, uuid.UUID(saved["admin"]["org_id"])) is not None:
                    return {"demo": "already seeded", "credentials_file": str(path), **saved}
            demo_usccs = [demo_uscc(d, body) for d, body, *_ in _DEMO_ENTERPRISES]
            if await db.scalar(select(Enterprise.uscc).where(Enterprise.uscc.in_(demo_usccs))) is not None:
                return {"demo": "already seeded; its credentials file is gone: use `carbon-account clients create`"}
            out: dict[str, Any] = {}
            for kind, name in _DEMO_ORGS:
                org = await create_organisation(db, None, kind=kind, name=name)
                client, secret = await create_client(db, None, org_id=org.id, name="demo")
                out[kind.value] = {"org_id": str(org.id), "client_id": client.client_id, "client_secret": secret}
            regulator = Principal(
                client_id=out["regulator"]["client_id"],
                org_id=uuid.UUID(out["regulator"]["org_id"]),
                kind=OrgKind.REGULATOR,
                status=OrgStatus.ACTIVE,
            )
            for district, body, industry, name, approve in _DEMO_ENTERPRISES:
                uscc = demo_uscc(district, body)
                _, _, client, secret = await register(
                    db, uscc=uscc, name=name, district=district, zone=None, industry=industry
                )
                if approve:
                    await decide(db, regulator, uscc, Decision.APPROVE, "demo")
                out[f"enterprise {uscc}"] = {"client_id": client.client_id, "client_secret": secret, "name": name}
    finally:
        await engine.dispose()
    path.write_text(json.dumps(out, ensure_ascii=False, indent=2))
    path.chmod(0o600)
    return {"demo": "seeded", "credentials_file": str(path), **out}
