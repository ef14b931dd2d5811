"""The real service in a subprocess on a free localhost port (uvicorn, as deployed).

For tests that need true concurrency or faults: many requests in flight at once, a
database connection cut under a running server.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx

from service.settings import Settings

__all__ = ["free_port", "live_service"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def live_service(settings: Settings, *, workers: int = 1, **env: str) -> Iterator[str]:
    """Serve `settings`' database; yield the base URL once /readyz answers."""
    port = free_port()
    environ = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "APP_DATABASE_URL": settings.app_database_url,
        "CARBON_SECRET_KEY": settings.secret_key,
        "JOB_POLL_SECONDS": "0.1",
        "PDF_WORKERS": "0",
        "RATE_LIMIT_PER_MINUTE": "1000000",
        **env,
    }
    cmd = [sys.executable, "-m", "uvicorn", "--factory", "service.asgi:app", "--port", str(port),
           "--workers", str(workers), "--log-level", "warning", "--no-access-log", "--no-server-header"]  # fmt: skip
    proc = subprocess.Popen(cmd, env=environ)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the service did not come up (exit {proc.poll()})")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
