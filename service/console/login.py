"""Logging in and out: with the organisation's client credentials (the token endpoint's check) or
a person's account (Argon2id), failed attempts limited per address as the token endpoint limits
them; the session cookie is HttpOnly, Secure and SameSite=Lax."""

from __future__ import annotations

import contextlib
from typing import Annotated, Any

import msgspec
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from litestar import Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromQuery
from litestar.response import Redirect
from sqlalchemy import select

from domain.organisations import CAN_HOLD_TOKENS, OrgKind, OrgStatus
from service.auth.grant import authenticate_client
from service.console.access import page, public_page
from service.console.i18n import LANGS, words
from service.console.render import lang_of, render
from service.console.session import COOKIE, TTL, close_session, open_session
from service.db.models import ConsoleUser, Organisation
from service.db.session import DB

__all__ = ["HASHER", "home", "login_form", "login_submit", "logout", "switch_language"]

HASHER = PasswordHasher()  # argon2id with the library's (RFC 9106) defaults
_DUMMY = HASHER.hash("no such person")
ALL = tuple(OrgKind)


class LoginForm(msgspec.Struct, kw_only=True):
    client_id: str = ""
    client_secret: str = ""
    username: str = ""
    password: str = ""
    next: FromQuery[str] = ""


def _safe_next(target: str) -> str:
    """Only a console path: never an open redirect."""
    return target if target.startswith("/console/") and not target.startswith("//") else "/console/"


@get("/login", **public_page())
async def login_form(request: Request[Any, Any, Any], next: FromQuery[str] = "") -> Any:
    return render(request, "login.html", "login", next=_safe_next(next), error=None)


async def _person(db: DB, username: str, password: str) -> tuple[ConsoleUser, Organisation] | None:
    row = (await db.execute(select(ConsoleUser, Organisation).join(Organisation, Organisation.id == ConsoleUser.org_id)
                            .where(ConsoleUser.username == username))).one_or_none()  # fmt: skip
    if row is None:
        _spend(password)
        return None
    user, org = row.ConsoleUser, row.Organisation
    try:
        HASHER.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        user.failed_logins += 1
        return None
    if user.disabled_at is not None or OrgStatus(org.status) not in CAN_HOLD_TOKENS:
        return None
    user.failed_logins = 0
    return user, org


def _spend(password: str) -> None:
    """The same work for an unknown username as for a known one: names don't leak by timing."""
    with contextlib.suppress(VerificationError):
        HASHER.verify(_DUMMY, password)


@post("/login", status_code=303, **public_page())
async def login_submit(
    data: Annotated[LoginForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    request: Request[Any, Any, Any],
    db: DB,
) -> Any:
    limiter = request.app.state.token_failures
    failed = f"ip:console-failed:{request.client.host if request.client else 'unknown'}"
    w = words(lang_of(request))
    if (wait := limiter.exceeded(failed)) is not None:
        return render(request, "login.html", "login", status_code=429, next=_safe_next(data.next),
                      error=w["login_locked"].format(wait=wait))  # fmt: skip
    token = None
    if data.client_id:
        client = await authenticate_client(db, data.client_id, data.client_secret)
        if client is not None:
            token = await open_session(db, org_id=client.org_id, client_id=client.client_id)
    elif data.username:
        found = await _person(db, data.username, data.password)
        if found is not None:
            token = await open_session(db, org_id=found[1].id, user_id=found[0].id)
    if token is None:
        await db.commit()  # a person's failed count stays counted
        await limiter.hit(failed)
        return render(request, "login.html", "login", status_code=401, next=_safe_next(data.next),
                      error=w["login_failed"])  # fmt: skip
    response = Redirect(_safe_next(data.next), status_code=303)
    response.set_cookie(COOKIE, token, max_age=int(TTL.total_seconds()), path="/console", httponly=True,
                        secure=True, samesite="lax")  # fmt: skip
    return response


@post("/logout", status_code=303, **page(*ALL, pending_ok=True))
async def logout(request: Request[Any, Any, Any], db: DB) -> Any:
    token = request.cookies.get(COOKIE)
    if token:
        await close_session(db, token)
    response = Redirect("/console/login", status_code=303)
    response.delete_cookie(COOKIE, path="/console")
    return response


@get("/", **page(*ALL, pending_ok=True))
async def home(request: Request[Any, Any, Any]) -> Any:
    """Each organisation's own start page."""
    user = request.user
    if user.kind is OrgKind.ENTERPRISE:
        return Redirect(f"/console/enterprises/{user.uscc}", status_code=303)
    if user.kind is OrgKind.BANK:
        return Redirect("/console/borrowers", status_code=303)
    if user.kind in (OrgKind.REGULATOR, OrgKind.RATING_AUTHORITY, OrgKind.FINANCE_REGULATOR):
        return Redirect("/console/city", status_code=303)
    return render(request, "error.html", "title", message=words(lang_of(request))["forbidden"])


@get("/lang", **public_page())
async def switch_language(
    request: Request[Any, Any, Any], to: FromQuery[str] = "zh", next: FromQuery[str] = ""
) -> Response[Any]:
    """Back to the page the switch was on (`next`: the pages send no Referer)."""
    response = Redirect(_safe_next(next), status_code=303)
    response.set_cookie("console_lang", to if to in LANGS else "zh", path="/console", samesite="lax", secure=True)
    return response
