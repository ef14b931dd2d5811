"""The access matrix (tests/access_matrix.yaml), walked against the live app.

One test per operation walks every column of its row (the callers are built once per
test, since each test gets its own app and database); further tests check that the
table and the OpenAPI document name the same operations, and that every refusal is a
problem document.
"""

from __future__ import annotations

import asyncio
import itertools
import re
import time
import uuid
from pathlib import Path
from typing import Any

import jwt
import msgspec
import pytest
import yaml
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from httpx import Response

from domain.organisations import OrgKind
from service.auth.tokens import issue_access_token
from tests.db import admin_execute
from tests.helpers import Api, Caller, Filings, cement, new_uscc, run_round
from tests.reference_intensities import sample_set

MATRIX_FILE = Path(__file__).resolve().parents[1] / "access_matrix.yaml"
ROLES = (
    "anonymous",
    "admin",
    "regulator",
    "finance_regulator",
    "rating_authority",
    "bank",
    "verifier",
    "enterprise_own",
    "enterprise_other",
    "enterprise_pending",
)
REQUEST_KEYS = {"json", "form", "query", "csv", "fresh"}
FRESH = {"uscc", "client_id", "draft", "submitted", "below_baseline", "request"}
BELOW_BASELINE = cement(clinker_energy="100000")  # clinker 125 kgce/t, above 基准 117: a retrofit plan may be filed
PLACEHOLDERS = {
    "uscc",
    "org_id",
    "client_id",
    "client_secret",
    "new_uscc",
    "n",
    "filing_id",
    "verifier_org_id",
    "factor_set_id",
    "edition_id",
    "set_id",
    "policy_set_id",
    "rating_id",
    "rating_token",
    "round_id",
    "objection_id",
    "version",
    "bank_org_id",
    "consent_id",
    "webhook_id",
    "delivery_id",
    "certificate_no",
    "plan_id",
    "product_id",
    "request_id",
    "user_id",
    "year",
}
RATED = {"rating_id", "rating_token", "round_id", "objection_id"}  # need a completed round: built on first use
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
PROBLEM_JSON = "application/problem+json"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_numbers = itertools.count(1)


def _load() -> dict[str, dict[str, Any]]:
    with MATRIX_FILE.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    assert isinstance(data, dict), f"{MATRIX_FILE.name}: expected a mapping of operations"
    return data


MATRIX = _load()


# --- the world of callers ---------------------------------------------------------------


class Target(msgspec.Struct, frozen=True, kw_only=True):
    """The enterprise a case addresses."""

    uscc: str
    org_id: str
    filing_id: str = ""


class Case(msgspec.Struct, kw_only=True):
    label: str  # the column, or a check derived from one
    expected: int
    method: str
    path: str
    headers: dict[str, str]
    json: Any = None
    form: dict[str, Any] | None = None
    query: dict[str, Any] | None = None
    csv: str | None = None
    target_uscc: str = ""
    target_filing: str = ""
    same_as: Response | None = None  # for the existence check: the answer to compare with


class Outcome(msgspec.Struct, kw_only=True):
    case: Case
    response: Response


def _target(caller: Caller, filing_id: str = "") -> Target:
    assert caller.uscc is not None
    return Target(uscc=caller.uscc, org_id=caller.org_id, filing_id=filing_id)


def _reference_intensity_set(api: Api, rating_authority: Caller) -> str:
    """None ships: the rating authority loads one (tests/reference_intensities.py) for {set_id}."""
    body = sample_set(label=f"matrix reference intensities {uuid.uuid4().hex[:8]}")  # a World per test, shared db
    r = api.client.post("/v1/reference-intensities", json=body, headers=rating_authority.headers)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


