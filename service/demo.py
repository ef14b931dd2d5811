"""Demo data for `carbon-account seed-demo` and `serve --demo`: a small Zibo.

47 fictional enterprises with valid USCCs, each in its industry's district (CLUSTERS:
refining, ethylene and chemicals in 临淄 and 桓台, ceramics in 淄川 and 博山, refractories,
aluminium, steel in 张店's 经开区, …; at least five each of cement clinker, ceramic tiles and
inorganic alkali), filings for 2023 and 2024 (most verified, a few products below 基准, one
correction, one enterprise that has not filed 2024), one pending registration; a regulator,
a rating authority, two verifiers and two banks; rating rounds for 2023 and 2024 (their
certificates are rendered by the service once it serves); consents from four enterprises.
Everything goes through the same use cases as the API, and the same seed gives the same city.

Seeded once per database; the credentials are written (0600) to the data directory and
printed, since secrets are shown once and cannot be read back.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.consents import Purpose, Scope
from domain.filings import FilingContent, VerificationOutcome
from domain.organisations import Decision, OrgKind, OrgStatus
from domain.uscc import org_code_check_character, uscc_check_character
from service.auth.principal import Principal
from service.consents import grant
from service.db.engine import make_engine, make_sessionmaker
from service.db.models import CertificateJob, Enterprise
from service.demo_filings import TEMPLATES, demo_content
from service.demo_finance import seed_finance
from service.enterprises import decide, register
from service.filings import create_filing, submit_filing
from service.organisations import create_client, create_organisation
from service.ratings.job import RoundRunner
from service.ratings.rounds import get_round, start_round
from service.settings import Settings, data_dir
from service.verification import engage, verify

__all__ = [
    "CLUSTERS",
    "ROSTER",
    "WALKTHROUGH_ROLES",
    "Planned",
    "credentials_path",
    "demo_uscc",
    "plan",
    "seed_demo",
    "walkthrough_env",
]

_ORGS = (
    ("admin", OrgKind.ADMIN, "演示平台管理员 Demo admin"),
    ("regulator", OrgKind.REGULATOR, "淄博市生态环境局 (demo)"),
    ("rating_authority", OrgKind.RATING_AUTHORITY, "淄博市双碳办 (demo)"),
    ("verifier_1", OrgKind.VERIFIER, "海岱碳核查中心 (demo verifier)"),
    ("verifier_2", OrgKind.VERIFIER, "岱青绿色认证有限公司 (demo verifier)"),
    ("bank_1", OrgKind.BANK, "演示银行淄博分行 (demo bank)"),
    ("bank_2", OrgKind.BANK, "齐商演示银行 (demo bank)"),
)
ZICHUAN, ZHANGDIAN, BOSHAN, LINZI, ZHOUCUN, HUANTAI, GAOQING, YIYUAN = (
    "370302", "370303", "370304", "370305", "370306", "370321", "370322", "370323",
)  # fmt: skip
# Where each demo industry sits: the districts of its cluster in Zibo (the project's reading of
# the city, for a plausible demo): refining, ethylene and the chemical base in 临淄 (辛店,
# the 齐鲁 petrochemical area) and 桓台, chlor-alkali and fertiliser also in 高青's chemical
# park; ceramics in 淄川 and 博山; refractories in 博山, 淄川 and 周村 (王村); flat glass in
# 博山 and 淄川; cement in 淄川, 博山 and 沂源; coking beside the 淄川 coalfield and in 临淄;
# aluminium smelting in southern 张店 (南定) and 临淄; iron and steel in 张店's 经开区;
# coal power and CHP spread over the city.
CLUSTERS: dict[str, tuple[str, ...]] = {
    "refining": (LINZI, HUANTAI),
    "ethylene": (LINZI,),
    "alkali": (LINZI, HUANTAI, GAOQING),
    "ammonia": (LINZI, HUANTAI, GAOQING),
    "coking": (ZICHUAN, LINZI),
    "ceramic": (ZICHUAN, BOSHAN),
    "refractory": (BOSHAN, ZICHUAN, ZHOUCUN),
    "glass": (BOSHAN, ZICHUAN),
    "cement": (ZICHUAN, BOSHAN, YIYUAN),
    "aluminium": (ZHANGDIAN, LINZI),
    "ironmaking": (ZHANGDIAN,),
    "steelmaking": (ZHANGDIAN,),
    "power": (ZICHUAN, LINZI, BOSHAN, YIYUAN, HUANTAI),
    "chp": (ZHANGDIAN, ZHOUCUN, GAOQING, HUANTAI, ZICHUAN),
}
Site = tuple[str, str | None]  # (district, functional zone)
# Seeding order (the first enterprises hold the consents and lead the walk-through):
# (template, the site of each of its enterprises). 47 enterprises; five or more in three classes.
ROSTER: tuple[tuple[str, tuple[Site, ...]], ...] = (
    ("cement", ((ZICHUAN, None), (BOSHAN, None), (YIYUAN, None), (ZICHUAN, None), (BOSHAN, None), (YIYUAN, None))),
    ("ceramic", ((ZICHUAN, None), (ZICHUAN, None), (BOSHAN, None), (ZICHUAN, None), (BOSHAN, None),
                 (ZICHUAN, None), (BOSHAN, None))),
    ("refractory", ((BOSHAN, None), (ZICHUAN, None), (ZHOUCUN, None), (BOSHAN, None))),
    ("alkali", ((LINZI, None), (HUANTAI, None), (LINZI, None), (GAOQING, None), (HUANTAI, None))),
    ("glass", ((BOSHAN, None), (ZICHUAN, None), (BOSHAN, None))),
    ("refining", ((LINZI, None), (LINZI, None), (HUANTAI, None))),
    ("ethylene", ((LINZI, None), (LINZI, None))),
    ("ammonia", ((HUANTAI, None), (LINZI, None), (GAOQING, None))),
    ("coking", ((ZICHUAN, None), (LINZI, None), (ZICHUAN, None))),
    ("aluminium", ((ZHANGDIAN, None), (LINZI, None))),
    ("power", ((ZICHUAN, None), (LINZI, None), (YIYUAN, None))),
    ("chp", ((ZHANGDIAN, "high_tech"), (ZHOUCUN, None), (GAOQING, None))),
    ("ironmaking", ((ZHANGDIAN, "economic_development"), (ZHANGDIAN, "economic_development"))),
    ("steelmaking", ((ZHANGDIAN, "economic_development"),)),
)  # fmt: skip
# Trade-name stems from each district's towns, rivers and old names (fictional companies).
_STEMS: dict[str, tuple[str, ...]] = {
    ZICHUAN: ("般阳", "梓橦", "峨庄", "昆仑", "洪山", "双杨", "罗村", "寨里", "龙泉", "太河", "岭子", "西河"),
    BOSHAN: ("颜神", "岳阴", "石马", "域城", "八陡", "白塔", "池上", "山头", "西冶", "福山"),
    LINZI: ("稷下", "牛山", "雪宫", "辛店", "敬仲", "皇城", "朱台", "齐陵", "淄河", "雪山"),
    HUANTAI: ("马踏湖", "起凤", "果里", "荆家", "索镇", "田庄"),
    GAOQING: ("芦湖", "花沟", "唐坊", "常家"),
    YIYUAN: ("鲁山", "南麻", "悦庄", "燕崖"),
    ZHOUCUN: ("萌水", "王村", "商家"),
    ZHANGDIAN: ("沣水", "傅家", "湖田", "马尚", "卫固", "中埠"),
}


class Planned(msgspec.Struct, frozen=True, kw_only=True):
    """One demo enterprise, before it is registered."""

    index: int
    template: str
    uscc: str
    name: str
    district: str
    zone: str | None


def plan() -> list[Planned]:
    """Every demo enterprise, in seeding order (pure and deterministic)."""
    planned: list[Planned] = []
    used: dict[str, int] = {}
    for key, sites in ROSTER:
        for district, zone in sites:
            i, n = len(planned), used.get(district, 0)
            used[district] = n + 1
            name = f"淄博{_STEMS[district][n]}{TEMPLATES[key].stem}有限公司(演示)"
            planned.append(Planned(index=i, template=key, uscc=demo_uscc(district, f"DM{i:05d}"), name=name,
                                   district=district, zone=zone))  # fmt: skip
    return planned


_REPORT = "0" * 63 + "1"


def demo_uscc(district: str, org_body7: str) -> str:
    """A USCC with valid check characters, for demo and test data."""
    body8 = org_body7 + "1"
    first17 = "91" + district + body8 + org_code_check_character(body8)
    return first17 + uscc_check_character(first17)


def _standing(i: int, template: str = "") -> str:
    """Most between 标杆 and 基准, every fourth at 标杆, every seventh below 基准; and one
    aluminium smelter below 基准 (above 13650 kWh/t: the 阶梯电价 list has one to show)."""
    if template == "aluminium" and i % 2 == 0:
        return "below_baseline"
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

    async def enterprise(self, p: Planned) -> dict[str, Any]:
        template, i, uscc = TEMPLATES[p.template], p.index, p.uscc
        _, org, client, secret = await register(
            self.db, uscc=uscc, name=p.name, district=p.district, zone=p.zone, industry=template.industry
        )
        await decide(self.db, self.actors["regulator"], uscc, Decision.APPROVE, "demo")
        ent = Principal(
            client_id=client.client_id, org_id=org.id, kind=OrgKind.ENTERPRISE, status=OrgStatus.ACTIVE, uscc=uscc
        )
        self.principals.append(ent)
        verifier_key = _verifier_of(i)
        verifier = self.actors[verifier_key]
        await engage(self.db, ent, uscc, verifier.org_id)
        scale, standing = self.rng.random(), _standing(i, p.template)
        for year in (2023, 2024):
            if year == 2024 and i == 5:
                continue  # one enterprise has not filed 2024 yet
            content = msgspec.convert(demo_content(template, self.rng, year, standing, scale), FilingContent)
            await self._file(ent, verifier, uscc, year, content, verified=not (year == 2024 and i % 5 == 2))
        if i == 8:  # a correction of 2023: version 2 supersedes the verified version 1
            content = msgspec.convert(demo_content(template, self.rng, 2023, standing, scale), FilingContent)
            await self._file(ent, verifier, uscc, 2023, content, verified=True, supersedes=1)
        return {"uscc": uscc, "name": p.name, "district": p.district, "zone": p.zone, "industry": template.industry,
                "verifier": verifier_key, "client_id": client.client_id, "client_secret": secret}  # fmt: skip

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
        enterprises = [await self.enterprise(p) for p in plan()]
        await self.consents()
        uscc = demo_uscc(LINZI, "DMPEND1")
        _, _, client, secret = await register(
            self.db, uscc=uscc, name="淄博桓公台精细化工有限公司(演示)", district=LINZI, zone=None, industry="2614"
        )
        pending = {"uscc": uscc, "client_id": client.client_id, "client_secret": secret, "status": "pending"}
        first = enterprises[0]
        walkthrough = {"enterprise": first["uscc"], "bank": "bank_1", "verifier": first["verifier"]}
        return {**self.out, "walkthrough": walkthrough, "enterprises": [*enterprises, pending]}


def _verifier_of(i: int) -> str:
    return "verifier_1" if i % 2 else "verifier_2"


Progress = Callable[[str], None]


def _quiet(message: str) -> None:
    return None


async def _rate(settings: Settings, progress: Progress) -> None:
    """Rating rounds for 2023 and 2024, run here as the job would run them (certificates are
    queued with each round's ratings; the service's job worker renders them once it serves)."""
    engine = make_engine(settings.database_url, pool_size=2)
    try:
        sessionmaker = make_sessionmaker(engine)
        for year in (2023, 2024):
            async with sessionmaker() as db, db.begin():
                rnd = await start_round(db, None, year)
            await RoundRunner(engine, sessionmaker, settings).claim_and_run(rnd.id)
            async with sessionmaker() as db:
                done = await get_round(db, rnd.id)
            progress(f"rated {year}: {done.rated} ratings ({done.status})")
        async with sessionmaker() as db:
            queued = await db.scalar(
                select(func.count()).select_from(CertificateJob).where(CertificateJob.done_at.is_(None))
            )
        progress(f"{queued} certificates queued: the service renders them in the background")
    finally:
        await engine.dispose()


async def _finance(settings: Settings, out: dict[str, Any], progress: Progress) -> None:
    """Finance products, a retrofit plan and three financing requests with answers (once rated)."""
    engine = make_engine(settings.database_url, pool_size=1)
    try:
        async with make_sessionmaker(engine)() as db, db.begin():
            sent = await seed_finance(db, out, dt.datetime.now(dt.UTC).year)
        progress(f"{len(sent)} financing requests sent and answered")
    finally:
        await engine.dispose()


def credentials_path(database_url: str) -> Path:
    """Where `seed_demo` writes the demo's credentials for this database."""
    return data_dir() / f"demo-credentials-{uuid.uuid5(uuid.NAMESPACE_URL, database_url)}.json"


