"""What a caller sees before the jobs catch up: a new round is running since it was started, a
certificate still being rendered is a 503 with Retry-After (the SDK waits it out), and a bank's
consent sync names the bank, as the enterprise's own list does."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Iterator

import msgspec
import pytest
from litestar.testing import TestClient

from domain.organisations import OrgKind
from service.app import create_app
from service.certificates.issue import CertificateWorker
from service.db.engine import make_engine, make_sessionmaker
from service.pdf.fonts import find_cjk_font
from service.ratings.job import RoundRunner
from service.settings import Settings
from tests.helpers import Api, Caller, build_city


@pytest.fixture
def idle(settings: Settings) -> Iterator[Api]:
    """The API with no job worker: rounds and certificates wait until a test runs them."""
    quiet = msgspec.structs.replace(settings, run_jobs=False)
    with TestClient(app=create_app(quiet)) as client:
        yield Api(client, quiet)


def _run_round_here(settings: Settings, round_id: str) -> None:
    async def run() -> None:
        engine = make_engine(settings.database_url, pool_size=2)
        try:
            await RoundRunner(engine, make_sessionmaker(engine), settings).claim_and_run(uuid.UUID(round_id))
        finally:
            await engine.dispose()

    asyncio.run(run())


def _render_certificates_here(settings: Settings) -> int:
    async def run() -> int:
        engine = make_engine(settings.app_database_url, pool_size=2)
        worker = CertificateWorker(make_sessionmaker(engine), settings)
        try:
            done = 0
            while n := await worker.run_once():
                done += n
            return done
        finally:
            worker.close()
            await engine.dispose()

    return asyncio.run(run())


def _start_round(api: Api, ra: Caller, year: int) -> dict[str, object]:
    r = api.client.post("/v1/rating-rounds", json={"year": year}, headers=ra.headers)
    assert r.status_code == 202, r.text
    return dict(r.json())


def test_a_new_round_is_running_since_it_was_started(idle: Api) -> None:
    town = build_city(idle, 1)
    before = dt.datetime.now(dt.UTC)
    started = _start_round(idle, town.rating_authority, 2023)
    assert started["status"] == "running"
    assert started["started_at"] is not None, started
    assert dt.datetime.fromisoformat(str(started["started_at"])) >= before - dt.timedelta(seconds=5)
    read = idle.client.get(f"/v1/rating-rounds/{started['id']}", headers=town.rating_authority.headers).json()
    assert (read["status"], read["started_at"]) == ("running", started["started_at"])


def test_a_certificate_not_yet_rendered_is_a_503_with_retry_after(idle: Api) -> None:
    if find_cjk_font(idle.settings.cjk_font) is None:
        pytest.skip("no CJK font: certificate endpoints answer 503 certificates-unavailable")
    town = build_city(idle, 2)
    rnd = _start_round(idle, town.rating_authority, 2023)
    _run_round_here(idle.settings, str(rnd["id"]))
    ent = town.enterprises[0]
    rating = idle.client.get(f"/v1/enterprises/{ent.uscc}/ratings/latest", headers=ent.headers).json()

    for path in (f"/v1/ratings/{rating['id']}/certificate.pdf", f"/v1/rating-rounds/{rnd['id']}/certificates.zip"):
        r = idle.client.get(path, headers=town.regulator.headers)
        assert r.status_code == 503, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["type"] == "urn:carbon-account:problem:certificate-pending"
        assert 1 <= int(r.headers["retry-after"]) <= 60
    other = idle.client.get(f"/v1/ratings/{rating['id']}/certificate.pdf", headers=town.enterprises[1].headers)
    assert other.status_code == 404  # another enterprise learns nothing, pending or not

    assert _render_certificates_here(idle.settings) == 2
    done = idle.client.get(f"/v1/ratings/{rating['id']}/certificate.pdf", headers=ent.headers)
    assert done.status_code == 200 and done.content.startswith(b"%PDF")


def test_the_banks_consent_sync_names_the_bank(api: Api) -> None:
    admin = api.bootstrap(OrgKind.ADMIN)
    bank = api.admin_created(admin, "bank")
    regulator = api.bootstrap(OrgKind.REGULATOR)
    ent, _ = api.register()
    api.decide(regulator, ent.uscc or "", "approve")
    body = {"bank_org_id": bank.org_id, "purpose": "credit", "scope": "full",
            "expires_at": (dt.datetime.now(dt.UTC) + dt.timedelta(days=30)).isoformat()}  # fmt: skip
    granted = api.client.post(f"/v1/enterprises/{ent.uscc}/consents", json=body, headers=ent.headers)
    assert granted.status_code == 201, granted.text
    name = granted.json()["bank_name"]
    assert name
    synced = api.client.get("/v1/consents", headers=bank.headers).json()["items"]
    assert [(c["id"], c["bank_name"]) for c in synced] == [(granted.json()["id"], name)]
