"""Webhooks to banks against a real HTTP receiver on localhost: registration refusals, signed
thin events for consenting enterprises only, and a receiver down for the first attempts that
gets every event after the service restarts, with the same webhook-id on each copy."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar

import msgspec
import pytest
from litestar.testing import TestClient

from domain.organisations import OrgKind
from service.app import create_app
from service.settings import Settings
from tests.helpers import Api, Caller, build_city, cement, run_round

ALL_EVENTS = ["rating.issued", "rating.superseded", "rating.revoked", "rating.colour_changed", "consent.withdrawn"]
T = TypeVar("T")


class Receiver:
    """A bank's endpoint: a threaded HTTP server on 127.0.0.1 recording each POST's (headers, body)
    and answering 200 after `delay` seconds. Until `start()` the port refuses connections."""

    def __init__(self, delay: float = 0.0) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/hook"
        self.delay, self.lock = delay, threading.Lock()
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.connections = 0
        self.server: ThreadingHTTPServer | None = None

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                time.sleep(receiver.delay)
                with receiver.lock:
                    receiver.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(200)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 128  # a worker sends a batch's deliveries together

            def verify_request(self, request: Any, client_address: Any) -> bool:
                with receiver.lock:
                    receiver.connections += 1
                return True

        self.server = Server(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def deliveries(self) -> list[tuple[dict[str, str], bytes]]:
        """What arrived so far, (headers, body) each (a copy: the server thread keeps appending)."""
        with self.lock:
            return list(self.received)

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def events(self, secret: str) -> list[tuple[str, dict[str, Any]]]:
        """(webhook-id, payload) of everything received, each signature checked."""
        with self.lock:
            received = list(self.received)
        out = []
        for headers, body in received:
            assert signature_valid(secret, headers, body), headers
            assert abs(int(headers["webhook-timestamp"]) - time.time()) < 300
            assert headers["content-type"].startswith("application/json")
            out.append((headers["webhook-id"], json.loads(body)))
        return out


def signature_valid(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """Standard Webhooks, written out: HMAC-SHA256 over `id.timestamp.body` with the secret's bytes."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(hmac.compare_digest(expected, s) for s in headers["webhook-signature"].split())


def wait_for(check: Callable[[], T | None], what: str, timeout: float = 45.0) -> T:
    deadline = time.monotonic() + timeout
    while (value := check()) is None or value is False:
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)
    return value


def arrived(receiver: Receiver, secret: str, n: int) -> list[tuple[str, dict[str, Any]]]:
    """At least `n` events received (all of them, in order of arrival)."""
    return wait_for(lambda: ev if len(ev := receiver.events(secret)) >= n else None, f"{n} events received")


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.stop()


def insecure(settings: Settings, retry_scale: float = 0.001) -> Settings:
    return msgspec.structs.replace(
        settings, webhook_allow_insecure=True, job_poll_seconds=0.1, webhook_retry_scale=retry_scale
    )


def new_bank(api: Api, admin: Caller | None = None) -> Caller:
    return api.admin_created(admin or api.bootstrap(OrgKind.ADMIN), "bank")


def register(api: Api, bank: Caller, url: str, events: list[str] = ALL_EVENTS) -> dict[str, Any]:
    r = api.client.post("/v1/webhooks", json={"url": url, "events": events}, headers=bank.headers)
    assert r.status_code == 201, r.text
    assert r.json()["secret"].startswith("whsec_")
    return dict(r.json())


def grant(api: Api, ent: Caller, bank: Caller) -> dict[str, Any]:
    body = {"bank_org_id": bank.org_id, "purpose": "credit", "scope": "full", "expires_at": "2030-01-01T00:00:00+08:00"}
    r = api.client.post(f"/v1/enterprises/{ent.uscc}/consents", json=body, headers=ent.headers)
    assert r.status_code == 201, r.text
    return dict(r.json())


def deliveries(api: Api, bank: Caller, hook: dict[str, Any]) -> list[dict[str, Any]]:
    r = api.client.get(f"/v1/webhooks/{hook['id']}/deliveries", params={"limit": 100}, headers=bank.headers)
    assert r.status_code == 200, r.text
    return list(r.json())


