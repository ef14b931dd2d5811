"""Who may call what, declared once per operation and enforced by one guard.

Every route handler is built with `access(...)` or `public(...)`; the app refuses to
start if one is not. The guard authenticates the bearer token (401), checks the
caller's role (403), keeps an enterprise to its own `{uscc}` (404, so existence does
not leak) and keeps a pending enterprise to the operations marked `pending_ok`.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.openapi.datastructures import ResponseSpec

from domain.organisations import OrgKind, OrgStatus
from service.auth.principal import Principal, load_principal
from service.auth.tokens import TokenRejected, decode_access_token
from service.console.session import authenticate_console
from service.errors import ProblemDocument, ProblemError

__all__ = [
    "ACCESS_OPT",
    "ALL_KINDS",
    "Access",
    "access",
    "authorise",
    "is_framework_route",
    "limit_by_address",
    "public",
]

ACCESS_OPT = "access"
ALL_KINDS = frozenset(OrgKind)
SECURITY_SCHEME = "clientCredentials"
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="carbon-account"'}

_DESCRIPTIONS = {
    400: "Malformed request (not JSON, bad query parameter)",
    401: "No bearer token, or an invalid, expired or revoked one",
    403: "The caller's role may not call this operation",
    404: "Not found, or not visible to this caller",
    409: "Conflicts with the current state (duplicate, already decided)",
    413: "Request body too large",
    415: "Unsupported media type (the body's Content-Type)",
    429: "Too many requests from this client: wait Retry-After seconds",
    422: "Validation failed; `errors` names each field",
    503: "Not ready, or a dependency is unavailable",
}


class Access(msgspec.Struct, frozen=True, kw_only=True):
    roles: frozenset[OrgKind]
    public: bool = False
    pending_ok: bool = False  # a pending enterprise may call it (its own resources only)
    console: bool = False  # a console page: the caller is a session cookie's, not a bearer token's


def _responses(codes: set[int]) -> dict[int, ResponseSpec]:
    return {
        code: ResponseSpec(
            data_container=ProblemDocument,
            description=_DESCRIPTIONS[code],
            media_type="application/problem+json",
            generate_examples=False,
        )
        for code in sorted(codes)
    }


def access(*roles: OrgKind, pending_ok: bool = False, errors: tuple[int, ...] = ()) -> dict[str, Any]:
    """Handler kwargs for an authenticated operation open to `roles`."""
    decl = Access(roles=frozenset(roles), pending_ok=pending_ok)
    codes = {400, 401, 403, 429, 503, *errors}  # 503: the database briefly away (service/db/unavailable.py)
    return {
        "opt": {ACCESS_OPT: decl},
        "security": [{SECURITY_SCHEME: []}],
        "responses": _responses(codes),
        "description": "Callers: " + ", ".join(sorted(r.value for r in roles)) + ".",
    }


def public(*, errors: tuple[int, ...] = ()) -> dict[str, Any]:
    """Handler kwargs for an operation anyone may call without a token."""
    return {
        "opt": {ACCESS_OPT: Access(roles=ALL_KINDS, public=True)},
        "security": [],
        "responses": _responses({400, 503, *errors}),
        "description": "Callers: anyone (no token).",
    }


def is_framework_route(handler: BaseRouteHandler, path: str) -> bool:
    """The OpenAPI documents and automatic OPTIONS answers: public, declared by the framework."""
    methods = getattr(handler, "http_methods", set())
    return path == "/schema" or path.startswith("/schema/") or methods == {"OPTIONS"}


async def authenticate(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    """Signature, expiry, issuer, audience, then the client's and organisation's state now."""
    header = connection.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ProblemError(401, "unauthorized", "A bearer access token is required.", headers=_CHALLENGE)
    state = connection.app.state
    settings = state.settings
    try:
        claims = decode_access_token(
            token.strip(), state.access_key, issuer=settings.issuer, audience=settings.audience, cache=state.verified
        )
        return await load_principal(state.pg, claims)
    except TokenRejected as exc:
        raise ProblemError(401, "unauthorized", str(exc), headers=_CHALLENGE) from exc


async def authorise(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    """The one guard, installed app-wide."""
    decl: Access | None = handler.opt.get(ACCESS_OPT)
    if decl is None and is_framework_route(handler, connection.scope["path"]):
        return
    if decl is None:  # every operation declares its callers; refuse rather than guess
        raise ProblemError(403, "forbidden", "This operation declares no callers.")
    if decl.public:
        return
    principal = await (authenticate_console(connection) if decl.console else authenticate(connection))
    connection.scope["user"] = principal
    wait = await connection.app.state.rate_limiter.hit(principal.client_id)
    if wait is not None:
        raise ProblemError(
            429,
            "rate-limited",
            f"Too many requests from this client; retry in {wait} s.",
            headers={"Retry-After": str(wait)},
        )
    if principal.kind not in decl.roles:
        raise ProblemError(403, "forbidden", f"Organisations of kind {principal.kind.value} may not call this.")
    if principal.kind is OrgKind.ENTERPRISE:
        uscc = connection.path_params.get("uscc")
        if uscc is not None and not principal.owns(uscc):
            raise ProblemError(404, "not-found", "No such enterprise.")
        if principal.status is OrgStatus.PENDING and not decl.pending_ok:
            raise ProblemError(403, "registration-pending", "The registration awaits a regulator's approval.")


async def limit_by_address(connection: ASGIConnection[Any, Any, Any, Any], bucket: str = "lookup") -> None:
    """The rate limit for public operations, per client address and per kind of operation
    (`lookup`: verification; `token`: secret guessing; `register`: registration spam)."""
    host = connection.client.host if connection.client else "unknown"
    wait = await connection.app.state.rate_limiter.hit(f"ip:{bucket}:{host}")
    if wait is not None:
        raise ProblemError(
            429, "rate-limited", f"Too many requests; retry in {wait} s.", headers={"Retry-After": str(wait)}
        )