class World:
    """Every kind of caller, built once per test, and fresh targets on demand."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.admin = api.bootstrap(OrgKind.ADMIN)
        self.regulator = api.bootstrap(OrgKind.REGULATOR)
        rating_authority = self.rating_authority = api.bootstrap(OrgKind.RATING_AUTHORITY)
        self.own = self._active_enterprise()
        self.other = self._active_enterprise()
        self.pending, _ = api.register()
        self.callers: dict[str, Caller | None] = {
            "anonymous": None,
            "admin": self.admin,
            "regulator": self.regulator,
            "finance_regulator": api.bootstrap(OrgKind.FINANCE_REGULATOR),
            "rating_authority": rating_authority,
            "bank": api.admin_created(self.admin, "bank"),
            "verifier": api.admin_created(self.admin, "verifier"),
            "enterprise_own": self.own,
            "enterprise_other": self.other,
            "enterprise_pending": self.pending,
        }
        self.bank_org_id = self.callers["bank"].org_id  # type: ignore[union-attr]
        self.verifier: Caller = self.callers["verifier"]  # type: ignore[assignment]
        self._shared_clients: dict[str, tuple[str, str]] = {}
        self.bad_tokens = self._bad_tokens()
        # The own enterprise engaged the verifier and filed for 2023; the pending one has a draft.
        self.filings = Filings(api)
        self.filings.engage(self.own, self.verifier)
        self.own_filing = self.filings.submitted(self.own, 2023)["id"]
        self.pending_draft = self.filings.create(self.pending, 2023)["id"]
        self.reference_ids = {
            "factor_set_id": api.client.get("/v1/factor-sets").json()[0]["id"],
            "edition_id": api.client.get("/v1/benchmark-editions").json()[0]["id"],
            "set_id": _reference_intensity_set(api, rating_authority),
            "policy_set_id": api.client.get("/v1/policy-sets").json()[0]["id"],  # the shipped set
        }

    def _active_enterprise(self) -> Caller:
        caller, _ = self.api.register()
        self.api.decide(self.regulator, caller.uscc or "", "approve")
        return caller

    def _new_client(self, org_id: str) -> tuple[str, str]:
        r = self.api.client.post(
            f"/v1/admin/organisations/{org_id}/clients", json={"name": "matrix target"}, headers=self.admin.headers
        )
        assert r.status_code == 201, r.text
        return r.json()["client_id"], r.json()["client_secret"]

    def _client_of(self, org_id: str, fresh: bool) -> tuple[str, str]:
        if fresh:
            return self._new_client(org_id)
        if org_id not in self._shared_clients:
            self._shared_clients[org_id] = self._new_client(org_id)
        return self._shared_clients[org_id]

    def _bad_tokens(self) -> dict[str, str]:
        """Tokens that must get what no token gets: malformed; forged, expired, of a revoked or
        rotated bank client; of a rejected enterprise."""
        good = self.admin.token
        header = jwt.get_unverified_header(good)
        claims = jwt.decode(good, options={"verify_signature": False})
        forged = jwt.encode(claims, Ed25519PrivateKey.generate(), algorithm="EdDSA", headers=header)
        settings = self.api.settings
        expired, _ = issue_access_token(
            self.api.client.app.state.access_key,
            client_id=self.admin.client_id,
            org_id=uuid.UUID(self.admin.org_id),
            secret_version=claims["ver"],
            issuer=settings.issuer,
            audience=settings.audience,
            ttl=-120,
        )
        ended = {}
        for action in ("revocation", "rotation"):  # a bank client's token, then its client changes
            client_id, secret = self._new_client(self.bank_org_id)
            ended[action] = self.api.token_for(client_id, secret)
            r = self.api.client.post(f"/v1/admin/clients/{client_id}/{action}", headers=self.admin.headers)
            assert r.status_code == 200, r.text
        rejected, _ = self.api.register()  # a pending enterprise's token, then the regulator rejects it
        self.api.decide(self.regulator, rejected.uscc or "", "reject")
        return {
            "malformed": "not-a-token",
            "forged": forged,
            "expired": expired,
            "revoked": ended["revocation"],
            "rotated": ended["rotation"],
            "rejected": rejected.token,
        }

    # -- resolving a case ---------------------------------------------------------------

    def _fresh_filing(
        self, role: str, submitted: bool, content: dict[str, Any] | None = None
    ) -> tuple[Caller | None, Target]:
        """A new filing: the enterprise columns' own (for enterprise_other, an active enterprise's that
        engaged the verifier); submitted ones come from active enterprises only."""
        caller = self.callers[role]
        if role == "enterprise_pending" and not submitted:
            owner, _ = self.api.register()
            caller = owner
        else:
            owner = self._active_enterprise()
            self.filings.engage(owner, self.verifier)
            if role == "enterprise_own":
                caller = owner
        filing = self.filings.submitted(owner, 2023, content) if submitted else self.filings.create(owner, 2023)
        return caller, _target(owner, filing["id"])

    def caller_and_target(self, role: str, fresh: set[str]) -> tuple[Caller | None, Target]:
        caller = self.callers[role]
        if "below_baseline" in fresh:  # a pending enterprise files nothing: it addresses itself
            if role == "enterprise_pending":
                return caller, _target(self.pending, self.pending_draft)
            return self._fresh_filing(role, True, BELOW_BASELINE)
        if fresh & {"draft", "submitted"}:
            return self._fresh_filing(role, "submitted" in fresh)
        if "uscc" in fresh:  # a new pending enterprise as the target; enterprises address themselves
            if role == "enterprise_own":
                caller = self._active_enterprise()
                return caller, _target(caller)
            if role == "enterprise_pending":
                caller, _ = self.api.register()
                return caller, _target(caller)
            _, body = self.api.register()
            return caller, Target(uscc=body["enterprise"]["uscc"], org_id=body["client"]["org_id"])
        if role == "enterprise_pending":
            return caller, _target(self.pending, self.pending_draft)
        return caller, _target(self.own, self.own_filing)

    def _rated(self) -> dict[str, str]:
        """A completed 2023 round (enterprise_own is rated)."""
        if not hasattr(self, "_rated_ids"):
            state = run_round(self.api, self.rating_authority, 2023)
            assert state["status"] == "completed", state
            latest = self.api.client.get(f"/v1/enterprises/{self.own.uscc}/ratings/latest", headers=self.own.headers)
            assert latest.status_code == 200, latest.text
            rating = latest.json()
            self._rated_ids = {"rating_id": rating["id"], "rating_token": rating["token"], "round_id": state["id"]}
        return self._rated_ids

    def _objection(self) -> str:
        """An open objection of enterprise_own to its rating, made on first use: one may be open
        per rating, and filing one is itself walked on a rating that has none."""
        if not hasattr(self, "_objection_id"):
            rating_id = self._rated()["rating_id"]
            objection = self.api.client.post(
                f"/v1/ratings/{rating_id}/objections", json={"statement": "matrix"}, headers=self.own.headers
            )
            assert objection.status_code == 201, objection.text
            self._objection_id = str(objection.json()["id"])
        return self._objection_id

    def _consent(self) -> str:
        """A consent enterprise_own gave the bank column's bank."""
        if not hasattr(self, "_consent_id"):
            r = self.api.client.post(
                f"/v1/enterprises/{self.own.uscc}/consents",
                json={"bank_org_id": self.bank_org_id, "purpose": "credit", "scope": "full",
                      "expires_at": "2030-01-01T00:00:00+08:00"},
                headers=self.own.headers,
            )  # fmt: skip
            assert r.status_code == 201, r.text
            self._consent_id = str(r.json()["id"])
        return self._consent_id

    def _plan(self) -> str:
        """A submitted retrofit plan (of a new enterprise whose 2023 clinker is below 基准), made on
        first use: a plan is decided once."""
        if not hasattr(self, "_plan_id"):
            owner = self._active_enterprise()
            self.filings.submitted(owner, 2023, BELOW_BASELINE)
            body = {"year": 2023, "product": "cement_clinker", "target_unit_energy_use": "110", "measures": "余热发电",
                    "investment_wan": "1200", "completion_date": "2025-12-31", "document_sha256": "cd" * 32}  # fmt: skip
            r = self.api.client.post(f"/v1/enterprises/{owner.uscc}/retrofit-plans", json=body, headers=owner.headers)
            assert r.status_code == 201, r.text
            self._plan_id = str(r.json()["id"])
        return self._plan_id

    def _product(self) -> str:
        """A finance product of the bank column's bank (version 1), published on first use."""
        if not hasattr(self, "_product_id"):
            body = {"code": "matrix-product", "kind": "green_loan", "name": "Matrix green loan", "eligibility": [],
                    "terms": {"margin_bp_by_colour": {"light_green": -15}}, "valid_from": "2020-01-01",
                    "valid_to": "2099-12-31"}  # fmt: skip
            r = self.api.client.post("/v1/finance-products", json=body, headers=self.callers["bank"].headers)  # type: ignore[union-attr]
            assert r.status_code == 201, r.text
            self._product_id = str(r.json()["id"])
        return self._product_id

    def _financing_request(self, fresh: bool) -> str:
        """An open financing request of enterprise_own to the bank column's bank (a new one for
        each case with fresh: [request]: an answer or a withdrawal changes it)."""
        if fresh or not hasattr(self, "_request_id"):
            body = {"amount_yuan": "10000000", "purpose": "credit", "use_of_proceeds": "余热发电 (matrix)",
                    "term_months": 24, "expires_at": "2030-01-01T00:00:00+08:00",
                    "banks": [{"bank_org_id": self.bank_org_id}]}  # fmt: skip
            r = self.api.client.post(f"/v1/enterprises/{self.own.uscc}/financing-requests", json=body,
                                     headers=self.own.headers)  # fmt: skip
            assert r.status_code == 201, r.text
            if fresh:
                return str(r.json()["id"])
            self._request_id = str(r.json()["id"])
        return self._request_id

    def _person(self, org_id: str) -> str:
        """A console person of the organisation `org_id`, made by its own client on first use (a
        pending enterprise may make none: it gets enterprise_own's)."""
        caller = next((c for c in self.callers.values() if c is not None and c.org_id == org_id), self.own)
        if caller is self.pending:
            caller = self.own
        if not hasattr(self, "_people"):
            self._people: dict[str, str] = {}
        if caller.org_id not in self._people:
            n = next(_numbers)
            body = {"username": f"matrix.person.{n}", "display_name": f"Matrix person {n}", "password": "x" * 12}
            r = self.api.client.post("/v1/console-users", json=body, headers=caller.headers)
            assert r.status_code == 201, r.text
            self._people[caller.org_id] = str(r.json()["id"])
        return self._people[caller.org_id]

    def _certificate(self, rating_id: str) -> str:
        """enterprise_own's certificate, once the job has issued it; its number."""
        if not hasattr(self, "_certificate_no"):
            deadline = time.monotonic() + 60
            while True:
                r = self.api.client.get(f"/v1/ratings/{rating_id}/certificate.pdf", headers=self.own.headers)
                if r.status_code == 200:
                    break
                assert r.status_code == 503 and time.monotonic() < deadline, r.text  # certificate-pending
                time.sleep(0.1)
            found = re.search(r'filename="([^"]+)\.pdf"', r.headers["content-disposition"])
            assert found is not None
            self._certificate_no = found.group(1)
        return self._certificate_no

    def _webhook(self) -> tuple[str, str]:
        """The bank column's webhook endpoint, and a failed delivery to it (one that may be redelivered)."""
        if not hasattr(self, "_webhook_ids"):
            bank = self.callers["bank"]
            assert bank is not None
            r = self.api.client.post(
                "/v1/webhooks", json={"url": "https://8.8.8.8/hook", "events": ["rating.issued"]}, headers=bank.headers
            )
            assert r.status_code == 201, r.text
            webhook_id, delivery_id = r.json()["id"], str(uuid.uuid4())
            sql = (
                "INSERT INTO webhook_deliveries (id, endpoint_id, message_id, event_type, payload, status, attempts) "
                f"VALUES ('{delivery_id}', '{webhook_id}', 'msg_matrix', 'rating.issued', '{{}}', 'failed', 8)"
            )
            asyncio.run(admin_execute(self.api.settings.database_url, sql))
            self._webhook_ids = (webhook_id, delivery_id)
        return self._webhook_ids

    def _withhold(self, target: Target) -> None:
        """The target's 2023 disclosure withheld (as a regulator would), so that a release finds it so."""
        sql = (
            "UPDATE disclosures SET withheld_at = now(), withheld_reason = 'matrix' "
            f"WHERE enterprise_id = '{target.org_id}' AND year = 2023 AND withheld_at IS NULL"
        )
        asyncio.run(admin_execute(self.api.settings.database_url, sql))

    def values(self, target: Target, used: set[str], fresh: set[str]) -> dict[str, str]:
        values = {
            "uscc": target.uscc,
            "org_id": target.org_id,
            "filing_id": target.filing_id,
            "verifier_org_id": self.verifier.org_id,
            "version": "1",
            "year": "2023",
            "bank_org_id": self.bank_org_id,
            **self.reference_ids,
        }
        if used & {"client_id", "client_secret"}:
            values["client_id"], values["client_secret"] = self._client_of(self.bank_org_id, "client_id" in fresh)
        if "n" in used:
            values["n"] = str(next(_numbers))
        if used & RATED:
            values.update(self._rated())
        if "objection_id" in used:
            values["objection_id"] = self._objection()
        if "consent_id" in used:
            values["consent_id"] = self._consent()
        if "certificate_no" in used:
            values.update(self._rated())
            values["certificate_no"] = self._certificate(values["rating_id"])
        if "plan_id" in used:
            values["plan_id"] = self._plan()
        if "product_id" in used:
            values["product_id"] = self._product()
        if "user_id" in used:
            values["user_id"] = self._person(target.org_id)
        if "request_id" in used:
            values["request_id"] = self._financing_request("request" in fresh)
        if used & {"webhook_id", "delivery_id"}:
            values["webhook_id"], values["delivery_id"] = self._webhook()
        if "withheld" in used:
            self._withhold(target)
        self.values_used = values
        return values


