"""Access declarations for console pages: the API's `Access`, marked as a page (session cookie,
not in the OpenAPI document), so that the one guard decides for pages as it does for operations."""

from __future__ import annotations

from typing import Any

from domain.organisations import OrgKind
from service.auth.access import ACCESS_OPT, ALL_KINDS, Access

__all__ = ["page", "public_page"]


def page(*roles: OrgKind, pending_ok: bool = False) -> dict[str, Any]:
    """Handler kwargs for a page open to `roles` with a live console session."""
    return {"opt": {ACCESS_OPT: Access(roles=frozenset(roles), pending_ok=pending_ok, console=True)},
            "include_in_schema": False, "media_type": "text/html"}  # fmt: skip


def public_page() -> dict[str, Any]:
    """Handler kwargs for a page anyone may open (the login page)."""
    return {"opt": {ACCESS_OPT: Access(roles=ALL_KINDS, public=True, console=True)}, "include_in_schema": False,
            "media_type": "text/html"}  # fmt: skip
