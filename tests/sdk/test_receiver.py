"""The SDK's webhook receiver (the README's step 15): a delivery signed with the secret is
answered 204 and printed as one JSON line; a forged or altered one is 400 and not printed."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import httpx
from carbon_account_client.webhooks import sign

from tests.live import free_port

SECRET = "whsec_" + "c2VjcmV0LWZvci10aGUtcmVjZWl2ZXItdGVzdA=="


def _post(url: str, body: bytes, secret: str, signed: bytes | None = None) -> int:
    """POST `body` signed over `signed` (default: the body itself) with `secret`."""
    stamp = int(time.time())
    headers = {"webhook-id": "msg_1", "webhook-timestamp": str(stamp),
               "webhook-signature": sign(secret, "msg_1", stamp, body if signed is None else signed), "Content-Type": "application/json"}  # fmt: skip
    return httpx.post(url, content=body, headers=headers, timeout=5).status_code


def test_verified_events_are_printed_and_others_refused() -> None:
    port = free_port()
    cmd = [sys.executable, "-m", "carbon_account_client.receiver", "--port", str(port), "--secret", SECRET]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{port}/hooks"
        deadline = time.monotonic() + 20
        while True:  # up when it answers at all (a GET is 501: it only takes POSTs)
            try:
                httpx.get(url, timeout=1)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline and proc.poll() is None, proc.stderr.read() if proc.stderr else ""
                time.sleep(0.1)
        event = {"type": "rating.issued", "timestamp": "2026-12-03T00:00:00+00:00", "data": {"rating_id": "r1"}}
        body = json.dumps(event).encode()
        assert _post(url, body, SECRET) == 204
        assert _post(url, body, "whsec_" + "b3RoZXItc2VjcmV0") == 400  # another secret
        assert _post(url, body.replace(b"r1", b"r2"), SECRET, signed=body) == 400  # altered on the way
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=10)
    lines = [json.loads(line) for line in out.splitlines()]
    assert lines[0]["type"] == "rating.issued" and lines[0]["data"] == {"rating_id": "r1"}
    assert len(lines) == 1  # the refused ones are not printed
