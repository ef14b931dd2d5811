"""An enterprise's own pages beyond its account: its consents to banks (grant, withdraw), who read
its data (the access log), its verifiers (engage one), its finance offers and financing requests
(send one to several banks, withdraw an open one). Each page reads and writes through the API's
use cases and shows what the API's answer types hold; readers are those the API lets read the
same data, writers only the enterprise itself (another's `{uscc}` is 404, as over the API)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import msgspec
from litestar import Request, get, post
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromQuery, PathParameter
from litestar.response import Redirect

from domain.consents import Purpose, Scope
from domain.organisations import OrgKind, OrgStatus
from service import consents as consent_use
from service import verification as verifier_use
from service.access_log import access_log
from service.api.banks.schemas import AccessLogRead, ConsentCreate, ConsentRead
from service.api.finance.product_schemas import OffersRead
from service.api.finance.request_schemas import RequestCreate, RequestRead
from service.api.verification.schemas import EngagementRead, EngageVerifier
from service.auth.access import ACCESS_OPT, Access
from service.auth.principal import Principal
from service.console import filing, parties
from service.console.access import page
from service.console.forms import Refusal, attempt, beside, end_of_day, form_of, status_of
from service.console.i18n import words
from service.console.render import lang_of, render
from service.db.session import DB
from service.display import yuan
from service.finance import requests as request_use
from service.finance.offers import offers_for

__all__ = [
    "access_log_page",
    "consent_grant",
    "consent_withdraw",
    "consents_page",
    "enterprise_links",
    "finance_page",
    "request_send",
    "request_withdraw",
    "verifier_engage",
    "verifiers_page",
]

E, B, REG, RA, FR = (OrgKind.ENTERPRISE, OrgKind.BANK, OrgKind.REGULATOR, OrgKind.RATING_AUTHORITY,
                     OrgKind.FINANCE_REGULATOR)  # fmt: skip
BEIJING = ZoneInfo("Asia/Shanghai")
LOG_PAGE = 50
Uscc = Annotated[str, PathParameter()]
Id = Annotated[uuid.UUID, PathParameter()]
DONE = {"granted": "consent_granted", "withdrawn": "consent_withdrawn", "engaged": "verifier_engaged",
        "sent": "request_sent", "closed": "request_withdrawn"}  # fmt: skip


def _when(value: dt.datetime | None) -> str:
    return value.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M") if value else ""


def _notice(lang: str, done: str | None) -> str | None:
    return words(lang)[DONE[done]] if done in DONE else None


def _options(request: Request[Any, Any, Any], kind: str, values: list[Any]) -> list[tuple[str, str]]:
    """A select's (value, label) pairs: each value with its word (`purpose_credit`, `scope_full`)."""
    w = words(lang_of(request))
    return [(str(v), w[f"{kind}_{v}"]) for v in values]


def _may_open(user: Principal, handler: HTTPRouteHandler) -> bool:
    """What the guard decides for `handler`, asked beforehand (to offer only pages that open)."""
    decl: Access = handler.opt[ACCESS_OPT]
    return user.kind in decl.roles and (user.status is not OrgStatus.PENDING or decl.pending_ok)


def enterprise_links(request: Request[Any, Any, Any], uscc: str) -> list[tuple[str, str]]:
    """The enterprise's pages the caller may open, by the pages' own declarations."""
    w = words(lang_of(request))
    pages = [(parties.enterprise_page, "", "account"), (filing.filing_form, "/filing", "filing"),
             (consents_page, "/consents", "consents"), (access_log_page, "/access-log", "access_log"),
             (verifiers_page, "/verifiers", "verifiers"), (finance_page, "/finance", "finance_page")]  # fmt: skip
    return [(f"/console/enterprises/{uscc}{suffix}", w[key]) for h, suffix, key in pages if _may_open(request.user, h)]


def _acts(request: Request[Any, Any, Any], handler: HTTPRouteHandler) -> bool:
    return _may_open(request.user, handler)


