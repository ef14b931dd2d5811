"""The world the schema fuzzer runs in: every kind of caller, and real ids to aim at.

Built once per module with the access matrix's `World` (tests/e2e/test_access_matrix.py)
on an app that runs jobs (a rating round, a certificate); the fuzzer then talks to a second
app on the same database that runs no jobs and has no rate limit, so that nothing it starts
keeps working behind its back and no answer is a 429 of its own making.

Operations that change their target (approve, revoke, rotate, delete, submit) are aimed at
spare targets made for the purpose, so the callers' own tokens and the shared ids stay good.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import msgspec
import yaml
from litestar.testing import TestClient

from service.app import create_app
from service.settings import Settings
from tests.e2e.test_access_matrix import World
from tests.helpers import Api, Caller

__all__ = ["MATRIX", "ROLE_COLUMNS", "FuzzWorld", "allowed", "build_world"]

MATRIX_FILE = Path(__file__).resolve().parents[1] / "access_matrix.yaml"
with MATRIX_FILE.open(encoding="utf-8") as _fh:
    MATRIX: dict[str, dict[str, Any]] = yaml.safe_load(_fh)

# The fuzzer's kinds of caller, and the access matrix's column for each.
ROLE_COLUMNS = {
    "anonymous": "anonymous",
    "admin": "admin",
    "regulator": "regulator",
    "rating_authority": "rating_authority",
    "bank": "bank",
    "verifier": "verifier",
    "enterprise": "enterprise_own",
    "enterprise_pending": "enterprise_pending",
}


def allowed(operation: str, role: str) -> bool:
    """Whether the matrix lets `role` through `operation` (2xx); 401/403/404 and the like are refusals."""
    return 200 <= int(MATRIX[operation]["expect"][ROLE_COLUMNS[role]]) < 300


class FuzzWorld(msgspec.Struct, kw_only=True):
    client: TestClient  # type: ignore[type-arg]
    tokens: dict[str, str]  # role -> bearer token (none for anonymous)
    ids: dict[str, str]  # the shared targets
    spare: dict[str, str]  # the targets of operations that change them

    def headers(self, role: str) -> dict[str, str]:
        token = self.tokens.get(role)
        return {"Authorization": f"Bearer {token}"} if token else {}

    def path_parameters(self, operation: str, role: str) -> dict[str, str]:
        """Real values for the operation's path parameters, as `role` would address them."""
        method, _, path = operation.partition(" ")
        values = dict(self.ids)
        if role == "enterprise_pending":
            values["uscc"], values["filing_id"] = self.ids["pending_uscc"], self.ids["pending_draft"]
        if path.endswith("/approval"):
            values["uscc"] = self.spare["pending_uscc"]
        if path.startswith("/v1/admin/clients/"):
            values["client_id"] = self.spare["client_id"]
        if path.endswith("/revoke"):
            values["rating_id"] = self.spare["rating_id"]
        if method == "DELETE" and path == "/v1/webhooks/{webhook_id}":
            values["webhook_id"] = self.spare["webhook_id"]
        if (method == "PUT" or path.endswith("/submit")) and role != "enterprise_pending":
            values["filing_id"] = self.spare["draft"]
        names = {part[1:-1].split(":")[0] for part in path.split("/") if part.startswith("{")}
        return {name: values[name] for name in names}


def _settings(owner: str, app_url: str, **overrides: Any) -> Settings:
    return Settings(
        database_url=owner,
        app_database_url=app_url,
        secret_key="test-secret-key-not-for-production",
        job_poll_seconds=0.1,
        pdf_workers=0,
        **overrides,
    )


def _populate(api: Api) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    world = World(api)
    # A second rated enterprise, whose rating the rating authority may revoke.
    spare_rated = world._active_enterprise()
    world.filings.submitted(spare_rated, 2023)
    rated = {**world._rated(), "objection_id": world._objection()}
    latest = api.client.get(f"/v1/enterprises/{spare_rated.uscc}/ratings/latest", headers=spare_rated.headers)
    assert latest.status_code == 200, latest.text
    webhook_id, delivery_id = world._webhook()
    bank: Caller = world.callers["bank"]  # type: ignore[assignment]
    spare_hook = api.client.post(
        "/v1/webhooks", json={"url": "https://8.8.4.4/spare", "events": ["rating.issued"]}, headers=bank.headers
    )
    assert spare_hook.status_code == 201, spare_hook.text
    spare_pending, _ = api.register()
    ids = {
        "uscc": world.own.uscc or "",
        "org_id": world.bank_org_id,
        "client_id": world._client_of(world.bank_org_id, False)[0],
        "filing_id": world.own_filing,
        "pending_uscc": world.pending.uscc or "",
        "pending_draft": world.pending_draft,
        "verifier_org_id": world.verifier.org_id,
        "version": "1",
        "consent_id": world._consent(),
        "webhook_id": webhook_id,
        "delivery_id": delivery_id,
        "certificate_no": world._certificate(rated["rating_id"]),
        "plan_id": world._plan(),
        "product_id": world._product(),
        "request_id": world._financing_request(False),
        "user_id": world._person(world.own.org_id),
        "year": "2023",  # enterprise_own's rated year (its disclosure record)
        **world.reference_ids,
        **rated,
    }
    spare = {
        "pending_uscc": spare_pending.uscc or "",
        "client_id": world._new_client(world.bank_org_id)[0],
        "rating_id": latest.json()["id"],
        "webhook_id": spare_hook.json()["id"],
        "draft": world.filings.create(world.own, 2024)["id"],
    }
    tokens = {
        role: caller.token for role, column in ROLE_COLUMNS.items() if (caller := world.callers[column]) is not None
    }
    _rendered(api, world.regulator, ids["round_id"])
    return tokens, ids, spare


def _rendered(api: Api, regulator: Caller, round_id: str) -> None:
    """Every certificate of the round rendered before the job-running app stops: the quiet app
    that serves the fuzzer renders none, and a pending one answers 503 (certificate-pending)."""
    deadline = time.monotonic() + 90
    while (
        r := api.client.get(f"/v1/rating-rounds/{round_id}/certificates.zip", headers=regulator.headers)
    ).status_code == 503:
        assert time.monotonic() < deadline, r.text
        time.sleep(0.1)
    assert r.status_code == 200, r.text


@contextmanager
def build_world(owner: str, app_url: str) -> Iterator[FuzzWorld]:
    """Populate the database through a job-running app, then serve the fuzzer from a quiet one."""
    setup = _settings(owner, app_url)
    with TestClient(app=create_app(setup)) as client:
        tokens, ids, spare = _populate(Api(client, setup))
    quiet = _settings(owner, app_url, run_jobs=False, rate_limit_per_minute=0)
    with TestClient(app=create_app(quiet), raise_server_exceptions=False) as client:
        yield FuzzWorld(client=client, tokens=tokens, ids=ids, spare=spare)