# --- templates ----------------------------------------------------------------------


def _placeholders(value: Any) -> set[str]:
    if isinstance(value, str):
        return set(_PLACEHOLDER.findall(value))
    if isinstance(value, dict):
        return set().union(*(_placeholders(k) | _placeholders(v) for k, v in value.items()))
    if isinstance(value, list):
        return set().union(*(_placeholders(v) for v in value))
    return set()


def _fill(value: Any, values: dict[str, str]) -> Any:
    if isinstance(value, str):

        def one(m: re.Match[str]) -> str:
            name = m.group(1)
            return new_uscc() if name == "new_uscc" else values[name]

        return _PLACEHOLDER.sub(one, value)
    if isinstance(value, dict):
        return {_fill(k, values): _fill(v, values) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, values) for v in value]
    return value


def _split(operation: str) -> tuple[str, str]:
    method, _, path = operation.partition(" ")
    return method, path


def _cases(world: World, operation: str) -> list[Case]:
    """The cases of one row, each resolved with its own (fresh where needed) target."""
    method, path = _split(operation)
    entry = MATRIX[operation]
    request = entry.get("request") or {}
    fresh = set(request.get("fresh") or [])
    template = {k: request.get(k) for k in ("json", "form", "query", "csv")}
    used = _placeholders(path) | _placeholders(template)
    if "/ratings" in path:  # reading the enterprise's ratings needs one to exist
        used |= {"rating_id"}
    if "/certificate" in path:  # and certificates need the job to have issued one
        used |= {"rating_id", "certificate_no"}
    if path.startswith("/v1/disclosures/{uscc}"):  # a disclosure needs a completed round
        used |= {"rating_id"}
        if method == "DELETE":  # and a release, a withheld record
            used |= {"withheld"}

    def case(label: str, expected: int, role: str, headers: dict[str, str]) -> Case:
        caller, target = world.caller_and_target(role, fresh)
        if caller is not None:
            headers = caller.headers
        if path.startswith("/v1/admin/"):  # admins manage banks' and verifiers' clients: target a bank
            target = Target(uscc=target.uscc, org_id=world.bank_org_id)
        values = world.values(target, used, fresh)
        if "user_id" in used and caller is not None:  # each organisation manages its own people
            values["user_id"] = world._person(caller.org_id)
        return Case(
            label=label,
            expected=expected,
            method=method,
            path=_fill(path, values),
            headers=headers,
            target_uscc=target.uscc,
            target_filing=target.filing_id,
            **{k: _fill(v, values) for k, v in template.items()},
        )

    expect = entry["expect"]
    cases = [case(role, int(expect[role]), role, {}) for role in ROLES]
    for name, token in world.bad_tokens.items():  # a bad token gets what no token gets
        bearer = {"Authorization": f"Bearer {token}"}
        cases.append(case(f"anonymous ({name} token)", int(expect["anonymous"]), "anonymous", bearer))
    return cases