# --- consents ----------------------------------------------------------------------------------------


async def _consents(request: Request[Any, Any, Any], db: DB, uscc: str, *, values: dict[str, str] | None = None,
                    refusals: list[Refusal] | None = None, done: str | None = None) -> Any:  # fmt: skip
    rows = [ConsentRead.of(c, uscc, bank.name) for c, bank in await consent_use.consents_of(db, request.user, uscc)]
    consents = [{"id": c.id, "bank": c.bank_name, "purpose": c.purpose, "scope": c.scope, "active": c.active,
                 "expires": _when(c.expires_at), "created": _when(c.created_at),
                 "withdrawn": _when(c.withdrawn_at)} for c in rows]  # fmt: skip
    banks = [(str(b.id), b.name) for b in await consent_use.banks(db)]
    return render(request, "consents.html", "consents", status_code=status_of(refusals) if refusals else 200,
                  uscc=uscc, links=enterprise_links(request, uscc), consents=consents, banks=banks,
                  purposes=_options(request, "purpose", list(Purpose)), scopes=_options(request, "scope", list(Scope)),
                  values=values or {},
                  errors=beside(refusals or []), can_grant=_acts(request, consent_grant),
                  can_withdraw=_acts(request, consent_withdraw), notice=_notice(lang_of(request), done))  # fmt: skip


@get("/enterprises/{uscc:str}/consents", **page(E, REG, RA))
async def consents_page(request: Request[Any, Any, Any], db: DB, uscc: Uscc, done: FromQuery[str | None] = None) -> Any:
    """Every consent the enterprise gave (withdrawn and expired ones too), as GET /v1/…/consents."""
    return await _consents(request, db, uscc, done=done)


@post("/enterprises/{uscc:str}/consents", status_code=303, **page(E))
async def consent_grant(request: Request[Any, Any, Any], db: DB, uscc: Uscc) -> Any:
    """Grant through the API's body type and use case; post/redirect/get, or the refusal beside its field."""
    form, _ = await form_of(request)
    body = {k: form[k] for k in ("bank_org_id", "purpose", "scope") if form.get(k)}
    if form.get("expires_at"):
        body["expires_at"] = end_of_day(form["expires_at"])

    async def run() -> Any:
        data = msgspec.convert(body, ConsentCreate, strict=False)
        return await consent_use.grant(db, request.user, uscc, bank_org_id=data.bank_org_id, purpose=data.purpose,
                                       scope=data.scope, expires_at=data.expires_at)  # fmt: skip

    _, refusals = await attempt(db, lang_of(request), run)
    if refusals:
        return await _consents(request, db, uscc, values=form, refusals=refusals)
    return Redirect(f"/console/enterprises/{uscc}/consents?done=granted", status_code=303)


@post("/enterprises/{uscc:str}/consents/{consent_id:uuid}/withdrawal", status_code=303, **page(E))
async def consent_withdraw(request: Request[Any, Any, Any], db: DB, uscc: Uscc, consent_id: Id) -> Any:
    """Withdraw at once (the bank's next read is refused), as DELETE /v1/…/consents/{id}."""
    _, refusals = await attempt(db, lang_of(request), lambda: consent_use.withdraw(db, request.user, uscc, consent_id))
    if refusals:
        return await _consents(request, db, uscc, refusals=refusals)
    return Redirect(f"/console/enterprises/{uscc}/consents?done=withdrawn", status_code=303)


# --- the access log ------------------------------------------------------------------------------------


