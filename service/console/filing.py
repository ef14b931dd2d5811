"""An enterprise files a year in the console: a form (saved as the year's draft through the same
use cases as the API, each refusal shown beside its field in the caller's language), or the bulk
workbook (template download, upload with a dry run that names every bad cell, then the import);
then it submits the draft and sees its account."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any

import msgspec
from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromQuery, PathParameter
from litestar.response import Redirect
from sqlalchemy import select

from domain.errors import DomainError, InvalidField
from domain.filings import FilingContent, FilingStatus
from domain.organisations import OrgKind
from service import problem_text
from service.console.access import page
from service.console.i18n import words
from service.console.render import lang_of, render
from service.db.models import Filing
from service.db.session import DB
from service.errors import ProblemError
from service.filings import create_filing, edit_filing, submit_filing, visible_enterprise
from service.imports import pipeline
from service.imports.store import write_import
from service.imports.template import template_xlsx
from service.imports.upload import XLSX_MEDIA_TYPE, receive

__all__ = ["filing_form", "filing_save", "filing_submit", "filing_template", "filing_upload"]

E = OrgKind.ENTERPRISE
ENERGY_ROWS, PRODUCT_ROWS = 3, 2
_AT = re.compile(r"at `\$\.([^`]+)`")
Uscc = Annotated[str, PathParameter()]


def _name(field: str) -> str:
    """An error's field path (`energy[0].quantity`) as the form's input name (`energy.0.quantity`)."""
    return re.sub(r"\[(\d+)\]", r".\1", field)


def _rows(content: dict[str, Any], key: str, n: int) -> list[dict[str, Any]]:
    lines = list(content.get(key) or [])
    return [*lines, *({} for _ in range(n - len(lines)))][:n] if len(lines) <= n else lines


def _values(content: dict[str, Any]) -> dict[str, str]:
    """The form's inputs from a filing's content (every number as its string)."""
    out: dict[str, str] = {"value_added_wan": str(content.get("value_added_wan") or "")}
    out["electricity.purchased_mwh"] = str((content.get("electricity") or {}).get("purchased_mwh") or "")
    for key, fields, n in (("energy", ("carrier", "quantity", "unit"), ENERGY_ROWS),
                           ("products", ("product", "output", "energy", "energy_unit"), PRODUCT_ROWS),
                           ("clinker", ("output_t", "cao_fraction", "mgo_fraction"), 1)):  # fmt: skip
        for i, line in enumerate(_rows(content, key, n)):
            for f in fields:
                value = line.get(f)
                out[f"{key}.{i}.{f}"] = "" if value is None else str(value)
    return out


def _content(form: dict[str, str]) -> dict[str, Any]:
    """The filing's content from the form: empty rows are left out, the rest as typed."""

    def rows(key: str, fields: tuple[str, ...], n: int, needed: str) -> list[dict[str, str]]:
        out = []
        for i in range(n):
            line = {f: form.get(f"{key}.{i}.{f}", "").strip() for f in fields}
            if line.get(needed):
                out.append({f: v for f, v in line.items() if v})
        return out

    content: dict[str, Any] = {
        "energy": rows("energy", ("carrier", "quantity", "unit"), ENERGY_ROWS, "carrier"),
        "products": rows("products", ("product", "output", "energy", "energy_unit"), PRODUCT_ROWS, "product"),
        "clinker": rows("clinker", ("output_t", "cao_fraction", "mgo_fraction"), 1, "output_t"),
    }
    if form.get("electricity.purchased_mwh", "").strip():
        content["electricity"] = {"purchased_mwh": form["electricity.purchased_mwh"].strip()}
    if form.get("value_added_wan", "").strip():
        content["value_added_wan"] = form["value_added_wan"].strip()
    return content


async def _draft(db: DB, enterprise_id: uuid.UUID, year: int) -> Filing | None:
    return await db.scalar(
        select(Filing)
        .where(Filing.enterprise_id == enterprise_id, Filing.period == year, Filing.status == FilingStatus.DRAFT.value)
        .order_by(Filing.version.desc()).limit(1)
    )  # fmt: skip


def _form_page(request: Request[Any, Any, Any], uscc: str, year: int, values: dict[str, str],
               errors: dict[str, str], draft: Filing | None, *, status: int = 200, notice: str | None = None,
               problems: list[Any] | None = None, created: list[Any] | None = None) -> Any:  # fmt: skip
    return render(request, "filing.html", "filing", status_code=status, uscc=uscc, year=year, values=values,
                  errors=errors, draft=draft, energy_rows=ENERGY_ROWS, product_rows=PRODUCT_ROWS, notice=notice,
                  problems=problems or [], created=created or [])  # fmt: skip


