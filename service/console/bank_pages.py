"""The bank's and the finance bureau's pages: a rating token or certificate number verified on the
server (the API's verification, with the key id), the financed-emissions calculator over an
uploaded loan book (the API's body type and use case: each borrower's figures only under a `full`
consent, each read logged), and the finance bureau's figures for a year (tables, and the API's CSV)."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
from typing import Any

import msgspec
from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromQuery

from domain.districts import DISTRICTS
from domain.organisations import OrgKind
from service import problem_text
from service.api.banks.controller import loans_of  # the API's reading of a loan line
from service.api.banks.schemas import PortfolioRequest
from service.api.finance.stats import CREDIT_NAMES, finance_csv
from service.auth.access import limit_by_address
from service.console.access import page, public_page
from service.console.forms import Refusal, attempt, form_of
from service.console.i18n import words
from service.console.render import lang_of, render
from service.console.session import LoginRequired, authenticate_console
from service.db.session import DB
from service.display import SECTOR_NAMES, intensity, tonnes, yuan
from service.finance.products import beijing_today
from service.finance.stats import finance_stats
from service.portfolio import Portfolio, financed_emissions
from service.ratings.verify import Verdict, verify_certificate_no, verify_token

__all__ = ["emissions_form", "emissions_upload", "finance_stats_csv", "finance_stats_page", "verify_form",
           "verify_submit"]  # fmt: skip

B, REG, RA, FR = OrgKind.BANK, OrgKind.REGULATOR, OrgKind.RATING_AUTHORITY, OrgKind.FINANCE_REGULATOR
LOAN_COLUMNS = ("uscc", "outstanding_yuan", "equity_plus_debt_yuan", "evic_yuan", "reference")
MAX_CSV_BYTES = 2 * 1024 * 1024
_LINE = re.compile(r"^loans\[(\d+)\]\.?(.*)$")


async def _session_if_any(request: Request[Any, Any, Any]) -> None:
    """On a public page, a logged-in caller still gets its navigation."""
    with contextlib.suppress(LoginRequired):
        request.scope["user"] = await authenticate_console(request)


# --- verification -------------------------------------------------------------------------------------


def _shown(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)


def _verdict(v: Verdict, lang: str) -> dict[str, Any]:
    return {"valid": v.valid, "status": v.status, "reason": problem_text.translate(v.reason or "", lang),
            "kid": v.kid, "rating_id": v.rating_id, "scope": v.scope, "revoked_reason": v.revoked_reason,
            "claims": [(k, _shown(x)) for k, x in (v.claims or {}).items()],
            "certificate": [(k, _shown(x)) for k, x in (v.certificate or {}).items()]}  # fmt: skip


@get("/verify", **public_page())
async def verify_form(request: Request[Any, Any, Any]) -> Any:
    await _session_if_any(request)
    return render(request, "verify.html", "verify", verdict=None, values={}, errors={})


@post("/verify", status_code=200, **public_page())
async def verify_submit(request: Request[Any, Any, Any], db: DB) -> Any:
    """As POST /v1/verify (anyone; the same rate limit per address): the signature checked here,
    under the published key its `kid` names, and the rating's status now."""
    await limit_by_address(request)
    await _session_if_any(request)
    form, _ = await form_of(request)
    token, number = form.get("token", ""), form.get("certificate_no", "")
    w = words(lang_of(request))
    if bool(token) == bool(number):
        return render(request, "verify.html", "verify", status_code=422, verdict=None, values=form,
                      errors={"token": w["token_or_number"]})  # fmt: skip
    verdict = await verify_token(db, token) if token else await verify_certificate_no(db, number)
    return render(request, "verify.html", "verify", verdict=_verdict(verdict, lang_of(request)), values=form,
                  errors={})  # fmt: skip


# --- financed emissions ---------------------------------------------------------------------------------


def _read_csv(raw: bytes) -> list[dict[str, str]] | None:
    """The loan book's lines, each cell by its (lower-case) column; None when it is not UTF-8 CSV."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames:
        return None
    lines = []
    for row in reader:
        cells = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k is not None}
        if any(cells.values()):
            lines.append({k: v for k, v in cells.items() if v})
    return lines


def _where(refusal: Refusal) -> dict[str, Any]:
    """A refusal of `loans[i].field` as the CSV's line (the header is line 1) and column."""
    found = _LINE.match(refusal.path)
    if found is None:
        return {"line": "", "column": refusal.path if refusal.path != "form" else "", "problem": refusal.message}
    return {"line": int(found.group(1)) + 2, "column": found.group(2), "problem": refusal.message}


def _portfolio(p: Portfolio) -> dict[str, Any]:
    loans = [{"reference": x.reference or "", "uscc": x.uscc, "status": x.status, "outstanding": yuan(x.outstanding_yuan),
              "basis": x.basis, "factor": intensity(x.attribution_factor) if x.attribution_factor is not None else "—",
              "scope1": tonnes(x.scope1_tco2) if x.scope1_tco2 is not None else "—",
              "scope2": tonnes(x.scope2_tco2) if x.scope2_tco2 is not None else "—",
              "score": x.pcaf_score or "—", "year": x.year or "—"} for x in p.loans]  # fmt: skip
    score = intensity(p.weighted_pcaf_score) if p.weighted_pcaf_score is not None else "—"
    return {"loans": loans, "scope1": tonnes(p.scope1_tco2), "scope2": tonnes(p.scope2_tco2), "score": score,
            "with_figures": p.loans_with_figures, "gas": p.gas}  # fmt: skip


