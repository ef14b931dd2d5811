"""A rating recomputed from what it pins gives the very claims that were signed, byte for byte."""

from __future__ import annotations

import asyncio
import base64
import uuid
from typing import Any

from domain.canonical import canonical_json
from service.db.engine import make_engine, make_sessionmaker
from service.ratings.recompute import recompute_claims
from tests.helpers import Api, build_city, cement, run_round


def test_every_rating_of_a_round_recomputes_to_its_signed_claims(api: Api) -> None:
    def lines(i: int, year: int) -> dict[str, Any]:
        if year == 2023:
            return cement(value_added=str(50000 - 3000 * i))
        return cement(value_added=str(52000 - 3000 * i), clinker_energy=str(80000 + 4000 * i))

    town = build_city(api, 7, years=(2023, 2024), content=lines, verified=lambda i, year: year == 2023 or i % 3 != 0)
    ra, ents = town.rating_authority, town.enterprises
    assert run_round(api, ra, 2024)["status"] == "completed"
    ratings = [api.client.get(f"/v1/enterprises/{e.uscc}/ratings/latest", headers=e.headers).json() for e in ents]
    assert {r["rating"]["pins"]["previous_filing_version"] for r in ratings} == {1}

    async def recompute_all() -> list[bytes]:
        engine = make_engine(api.settings.app_database_url, pool_size=1)
        try:
            async with make_sessionmaker(engine)() as db:
                return [canonical_json(await recompute_claims(db, uuid.UUID(r["id"]))) for r in ratings]
        finally:
            await engine.dispose()

    signed = [base64.urlsafe_b64decode(r["token"].split(".")[1] + "==") for r in ratings]
    assert signed == [canonical_json(r["rating"]) for r in ratings]  # the JWS payload is the canonical JSON
    assert asyncio.run(recompute_all()) == signed
