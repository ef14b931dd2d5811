"""Objections (异议) in the console: regulators and the rating authority read them
(service.ratings.objections.list_objections, as GET /v1/objections); the rating authority answers
each by a form (uphold or dismiss, with a reply), checked by the API's own body
(ObjectionDecision) and decided by the API's use case; post/redirect/get."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

import msgspec
from litestar import Request, get, post
from litestar.params import FromQuery, PathParameter
from litestar.response import Redirect
from sqlalchemy import select

from domain.organisations import OrgKind
from service import problem_text
from service.api.ratings.schemas import ObjectionDecision
from service.console.access import page
from service.console.i18n import words
from service.console.render import lang_of, render
from service.console.rounds import beijing
from service.db.models import Enterprise, Objection, RatingRecord
from service.db.session import DB
from service.ratings.objections import decide_objection, list_objections

__all__ = ["decide", "objections_page"]

REG, RA = OrgKind.REGULATOR, OrgKind.RATING_AUTHORITY
READERS = (REG, RA)  # GET /v1/objections (less the enterprise, which sees its own elsewhere)
DECIDERS = (RA,)  # POST /v1/objections/{id}/decision
Status = Literal["open", "upheld", "dismissed"]


async def _rows(db: DB, pairs: list[tuple[Objection, str]]) -> list[dict[str, Any]]:
    """Each objection with its enterprise's name and the rated year (no rating figures)."""
    ids = [o.rating_id for o, _ in pairs]
    stmt = (
        select(RatingRecord.id, RatingRecord.year, Enterprise.name)
        .join(Enterprise, Enterprise.enterprise_id == RatingRecord.enterprise_id)
        .where(RatingRecord.id.in_(ids))
    )
    about = {r.id: (r.year, r.name) for r in (await db.execute(stmt)).all()} if ids else {}
    return [{"id": str(o.id), "rating_id": str(o.rating_id), "uscc": uscc, "name": about.get(o.rating_id, (None, ""))[1],
             "year": about.get(o.rating_id, (None, ""))[0], "statement": o.statement, "status": o.status,
             "reply": o.reply, "created": beijing(o.created_at)}
            for o, uscc in pairs]  # fmt: skip


async def _page(request: Request[Any, Any, Any], db: DB, status: str | None, *, code: int = 200,
                errors: dict[str, dict[str, str]] | None = None, values: dict[str, dict[str, str]] | None = None,
                notice: str | None = None) -> Any:  # fmt: skip
    rows = await _rows(db, await list_objections(db, request.user, status))
    return render(request, "objections.html", "objections", status_code=code, objections=rows, status=status or "",
                  can_decide=request.user.kind in DECIDERS, errors=errors or {}, values=values or {},
                  notice=notice)  # fmt: skip


@get("/objections", **page(*READERS))
async def objections_page(
    request: Request[Any, Any, Any], db: DB, status: FromQuery[Status | None] = "open",
    decided: FromQuery[uuid.UUID | None] = None,
) -> Any:  # fmt: skip
    """The open objections (or those upheld or dismissed), newest first; after a decision, what it was."""
    notice = None
    if decided is not None:
        row = (await db.execute(select(Objection.status, Enterprise.uscc).join(
            Enterprise, Enterprise.enterprise_id == Objection.enterprise_id).where(Objection.id == decided))).one_or_none()  # fmt: skip
        if row is not None:
            w = words(lang_of(request))
            notice = w["objection_decided"].format(uscc=row.uscc, outcome=w.get(f"objection_{row.status}", row.status))
    return await _page(request, db, status, notice=notice)


@post("/objections/{objection_id:uuid}/decision", status_code=303, **page(*DECIDERS))
async def decide(request: Request[Any, Any, Any], db: DB, objection_id: Annotated[uuid.UUID, PathParameter()]) -> Any:
    """Uphold or dismiss with a reply; a refusal is shown beside the objection's form (422), nothing written."""
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str) and k in ("decision", "reply")}
    lang = lang_of(request)
    try:
        body = msgspec.convert({k: v.strip() for k, v in form.items()}, ObjectionDecision)
    except msgspec.ValidationError as exc:
        text, _, where = str(exc).partition(" - at `$.")
        field = where.rstrip("`") or ("decision" if "decision" in text else "reply")
        errors = {str(objection_id): {field: problem_text.translate(text, lang)}}
        return await _page(request, db, "open", code=422, errors=errors, values={str(objection_id): form})
    await decide_objection(db, request.user, objection_id, uphold=body.decision == "uphold", reply=body.reply)
    return Redirect(f"/console/objections?decided={objection_id}", status_code=303)