def all_delivered(api: Api, bank: Caller, hook: dict[str, Any], n: int) -> list[dict[str, Any]]:
    def check() -> list[dict[str, Any]] | None:
        ds = deliveries(api, bank, hook)
        return ds if len(ds) == n and all(d["status"] == "delivered" for d in ds) else None

    return wait_for(check, f"{n} deliveries delivered")


def test_registration_refuses_private_insecure_and_malformed_urls(api: Api) -> None:
    bank = new_bank(api)
    for url in (
        "http://127.0.0.1:8080/hook",  # http, and loopback
        "https://127.0.0.1/hook",  # loopback
        "https://10.1.2.3/hook",  # private
        "https://169.254.169.254/latest",  # link-local (cloud metadata)
        "https://localhost/hook",  # a name that resolves to loopback
        "https://[::1]/hook",
        "https://user:pw@8.8.8.8/hook",  # credentials
    ):
        r = api.client.post("/v1/webhooks", json={"url": url, "events": ["rating.issued"]}, headers=bank.headers)
        assert r.status_code == 422, (url, r.text)
        assert [e["field"] for e in r.json()["errors"]] == ["url"], (url, r.json())
    r = api.client.post("/v1/webhooks", json={"url": "https://8.8.8.8/hook", "events": []}, headers=bank.headers)
    assert r.status_code == 422, r.text
    assert "events" in [e["field"] for e in r.json()["errors"]], r.json()
    assert api.client.get("/v1/webhooks", headers=bank.headers).json() == []
    register(api, bank, "https://8.8.8.8/hook", ["rating.issued"])  # a public address is fine


def test_insecure_setting_accepts_localhost_and_the_secret_is_shown_once(
    settings: Settings, receiver: Receiver
) -> None:
    s = insecure(settings)
    with TestClient(app=create_app(s)) as client:
        api = Api(client, s)
        bank = new_bank(api)
        assert register(api, bank, "https://localhost/hook", ["rating.revoked"])["secret"]
        key = {**bank.headers, "Idempotency-Key": "hook-1"}
        body = {"url": receiver.url, "events": ["rating.issued", "consent.withdrawn"]}
        first = api.client.post("/v1/webhooks", json=body, headers=key)
        assert first.status_code == 201, first.text
        assert first.json()["secret"].startswith("whsec_")
        replay = api.client.post("/v1/webhooks", json=body, headers=key)
        assert replay.status_code == 201, replay.text
        assert replay.json()["id"] == first.json()["id"] and "secret" not in replay.json()
        listed = api.client.get("/v1/webhooks", headers=bank.headers).json()
        assert len(listed) == 2 and all("secret" not in e for e in listed)
        mine = next(e for e in listed if e["id"] == first.json()["id"])
        assert (mine["url"], sorted(mine["events"])) == (receiver.url, ["consent.withdrawn", "rating.issued"])
        other = new_bank(api)
        assert api.client.get(f"/v1/webhooks/{mine['id']}/deliveries", headers=other.headers).status_code == 404
        assert api.client.delete(f"/v1/webhooks/{mine['id']}", headers=other.headers).status_code == 404
        assert api.client.delete(f"/v1/webhooks/{mine['id']}", headers=bank.headers).status_code == 200
        assert api.client.delete(f"/v1/webhooks/{mine['id']}", headers=bank.headers).status_code == 404
        assert mine["id"] not in [e["id"] for e in api.client.get("/v1/webhooks", headers=bank.headers).json()]


