"""Races against the real server (uvicorn in a subprocess, 2 workers): 50 requests at once.

50 submits of one draft give one 200 and 49 409s; 50 creates with one Idempotency-Key
make one filing (every answer the same filing); two rounds for one year started at once
run one.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import httpx

from domain.organisations import OrgKind
from service.settings import Settings
from tests.helpers import CEMENT_CONTENT, Api, Filings
from tests.live import live_service


async def _at_once(url: str, n: int, method: str, path: str, **kw: Any) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=n, max_keepalive_connections=n)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as client:
        return list(await asyncio.gather(*(client.request(method, path, **kw) for _ in range(n))))


def test_fifty_submits_fifty_idempotent_creates_and_two_rounds(api: Api, settings: Settings) -> None:
    regulator = api.bootstrap(OrgKind.REGULATOR)
    rating_authority = api.bootstrap(OrgKind.RATING_AUTHORITY)
    ent, _ = api.register()
    api.decide(regulator, ent.uscc or "", "approve")
    draft = Filings(api).create(ent, 2023)

    with live_service(settings, workers=2) as url:
        submits = asyncio.run(_at_once(url, 50, "POST", f"/v1/filings/{draft['id']}/submit", headers=ent.headers))
        assert Counter(r.status_code for r in submits) == {200: 1, 409: 49}
        assert all(
            r.headers["content-type"].startswith("application/problem+json") for r in submits if r.status_code == 409
        )

        body = {"period": 2024, **CEMENT_CONTENT}
        headers = {**ent.headers, "Idempotency-Key": "one-key-fifty-times"}
        creates = asyncio.run(
            _at_once(url, 50, "POST", f"/v1/enterprises/{ent.uscc}/filings", json=body, headers=headers)
        )
        assert Counter(r.status_code for r in creates) == {201: 50}, Counter(r.text for r in creates)
        assert len({r.json()["id"] for r in creates}) == 1
        listed = httpx.get(f"{url}/v1/enterprises/{ent.uscc}/filings?period=2024", headers=ent.headers).json()
        assert len(listed["items"]) == 1

        rounds = asyncio.run(
            _at_once(url, 2, "POST", "/v1/rating-rounds", json={"year": 2023}, headers=rating_authority.headers)
        )
        assert sorted(r.status_code for r in rounds) == [202, 409]
