"""Fault run: PostgreSQL itself restarted while the API serves the mixed workload.

    sudo python -m bench.faults --seconds 30 --rate 100

The mixed workload of bench/mixed_load.py runs against uvicorn (2 workers); a third of
the way in, the PostgreSQL cluster is restarted (`pg_ctlcluster … restart`, so this
needs root and a Debian cluster; the suite's short form, tests/integration/test_faults.py,
cuts the connections instead). It prints the answers by status (503 with Retry-After
while the database is away, never 500), how long until requests succeeded again, and
the rows lost (every 2xx filing write as answered, every 2xx read with its log row).
The service is never restarted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import threading
import time
from typing import Any

import httpx

from bench.mixed_load import Workload, _count_log, _lost, demo_service


def restart_postgres() -> float:
    """Restart the local cluster; the seconds it took."""
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    started = time.perf_counter()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True, capture_output=True
    )
    return time.perf_counter() - started


def run(seconds: float, rate: float, workers: int = 2) -> dict[str, Any]:
    with demo_service(workers) as (api, creds, dsn):
        work = Workload(api, creds)
        log_before = asyncio.run(_count_log(dsn))
        restart: dict[str, float] = {}

        def inject() -> None:
            time.sleep(seconds / 3)
            restart["restart_seconds"] = restart_postgres()

        thread = threading.Thread(target=inject, daemon=True)
        thread.start()
        elapsed = asyncio.run(work.run(seconds, rate))
        thread.join()
        lost = asyncio.run(_lost(dsn, work.expected_sha, log_before, work.logged_ok))
        after = _wait_ok(api)
    return {
        "seconds": round(elapsed, 1),
        "target_rate": rate,
        "postgres_restart_seconds": round(restart.get("restart_seconds", 0), 2),
        "requests": sum(len(v) for v in work.latency.values()),
        "statuses": dict(sorted(work.statuses.items())),
        "errors": sum(work.errors.values()),
        "server_errors_500": work.statuses.get("500", 0),
        "healthy_after_run": after,
        **lost,
    }


def _wait_ok(api: str) -> bool:
    return httpx.get(f"{api}/readyz", timeout=5).status_code == 200


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--rate", type=float, default=100)
    args = parser.parse_args()
    print(json.dumps(run(args.seconds, args.rate), indent=2))