@get("/enterprises/{uscc:str}/access-log", **page(E, REG, RA))
async def access_log_page(
    request: Request[Any, Any, Any], db: DB, uscc: Uscc, before: FromQuery[int | None] = None
) -> Any:
    """Who read the enterprise's ratings, certificates and finance data, newest first, a page at a time."""
    rows, more = await access_log(db, request.user, uscc=uscc, org_id=None, before=before, limit=LOG_PAGE)
    entries = [AccessLogRead.of(e, name, u) for e, name, u in rows]
    shown = [{"at": _when(e.at), "org": e.org_name, "kind": e.org_kind, "what": e.what, "purpose": e.purpose,
              "scope": e.scope or "", "resource": e.resource_id or ""} for e in entries]  # fmt: skip
    older = f"/console/enterprises/{uscc}/access-log?before={entries[-1].id}" if more and entries else None
    return render(request, "access_log.html", "access_log", uscc=uscc, links=enterprise_links(request, uscc),
                  entries=shown, older=older)  # fmt: skip


# --- verifiers ---------------------------------------------------------------------------------------


async def _verifiers(request: Request[Any, Any, Any], db: DB, uscc: str, *,
                     refusals: list[Refusal] | None = None, done: str | None = None) -> Any:  # fmt: skip
    engaged = [EngagementRead.of(e, org) for e, org in await verifier_use.engagements_of(db, request.user, uscc)]
    rows = [{"name": e.verifier_name, "at": _when(e.engaged_at)} for e in engaged]
    directory = [(str(v.id), v.name) for v in await verifier_use.verifiers(db)]
    return render(request, "verifiers.html", "verifiers", status_code=status_of(refusals) if refusals else 200,
                  uscc=uscc, links=enterprise_links(request, uscc), engaged=rows, directory=directory,
                  errors=beside(refusals or []), can_engage=_acts(request, verifier_engage),
                  notice=_notice(lang_of(request), done))  # fmt: skip


@get("/enterprises/{uscc:str}/verifiers", **page(E, REG, RA, pending_ok=True))
async def verifiers_page(
    request: Request[Any, Any, Any], db: DB, uscc: Uscc, done: FromQuery[str | None] = None
) -> Any:
    """The verifiers the enterprise engaged, and (for the enterprise) the directory to engage one."""
    return await _verifiers(request, db, uscc, done=done)


@post("/enterprises/{uscc:str}/verifiers", status_code=303, **page(E))
async def verifier_engage(request: Request[Any, Any, Any], db: DB, uscc: Uscc) -> Any:
    form, _ = await form_of(request)
    body = {"verifier_org_id": form["verifier_org_id"]} if form.get("verifier_org_id") else {}

    async def run() -> Any:
        data = msgspec.convert(body, EngageVerifier, strict=False)
        return await verifier_use.engage(db, request.user, uscc, data.verifier_org_id)

    _, refusals = await attempt(db, lang_of(request), run)
    if refusals:
        return await _verifiers(request, db, uscc, refusals=refusals)
    return Redirect(f"/console/enterprises/{uscc}/verifiers?done=engaged", status_code=303)


# --- finance offers and financing requests --------------------------------------------------------------


def _offers(read: OffersRead) -> dict[str, Any]:
    items = [{"bank": i.product.bank_name, "bank_id": str(i.product.bank_org_id), "id": str(i.product.id),
              "name": i.product.name, "code": i.product.code, "version": i.product.version,
              "kind": i.product.kind.value, "eligible": i.eligible,
              "margin_bp": "" if i.margin_bp is None else i.margin_bp, "checks": i.checks,
              "valid": f"{i.product.valid_from} – {i.product.valid_to}"} for i in read.items]  # fmt: skip
    return {"on": str(read.on), "rating": read.rating, "eligible": read.eligible, "items": items}


def _request(r: RequestRead) -> dict[str, Any]:
    banks = [{"name": x.bank_name, "status": x.status, "amount": yuan(x.amount_yuan) if x.amount_yuan else "",
              "rate": "" if x.rate_percent is None else str(x.rate_percent),
              "margin_bp": "" if x.margin_bp is None else x.margin_bp, "reason": x.reason or "",
              "answers": [{"status": a.status, "at": _when(a.at)} for a in x.answers]}
             for x in r.recipients]  # fmt: skip
    return {"id": r.id, "created": _when(r.created_at), "amount": yuan(r.amount_yuan), "purpose": r.purpose,
            "use": r.use_of_proceeds, "term": r.term_months, "scope": r.scope, "expires": _when(r.expires_at),
            "status": r.status, "closed_reason": r.closed_reason or "", "colour": r.colour, "banks": banks}  # fmt: skip


