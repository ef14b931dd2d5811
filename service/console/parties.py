"""The enterprise's account page and the bank's borrowers page. A bank sees only enterprises with
an active consent to it, each read in the enterprise's access log, as over the API."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from litestar import Request, Response, get
from litestar.params import FromQuery, PathParameter
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import distinct_on

from domain.organisations import OrgKind
from service.access_log import log_read
from service.accounts import enterprise_account
from service.certificates import reads as certificates
from service.console.access import page
from service.console.charts import product_bars
from service.console.i18n import words
from service.console.render import lang_of, render
from service.db.models import Certificate, Consent, Enterprise, PolicySheet, RatingRecord
from service.db.session import DB
from service.display import intensity, tonnes

BEIJING = dt.timezone(dt.timedelta(hours=8))  # consents end on a Beijing date

__all__ = ["borrowers", "certificate", "enterprise_page"]

E, B, REG, RA, FR = (OrgKind.ENTERPRISE, OrgKind.BANK, OrgKind.REGULATOR, OrgKind.RATING_AUTHORITY,
                     OrgKind.FINANCE_REGULATOR)  # fmt: skip


async def _rating(db: DB, enterprise_id: Any, year: int) -> dict[str, Any] | None:
    rec = await db.scalar(
        select(RatingRecord)
        .where(RatingRecord.enterprise_id == enterprise_id, RatingRecord.year == year, RatingRecord.status == "active")
        .order_by(RatingRecord.issued_at.desc()).limit(1)
    )  # fmt: skip
    if rec is None:
        return None
    has_cert = await db.scalar(select(Certificate.id).where(Certificate.rating_id == rec.id)) is not None
    return {"id": rec.id, "colour": rec.colour, "grade": rec.grade, "certificate": has_cert}


@get("/enterprises/{uscc:str}", **page(E, REG, RA))
async def enterprise_page(
    request: Request[Any, Any, Any], db: DB, uscc: Annotated[str, PathParameter()], year: FromQuery[int | None] = None
) -> Any:
    """Its account by year: emissions by scope, energy, each product against 标杆 and 基准 (a bar with
    both marks), the year's rating and certificate, its policy consequences."""
    ent, years = await enterprise_account(db, request.user, uscc, None)
    filed = [y.year for y in years]
    chosen = year if year is not None else (filed[-1] if filed else dt.date.today().year - 1)
    current = next((y.current for y in years if y.year == chosen and y.current), None)
    w = words(lang_of(request))
    result = chart = None
    if current is not None:
        r = current[2].result
        products = [{"name": p.name, "value": intensity(p.unit_energy_use) if p.unit_energy_use is not None else "—",
                     "unit": p.unit, "benchmark": intensity(p.benchmark) if p.benchmark is not None else "—",
                     "baseline": intensity(p.baseline) if p.baseline is not None else "—", "level": p.level.value}
                    for p in r.products]  # fmt: skip
        result = {"scope1": tonnes(r.emissions.scope1), "scope2": tonnes(r.emissions.scope2),
                  "energy": tonnes(r.energy_tce), "products": products}  # fmt: skip
        bars = [
            (p.name, p.unit_energy_use, p.benchmark, p.baseline) for p in r.products if p.unit_energy_use is not None
        ]
        chart = product_bars(w["products"], bars)  # type: ignore[arg-type]
    sheet = await db.get(PolicySheet, (ent.enterprise_id, chosen))
    consequences = [{"title": c.get("title_zh") if lang_of(request) == "zh" else c.get("title_en") or c.get("title_zh"),
                     "source": (c.get("source") or {}).get("document", "")}
                    for c in (sheet.consequences if sheet else [])]  # fmt: skip
    return render(request, "enterprise.html", "account", uscc=uscc, years=filed or [chosen], year=chosen,
                  result=result, chart=chart, rating=await _rating(db, ent.enterprise_id, chosen),
                  consequences=consequences)  # fmt: skip


@get("/ratings/{rating_id:uuid}/certificate.pdf", **page(E, B, REG, RA, FR))
async def certificate(
    request: Request[Any, Any, Any], db: DB, rating_id: Annotated[uuid.UUID, PathParameter()]
) -> Response[bytes]:
    """The signed certificate, as the API serves it (the same checks, the download logged)."""
    cert = await certificates.certificate_for(db, request.user, rating_id)
    headers = {"Content-Disposition": f'attachment; filename="{cert.certificate_no}.pdf"'}
    return Response(cert.pdf, media_type="application/pdf", headers=headers)


@get("/borrowers", **page(B))
async def borrowers(request: Request[Any, Any, Any], db: DB) -> Any:
    """Enterprises with an active consent to this bank, each with its newest active rating's colour
    (what the consent's scope shows: colour and grade are in both); each read logged."""
    me, now = request.user, dt.datetime.now(dt.UTC)
    stmt = (
        select(Consent, Enterprise)
        .join(Enterprise, Enterprise.enterprise_id == Consent.enterprise_id)
        .where(Consent.bank_org_id == me.org_id, Consent.withdrawn_at.is_(None), Consent.expires_at > now)
        .order_by(Enterprise.uscc, Consent.scope)
    )
    widest: dict[Any, tuple[Consent, Enterprise]] = {}
    for consent, ent in (await db.execute(stmt)).all():
        widest.setdefault(ent.enterprise_id, (consent, ent))  # the widest consent first ('full' < 'grade_only')
    latest = {
        r.enterprise_id: r
        for r in await db.scalars(
            select(RatingRecord)
            .where(RatingRecord.enterprise_id.in_(list(widest)), RatingRecord.status == "active",
                   RatingRecord.expires_at > now)
            .order_by(RatingRecord.enterprise_id, RatingRecord.year.desc(), RatingRecord.issued_at.desc())
            .ext(distinct_on(RatingRecord.enterprise_id))
        )
    }  # fmt: skip
    rows = []
    for consent, ent in widest.values():
        rec = latest.get(ent.enterprise_id)
        if rec is not None:
            await log_read(db, me, ent.enterprise_id, "rating", rec.id, consent, consent.scope)
        rows.append({"uscc": ent.uscc, "name": ent.name, "scope": consent.scope, "year": rec.year if rec else None,
                     "colour": rec.colour if rec else "unrated", "grade": rec.grade if rec else None,
                     "expires": consent.expires_at.astimezone(BEIJING).date().isoformat()})  # fmt: skip
    return render(request, "borrowers.html", "borrowers", borrowers=rows)
