"""Demo data for `carbon-account seed-demo` and `serve --demo`: a small city.

About 40 fictional enterprises with valid USCCs across Zibo's districts (at least five
each of cement clinker, ceramic tiles and inorganic alkali; the others spread over flat
glass, refining, ethylene, ammonia, coking, coal power, CHP and steel), filings for 2023
and 2024 (most verified, a few products below 基准, one correction, one enterprise that
has not filed 2024), one pending registration; a regulator, a rating authority, two
verifiers and two banks; rating rounds for 2023 and 2024; consents from four enterprises. Everything goes through the same use cases as the API.

Seeded once per database; the credentials are written (0600) to the data directory and
printed, since secrets are shown once and cannot be read back.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from typing import Any

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.consents import Purpose, Scope
from domain.districts import DISTRICTS
from domain.filings import FilingContent, VerificationOutcome
from domain.organisations import Decision, OrgKind, OrgStatus
from domain.uscc import org_code_check_character, uscc_check_character
from service.auth.principal import Principal
from service.consents import grant
from service.db.engine import make_engine, make_sessionmaker
from service.db.models import Enterprise
from service.demo_filings import TEMPLATES, demo_content
from service.enterprises import decide, register
from service.filings import create_filing, submit_filing
from service.organisations import create_client, create_organisation
from service.ratings.job import RoundRunner
from service.ratings.rounds import start_round
from service.settings import Settings, data_dir
from service.verification import engage, verify

__all__ = ["ROSTER", "demo_uscc", "seed_demo"]

_ORGS = (
    ("admin", OrgKind.ADMIN, "演示平台管理员 Demo admin"),
    ("regulator", OrgKind.REGULATOR, "淄博市生态环境局 (demo)"),
    ("rating_authority", OrgKind.RATING_AUTHORITY, "淄博市双碳办 (demo)"),
    ("verifier_1", OrgKind.VERIFIER, "鲁信碳核查中心 (demo verifier)"),
    ("verifier_2", OrgKind.VERIFIER, "齐鲁绿色认证有限公司 (demo verifier)"),
    ("bank_1", OrgKind.BANK, "演示银行淄博分行 (demo bank)"),
    ("bank_2", OrgKind.BANK, "齐商演示银行 (demo bank)"),
)
# (template, how many): 41 enterprises; at least five in each of three classes.
ROSTER = (
    ("cement", 6), ("ceramic", 7), ("alkali", 5), ("glass", 3), ("refining", 3), ("ethylene", 2),
    ("ammonia", 3), ("coking", 3), ("power", 3), ("chp", 3), ("ironmaking", 2), ("steelmaking", 1),
)  # fmt: skip
_STEMS = [
    "鲁中",
    "齐盛",
    "华岳",
    "金岭",
    "泰和",
    "博汇",
    "宏达",
    "瑞丰",
    "恒信",
    "东岳",
    "鑫源",
    "润通",
    "海岱",
    "稷下",
    "齐都",
    "黄河",
    "般阳",
    "孝妇",
    "鲁泰",
    "华昌",
]
_REPORT = "0" * 63 + "1"


def demo_uscc(district: str, org_body7: str) -> str:
    """A USCC with valid check characters, for demo and test data."""
    body8 = org_body7 + "1"
    first17 = "91" + district + body8 + org_code_check_character(body8)
    return first17 + uscc_check_character(first17)


def _standing(i: int) -> str:
    """Most between 标杆 and 基准, every fourth at 标杆, every seventh below 基准."""
    return "below_baseline" if i % 7 == 3 else "benchmark" if i % 4 == 1 else "baseline"


class _Seeder:
    def __init__(self, db: AsyncSession) -> None:
        self.db = db
        self.rng = random.Random(20231125)
        self.out: dict[str, Any] = {}
        self.actors: dict[str, Principal] = {}
        self.principals: list[Principal] = []

    async def organisations(self) -> None:
        for key, kind, name in _ORGS:
            org = await create_organisation(self.db, None, kind=kind, name=name)
            client, secret = await create_client(self.db, None, org_id=org.id, name="demo")
            self.out[key] = {
                "org_id": str(org.id),
                "name": name,
                "client_id": client.client_id,
                "client_secret": secret,
            }
            self.actors[key] = Principal(client_id=client.client_id, org_id=org.id, kind=kind, status=OrgStatus.ACTIVE)

    async def enterprise(self, i: int, key: str, n: int) -> dict[str, Any]:
        template = TEMPLATES[key]
        district = sorted(DISTRICTS)[i % len(DISTRICTS)]
        uscc = demo_uscc(district, f"DM{i:05d}")
        name = f"淄博{_STEMS[i % len(_STEMS)]}{template.stem}有限公司{'' if n == 0 else n + 1}(演示)"
        _, org, client, secret = await register(
            self.db, uscc=uscc, name=name, district=district, zone=None, industry=template.industry
        )
        await decide(self.db, self.actors["regulator"], uscc, Decision.APPROVE, "demo")
        ent = Principal(
            client_id=client.client_id, org_id=org.id, kind=OrgKind.ENTERPRISE, status=OrgStatus.ACTIVE, uscc=uscc
        )
        self.principals.append(ent)
        verifier = self.actors["verifier_1" if i % 2 else "verifier_2"]
        await engage(self.db, ent, uscc, verifier.org_id)
        scale, standing = self.rng.random(), _standing(i)
        for year in (2023, 2024):
            if year == 2024 and i == 5:
                continue  # one enterprise has not filed 2024 yet
            content = msgspec.convert(demo_content(template, self.rng, year, standing, scale), FilingContent)
            await self._file(ent, verifier, uscc, year, content, verified=not (year == 2024 and i % 5 == 2))
        if i == 8:  # a correction of 2023: version 2 supersedes the verified version 1
            content = msgspec.convert(demo_content(template, self.rng, 2023, standing, scale), FilingContent)
            await self._file(ent, verifier, uscc, 2023, content, verified=True, supersedes=1)
        return {"uscc": uscc, "name": name, "client_id": client.client_id, "client_secret": secret}

    async def _file(
        self,
        ent: Principal,
        verifier: Principal,
        uscc: str,
        year: int,
        content: FilingContent,
        *,
        verified: bool,
        supersedes: int | None = None,
    ) -> None:
        filing, _ = await create_filing(self.db, ent, uscc, period=year, supersedes=supersedes, content=content)
        await submit_filing(self.db, ent, filing.id)
        if verified:
            await verify(
                self.db,
                verifier,
                filing.id,
                outcome=VerificationOutcome.VERIFIED,
                opinion="演示核查意见",
                report_sha256=_REPORT,
            )

    async def consents(self) -> None:
        """The first three enterprises let bank 1 read everything; the fourth lets bank 2 see its grade."""
        until = dt.datetime.now(dt.UTC) + dt.timedelta(days=730)
        for i, ent in enumerate(self.principals[:4]):
            bank, scope = (self.actors["bank_1"], Scope.FULL) if i < 3 else (self.actors["bank_2"], Scope.GRADE_ONLY)
            await grant(self.db, ent, ent.uscc or "", bank_org_id=bank.org_id, purpose=Purpose.CREDIT, scope=scope,
                        expires_at=until)  # fmt: skip

    async def run(self) -> dict[str, Any]:
        await self.organisations()
        i, enterprises = 0, []
        for key, count in ROSTER:
            for n in range(count):
                enterprises.append(await self.enterprise(i, key, n))
                i += 1
        await self.consents()
        uscc = demo_uscc("370305", "DMPEND1")
        _, _, client, secret = await register(
            self.db, uscc=uscc, name="淄博待审演示化工有限公司(演示)", district="370305", zone=None, industry="2614"
        )
        pending = {"uscc": uscc, "client_id": client.client_id, "client_secret": secret, "status": "pending"}
        return {**self.out, "enterprises": [*enterprises, pending]}


async def _rate(settings: Settings) -> None:
    """Rating rounds for 2023 and 2024, run here as the job would run them."""
    engine = make_engine(settings.database_url, pool_size=2)
    try:
        sessionmaker = make_sessionmaker(engine)
        for year in (2023, 2024):
            async with sessionmaker() as db, db.begin():
                rnd = await start_round(db, None, year)
            await RoundRunner(engine, sessionmaker, settings).claim_and_run(rnd.id)
    finally:
        await engine.dispose()


async def seed_demo(settings: Settings) -> dict[str, Any]:
    """Seed once; print the organisations' credentials (every enterprise's are in the file)."""
    path = data_dir() / f"demo-credentials-{uuid.uuid5(uuid.NAMESPACE_URL, settings.database_url)}.json"
    engine = make_engine(settings.database_url, pool_size=1)
    try:
        async with make_sessionmaker(engine)() as db, db.begin():
            first = demo_uscc(sorted(DISTRICTS)[0], "DM00000")
            if await db.scalar(select(Enterprise.uscc).where(Enterprise.uscc == first)) is not None:
                if path.exists():
                    return {"demo": "already seeded", "credentials_file": str(path)}
                return {"demo": "already seeded; its credentials file is gone: use `carbon-account clients create`"}
            out = await _Seeder(db).run()
    finally:
        await engine.dispose()
    await _rate(settings)
    path.write_text(json.dumps(out, ensure_ascii=False, indent=2))
    path.chmod(0o600)
    shown = {k: v for k, v in out.items() if k != "enterprises"}
    return {"demo": "seeded", "credentials_file": str(path), **shown, "enterprises": out["enterprises"][:3]}
