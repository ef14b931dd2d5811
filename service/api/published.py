"""Public documents: the rating key set (JWKS) and the methodology's parameters."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import get
from litestar.params import PathParameter

from domain.errors import NotFound
from scoring import METHODOLOGIES
from service.auth.access import public
from service.auth.keystore import public_keys
from service.db.session import DB
from service.ratings.tokens import jwk

__all__ = ["jwks", "methodologies", "methodology"]


@get("/.well-known/jwks.json", tags=["verification"], **public())
async def jwks(db: DB) -> dict[str, Any]:
    """Every rating key that ever signed, and a new one from its publication on (before it signs)."""
    return {"keys": [jwk(k.kid, k.public_pem) for k in await public_keys(db, "rating")]}


@get("/v1/methodologies", tags=["ratings"], **public())
async def methodologies() -> list[dict[str, Any]]:
    """Every published methodology version's parameters."""
    return [module.parameters() for module in METHODOLOGIES.values()]


@get("/v1/methodologies/{version:str}", tags=["ratings"], **public(errors=(404,)))
async def methodology(version: Annotated[str, PathParameter(description="e.g. 1")]) -> dict[str, Any]:
    """One version's thresholds, constants and rules (docs/methodology.md explains them)."""
    module = METHODOLOGIES.get(version)
    if module is None:
        raise NotFound(f"No methodology version {version!r}; versions: {', '.join(METHODOLOGIES)}.")
    return dict(module.parameters())
