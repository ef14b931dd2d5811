"""The estate the OWASP modules act on: the access matrix's World (every kind of caller,
built on the live app) with one enterprise's objects resolved -- a completed round, its
rating and certificate, an objection, a consent to a bank, that bank's webhook and a failed
delivery, a draft and a submitted filing -- and parties that do not own them."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

import httpx

from tests.e2e.test_access_matrix import MATRIX, Target, World
from tests.helpers import Api, Caller, Filings, new_uscc
from tests.owasp.common import fill, placeholders

__all__ = ["OWNED", "Estate", "nobody", "problem_fields"]

OWNED = {
    "uscc",
    "filing_id",
    "rating_id",
    "round_id",
    "objection_id",
    "consent_id",
    "webhook_id",
    "delivery_id",
    "client_id",
    "org_id",
    "plan_id",
    "request_id",
    "user_id",
    "year",  # with {uscc}: an enterprise-year's disclosure record
}
"""Path parameters that name an object someone owns: every authenticated path parameter is one."""


def nobody(name: str) -> str:
    """An id of the same kind that nobody holds."""
    if name == "uscc":
        return new_uscc()
    if name == "year":
        return "2099"  # a year nobody is rated for
    if name == "client_id":
        return "ca_" + secrets.token_hex(12)
    return str(uuid.uuid4())


def problem_fields(r: httpx.Response) -> tuple[Any, ...]:
    try:
        body = r.json()
    except ValueError:
        return (r.status_code, r.text)
    return (r.status_code, body.get("type"), body.get("title"), body.get("detail"))


class Estate:
    """The owner's objects (enterprise_own of the access matrix's World, the bank it consented
    to and that bank's webhook) and the parties that must not reach them."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.world = world = World(api)
        self.owner: Caller = world.own
        self.bank: Caller = world.callers["bank"]  # type: ignore[assignment]
        self.draft = Filings(api).create(world.own, 2024)["id"]  # PUT and submit need a draft
        self.attackers: dict[str, Caller] = {
            "another enterprise": world.other,
            "another bank": api.admin_created(world.admin, "bank"),
            "a verifier not engaged": api.admin_created(world.admin, "verifier"),
            "a pending enterprise": world.pending,
        }
        # Resolve every object once: a completed round, the rating, its certificate, an
        # objection, a consent to the bank, the bank's webhook and a failed delivery, a console person.
        self.values = world.values(
            self._target(""),
            {"rating_id", "objection_id", "certificate_no", "consent_id", "webhook_id", "plan_id", "request_id",
             "user_id"},
            set(),
        )  # fmt: skip
        self.values["client_id"], self.values["client_secret"] = world._client_of(world.bank_org_id, False)

    def _target(self, path: str) -> Target:
        filing = self.draft if path.endswith(("/submit", "{filing_id}")) else self.world.own_filing
        return Target(uscc=self.owner.uscc or "", org_id=self.owner.org_id, filing_id=filing)

    def request(self, operation: str) -> tuple[str, str, dict[str, Any], dict[str, str]]:
        """The method, the path template, the (valid) request and the values naming the owner's objects."""
        method, _, path = operation.partition(" ")
        request = dict(MATRIX[operation].get("request") or {})
        template = {k: request[k] for k in ("json", "form", "query", "csv") if k in request}
        used = placeholders(path) | placeholders(template)
        values = dict(self.world.values(self._target(path), used - {"client_id", "client_secret"}, set()))
        values.update({k: v for k, v in self.values.items() if k not in values})
        if path.startswith("/v1/admin/"):
            values["org_id"] = self.world.bank_org_id
        values["new_uscc"] = new_uscc()
        values.setdefault("n", secrets.token_hex(3))
        return method, path, fill(template, values), values

    def send(self, method: str, path: str, request: dict[str, Any], who: Caller) -> httpx.Response:
        headers = dict(who.headers)
        if "csv" in request:
            headers["Content-Type"] = "text/csv"
            return self.api.client.request(
                method, path, headers=headers, content=request["csv"].encode(), params=request.get("query")
            )
        return self.api.client.request(
            method,
            path,
            headers=headers,
            json=request.get("json"),
            data=request.get("form"),
            params=request.get("query"),
        )

    def snapshot(self) -> dict[str, Any]:
        """What the owner, the bank and the regulator see of the owner's objects."""
        c, own, bank, reg = self.api.client, self.owner, self.bank, self.world.regulator
        v = self.values

        def get(path: str, who: Caller) -> Any:
            r = c.get(path, headers=who.headers)
            assert r.status_code == 200, (path, r.text)
            return r.json()

        deliveries = get(f"/v1/webhooks/{v['webhook_id']}/deliveries", bank)
        return {
            "enterprise": get(f"/v1/enterprises/{own.uscc}", own)["status"],
            "draft": {k: get(f"/v1/filings/{self.draft}", own)[k] for k in ("status", "version", "content")},
            "filing": get(f"/v1/filings/{self.world.own_filing}", own)["status"],
            "rating": get(f"/v1/ratings/{v['rating_id']}", own)["status"],
            "consents": [(x["id"], x["active"], x["scope"]) for x in get(f"/v1/enterprises/{own.uscc}/consents", own)],
            "verifiers": len(get(f"/v1/enterprises/{own.uscc}/verifiers", own)),
            "objections": [(o["id"], o["status"]) for o in get("/v1/objections", own)],
            "webhooks": [w["id"] for w in get("/v1/webhooks", bank)],
            "deliveries": [(d["id"], d["status"], d["attempts"], len(d["log"])) for d in deliveries],
            "rounds": [(r["id"], r["status"]) for r in get("/v1/rating-rounds", reg)],
            "people": [(p["id"], p["disabled_at"]) for p in get("/v1/console-users", own)],
            "client_works": self.api.client.post(
                "/v1/auth/token",
                data={
                    "grant_type": "client_credentials",
                    "client_id": v["client_id"],
                    "client_secret": v["client_secret"],
                },
            ).status_code,
        }
