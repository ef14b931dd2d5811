"""Benchmark: the bank read under concurrent load, beside a bare endpoint of the same stack.

    python -m bench.bank_read --seconds 20 --workers 2

The API runs as in production (uvicorn, several workers, the carbon_app role, jobs off)
on a database of its own (BENCH_DATABASE_URL, else TEST_DATABASE_URL, else embedded),
seeded with the demo city, rated for 2024, and an enterprise's `full` consent to a bank.
The bank read is GET /v1/enterprises/{uscc}/ratings/latest with the bank's token: token
check, consent check, access-log write, the stored token. The bare endpoint does one
indexed SELECT. Prints requests per second, p50 and p99 of both and their ratio, and
checks that every successful read left exactly one access-log row.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from typing import Any

import asyncpg
import httpx

from bench.load import load
from service.db.engine import make_engine, make_sessionmaker
from service.db.prepare import prepare_database
from service.ratings.job import RoundRunner
from service.ratings.rounds import start_round
from service.settings import Settings, app_url_for
from tests import db as testdb
from tests.live import free_port, uvicorn_command, wait_until_up

SECRET = "bench-secret-key"


REDIS = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14")


def _redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping())
    except Exception:
        return False


@contextlib.contextmanager
def _server(target: str, port: int, workers: int, env: dict[str, str]) -> Iterator[str]:
    proc = subprocess.Popen(uvicorn_command(port, target=target, workers=workers), env={**os.environ, **env})
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


async def _seed(settings: Settings) -> dict[str, Any]:
    from service.demo import seed_demo

    out = await seed_demo(settings)
    engine = make_engine(settings.app_database_url, pool_size=2)
    try:
        sessionmaker = make_sessionmaker(engine)
        async with sessionmaker() as db, db.begin():
            rnd = await start_round(db, None, 2024)
        await RoundRunner(engine, sessionmaker, settings).claim_and_run(rnd.id)
    finally:
        await engine.dispose()
    with open(out["credentials_file"], encoding="utf-8") as fh:
        return dict(json.load(fh))


def _token(api: str, client_id: str, secret: str) -> str:
    r = httpx.post(f"{api}/v1/auth/token", data={"grant_type": "client_credentials", "client_id": client_id,
                                                 "client_secret": secret})  # fmt: skip
    r.raise_for_status()
    return str(r.json()["access_token"])


async def _log_rows(dsn: str) -> int:
    conn = await asyncpg.connect(dsn)
    try:
        return int(await conn.fetchval("SELECT count(*) FROM access_log"))
    finally:
        await conn.close()


@contextlib.contextmanager
def bench_database(**settings: Any) -> Iterator[Settings]:
    """A database of its own on the bench server, prepared; dropped afterwards."""
    server = os.environ.get("BENCH_DATABASE_URL") or testdb.server_url()
    name = "carbon_bench_" + secrets.token_hex(4)
    asyncio.run(testdb.admin_execute(server, f'CREATE DATABASE "{name}"'))
    owner = testdb.with_database(server, name)
    password = os.environ.get("APP_DATABASE_PASSWORD")
    data = ""
    try:
        asyncio.run(prepare_database(owner, password))
        data = os.environ["CARBON_DATA_DIR"] = tempfile.mkdtemp(prefix="carbon-bench-")
        yield Settings(database_url=owner, app_database_url=app_url_for(owner, password), secret_key=SECRET, **settings)
    finally:
        asyncio.run(testdb.admin_execute(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if data:
            shutil.rmtree(data, ignore_errors=True)  # demo credentials, generated keys


def run(seconds: int, workers: int, connections: int) -> dict[str, Any]:
    with bench_database() as settings:
        owner = settings.database_url
        creds = asyncio.run(_seed(settings))
        env = {"DATABASE_URL": owner, "CARBON_SECRET_KEY": SECRET, "RUN_JOBS": "0",
               "BARE_DSN": testdb.dsn(settings.app_database_url), "WEB_CONCURRENCY": str(workers),
               # the limiter is on the path (shared counts in Redis when there is one) but set out of reach
               "RATE_LIMIT_PER_MINUTE": "100000000", **({"REDIS_URL": REDIS} if _redis_up() else {})}  # fmt: skip
        api_port, bare_port = free_port(), free_port()
        with (
            _server("service.asgi:app", api_port, workers, env) as api,
            _server("bench.bare_app:app", bare_port, workers, env) as bare,
        ):
            wait_until_up(f"{api}/healthz")
            ent = creds["enterprises"][0]
            uscc = ent["uscc"]
            wait_until_up(f"{bare}/bare/{uscc}")
            bank = _token(api, creds["bank_1"]["client_id"], creds["bank_1"]["client_secret"])
            ent_token = _token(api, ent["client_id"], ent["client_secret"])
            grant = httpx.post(
                f"{api}/v1/enterprises/{uscc}/consents",
                json={"bank_org_id": creds["bank_1"]["org_id"], "purpose": "credit", "scope": "full",
                      "expires_at": "2030-01-01T00:00:00+08:00"},
                headers={"Authorization": f"Bearer {ent_token}"},
            )  # fmt: skip
            grant.raise_for_status()
            headers = {"Authorization": f"Bearer {bank}"}
            read_url = f"{api}/v1/enterprises/{uscc}/ratings/latest"
            assert httpx.get(read_url, headers=headers).status_code == 200
            load(read_url, headers, 2, connections)  # warm-up
            load(f"{bare}/bare/{uscc}", {}, 2, connections)
            before = asyncio.run(_log_rows(testdb.dsn(owner)))
            bank_read = load(read_url, headers, seconds, connections)
            logged = asyncio.run(_log_rows(testdb.dsn(owner))) - before
            bare_read = load(f"{bare}/bare/{uscc}", {}, seconds, connections)
    ok_reads = int(bank_read["requests"]) - int(bank_read["errors"])
    return {
        "workers": workers,
        "connections": connections,
        "seconds": seconds,
        "bank_read": bank_read,
        "bare_select": bare_read,
        "ratio": round(float(bank_read["rps"]) / float(bare_read["rps"]), 3),
        "access_log_rows_per_successful_read": round(logged / ok_reads, 4) if ok_reads else None,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    print(json.dumps(run(args.seconds, args.workers, args.connections), indent=2))