def _send(world: World, case: Case) -> Response:
    if case.csv is not None:  # a file upload: the body is the file itself
        headers = {**case.headers, "Content-Type": "text/csv"}
        return world.api.client.request(
            case.method, case.path, headers=headers, content=case.csv.encode(), params=case.query
        )
    return world.api.client.request(
        case.method,
        case.path,
        headers=case.headers,
        json=case.json,
        data=case.form,
        params=case.query,
    )


def _walk(world: World, operation: str) -> list[Outcome]:
    outcomes = []
    for case in _cases(world, operation):
        response = _send(world, case)
        outcomes.append(Outcome(case=case, response=response))
        if case.label == "enterprise_other" and case.expected == 404 and "{uscc}" in _split(operation)[1]:
            # Existence does not leak: a USCC nobody holds gets the very same answer.
            nobody = new_uscc()
            probe = msgspec.structs.replace(
                case, label="enterprise_other (a USCC nobody holds)", path=case.path.replace(case.target_uscc, nobody)
            )
            assert nobody in probe.path
            probe.same_as = response
            outcomes.append(Outcome(case=probe, response=_send(world, probe)))
        for name in ("filing_id", "rating_id"):  # an id nobody holds gets the very same answer
            if case.label == "enterprise_other" and case.expected == 404 and f"{{{name}}}" in _split(operation)[1]:
                held = case.target_filing if name == "filing_id" else world.values_used[name]
                nobody = str(uuid.uuid4())
                probe = msgspec.structs.replace(
                    case, label=f"enterprise_other (a {name} nobody holds)", path=case.path.replace(held, nobody)
                )
                assert nobody in probe.path
                probe.same_as = response
                outcomes.append(Outcome(case=probe, response=_send(world, probe)))
    return outcomes


