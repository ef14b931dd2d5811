"""`/v1/reference-intensities`: official L_industry per class and year, public reads; the rating
authority loads new versions (never edits one)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.params import JSONBody, PathParameter

from domain.organisations import OrgKind
from domain.reference_intensity import ReferenceIntensitySet
from service import reference_intensities as use
from service.api.pagination import OptionalYearQuery
from service.api.reference.intensity_schemas import ReferenceIntensityRead, ReferenceIntensityRef
from service.auth.access import access, public
from service.db.session import DB
from service.idempotency import idempotent

__all__ = ["ReferenceIntensityController"]

RA = OrgKind.RATING_AUTHORITY
SetId = Annotated[uuid.UUID, PathParameter(description="The version's id")]


class ReferenceIntensityController(Controller):
    path = "/v1"
    tags = ["reference data"]

    @get("/reference-intensities", **public(errors=(422,)))
    async def list_sets(self, db: DB, year: OptionalYearQuery = None) -> list[ReferenceIntensityRef]:
        """Every version of every year's set (or of one year), oldest first; a year uses its latest."""
        return [ReferenceIntensityRef.of(r) for r in await use.list_reference_intensity_sets(db, year)]

    @get("/reference-intensities/{set_id:uuid}", **public(errors=(404,)))
    async def get_set(self, set_id: SetId, db: DB) -> ReferenceIntensityRead:
        """One version: per GB/T 4754-2017 class, L_industry (tCO2/万元) with its basis, source and confidence."""
        return ReferenceIntensityRead.of(await use.get_reference_intensity_set(db, set_id))

    @post("/reference-intensities", **access(RA, errors=(409, 413, 422)))
    async def create_set(
        self, data: JSONBody[ReferenceIntensitySet], request: Request[Any, Any, Any], db: DB
    ) -> Response[ReferenceIntensityRead]:
        """Load the year's next version; methodology v2 uses it where a round's peers are too few.
        The same content as the year's latest version is 409; Idempotency-Key replays the first answer."""

        async def run() -> ReferenceIntensityRead:
            return ReferenceIntensityRead.of(await use.create_reference_intensity_set(db, request.user, data))

        return await idempotent(request, db, run)
