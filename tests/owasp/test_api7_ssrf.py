"""OWASP API7:2023 Server Side Request Forgery.

The one place the service sends requests to addresses a client chose: a bank's webhook
endpoints. Covered, against the live app and database:
  - registration (`POST /v1/webhooks`) refuses, naming `url` and storing nothing, every
    spelling of an internal address: loopback, private, link-local and metadata IPs,
    CGNAT, the unspecified address, IPv6 loopback, link-local and unique-local, IPv4-mapped
    and -compatible, NAT64 and 6to4 forms, decimal, octal, hex and short IPv4 forms,
    `localhost` in its variants, names that do not resolve (no DNS here: a rebinding name
    such as 127.0.0.1.nip.io cannot be vouched for), plain http, other schemes, and
    credentials or `@`/`#`/`\\` tricks in the authority; tests/e2e/test_webhooks.py holds
    the first seven of these;
  - the delivery worker does not follow redirects: a real receiver on localhost answers
    302, 307 or 308 pointing at another local server (and at the cloud metadata address);
    the attempt is logged with that status as a failure, to be retried, and the target
    of the redirect is never contacted. (An address that turns private between
    registration and delivery is tests/integration/test_webhook_delivery.py.)
"""

from __future__ import annotations

import asyncio
import socket
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from domain.organisations import OrgKind
from domain.webhooks import EventType
from service.db.engine import make_engine, make_sessionmaker
from service.settings import Settings
from service.webhooks.delivery import DeliveryWorker
from service.webhooks.outbox import emit
from tests.helpers import Api, Caller
from tests.owasp.common import app_with, assert_problem, row_counts

INTERNAL_URLS = [
    "https://127.0.0.1/hook",
    "https://127.1/hook",
    "https://127.0.0.2:8443/hook",
    "https://0.0.0.0/hook",
    "https://0/hook",
    "https://2130706433/hook",  # 127.0.0.1 as one decimal number
    "https://0177.0.0.1/hook",  # octal
    "https://0x7f.0x0.0x0.0x1/hook",  # hex
    "https://0x7f000001/hook",
    "https://10.0.0.1/hook",
    "https://172.16.0.1/hook",
    "https://192.168.1.1/hook",
    "https://100.64.0.1/hook",  # carrier-grade NAT
    "https://169.254.169.254/latest/meta-data/",
    "https://[::1]/hook",
    "https://[::]/hook",
    "https://[::ffff:127.0.0.1]/hook",  # IPv4-mapped
    "https://[::ffff:7f00:1]/hook",
    "https://[::ffff:169.254.169.254]/hook",
    "https://[::127.0.0.1]/hook",  # IPv4-compatible
    "https://[64:ff9b::a9fe:a9fe]/hook",  # NAT64 of 169.254.169.254
    "https://[2002:7f00:1::1]/hook",  # 6to4 of 127.0.0.1
    "https://[fe80::1]/hook",
    "https://[fd00::1]/hook",
    "https://[fd00:ec2::254]/hook",  # the EC2 IPv6 metadata address
    "https://localhost/hook",
    "https://LOCALHOST/hook",
    "https://localhost./hook",
    "https://127.0.0.1.nip.io/hook",
    "https://localtest.me/hook",
    "https://metadata.google.internal/computeMetadata/v1/",
    "https://carbon-account-no-such-host.invalid/hook",
    "http://8.8.8.8/hook",  # not https
    "ftp://8.8.8.8/hook",
    "file:///etc/passwd",
    "gopher://127.0.0.1:6379/_INFO",
    "https://user:pw@8.8.8.8/hook",
    "https://8.8.8.8@127.0.0.1/hook",
    "https://8.8.8.8:443@127.0.0.1:443/hook",
    "https://127.0.0.1#@8.8.8.8/hook",
    "https://127.0.0.1\\@8.8.8.8/hook",
    "https://8.8.8.8:99999/hook",
    "https:///hook",
]


def test_every_spelling_of_an_internal_address_is_refused_at_registration(shared: Api) -> None:
    bank = shared.admin_created(shared.bootstrap(OrgKind.ADMIN), "bank")
    counts = row_counts(shared.settings)
    problems = []
    for url in INTERNAL_URLS:
        r = shared.client.post("/v1/webhooks", json={"url": url, "events": ["rating.issued"]}, headers=bank.headers)
        if r.status_code != 422:
            problems.append(f"{url}: {r.status_code} {r.text[:150]}")
            continue
        doc = assert_problem(r, 422)
        if [e["field"] for e in doc.get("errors", [])] != ["url"]:
            problems.append(f"{url}: {doc}")
    assert not problems, "\n".join(problems)
    assert shared.client.get("/v1/webhooks", headers=bank.headers).json() == []
    assert row_counts(shared.settings) == counts
    ok = shared.client.post(
        "/v1/webhooks", json={"url": "https://8.8.8.8/hook", "events": ["rating.issued"]}, headers=bank.headers
    )
    assert ok.status_code == 201, ok.text  # the control: a public address is accepted


class Target:
    """Where a redirect points: counts every connection it gets."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.stop = threading.Event()
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


class Redirector:
    """A bank's endpoint that answers every POST with `status` and a Location header."""

    def __init__(self, status: int, location: str) -> None:
        self.status, self.hits = status, 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("content-length") or 0))
                outer.hits += 1
                self.send_response(status)
                self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def target() -> Iterator[Target]:
    t = Target()
    yield t
    t.close()


async def _emit_and_deliver(settings: Settings, bank: Caller) -> None:
    engine = make_engine(settings.app_database_url, pool_size=2)
    try:
        sessionmaker = make_sessionmaker(engine)
        async with sessionmaker() as db, db.begin():
            data = {"rating_id": str(uuid.uuid4()), "uscc": "x", "year": 2023}
            await emit(db, [(uuid.uuid4(), EventType.RATING_ISSUED, data)], only_bank=uuid.UUID(bank.org_id))
        worker = DeliveryWorker(sessionmaker, settings)
        try:
            await worker.run_once()
        finally:
            await worker.close()
    finally:
        await engine.dispose()


def test_the_delivery_worker_does_not_follow_redirects(shared_settings: Settings, target: Target) -> None:
    redirectors = [
        Redirector(302, f"http://127.0.0.1:{target.port}/internal"),
        Redirector(307, f"http://127.0.0.1:{target.port}/internal"),
        Redirector(308, "http://169.254.169.254/latest/meta-data/iam/security-credentials/"),
    ]
    try:
        # http on localhost is allowed here (as on-premise): the redirect is what is tested
        with app_with(shared_settings, webhook_allow_insecure=True, webhook_retry_scale=0.0) as api:
            bank = api.admin_created(api.bootstrap(OrgKind.ADMIN), "bank")
            hooks = {}
            for rd in redirectors:
                r = api.client.post(
                    "/v1/webhooks", json={"url": rd.url, "events": ["rating.issued"]}, headers=bank.headers
                )
                assert r.status_code == 201, r.text
                hooks[r.json()["id"]] = rd
            asyncio.run(_emit_and_deliver(api.settings, bank))
            for hook_id, rd in hooks.items():
                (delivery,) = api.client.get(f"/v1/webhooks/{hook_id}/deliveries", headers=bank.headers).json()
                (attempt,) = delivery["log"]
                assert rd.hits == 1 and attempt["status_code"] == rd.status, (rd.status, delivery)
                assert (attempt["error"], delivery["status"]) == (f"HTTP {rd.status}", "pending"), delivery
    finally:
        for rd in redirectors:
            rd.close()
    assert target.connections == 0, "the worker followed a redirect"