def _emissions_page(request: Request[Any, Any, Any], *, status: int = 200, result: dict[str, Any] | None = None,
                    problems: list[dict[str, Any]] | None = None) -> Any:  # fmt: skip
    return render(request, "financed_emissions.html", "financed_emissions", status_code=status, result=result,
                  problems=problems or [], columns=LOAN_COLUMNS)  # fmt: skip


@get("/financed-emissions", **page(B))
async def emissions_form(request: Request[Any, Any, Any]) -> Any:
    return _emissions_page(request)


@post("/financed-emissions", status_code=200, **page(B))
async def emissions_upload(request: Request[Any, Any, Any], db: DB) -> Any:
    """The loan book as CSV (uploaded or pasted; one line per loan, the API's fields as columns), read as the API reads
    POST /v1/portfolio/financed-emissions: every line checked before anything is read or logged."""
    form = await request.form()
    file, pasted = form.get("file"), form.get("loans")
    w = words(lang_of(request))
    raw = await file.read(MAX_CSV_BYTES + 1) if isinstance(file, UploadFile) else b""
    if not raw and isinstance(pasted, str) and pasted.strip():  # no file chosen: the lines pasted
        raw = pasted.encode()
    if not raw:
        return _emissions_page(request, status=422, problems=[{"line": "", "column": "", "problem": w["choose_file"]}])
    lines = _read_csv(raw) if len(raw) <= MAX_CSV_BYTES else None
    if lines is None:
        return _emissions_page(
            request, status=422, problems=[{"line": "", "column": "", "problem": w["csv_unreadable"]}]
        )

    async def run() -> Portfolio:
        data = msgspec.convert({"loans": lines}, PortfolioRequest, strict=False)
        return await financed_emissions(db, request.user, loans_of(data))

    result, refusals = await attempt(db, lang_of(request), run)
    if result is None:
        return _emissions_page(request, status=422, problems=[_where(r) for r in refusals])
    return _emissions_page(request, result=_portfolio(result))


# --- the finance bureau's figures ------------------------------------------------------------------------

FIGURES = ("requests", "requested_yuan", "approvals", "approved_yuan", "declines", "pending", "mean_margin_bp")


def _figures(row: dict[str, Any]) -> dict[str, Any]:
    out = {k: row[k] for k in FIGURES}
    out["requested_yuan"], out["approved_yuan"] = yuan(row["requested_yuan"]), yuan(row["approved_yuan"])
    out["mean_margin_bp"] = row["mean_margin_bp"] if row["mean_margin_bp"] is not None else "—"
    return out


def _stats(data: dict[str, Any], lang: str) -> dict[str, Any]:
    w = words(lang)
    zh = lang == "zh"
    names = {
        "colour": lambda k: w["colour_names"].get(k, k),
        "sector": lambda k: SECTOR_NAMES.get(k, k) if zh else k,
        "district": lambda k: f"{DISTRICTS.get(k, k)} ({k})",
        "credit": lambda k: CREDIT_NAMES.get(k, k) if zh else k.replace("_", " "),
    }
    tables = [(f"by_{key}", [{"name": name(r[key]), **_figures(r)} for r in data[f"by_{key}"]])
              for key, name in names.items()]  # fmt: skip
    flagged = [{**f, "colour_name": w["colour_names"].get(f["colour"], f["colour"]),
                "district_name": DISTRICTS.get(f["district"], f["district"]),
                "approved": yuan(f["approved_yuan"]), "rate": f["rate_percent"] or "—",
                "margin": "—" if f["margin_bp"] is None else f["margin_bp"]} for f in data["flagged_approvals"]]  # fmt: skip
    return {"totals": _figures(data["totals"]), "tables": tables, "flagged": flagged}


@get("/finance-stats", **page(FR, REG, RA))
async def finance_stats_page(request: Request[Any, Any, Any], db: DB, year: FromQuery[int | None] = None) -> Any:
    """GET /v1/stats/finance as tables: requests sent in the year and the banks' answers, totals, by
    colour, sector, district and credit, and every approval to a red or below-基准 enterprise."""
    chosen = year if year is not None else beijing_today().year
    data = await finance_stats(db, request.user, chosen)
    return render(request, "finance_stats.html", "finance", year=chosen, figures=FIGURES,
                  stats=_stats(data, lang_of(request)))  # fmt: skip


@get("/finance-stats.csv", **page(FR, REG, RA))
async def finance_stats_csv(request: Request[Any, Any, Any], db: DB, year: FromQuery[int]) -> Response[bytes]:
    """The API's CSV (UTF-8 with a byte-order mark), downloaded."""
    csv_file = finance_csv(await finance_stats(db, request.user, year))
    headers = {"Content-Disposition": f'attachment; filename="finance-{year}.csv"'}
    return Response(csv_file.content, media_type="text/csv", headers=headers)
