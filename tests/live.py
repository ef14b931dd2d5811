"""The real service in a subprocess on a free localhost port (uvicorn, as deployed).

For tests and benches that need true concurrency or faults: many requests in flight at
once, a database connection cut under a running server. One way to start it and one way
to wait for it, used by the suite, the SDK tests and the benches.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator

import httpx

from service.settings import Settings

__all__ = ["free_port", "live_service", "uvicorn_command", "wait_until_up"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def uvicorn_command(port: int, *, target: str = "service.asgi:app", workers: int = 1) -> list[str]:
    return [sys.executable, "-m", "uvicorn", "--factory", target, "--host", "127.0.0.1", "--port", str(port),
            "--workers", str(workers), "--log-level", "warning", "--no-access-log", "--no-server-header"]  # fmt: skip


def wait_until_up(
    url: str, proc: subprocess.Popen[bytes] | None = None, *, timeout: float = 60, log: Callable[[], str] = str
) -> None:
    """Until `url` answers below 500 (a /readyz that is not ready answers 503); fail early if `proc` exits."""
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code < 500:
                return
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the service exited with {proc.returncode}:\n{log()}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not come up:\n{log()}")
        time.sleep(0.1)


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
    proc = subprocess.Popen(uvicorn_command(port, workers=workers), env=environ)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{url}/readyz", proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
