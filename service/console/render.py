"""One way to answer with a page: the template, the caller's language, the navigation its role
gets, the CSRF token every form carries, and who is logged in."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.response import Template
from litestar.utils.scope.state import ScopeState

from domain.organisations import OrgKind
from service.auth.principal import Principal
from service.console.i18n import language, words

__all__ = ["lang_of", "nav_for", "render"]

_NAV: dict[OrgKind, list[tuple[str, str]]] = {
    OrgKind.REGULATOR: [
        ("/console/city", "city"),
        ("/console/registrations", "registrations"),
        ("/console/policy", "policy_lists"),
        ("/console/rounds", "rounds"),
        ("/console/objections", "objections"),
        ("/console/finance-stats", "finance"),
    ],
    OrgKind.RATING_AUTHORITY: [
        ("/console/city", "city"),
        ("/console/policy", "policy_lists"),
        ("/console/rounds", "rounds"),
        ("/console/objections", "objections"),
        ("/console/finance-stats", "finance"),
    ],
    OrgKind.FINANCE_REGULATOR: [
        ("/console/city", "city"),
        ("/console/policy", "policy_lists"),
        ("/console/rounds", "rounds"),
        ("/console/finance-stats", "finance"),
        ("/console/verify", "verify"),
    ],
    OrgKind.BANK: [
        ("/console/borrowers", "borrowers"),
        ("/console/verify", "verify"),
        ("/console/financed-emissions", "financed_emissions"),
    ],
}


def lang_of(request: Request[Any, Any, Any]) -> str:
    return language(request.cookies.get("console_lang"))


def nav_for(user: Principal | None, w: dict[str, Any]) -> list[tuple[str, str]]:
    if user is None:
        return []
    if user.kind is OrgKind.ENTERPRISE:
        return [
            (f"/console/enterprises/{user.uscc}", w["account"]),
            (f"/console/enterprises/{user.uscc}/filing", w["filing"]),
        ]
    return [(href, w[key]) for href, key in _NAV.get(user.kind, [])]


def render(
    request: Request[Any, Any, Any], template: str, title_key: str, *, status_code: int = 200, **context: Any
) -> Template:
    lang = lang_of(request)
    w = words(lang)
    user: Principal | None = request.scope.get("user")
    who = (user.uscc or user.kind.value) if user else None
    csrf = ScopeState.from_scope(request.scope).csrf_token
    return Template(
        template_name=template,
        status_code=status_code,
        context={
            "lang": lang,
            "w": w,
            "page_title": w.get(title_key, title_key),
            "nav": nav_for(user, w),
            "who": who,
            "csrf_token": csrf or "",
            **context,
        },
    )
