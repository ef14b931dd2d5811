"""A small driver for the live app: bootstrap callers, get tokens, register enterprises."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import msgspec
from litestar.testing import TestClient

from domain.organisations import OrgKind
from service.bootstrap import bootstrap_client
from service.demo import demo_uscc
from service.settings import Settings

__all__ = ["Api", "Caller", "new_uscc"]

_counter = itertools.count(1)


def new_uscc(district: str = "370303") -> str:
    """A fresh USCC with valid check characters."""
    return demo_uscc(district, f"T{next(_counter):06d}")


class Caller(msgspec.Struct, kw_only=True):
    kind: str
    client_id: str
    client_secret: str
    org_id: str
    token: str = ""
    uscc: str | None = None

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


class Api:
    def __init__(self, client: TestClient, settings: Settings) -> None:
        self.client = client
        self.settings = settings

    def token_for(self, client_id: str, secret: str) -> str:
        r = self.client.post(
            "/v1/auth/token",
            data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
        )
        assert r.status_code == 200, r.text
        return str(r.json()["access_token"])

    def bootstrap(self, kind: OrgKind) -> Caller:
        """As the CLI does: an organisation of a bootstrap kind and its first client."""
        out = asyncio.run(bootstrap_client(self.settings, kind, f"{kind.value} org", None, "test"))
        caller = Caller(
            kind=kind.value, client_id=out["client_id"], client_secret=out["client_secret"], org_id=out["org_id"]
        )
        caller.token = self.token_for(caller.client_id, caller.client_secret)
        return caller

    def admin_created(self, admin: Caller, kind: str) -> Caller:
        """A bank or verifier organisation and client, made through the admin API."""
        org = self.client.post(
            "/v1/admin/organisations", json={"kind": kind, "name": f"{kind} org"}, headers=admin.headers
        )
        assert org.status_code == 201, org.text
        org_id = org.json()["id"]
        c = self.client.post(f"/v1/admin/organisations/{org_id}/clients", json={"name": "api"}, headers=admin.headers)
        assert c.status_code == 201, c.text
        body = c.json()
        caller = Caller(kind=kind, client_id=body["client_id"], client_secret=body["client_secret"], org_id=org_id)
        caller.token = self.token_for(caller.client_id, caller.client_secret)
        return caller

    def register(self, **overrides: Any) -> tuple[Caller, dict[str, Any]]:
        body = {"uscc": new_uscc(), "name": "淄博测试水泥有限公司", "district": "370303", "industry": "3011"}
        body.update(overrides)
        r = self.client.post("/v1/enterprises", json=body)
        assert r.status_code == 201, r.text
        data = r.json()
        caller = Caller(
            kind="enterprise",
            client_id=data["client"]["client_id"],
            client_secret=data["client"]["client_secret"],
            org_id=data["client"]["org_id"],
            uscc=body["uscc"],
        )
        caller.token = self.token_for(caller.client_id, caller.client_secret)
        return caller, data

    def decide(self, regulator: Caller, uscc: str, decision: str) -> dict[str, Any]:
        r = self.client.post(f"/v1/enterprises/{uscc}/approval", json={"decision": decision}, headers=regulator.headers)
        assert r.status_code == 200, r.text
        return dict(r.json())


# --- filings ---------------------------------------------------------------------------

CEMENT_CONTENT: dict[str, Any] = {
    "energy": [{"carrier": "bituminous_coal", "quantity": "100000", "unit": "t"}],
    "electricity": {"purchased_mwh": "50000"},
    "products": [{"product": "cement_clinker", "output": "800000", "energy": "85000", "energy_unit": "tce"}],
    "clinker": [{"output_t": "800000", "cao_fraction": "0.65", "mgo_fraction": "0.02"}],
    "value_added_wan": "50000",
}
REPORT_SHA256 = "ab" * 32


class Filings:
    """Filing steps through the API, each asserting its success."""

    def __init__(self, api: Api) -> None:
        self.api = api

    def create(
        self, ent: Caller, period: int = 2023, content: dict[str, Any] | None = None, **extra: Any
    ) -> dict[str, Any]:
        body = {"period": period, **(CEMENT_CONTENT if content is None else content), **extra}
        r = self.api.client.post(f"/v1/enterprises/{ent.uscc}/filings", json=body, headers=ent.headers)
        assert r.status_code == 201, r.text
        return dict(r.json())

    def submit(self, ent: Caller, filing_id: str) -> dict[str, Any]:
        r = self.api.client.post(f"/v1/filings/{filing_id}/submit", headers=ent.headers)
        assert r.status_code == 200, r.text
        return dict(r.json())

    def engage(self, ent: Caller, verifier: Caller) -> None:
        r = self.api.client.post(
            f"/v1/enterprises/{ent.uscc}/verifiers", json={"verifier_org_id": verifier.org_id}, headers=ent.headers
        )
        assert r.status_code == 201, r.text

    def verify(self, verifier: Caller, filing_id: str, outcome: str = "verified") -> dict[str, Any]:
        body = {"outcome": outcome, "opinion": "核查无误 (test)", "report_sha256": REPORT_SHA256}
        r = self.api.client.post(f"/v1/filings/{filing_id}/verification", json=body, headers=verifier.headers)
        assert r.status_code == 201, r.text
        return dict(r.json())

    def submitted(self, ent: Caller, period: int = 2023, content: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.submit(ent, self.create(ent, period, content)["id"])


def run_round(
    api: Api, rating_authority: Caller, year: int, timeout: float = 60.0, methodology: int | None = None
) -> dict[str, Any]:
    """Start a rating round (under `methodology`, default the latest) and wait for the job to
    finish it; the round's final state."""
    import time

    body = {"year": year} if methodology is None else {"year": year, "methodology": methodology}
    r = api.client.post("/v1/rating-rounds", json=body, headers=rating_authority.headers)
    assert r.status_code == 202, r.text
    round_id = r.json()["id"]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = api.client.get(f"/v1/rating-rounds/{round_id}", headers=rating_authority.headers).json()
        if state["status"] != "running":
            return dict(state)
        time.sleep(0.05)
    raise AssertionError(f"round {round_id} still running after {timeout} s")