def _problem_fields(response: Response) -> tuple[Any, ...]:
    try:
        body = response.json()
    except ValueError:
        return (response.status_code, response.text)
    return (response.status_code, body.get("type"), body.get("title"), body.get("detail"))


def _mismatch(outcome: Outcome) -> str | None:
    case, response = outcome.case, outcome.response
    if case.same_as is not None and _problem_fields(response) != _problem_fields(case.same_as):
        return f"{case.label}: {_problem_fields(response)} differs from another enterprise's {_problem_fields(case.same_as)}"
    if response.status_code != case.expected:
        return f"{case.label}: expected {case.expected}, got {response.status_code} {response.text[:200]}"
    return None


# --- the tests ------------------------------------------------------------------------


def test_matrix_is_well_formed() -> None:
    problems = []
    for operation, entry in MATRIX.items():
        method, path = _split(operation)
        if method.lower() not in HTTP_METHODS or not path.startswith("/"):
            problems.append(f"{operation!r}: the key must be 'METHOD /path'")
        if not isinstance(entry, dict) or set(entry) - {"request", "expect"}:
            problems.append(f"{operation}: only 'request' and 'expect' are allowed")
            continue
        request = entry.get("request") or {}
        if set(request) - REQUEST_KEYS:
            problems.append(f"{operation}: unknown request keys {sorted(set(request) - REQUEST_KEYS)}")
        if set(request.get("fresh") or []) - FRESH:
            problems.append(f"{operation}: fresh may name only {sorted(FRESH)}")
        unknown = (
            _placeholders(path) | _placeholders({k: request.get(k) for k in REQUEST_KEYS - {"fresh"}})
        ) - PLACEHOLDERS
        if unknown:
            problems.append(f"{operation}: unknown placeholders {sorted(unknown)}")
        expect = entry.get("expect") or {}
        if set(expect) != set(ROLES):
            problems.append(
                f"{operation}: missing columns {sorted(set(ROLES) - set(expect))}, unknown {sorted(set(expect) - set(ROLES))}"
            )
        bad = {role: status for role, status in expect.items() if not (isinstance(status, int) and 200 <= status < 600)}
        if bad:
            problems.append(f"{operation}: not HTTP statuses: {bad}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("operation", sorted(MATRIX))
def test_access(api: Api, operation: str) -> None:
    world = World(api)
    outcomes = _walk(world, operation)
    mismatches = [m for m in map(_mismatch, outcomes) if m]
    assert not mismatches, f"{operation}:\n  " + "\n  ".join(mismatches)


def _schema_operations(api: Api) -> dict[str, dict[str, Any]]:
    r = api.client.get("/schema/openapi.json")
    assert r.status_code == 200, r.text
    return {
        f"{method.upper()} {path}": op
        for path, item in r.json()["paths"].items()
        if not (path == "/schema" or path.startswith("/schema/"))
        for method, op in item.items()
        if method in HTTP_METHODS
    }


def test_matrix_covers_the_openapi_document(api: Api) -> None:
    documented = set(_schema_operations(api))
    missing = sorted(documented - set(MATRIX))
    stale = sorted(set(MATRIX) - documented)
    assert not missing and not stale, (
        f"operations of the OpenAPI document without an entry in {MATRIX_FILE.name}: {missing}; "
        f"entries that are no operation of the document: {stale}"
    )


def test_refusals_in_the_matrix_are_documented(api: Api) -> None:
    """Each operation's OpenAPI responses name the refusals the table expects of it,
    and it asks for a token exactly when no token gets 401."""
    documented = _schema_operations(api)
    problems = []
    for operation, entry in MATRIX.items():
        op = documented.get(operation)
        if op is None:
            continue  # reported by test_matrix_covers_the_openapi_document
        refusals = {s for s in entry["expect"].values() if s >= 400}
        undocumented = sorted(refusals - {int(code) for code in op.get("responses", {})})
        if undocumented:
            problems.append(f"{operation}: refusals {undocumented} are not among its documented responses")
        secured = bool(op.get("security"))
        if secured != (entry["expect"]["anonymous"] == 401):
            problems.append(
                f"{operation}: security {op.get('security')} but anonymous expects {entry['expect']['anonymous']}"
            )
    assert not problems, "\n".join(problems)


def test_every_refusal_is_a_problem_document(api: Api) -> None:
    world = World(api)
    problems = []
    refusals = 0
    for operation in sorted(MATRIX):
        for outcome in _walk(world, operation):
            response = outcome.response
            if response.status_code < 400:
                continue
            refusals += 1
            where = f"{operation} as {outcome.case.label} ({response.status_code})"
            media_type = response.headers.get("content-type", "").split(";")[0].strip()
            if media_type != PROBLEM_JSON:
                problems.append(f"{where}: content-type {media_type!r}")
                continue
            body = response.json()
            if body.get("status") != response.status_code or not body.get("type") or not body.get("title"):
                problems.append(f"{where}: not a problem document: {body}")
    assert refusals > 0
    assert not problems, "\n".join(problems)
