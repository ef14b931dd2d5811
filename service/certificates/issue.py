"""The certificate job: for each rating of a completed round, render and sign its PDF in a
worker process and store the signed bytes with their SHA-256 (claims with SKIP LOCKED, so
any number of API processes share the work)."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import hashlib
import logging
import multiprocessing
import secrets
from concurrent.futures import BrokenExecutor, Executor, ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.districts import DISTRICTS
from domain.industry import industry_classes
from domain.products import products
from service.certificates.pki_store import CRL_PATH, pki_material
from service.db.models import Certificate, CertificateJob, Enterprise, PolicySetRecord, RatingRecord
from service.pdf.fonts import find_cjk_font
from service.pdf.model import CertificateData, Note, PeerGroupLine, ProductLevel
from service.pdf.notes import policy_lines
from service.pdf.process import render_and_sign
from service.public_url import verify_base
from service.seals import issuer_of
from service.settings import Settings

__all__ = ["BEIJING", "CertificateWorker", "beijing_date", "certificate_data", "new_certificate_no"]

log = logging.getLogger("service.certificates")
BATCH = 10
MAX_ATTEMPTS = 5
try:
    BEIJING: dt.tzinfo = ZoneInfo("Asia/Shanghai")
except ZoneInfoNotFoundError:  # no tz database on the machine: China has kept UTC+8 without DST since 1991
    BEIJING = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")


def new_certificate_no() -> str:
    """80 random bits, base32: ZB-XXXX-XXXX-XXXX-XXXX (no padding, no ambiguous case)."""
    raw = base64.b32encode(secrets.token_bytes(10)).decode()
    return "ZB-" + "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def certificate_data(
    rec: RatingRecord,
    ent: Enterprise,
    certificate_no: str,
    base_url: str,
    issuer: tuple[str, bytes | None] = ("", None),
    policy_version: int | None = None,
) -> CertificateData:
    """The face of `rec`'s certificate, read from its signed payload (and the policy consequences
    it pinned, under set version `policy_version`); dates in Beijing time."""
    p, f = rec.payload, rec.payload["figures"]
    industry = industry_classes().get(ent.industry)
    names = {row["product"]: row for row in p["products"]}
    group = p.get("peer_group")
    flags = p.get("flags", [])
    return CertificateData(
        certificate_no=certificate_no,
        verify_url=f"{base_url.rstrip('/')}/verify/{certificate_no}",
        enterprise_name=ent.name,
        uscc=ent.uscc,
        district=DISTRICTS.get(ent.district, ent.district),
        industry=f"{ent.industry} {industry.name if industry else ''}".strip(),
        year=rec.year,
        colour=rec.colour,
        grade=rec.grade,
        band=p.get("band"),
        finance_tier=p["finance_tier"],
        energy_tce=f["energy_tce"],
        co2_total=f["co2_total"],
        co2_combustion=f["co2_combustion"],
        co2_process=f["co2_process"],
        co2_electricity=f["co2_electricity"],
        co2_heat=f["co2_heat"],
        co2_captured=f["co2_captured"],
        intensity=f["intensity"],
        k=f["k"],
        products=[
            ProductLevel(
                name=_product_name(code),
                unit=row["unit"],
                unit_energy_use=row["unit_energy_use"],
                benchmark=row["benchmark"],
                baseline=row["baseline"],
                level=row["level"],
                site_total=bool(row.get("site_total")),
            )
            for code, row in names.items()
        ],
        data_quality=p["data_quality"],
        methodology_version=rec.methodology_version,
        issued_on=beijing_date(rec.issued_at),
        valid_until=beijing_date(rec.expires_at),
        rating_key_id=rec.kid,
        rating_token_sha256=hashlib.sha256(rec.token.encode()).hexdigest(),
        issuer_name=issuer[0],
        seal_png=issuer[1],
        value_added_wan=f.get("value_added_wan"),
        peer_group=None
        if group is None
        else PeerGroupLine(
            basis=group["basis"], code=group["code"], size=group["size"], l_industry=group["l_industry"]
        ),
        intensity_previous=f.get("intensity_previous"),
        fall=f.get("fall"),
        process_covered=_process_covered(rec.methodology_version, p, flags),
        notes=[
            *_notes(p.get("reasons", [])),
            *(Note(code=flag) for flag in _flags_shown(rec.methodology_version, flags)),
        ],
        policy=policy_lines(rec.policy_consequences or [], _product_name),
        policy_set_version=policy_version,
    )


def _process_covered(version: str, claims: dict[str, Any], flags: list[str]) -> bool:
    """v1: the account's class flag; v2 on: whether the rating found the process emissions accounted
    (the v1 flag stays in the account, a statement about v1, and is not printed under v2)."""
    if version == "1":
        return "PROCESS_NOT_COVERED" not in flags
    return "PROCESS_NOT_ACCOUNTED" not in {r["code"] for r in claims.get("reasons", [])}


def _flags_shown(version: str, flags: list[str]) -> list[str]:
    return flags if version == "1" else [f for f in flags if f != "PROCESS_NOT_COVERED"]


def beijing_date(at: dt.datetime) -> dt.date:
    """The calendar date in Beijing (Asia/Shanghai): 05:00 on 3 December there is 21:00 UTC on the 2nd."""
    return at.astimezone(BEIJING).date()


def _notes(reasons: list[dict[str, Any]]) -> list[Note]:
    """The rating's reasons as notes; a product code in them gains its printed name."""
    notes = []
    for r in reasons:
        values = {k: str(v) for k, v in (r.get("values") or {}).items()}
        if "product" in values:
            values["name"] = _product_name(values["product"])
        notes.append(Note(code=r["code"], values=values))
    return notes