def cement(value_added: str = "50000", clinker_energy: str = "85000", coal_t: str = "100000") -> dict[str, Any]:
    """The cement content with its knobs: value added, the clinker's energy (tce), coal burnt (t)."""
    content = dict(CEMENT_CONTENT)
    content["value_added_wan"] = value_added
    content["energy"] = [{"carrier": "bituminous_coal", "quantity": coal_t, "unit": "t"}]
    content["products"] = [
        {"product": "cement_clinker", "output": "800000", "energy": clinker_energy, "energy_unit": "tce"}
    ]
    return content


class City(msgspec.Struct, kw_only=True):
    """Approved enterprises with filed (and mostly verified) years, and who acts on them."""

    regulator: Caller
    rating_authority: Caller
    admin: Caller
    verifier: Caller
    enterprises: list[Caller]


def build_city(
    api: Api,
    n: int,
    *,
    years: tuple[int, ...] = (2023,),
    content: Any = None,
    verified: Any = None,
) -> City:
    """`n` approved cement enterprises, each filing `years`. `content(i, year)` gives a filing's
    lines (default: cement with value added 40 000 + 5 000 i); `verified(i, year)` whether the
    engaged verifier verifies it (default: all)."""
    admin = api.bootstrap(OrgKind.ADMIN)
    town = City(
        regulator=api.bootstrap(OrgKind.REGULATOR),
        rating_authority=api.bootstrap(OrgKind.RATING_AUTHORITY),
        admin=admin,
        verifier=api.admin_created(admin, "verifier"),
        enterprises=[],
    )
    f = Filings(api)
    for i in range(n):
        ent, _ = api.register()
        api.decide(town.regulator, ent.uscc or "", "approve")
        f.engage(ent, town.verifier)
        for year in years:
            lines = content(i, year) if content else cement(value_added=str(40000 + 5000 * i))
            filing = f.submitted(ent, year, lines)
            if verified is None or verified(i, year):
                f.verify(town.verifier, filing["id"])
        town.enterprises.append(ent)
    return town