@get("/enterprises/{uscc:str}/filing", **page(E))
async def filing_form(request: Request[Any, Any, Any], db: DB, uscc: Uscc, year: FromQuery[int] = 2025) -> Any:
    ent = await visible_enterprise(db, request.user, uscc)
    draft = await _draft(db, ent.enterprise_id, year)
    values = _values(draft.content if draft else {})
    return _form_page(request, uscc, year, values, {}, draft)


@post("/enterprises/{uscc:str}/filing", status_code=200, **page(E))
async def filing_save(request: Request[Any, Any, Any], db: DB, uscc: Uscc) -> Any:
    """Save the form as the year's draft (a new draft, or the open one edited); refusals beside their fields."""
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    lang = lang_of(request)
    try:
        year = int(form.get("year", ""))
    except ValueError:
        year = 0
    ent = await visible_enterprise(db, request.user, uscc)
    draft = await _draft(db, ent.enterprise_id, year) if year else None
    errors: dict[str, str] = {}
    if not 2000 <= year <= 2100:
        errors["year"] = problem_text.translate("must be a year from 2000 to 2100", lang)
    else:
        try:
            content = msgspec.convert(_content(form), FilingContent, strict=False)
            if draft is None:
                draft, _ = await create_filing(db, request.user, uscc, period=year, supersedes=None, content=content)
            else:
                draft, _ = await edit_filing(db, request.user, draft.id, content)
        except msgspec.ValidationError as exc:
            found = _AT.search(str(exc))
            message = str(exc).split(" - at ")[0]
            errors[_name(found.group(1)) if found else "form"] = problem_text.translate(message, lang)
        except InvalidField as exc:
            errors[_name(exc.field)] = problem_text.translate(exc.reason, lang)
        except DomainError as exc:
            errors["form"] = problem_text.translate(exc.detail, lang)
    if errors:
        await db.rollback()
        return _form_page(request, uscc, year, form, errors, None, status=422)
    return _form_page(request, uscc, year, form, {}, draft, notice=words(lang)["draft_saved"])


@post("/filings/{filing_id:uuid}/submit", status_code=303, **page(E))
async def filing_submit(
    request: Request[Any, Any, Any], db: DB, filing_id: Annotated[uuid.UUID, PathParameter()]
) -> Any:
    """Submit the draft (complete, its account computes) and show the year's account."""
    try:
        filing, ent = await submit_filing(db, request.user, filing_id)
    except InvalidField as exc:
        await db.rollback()
        filing_row = await db.get(Filing, filing_id)
        uscc = request.user.uscc or ""
        year = filing_row.period if filing_row else 2025
        values = _values(filing_row.content if filing_row else {})
        errors = {_name(exc.field): problem_text.translate(exc.reason, lang_of(request))}
        return _form_page(request, uscc, year, values, errors, filing_row, status=422)
    return Redirect(f"/console/enterprises/{ent.uscc}?year={filing.period}", status_code=303)


@get("/filings/template.xlsx", **page(E))
async def filing_template() -> Response[bytes]:
    headers = {"Content-Disposition": 'attachment; filename="carbon-filings-template.xlsx"'}
    return Response(template_xlsx(), media_type=XLSX_MEDIA_TYPE, headers=headers)


async def _chunks(file: UploadFile) -> AsyncIterator[bytes]:
    while chunk := await file.read(64 * 1024):
        yield chunk


@post("/enterprises/{uscc:str}/filing-upload", status_code=200, **page(E))
async def filing_upload(request: Request[Any, Any, Any], db: DB, uscc: Uscc) -> Any:
    """The workbook: checked first (every problem by sheet, row and cell; nothing written), then,
    when clean, imported as drafts in one transaction, each with a submit button."""
    form = await request.form()
    year = int(form.get("year") or 2025) if str(form.get("year") or "").isdigit() else 2025
    file = form.get("file")
    ent = await visible_enterprise(db, request.user, uscc)
    values = _values({})
    lang = lang_of(request)
    if not isinstance(file, UploadFile):
        return _form_page(request, uscc, year, values, {"file": words(lang)["choose_file"]}, None, status=422)
    try:
        upload = await receive(_chunks(file), file.content_type or XLSX_MEDIA_TYPE)
        builder = await pipeline.read(upload)
        plan, checked = await pipeline.check(db, request.user, builder, lock=True)
        if plan.problems or plan.more_problems:
            problems = [
                {**msgspec.to_builtins(p), "detail": problem_text.translate(p.detail, lang)} for p in plan.problems
            ]
            return _form_page(request, uscc, year, values, {}, await _draft(db, ent.enterprise_id, year), status=422,
                              problems=problems)  # fmt: skip
        _, created = await write_import(db, request.user, checked, upload)
    except ProblemError as exc:
        return _form_page(request, uscc, year, values, {"file": problem_text.translate(exc.detail, lang)}, None,
                          status=exc.status)  # fmt: skip
    return _form_page(request, uscc, year, values, {}, None, notice=words(lang)["imported"].format(n=len(created)),
                      created=created)  # fmt: skip
