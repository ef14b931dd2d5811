"""A webhook receiver for trying webhooks on one machine: verifies each delivery's signature
(Standard Webhooks, see `verify_webhook`) and prints each verified event as one JSON line.

    python -m carbon_account_client.receiver --port 9000 --secret whsec_...

Answers 204 to a verified delivery (the API marks it delivered) and 400 to anything else
(the API retries it). The secret may also come from $CARBON_WEBHOOK_SECRET. For a real bank,
verify with `verify_webhook` inside your own web framework; this one is plain http.server.
"""

from __future__ import annotations

import argparse
import contextlib
import http.server
import json
import os
import sys
from collections.abc import Sequence

from carbon_account_client.webhooks import WebhookVerificationError, verify_webhook

__all__ = ["main", "serve"]


def _handler(secret: str) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # http.server's naming
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                event = verify_webhook(secret, dict(self.headers.items()), body)
            except WebhookVerificationError as exc:
                self.send_response(400)
                self.end_headers()
                print(json.dumps({"refused": str(exc)}), file=sys.stderr, flush=True)
                return
            self.send_response(204)
            self.end_headers()
            line = {"id": event.id, "type": event.type, "timestamp": event.timestamp, "data": event.data}
            print(json.dumps(line, ensure_ascii=False, default=str), flush=True)

        def log_message(self, format: str, *args: object) -> None:  # quiet: the events are the output
            return

    return Handler


def serve(port: int, secret: str, host: str = "127.0.0.1") -> None:
    """Serve until interrupted."""
    with http.server.ThreadingHTTPServer((host, port), _handler(secret)) as server:
        print(f"listening on http://{host}:{port}/ (verifying with the secret given)", file=sys.stderr, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m carbon_account_client.receiver", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    p.add_argument("--port", type=int, default=9000)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--secret", default=os.environ.get("CARBON_WEBHOOK_SECRET"), help="whsec_… (the registration's)")
    args = p.parse_args(argv)
    if not args.secret:
        p.error("give --secret or set CARBON_WEBHOOK_SECRET")
    serve(args.port, args.secret, args.host)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