def test_events_reach_the_consenting_bank_signed_and_thin(settings: Settings, receiver: Receiver) -> None:
    receiver.start()
    s = insecure(settings)
    with TestClient(app=create_app(s)) as client:
        api = Api(client, s)
        town = build_city(api, 6)
        bank = new_bank(api, town.admin)
        hook = register(api, bank, receiver.url)
        secret, consenting = hook["secret"], town.enterprises[:2]
        consents = {e.uscc: grant(api, e, bank) for e in consenting}

        first_round = run_round(api, town.rating_authority, 2023)
        assert first_round["status"] == "completed", first_round
        all_delivered(api, bank, hook, 2)
        events = arrived(receiver, secret, 2)
        assert len(events) == 2 and {p["type"] for _, p in events} == {"rating.issued"}
        first_ids = {}
        for _, payload in events:
            assert set(payload) == {"type", "timestamp", "data"}
            assert set(payload["data"]) == {"rating_id", "uscc", "year", "round_id", "methodology_version"}
            data = payload["data"]
            ent = next(e for e in consenting if e.uscc == data["uscc"])
            latest = api.client.get(f"/v1/enterprises/{ent.uscc}/ratings/latest", headers=ent.headers).json()
            assert (data["rating_id"], data["year"], data["round_id"]) == (latest["id"], 2023, first_round["id"])
            first_ids[ent.uscc] = data["rating_id"]
        assert set(first_ids) == {e.uscc for e in consenting}  # one each; none for the other four

        second_round = run_round(api, town.rating_authority, 2023)
        assert second_round["status"] == "completed", second_round
        n = len(deliveries(api, bank, hook))
        assert n >= 6, n  # 2 + issued and superseded for each (and a colour change, if any)
        all_delivered(api, bank, hook, n)
        events = arrived(receiver, secret, n)
        later = [p for _, p in events if p["data"].get("round_id") == second_round["id"]]
        issued = {p["data"]["uscc"]: p["data"]["rating_id"] for p in later if p["type"] == "rating.issued"}
        superseded = [p["data"] for p in later if p["type"] == "rating.superseded"]
        assert set(issued) == set(first_ids) and len(superseded) == 2
        for data in superseded:
            assert (data["rating_id"], data["superseded_by"]) == (first_ids[data["uscc"]], issued[data["uscc"]])

        ent0, ent1 = consenting
        r = api.client.post(
            f"/v1/ratings/{issued[ent0.uscc]}/revoke", json={"reason": "test"}, headers=town.rating_authority.headers
        )
        assert r.status_code == 200, r.text
        r = api.client.delete(f"/v1/enterprises/{ent1.uscc}/consents/{consents[ent1.uscc]['id']}", headers=ent1.headers)
        assert r.status_code == 200, r.text
        final = all_delivered(api, bank, hook, n + 2)
        events = arrived(receiver, secret, n + 2)
        by_type = {p["type"]: p["data"] for _, p in events[n:]}
        assert by_type["rating.revoked"] == {"rating_id": issued[ent0.uscc], "uscc": ent0.uscc, "year": 2023}
        assert by_type["consent.withdrawn"] == {"consent_id": consents[ent1.uscc]["id"], "uscc": ent1.uscc}

        assert sorted(w for w, _ in events) == sorted(d["webhook_id"] for d in final)  # each exactly once
        for d in final:
            assert d["attempts"] == len(d["log"]) == 1, d
            assert (d["log"][0]["status_code"], d["log"][0]["error"], d["next_attempt_at"]) == (200, None, None)
            assert d["delivered_at"] is not None


