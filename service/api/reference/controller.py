"""`/v1/factor-sets`, `/v1/benchmark-editions`, `/v1/products`: public reads; the rating
authority loads new versions (never edits one)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import JSONBody, PathParameter

from domain.benchmarks import BenchmarkEdition
from domain.factors import FactorSet
from domain.organisations import OrgKind
from domain.products import products
from service import reference as use
from service.api.pagination import OptionalYearQuery
from service.api.reference.schemas import EditionRead, EditionRef, FactorSetRead, FactorSetRef, ProductRead
from service.auth.access import access, public
from service.db.session import DB

__all__ = ["ReferenceController"]

RA = OrgKind.RATING_AUTHORITY
Id = Annotated[uuid.UUID, PathParameter(description="The version's id")]


class ReferenceController(Controller):
    path = "/v1"
    tags = ["reference data"]

    @get("/factor-sets", **public(errors=(422,)))
    async def list_factor_sets(self, db: DB, year: OptionalYearQuery = None) -> list[FactorSetRef]:
        """Every version of every factor set (or of one accounting year), oldest first."""
        return [FactorSetRef.of(r) for r in await use.list_factor_sets(db, year)]

    @get("/factor-sets/{factor_set_id:uuid}", **public(errors=(404,)))
    async def get_factor_set(self, factor_set_id: Id, db: DB) -> FactorSetRead:
        """One version, every value with its unit, source and confidence."""
        return FactorSetRead.of(await use.get_factor_set(db, factor_set_id))

    @post("/factor-sets", **access(RA, errors=(413, 422)))
    async def create_factor_set(
        self, data: JSONBody[FactorSet], request: Request[Any, Any, Any], db: DB
    ) -> FactorSetRead:
        """Load a new version for its year (the next version number); it applies to accounts from now on."""
        return FactorSetRead.of(await use.create_factor_set(db, request.user, data))

    @get("/benchmark-editions", **public())
    async def list_editions(self, db: DB) -> list[EditionRef]:
        """Every edition version, oldest first; a year uses the latest in force (effective_from ≤ year)."""
        return [EditionRef.of(r) for r in await use.list_editions(db)]

    @get("/benchmark-editions/{edition_id:uuid}", **public(errors=(404,)))
    async def get_edition(self, edition_id: Id, db: DB) -> EditionRead:
        """One edition: per product, variant, indicator, unit, 标杆 and 基准 with their sources."""
        return EditionRead.of(await use.get_edition(db, edition_id))

    @post("/benchmark-editions", **access(RA, errors=(413, 422)))
    async def create_edition(
        self, data: JSONBody[BenchmarkEdition], request: Request[Any, Any, Any], db: DB
    ) -> EditionRead:
        """Load a new edition version; rows name products of GET /v1/products."""
        return EditionRead.of(await use.create_edition(db, request.user, data))

    @get("/products", **public())
    async def list_products(self) -> list[ProductRead]:
        """The product codes a filing may use, each fixing its variant, indicator and unit."""
        return [ProductRead.of(p) for p in products().values()]