async def seed_demo(settings: Settings, progress: Progress = _quiet) -> dict[str, Any]:
    """Seed once; print the organisations' credentials (every enterprise's are in the file)."""
    path = credentials_path(settings.database_url)
    engine = make_engine(settings.database_url, pool_size=1)
    planned = plan()
    try:
        async with make_sessionmaker(engine)() as db, db.begin():
            if await db.scalar(select(Enterprise.uscc).where(Enterprise.uscc == planned[0].uscc)) is not None:
                if path.exists():
                    return {"demo": "already seeded", "credentials_file": str(path)}
                return {"demo": "already seeded; its credentials file is gone: use `carbon-account clients create`"}
            out = await _Seeder(db).run()
    finally:
        await engine.dispose()
    path.write_text(json.dumps(out, ensure_ascii=False, indent=2))
    path.chmod(0o600)
    progress(f"seeded {len(planned)} enterprises with 2023 and 2024 filings, {len(_ORGS)} organisations")
    await _rate(settings, progress)
    await _finance(settings, out, progress)
    shown = {k: v for k, v in out.items() if k != "enterprises"}
    return {"demo": "seeded", "credentials_file": str(path), **shown, "enterprises": out["enterprises"][:3]}


# The roles the README's walk-through plays: the variables' prefix and the token's variable.
WALKTHROUGH_ROLES = (
    ("ADMIN", "ADMIN_TOKEN"),
    ("REGULATOR", "REG_TOKEN"),
    ("RA", "RA_TOKEN"),
    ("BANK", "BANK_TOKEN"),
    ("VERIFIER", "VERIFIER_TOKEN"),
    ("ENT", "ENT_TOKEN"),
)