async def _finance(request: Request[Any, Any, Any], db: DB, uscc: str, *, values: dict[str, str] | None = None,
                   chosen: list[str] | None = None, refusals: list[Refusal] | None = None,
                   done: str | None = None) -> Any:  # fmt: skip
    offers = _offers(OffersRead.of(await offers_for(db, request.user, uscc)))
    requests = [_request(RequestRead.of(x)) for x in await request_use.requests_of(db, request.user, uscc)]
    can_send = _acts(request, request_send)
    banks = [(str(b.id), b.name) for b in await consent_use.banks(db)] if can_send else []
    products = {bank_id: [(i["id"], i["name"], i["eligible"]) for i in offers["items"] if i["bank_id"] == bank_id]
                for bank_id, _ in banks}  # fmt: skip
    return render(request, "finance.html", "finance_page", status_code=status_of(refusals) if refusals else 200,
                  uscc=uscc, links=enterprise_links(request, uscc), offers=offers, requests=requests, banks=banks,
                  products=products, purposes=_options(request, "purpose", [Purpose.CREDIT, Purpose.BOND]),
                  scopes=_options(request, "scope", list(Scope)),
                  values=values or {"scope": Scope.FULL.value}, chosen=chosen or [], errors=beside(refusals or []),
                  can_send=can_send, can_withdraw=_acts(request, request_withdraw),
                  notice=_notice(lang_of(request), done))  # fmt: skip


@get("/enterprises/{uscc:str}/finance", **page(E, REG, RA, FR))
async def finance_page(request: Request[Any, Any, Any], db: DB, uscc: Uscc, done: FromQuery[str | None] = None) -> Any:
    """Its offers (eligible or not, each rule passed or failed) and its requests with every bank's
    answers: the reads of GET /v1/…/finance-offers and /financing-requests (logged as they are)."""
    return await _finance(request, db, uscc, done=done)


@post("/enterprises/{uscc:str}/financing-requests", status_code=303, **page(E))
async def request_send(request: Request[Any, Any, Any], db: DB, uscc: Uscc) -> Any:
    """One request to every bank ticked (each with the product chosen for it, if any), through the
    API's body type and use case: each bank gets a consent until the request closes."""
    form, many = await form_of(request)
    chosen = many.get("banks", [])
    body: dict[str, Any] = {k: form[k] for k in ("amount_yuan", "purpose", "use_of_proceeds", "term_months", "scope")
                            if form.get(k)}  # fmt: skip
    if form.get("expires_at"):
        body["expires_at"] = end_of_day(form["expires_at"])
    body["banks"] = [{"bank_org_id": b, **({"product_id": form[f"product.{b}"]} if form.get(f"product.{b}") else {})}
                     for b in chosen]  # fmt: skip

    async def run() -> Any:
        return await request_use.send(
            db, request.user, uscc, msgspec.convert(body, RequestCreate, strict=False).input()
        )

    _, refusals = await attempt(db, lang_of(request), run)
    if refusals:
        return await _finance(request, db, uscc, values=form, chosen=chosen, refusals=refusals)
    return Redirect(f"/console/enterprises/{uscc}/finance?done=sent", status_code=303)


@post("/enterprises/{uscc:str}/financing-requests/{request_id:uuid}/withdrawal", status_code=303, **page(E))
async def request_withdraw(request: Request[Any, Any, Any], db: DB, uscc: Uscc, request_id: Id) -> Any:
    """Close an open request: the banks' consents end; answers given stay."""
    _, refusals = await attempt(db, lang_of(request), lambda: request_use.withdraw(db, request.user, request_id))
    if refusals:
        return await _finance(request, db, uscc, refusals=refusals)
    return Redirect(f"/console/enterprises/{uscc}/finance?done=closed", status_code=303)