def test_a_receiver_down_gets_every_event_after_a_restart(settings: Settings, receiver: Receiver) -> None:
    s = insecure(settings, retry_scale=0.01)  # attempts at 0, 0.05 s, then 3 s
    with TestClient(app=create_app(s)) as client:
        api = Api(client, s)
        town = build_city(api, 3)
        bank = new_bank(api, town.admin)
        hook = register(api, bank, receiver.url, ["rating.issued"])
        for ent in town.enterprises:
            grant(api, ent, bank)
        run_round(api, town.rating_authority, 2023)

        def failed_twice() -> list[dict[str, Any]] | None:
            ds = deliveries(api, bank, hook)
            return ds if len(ds) == 3 and all(d["attempts"] >= 2 for d in ds) else None

        pending = wait_for(failed_twice, "two failed attempts each")
    # the service stopped (its worker with it); the receiver comes up; a new process starts
    assert receiver.connections == 0
    for d in pending:
        assert d["status"] == "pending" and d["log"] and all(a["error"] and a["status_code"] is None for a in d["log"])
    receiver.start()
    with TestClient(app=create_app(s)) as client:
        api = Api(client, s)
        done = all_delivered(api, bank, hook, 3)
        events = arrived(receiver, hook["secret"], 3)
        assert sorted(w for w, _ in events) == sorted(d["webhook_id"] for d in done)
        assert sorted(d["webhook_id"] for d in done) == sorted(p["webhook_id"] for p in pending)  # as first tried
        assert {p["data"]["uscc"] for _, p in events} == {e.uscc for e in town.enterprises}
        for d in done:
            before = next(p for p in pending if p["id"] == d["id"])
            assert d["attempts"] == len(d["log"]) >= 3
            assert d["log"][: len(before["log"])] == before["log"]
            assert all(a["error"] for a in d["log"][:-1])
            assert (d["log"][-1]["status_code"], d["log"][-1]["error"]) == (200, None)

        again = done[0]
        url = f"/v1/webhooks/{hook['id']}/deliveries/{again['id']}/redelivery"
        r = api.client.post(url, headers=bank.headers)
        assert r.status_code == 200, r.text
        assert r.json()["webhook_id"] == again["webhook_id"]
        events = arrived(receiver, hook["secret"], 4)
        assert events[3][0] == again["webhook_id"] and events[3][1]["data"] == again["payload"]["data"]
        redone = wait_for(
            lambda: next((d for d in all_delivered(api, bank, hook, 3) if len(d["log"]) > len(again["log"])), None),
            "the redelivery logged",
        )
        assert redone["id"] == again["id"] and redone["log"][-1]["status_code"] == 200
        assert len(receiver.events(hook["secret"])) == 4


def test_a_changed_policy_sheet_reaches_only_a_bank_under_full_consent(settings: Settings, receiver: Receiver) -> None:
    """Three enterprises below 基准 each file a retrofit plan (their 2024 sheets gain
    transition_finance_candidate): the bank holding a full consent hears of its borrower's change,
    thin; a grade_only consent (which cannot read the sheet) and no consent hear nothing."""
    receiver.start()
    s = insecure(settings)
    with TestClient(app=create_app(s)) as client:
        api = Api(client, s)
        town = build_city(api, 3, years=(2024,), content=lambda i, y: cement(clinker_energy="100000"))
        bank = new_bank(api, town.admin)
        hook = register(api, bank, receiver.url, ["policy.consequence_changed"])
        full, grade_only, none = town.enterprises
        grant(api, full, bank)
        body = {"bank_org_id": bank.org_id, "purpose": "credit", "scope": "grade_only",
                "expires_at": "2030-01-01T00:00:00+08:00"}  # fmt: skip
        assert client.post(
            f"/v1/enterprises/{grade_only.uscc}/consents", json=body, headers=grade_only.headers
        ).is_success
        plan = {"year": 2024, "product": "cement_clinker", "target_unit_energy_use": "110", "measures": "窑系统节能改造", "investment_wan": "3500",
                "completion_date": "2025-10-31", "document_sha256": "ab" * 32}  # fmt: skip
        for ent in (full, grade_only, none):
            r = client.post(f"/v1/enterprises/{ent.uscc}/retrofit-plans", json=plan, headers=ent.headers)
            assert r.status_code == 201, r.text
        [delivery] = all_delivered(api, bank, hook, 1)
        [(webhook_id, event)] = arrived(receiver, hook["secret"], 1)
        assert webhook_id == delivery["webhook_id"] and event["type"] == "policy.consequence_changed"
        sheet = client.get(f"/v1/enterprises/{full.uscc}/policy", params={"year": 2024}, headers=bank.headers).json()
        assert event["data"] == {
            "uscc": full.uscc,
            "year": 2024,
            "policy_set_id": sheet["policy_set"]["id"],
            "policy_set_version": sheet["policy_set"]["version"],
            "kinds": sorted({c["kind"] for c in sheet["consequences"]}),
        }
        assert "transition_finance_candidate" in event["data"]["kinds"]
        time.sleep(0.5)  # nothing else follows for the other two
        assert len(deliveries(api, bank, hook)) == 1 and len(receiver.deliveries()) == 1
