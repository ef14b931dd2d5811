"""A rated city built through the SDK: organisations, approved enterprises with verified
filings, a completed rating round, consents to a bank. The operations the SDK does not wrap
(an admin's, a regulator's, the rating authority's, a verifier's) go through `request`, with
the same tokens, retries and typed errors."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from carbon_account_client import CarbonClient, NotFound
from carbon_account_client.models import Registered

from domain.organisations import OrgKind
from service.bootstrap import bootstrap_client
from tests.helpers import REPORT_SHA256, cement, new_uscc
from tests.sdk.service import Service

__all__ = ["City", "Org", "bootstrap", "build_city", "org_of", "register", "run_round", "sdk", "wait_for"]

T = TypeVar("T")
CST = dt.timezone(dt.timedelta(hours=8))


@dataclass(frozen=True)
class Org:
    kind: str
    org_id: str
    client_id: str
    client_secret: str
    uscc: str = ""


def sdk(service: Service, org: Org | None = None, **options: Any) -> CarbonClient:
    if org is None:
        return CarbonClient(service.url, **options)
    return CarbonClient(service.url, org.client_id, org.client_secret, **options)


def wait_for(check: Callable[[], T | None], what: str, timeout: float = 30.0) -> T:
    deadline = time.monotonic() + timeout
    while (value := check()) is None:
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)
    return value


def bootstrap(service: Service, kind: OrgKind) -> Org:
    """As `carbon-account clients create` does: an organisation of a bootstrap kind and its client."""
    out = asyncio.run(bootstrap_client(service.settings, kind, f"{kind.value} org", None, "sdk-test"))
    return Org(kind=kind.value, org_id=out["org_id"], client_id=out["client_id"], client_secret=out["client_secret"])


def admin_created(admin: CarbonClient, kind: str, name: str) -> Org:
    org = admin.request("POST", "/v1/admin/organisations", json={"kind": kind, "name": name}).json()
    client = admin.request("POST", f"/v1/admin/organisations/{org['id']}/clients", json={"name": "api"}).json()
    return Org(kind=kind, org_id=org["id"], client_id=client["client_id"], client_secret=client["client_secret"])


def register(service: Service, regulator: CarbonClient | None, name: str = "淄博测试水泥有限公司") -> Org:
    """A new enterprise through the public registration, approved when `regulator` is given."""
    with sdk(service) as anonymous:
        done = anonymous.register_enterprise(new_uscc(), name, "370303", "3011")
    if regulator is not None:
        regulator.request("POST", f"/v1/enterprises/{done.enterprise.uscc}/approval", json={"decision": "approve"})
    return org_of(done)


def org_of(done: Registered) -> Org:
    """The enterprise a registration answer names, with its once-shown secret."""
    assert done.client.client_secret is not None
    return Org(kind="enterprise", org_id=str(done.client.org_id), client_id=done.client.client_id,
               client_secret=done.client.client_secret, uscc=done.enterprise.uscc)  # fmt: skip


def file_verified(ent: CarbonClient, uscc: str, verifier: CarbonClient, year: int, content: dict[str, Any]) -> str:
    filing = ent.create_filing(uscc, year, content)
    ent.submit_filing(filing.id)
    body = {"outcome": "verified", "opinion": "核查无误 (sdk test)", "report_sha256": REPORT_SHA256}
    verifier.request("POST", f"/v1/filings/{filing.id}/verification", json=body)
    return str(filing.id)


def run_round(ra: CarbonClient, year: int, timeout: float = 60.0) -> dict[str, Any]:
    started = ra.request("POST", "/v1/rating-rounds", json={"year": year}).json()

    def finished() -> dict[str, Any] | None:
        state: dict[str, Any] = ra.request("GET", f"/v1/rating-rounds/{started['id']}").json()
        return state if state["status"] != "running" else None

    state = wait_for(finished, f"round {started['id']}", timeout)
    assert state["status"] == "completed", state
    return state


def certificate_ready(client: CarbonClient, rating_id: str) -> None:
    def issued() -> bool | None:
        try:
            client.certificate(rating_id)
            return True
        except NotFound:
            return None

    wait_for(issued, f"the certificate of rating {rating_id}", 60)


@dataclass
class City:
    service: Service
    admin: Org
    regulator: Org
    ra: Org
    verifier: Org
    bank: Org
    other_bank: Org
    enterprises: list[Org]
    """0 and 1 consent `full` to `bank`, 2 `grade_only`, the rest nothing."""

    def ahead(self, days: int = 365) -> dt.datetime:
        return dt.datetime.now(CST) + dt.timedelta(days=days)


def build_city(service: Service, n: int = 6, year: int = 2023) -> City:
    admin_org = bootstrap(service, OrgKind.ADMIN)
    regulator_org, ra_org = bootstrap(service, OrgKind.REGULATOR), bootstrap(service, OrgKind.RATING_AUTHORITY)
    with sdk(service, admin_org) as admin, sdk(service, regulator_org) as regulator, sdk(service, ra_org) as ra:
        verifier_org = admin_created(admin, "verifier", "淄博核查中心")
        bank_org, other_bank_org = admin_created(admin, "bank", "齐商银行"), admin_created(admin, "bank", "淄博农商行")
        enterprises = []
        with sdk(service, verifier_org) as verifier:
            for i in range(n):
                org = register(service, regulator, name=f"淄博测试水泥{i}有限公司")
                with sdk(service, org) as ent:
                    ent.engage_verifier(org.uscc, verifier_org.org_id)
                    file_verified(ent, org.uscc, verifier, year, cement(value_added=str(40000 + 5000 * i)))
                    if i < 3:
                        scope = "full" if i < 2 else "grade_only"
                        expires = dt.datetime.now(CST) + dt.timedelta(days=365)
                        ent.grant_consent(org.uscc, bank_org.org_id, purpose="credit", scope=scope, expires_at=expires)
                enterprises.append(org)
        run_round(ra, year)
    return City(service=service, admin=admin_org, regulator=regulator_org, ra=ra_org, verifier=verifier_org,
                bank=bank_org, other_bank=other_bank_org, enterprises=enterprises)  # fmt: skip
