"""The rating-round job: all or nothing. A round killed in the middle leaves the previous
round in force and runs again; two rounds for one year cannot run at once."""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Iterator
from typing import Any

import msgspec
import pytest
from litestar.testing import TestClient

from service.app import create_app
from service.db.engine import make_engine, make_sessionmaker
from service.ratings.job import RoundRunner
from service.settings import Settings
from tests.helpers import Api, Caller, build_city, cement


@pytest.fixture
def quiet_api(settings: Settings) -> Iterator[Api]:
    """The app without its in-process worker: the test runs the job itself."""
    quiet = msgspec.structs.replace(settings, run_jobs=False)
    with TestClient(app=create_app(quiet)) as client:
        yield Api(client, quiet)


def _city(api: Api) -> dict[str, Any]:
    town = build_city(api, 5, content=lambda i, year: cement(value_added=str(40000 + 1000 * i)))
    return {"ra": town.rating_authority, "ents": town.enterprises}


def _start(api: Api, ra: Caller, year: int = 2023) -> str:
    r = api.client.post("/v1/rating-rounds", json={"year": year}, headers=ra.headers)
    assert r.status_code == 202, r.text
    return str(r.json()["id"])


async def _run(settings: Settings, stage_to_die: str | None) -> int:
    engine = make_engine(settings.app_database_url, pool_size=2)
    runner = RoundRunner(engine, make_sessionmaker(engine), settings)

    async def die(stage: str) -> None:
        if stage == stage_to_die:
            raise asyncio.CancelledError  # as when the process is killed: no handler runs

    runner.hook = die
    try:
        return await runner.run_pending()
    finally:
        await engine.dispose()


def _round(api: Api, ra: Caller, round_id: str) -> dict[str, Any]:
    return dict(api.client.get(f"/v1/rating-rounds/{round_id}", headers=ra.headers).json())


@pytest.mark.parametrize("stage", ["accounted", "signed", "committing"])
def test_a_killed_round_leaves_the_previous_in_force_and_reruns(quiet_api: Api, stage: str) -> None:
    api = quiet_api
    city = _city(api)
    ra, ent = city["ra"], city["ents"][0]
    _start(api, ra)
    assert asyncio.run(_run(api.settings, None)) == 1
    first = api.client.get(f"/v1/enterprises/{ent.uscc}/ratings/latest", headers=ent.headers).json()

    second_id = _start(api, ra)
    with pytest.raises(asyncio.CancelledError):
        asyncio.run(_run(api.settings, stage))
    state = _round(api, ra, second_id)
    assert (state["status"], state["rated"]) == ("running", None)
    assert api.client.post("/v1/verify", json={"token": first["token"]}).json()["status"] == "active"
    history = api.client.get(f"/v1/enterprises/{ent.uscc}/ratings", headers=ent.headers).json()
    assert [h["id"] for h in history] == [first["id"]]  # nothing of the killed round was kept

    assert asyncio.run(_run(api.settings, None)) == 1  # rerun: the round is taken up again
    state = _round(api, ra, second_id)
    assert (state["status"], state["rated"], state["attempts"]) == ("completed", 5, 2)
    assert api.client.post("/v1/verify", json={"token": first["token"]}).json()["status"] == "superseded"


def test_two_rounds_for_one_year_cannot_run_at_once(quiet_api: Api) -> None:
    api = quiet_api
    city = _city(api)
    ra = city["ra"]

    def start() -> int:
        return api.client.post("/v1/rating-rounds", json={"year": 2023}, headers=ra.headers).status_code

    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        codes = sorted(pool.map(lambda _: start(), range(4)))
    assert codes == [202, 409, 409, 409]
    assert asyncio.run(_run(api.settings, None)) == 1
    assert start() == 202  # the year's round completed: a new one may start
