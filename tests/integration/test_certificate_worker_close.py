"""Closing the certificate worker ends its render processes: none outlives the service, and the
interpreter's resource tracker finds no semaphore leaked at exit (it warned on every stop)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

import psutil

SCRIPT = textwrap.dedent(
    """
    import asyncio, signal, sys, time
    from service.certificates.issue import CertificateWorker
    from service.settings import Settings

    async def main() -> None:
        settings = Settings(database_url="unused", app_database_url="unused", secret_key="k", pdf_workers=1)
        worker = CertificateWorker(None, settings)  # type: ignore[arg-type]
        pool = worker._executor()
        loop = asyncio.get_running_loop()
        assert await loop.run_in_executor(pool, abs, -1) == 1
        busy = loop.run_in_executor(pool, time.sleep, 1.0)  # a render in hand as the service stops
        await asyncio.sleep(0.2)
        print(*pool._processes, flush=True)
        worker.close()  # what the app's shutdown does
        busy.cancel()

    if __name__ == "__main__":
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # as `serve` stops on SIGTERM
        asyncio.run(main())
        signal.raise_signal(signal.SIGTERM)
    """
)


def test_close_ends_the_render_processes_and_leaks_no_semaphore(tmp_path: object) -> None:
    proc = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 143, proc.stderr
    children = [int(pid) for pid in proc.stdout.split()]
    assert children
    deadline = time.monotonic() + 5
    alive = children
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = [pid for pid in children if psutil.pid_exists(pid) and psutil.Process(pid).status() != "zombie"]
    for pid in alive:  # do not leave them behind for the rest of the suite
        psutil.Process(pid).kill()
    assert not alive, "render processes outlived the worker"
    assert "leaked semaphore" not in proc.stderr, proc.stderr