def _product_name(code: str) -> str:
    found = products().get(code)
    return found.name if found else code


class CertificateWorker:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], settings: Settings) -> None:
        self.sessionmaker, self.settings = sessionmaker, settings
        self._pool: Executor | None = None

    def _executor(self) -> Executor:
        if self._pool is None:
            if self.settings.pdf_workers <= 0:  # one thread, for tests: reportlab is not thread-safe
                self._pool = ThreadPoolExecutor(max_workers=1)
            else:  # spawn: forking a process that runs an event loop and threads is unsafe
                context = multiprocessing.get_context("spawn")
                self._pool = ProcessPoolExecutor(max_workers=self.settings.pdf_workers, mp_context=context)
        return self._pool

    def close(self) -> None:
        """Cancel what is queued and wait for the render in hand (milliseconds): render
        processes left behind outlive the service and leak its semaphores at exit."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    async def run_once(self) -> int:
        font = find_cjk_font(self.settings.cjk_font)
        if font is None:
            return 0  # /readyz says why; the jobs wait for a font
        async with self.sessionmaker() as db, db.begin():
            stmt = (
                select(CertificateJob, RatingRecord, Enterprise)
                .join(RatingRecord, RatingRecord.id == CertificateJob.rating_id)
                .join(Enterprise, Enterprise.enterprise_id == RatingRecord.enterprise_id)
                .where(CertificateJob.done_at.is_(None), CertificateJob.attempts < MAX_ATTEMPTS)
                .order_by(CertificateJob.created_at)
                .limit(BATCH)
                .with_for_update(of=CertificateJob, skip_locked=True)
            )
            rows = (await db.execute(stmt)).all()
            if not rows:
                return 0
            crl_url = verify_base(self.settings) + CRL_PATH  # named in the signer and TSA certificates
            material = msgspec.json.encode(await pki_material(db, self.settings.secret_key, crl_url=crl_url))
            for row in rows:
                await self._issue(db, row.CertificateJob, row.RatingRecord, row.Enterprise, font, material)
            return len(rows)

    async def _issue(
        self, db: AsyncSession, job: CertificateJob, rec: RatingRecord, ent: Enterprise, font: str, material: bytes
    ) -> None:
        number = new_certificate_no()
        issuer = await issuer_of(db, rec)
        version = None
        if rec.policy_set_id is not None:
            version = await db.scalar(select(PolicySetRecord.version).where(PolicySetRecord.id == rec.policy_set_id))
        data = msgspec.json.encode(
            certificate_data(rec, ent, number, verify_base(self.settings), issuer, policy_version=version)
        )
        job.attempts += 1
        try:
            loop = asyncio.get_running_loop()
            pdf = await loop.run_in_executor(self._executor(), render_and_sign, data, font, material)
        except BrokenExecutor:  # a render process died: start a new pool; the job is not to blame
            job.attempts -= 1
            self.close()
            log.warning("certificate render pool broke; restarting it")
            return
        except Exception as exc:
            job.last_error = f"{type(exc).__name__}: {exc}"[:500]
            log.exception("certificate for rating %s failed", rec.id)
            return
        db.add(Certificate(rating_id=rec.id, certificate_no=number, sha256=hashlib.sha256(pdf).hexdigest(), pdf=pdf))
        job.done_at, job.last_error = dt.datetime.now(dt.UTC), None
        await db.flush()