def walkthrough_env(saved: dict[str, Any], api: str) -> dict[str, str]:
    """The walk-through's shell variables from a credentials file: API, each role's client
    (…_ID, …_SECRET), the bank's and the verifier's organisation (…_ORG), ENT_USCC.

    The enterprise is the walk-through's (the first demo enterprise, which consented to bank
    1 reading its full rating); the verifier is the one it engaged.
    """
    chosen = saved.get("walkthrough") or {}
    active = [e for e in saved["enterprises"] if e.get("status") != "pending"]
    ent = next((e for e in active if e["uscc"] == chosen.get("enterprise")), active[0])
    roles = {
        "ADMIN": saved["admin"],
        "REGULATOR": saved["regulator"],
        "RA": saved["rating_authority"],
        "BANK": saved[chosen.get("bank", "bank_1")],
        "VERIFIER": saved[chosen.get("verifier") or ent.get("verifier") or _verifier_of(0)],
    }
    env = {"API": api.rstrip("/")}
    for prefix, creds in roles.items():
        if prefix in ("BANK", "VERIFIER"):
            env[f"{prefix}_ORG"] = creds["org_id"]
        env |= {f"{prefix}_ID": creds["client_id"], f"{prefix}_SECRET": creds["client_secret"]}
    return env | {"ENT_USCC": ent["uscc"], "ENT_ID": ent["client_id"], "ENT_SECRET": ent["client_secret"]}
