"""The console served over real HTTP for a real browser, once for the whole session: one migrated
database, the app under uvicorn on a thread (127.0.0.1, a free port; its lifespan runs the job worker that rates
rounds and renders certificates), a small city made through the HTTP API, one chromium."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest
import uvicorn
from sqlalchemy.engine import make_url

from domain.organisations import OrgKind
from service.app import create_app
from service.settings import Settings
from tests import db as testdb
from tests.browser.driver import Browser, require_browser
from tests.helpers import Api, Caller, City, Filings, cement, run_round
from tests.live import free_port, wait_until_up


class Town(msgspec.Struct, kw_only=True):
    """The session's city: six rated cement works (the first consented to the bank, its certificate
    rendered), one pending registration, a bank."""

    url: str
    api: Api
    city: City
    pending: Caller
    bank: Caller
    rating_id: str
    year: int = 2024

    @property
    def consented(self) -> Caller:
        return self.city.enterprises[0]

    @property
    def unconsented(self) -> Caller:
        return self.city.enterprises[1]


class LiveServer:
    """uvicorn serving `app` on a thread until stop()."""

    def __init__(self, app: Any) -> None:
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        # log_config=None: uvicorn leaves the test process's logging as it is
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", log_config=None,
                                access_log=False, server_header=False, lifespan="on")  # fmt: skip
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="console-live-server", daemon=True)

    def start(self) -> None:
        self.thread.start()
        wait_until_up(f"{self.url}/healthz", timeout=60)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


@pytest.fixture(scope="session")
def chromium_present() -> None:
    require_browser()


@pytest.fixture(scope="session")
def live_settings(pg_url: str, template_db: str, dropper: testdb.BackgroundDropper) -> Iterator[Settings]:
    owner, app_url = testdb.create_from_template(pg_url, template_db)
    yield Settings(
        database_url=owner,
        app_database_url=app_url,
        secret_key="test-secret-key-not-for-production",
        job_poll_seconds=0.1,
        pdf_workers=0,
        cjk_font=os.environ.get("CARBON_CJK_FONT"),
    )
    dropper.drop_later(make_url(owner).database or "")


@pytest.fixture(scope="session")
def live_url(chromium_present: None, live_settings: Settings) -> Iterator[str]:
    server = LiveServer(create_app(live_settings))
    server.start()
    try:
        yield server.url
    finally:
        server.stop()


def _certificate_rendered(api: Api, caller: Caller, rating_id: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        r = api.client.get(f"/v1/ratings/{rating_id}/certificate.pdf", headers=caller.headers)
        if r.status_code == 200:
            return
        assert r.status_code == 503, r.text  # certificate-pending: the job renders it
        time.sleep(0.1)
    raise AssertionError(f"the certificate of rating {rating_id} was not rendered in {timeout} s")


# (district, value added in 万元, the clinker's energy in tce): six cement works, enough for a peer
# group (five verified at least), in three districts, from dark green to yellow.
WORKS = (("370303", "80000", "76000"), ("370303", "60000", "80000"), ("370302", "50000", "85000"),
         ("370302", "42000", "90000"), ("370304", "36000", "94000"), ("370303", "30000", "98000"))  # fmt: skip


def _city(api: Api, year: int) -> City:
    """build_city's steps with the works spread over districts (it registers all in one)."""
    admin = api.bootstrap(OrgKind.ADMIN)
    city = City(regulator=api.bootstrap(OrgKind.REGULATOR), rating_authority=api.bootstrap(OrgKind.RATING_AUTHORITY),
                admin=admin, verifier=api.admin_created(admin, "verifier"), enterprises=[])  # fmt: skip
    filings = Filings(api)
    for district, value_added, energy in WORKS:
        ent, _ = api.register(district=district)
        api.decide(city.regulator, ent.uscc or "", "approve")
        filings.engage(ent, city.verifier)
        filing = filings.submitted(ent, year, cement(value_added=value_added, clinker_energy=energy))
        filings.verify(city.verifier, filing["id"])
        city.enterprises.append(ent)
    return city


@pytest.fixture(scope="session")
def town(live_url: str, live_settings: Settings) -> Iterator[Town]:
    """Everything made through the HTTP API of the served app, as a client would."""
    with httpx.Client(base_url=live_url, timeout=30) as client:
        api = Api(client, live_settings)  # type: ignore[arg-type]  # TestClient is an httpx.Client
        city = _city(api, 2024)
        assert run_round(api, city.rating_authority, 2024)["status"] == "completed"
        first = city.enterprises[0]
        latest = api.client.get(f"/v1/enterprises/{first.uscc}/ratings/latest", headers=first.headers)
        assert latest.status_code == 200, latest.text
        rating_id = str(latest.json()["id"])
        bank = api.admin_created(city.admin, "bank")
        consent = {"bank_org_id": bank.org_id, "purpose": "credit", "scope": "grade_only",
                   "expires_at": "2030-01-01T00:00:00+08:00"}  # fmt: skip
        r = api.client.post(f"/v1/enterprises/{first.uscc}/consents", json=consent, headers=first.headers)
        assert r.status_code == 201, r.text
        pending, _ = api.register(district="370305")
        _certificate_rendered(api, city.regulator, rating_id)
        yield Town(url=live_url, api=api, city=city, pending=pending, bank=bank, rating_id=rating_id)


@pytest.fixture(scope="session")
def chrome(live_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    root = tmp_path_factory.mktemp("chromium")
    (root / "downloads").mkdir()
    browser = Browser(live_url, root / "profile", root / "downloads")
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture
def browser(chrome: Browser, tmp_path: Path) -> Browser:
    """The session's chromium as a new visitor; this test's screenshots go to its tmp_path."""
    shots = tmp_path / "screenshots"
    shots.mkdir()
    chrome.fresh(shots)
    return chrome


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """One worker runs every browser test (`--dist loadgroup`), so the live server, its city and
    chromium are built once for them all."""
    for item in items:
        if "tests/browser/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.xdist_group("browser"))
