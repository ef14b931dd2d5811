"""Benchmark: a mixed workload at a sustained rate, with a count of rows lost.

    python -m bench.mixed_load --seconds 60 --rate 150

On the demo city (41 enterprises, rounds 2023 and 2024, certificates issued by the job)
served by uvicorn with 2 workers, an open-loop client sends, for `seconds`, at `rate`
requests per second in all:
  50 % bank reads of a consented rating (GET …/ratings/latest),
  15 % enterprises filing (a draft for a year with no filing, then edits of it),
  20 % verifications of a rating token (POST /v1/verify),
  15 % certificate downloads by the regulator.
Requests are sent on schedule whether or not earlier ones have answered (open loop);
a send that finds 128 requests in flight is counted as dropped. It then prints, per
operation, the count, errors and p50/p99 latency, and the rows lost: every 2xx filing
write must be in the database as answered (its last content hash), and every 2xx
bank read and download must have its access-log row.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import random
import statistics
import time
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import asyncpg
import httpx

from bench.bank_read import SECRET, _server, _token, bench_database
from service.demo import seed_demo
from tests import db as testdb
from tests.live import free_port, wait_until_up

SHARES = {"bank_read": 0.50, "filing": 0.15, "verify": 0.20, "certificate": 0.15}
FREE_YEARS = (2020, 2021, 2022, 2025, 2026)  # the demo files 2023 and 2024 only
MAX_IN_FLIGHT = 128


class Workload:
    def __init__(self, api: str, creds: dict[str, Any]) -> None:
        self.api = api
        self.bank = {
            "Authorization": f"Bearer {_token(api, creds['bank_1']['client_id'], creds['bank_1']['client_secret'])}"
        }
        reg = creds["regulator"]
        self.regulator = {"Authorization": f"Bearer {_token(api, reg['client_id'], reg['client_secret'])}"}
        self.ents = [e for e in creds["enterprises"] if e.get("status") != "pending"]
        self.ent_headers = {
            e["uscc"]: {"Authorization": f"Bearer {_token(api, e['client_id'], e['client_secret'])}"} for e in self.ents
        }
        self.consented = [e["uscc"] for e in self.ents[:3]]  # the demo's full-scope consents to bank 1
        self.slots = itertools.cycle([(e["uscc"], y) for y in FREE_YEARS for e in self.ents])
        self.drafts: dict[tuple[str, int], str] = {}
        self.busy: set[tuple[str, int]] = set()
        self.expected_sha: dict[str, str] = {}
        self.tokens: list[str] = []
        self.rating_ids: list[str] = []
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.statuses: dict[str, int] = defaultdict(int)
        self.logged_ok = 0
        self.dropped = 0
        self.in_flight = 0
        self.rng = random.Random(7)

    async def prepare(self, client: httpx.AsyncClient) -> None:
        for uscc in self.consented:
            body = (await client.get(f"/v1/enterprises/{uscc}/ratings/latest", headers=self.bank)).json()
            self.logged_ok += 1  # a read like any other: it has its access-log row
            self.tokens.append(body["token"])
            self.rating_ids.append(body["id"])
        deadline = time.monotonic() + 120  # the job renders the round's certificates
        for rid in self.rating_ids:
            while (await client.get(f"/v1/ratings/{rid}/certificate.pdf", headers=self.regulator)).status_code != 200:
                if time.monotonic() > deadline:
                    raise RuntimeError("certificates were not issued")
                await asyncio.sleep(0.5)
            self.logged_ok += 1

    async def one(self, client: httpx.AsyncClient, op: str) -> None:
        started = time.perf_counter()
        try:
            ok = await getattr(self, op)(client)
        except (httpx.HTTPError, KeyError, ValueError) as exc:  # no answer, or not the answer expected
            ok, self.statuses[type(exc).__name__] = False, self.statuses[type(exc).__name__] + 1
        self.latency[op].append((time.perf_counter() - started) * 1000)
        if not ok:
            self.errors[op] += 1

    def _seen(self, r: httpx.Response) -> httpx.Response:
        self.statuses[str(r.status_code)] += 1
        return r

    async def bank_read(self, client: httpx.AsyncClient) -> bool:
        r = self._seen(
            await client.get(f"/v1/enterprises/{self.rng.choice(self.consented)}/ratings/latest", headers=self.bank)
        )
        self.logged_ok += r.status_code == 200
        return r.status_code == 200

    async def verify(self, client: httpx.AsyncClient) -> bool:
        r = self._seen(await client.post("/v1/verify", json={"token": self.rng.choice(self.tokens)}))
        return r.status_code == 200 and r.json().get("status") == "active"

    async def certificate(self, client: httpx.AsyncClient) -> bool:
        rid = self.rng.choice(self.rating_ids)
        r = self._seen(await client.get(f"/v1/ratings/{rid}/certificate.pdf", headers=self.regulator))
        self.logged_ok += r.status_code == 200
        return r.status_code == 200 and r.content.startswith(b"%PDF")

    async def filing(self, client: httpx.AsyncClient) -> bool:
        slot = next(s for s in self.slots if s not in self.busy)  # one request per draft at a time
        self.busy.add(slot)
        try:
            uscc, year = slot
            content = {
                "energy": [{"carrier": "bituminous_coal", "quantity": str(self.rng.randint(1000, 99999)), "unit": "t"}],
                "electricity": {"purchased_mwh": str(self.rng.randint(100, 9999))},
                "value_added_wan": str(self.rng.randint(1000, 90000)),
            }
            headers = self.ent_headers[uscc]
            if slot in self.drafts:
                r = self._seen(await client.put(f"/v1/filings/{self.drafts[slot]}", json=content, headers=headers))
                ok = r.status_code == 200
            else:
                r = self._seen(
                    await client.post(
                        f"/v1/enterprises/{uscc}/filings", json={"period": year, **content}, headers=headers
                    )
                )
                ok = r.status_code == 201
                if ok:
                    self.drafts[slot] = r.json()["id"]
            if ok:
                self.expected_sha[r.json()["id"]] = r.json()["content_sha256"]
            return ok
        finally:
            self.busy.discard(slot)

    async def run(self, seconds: float, rate: float) -> float:
        ops = list(SHARES)
        weights = [SHARES[o] for o in ops]
        limits = httpx.Limits(max_connections=MAX_IN_FLIGHT, max_keepalive_connections=MAX_IN_FLIGHT)
        async with httpx.AsyncClient(base_url=self.api, limits=limits, timeout=30) as client:
            await self.prepare(client)
            tasks: set[asyncio.Task[None]] = set()
            started = time.perf_counter()
            n = 0
            while (now := time.perf_counter() - started) < seconds:
                due = n / rate
                if due > now:
                    await asyncio.sleep(due - now)
                n += 1
                if len(tasks) >= MAX_IN_FLIGHT:
                    self.dropped += 1
                    continue
                task = asyncio.create_task(self.one(client, self.rng.choices(ops, weights)[0]))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
            await asyncio.gather(*tasks)
            return time.perf_counter() - started


async def _lost(dsn: str, expected_sha: dict[str, str], log_before: int, logged_ok: int) -> dict[str, int]:
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch(
            "SELECT id::text, content_sha256 FROM filings WHERE id::text = ANY($1)", list(expected_sha)
        )
        log_rows = int(await conn.fetchval("SELECT count(*) FROM access_log")) - log_before
    finally:
        await conn.close()
    found = {r["id"]: r["content_sha256"] for r in rows}
    return {
        "filing_writes_lost": sum(1 for fid, sha in expected_sha.items() if found.get(fid) != sha),
        "access_log_rows_lost": max(logged_ok - log_rows, 0),
        "access_log_rows_extra": max(log_rows - logged_ok, 0),
    }


def _p(values: list[float], q: float) -> float:
    return round(statistics.quantiles(values, n=100)[int(q) - 1], 1) if len(values) > 1 else round(sum(values), 1)


@contextlib.contextmanager
def demo_service(workers: int) -> Iterator[tuple[str, dict[str, Any], str]]:
    """The demo city in a database of its own, served by uvicorn: (URL, credentials, owner DSN)."""
    with bench_database() as settings:
        seed = asyncio.run(seed_demo(settings))
        with open(seed["credentials_file"], encoding="utf-8") as fh:
            creds = json.load(fh)
        env = {"DATABASE_URL": settings.database_url, "CARBON_SECRET_KEY": SECRET, "WEB_CONCURRENCY": str(workers),
               "RATE_LIMIT_PER_MINUTE": "100000000", "JOB_POLL_SECONDS": "0.5", "PDF_WORKERS": "1"}  # fmt: skip
        with _server("service.asgi:app", free_port(), workers, env) as api:
            wait_until_up(f"{api}/readyz")
            yield api, creds, testdb.dsn(settings.database_url)


def run(seconds: float, rate: float, workers: int = 2) -> dict[str, Any]:
    with demo_service(workers) as (api, creds, dsn):
        work = Workload(api, creds)
        log_before = asyncio.run(_count_log(dsn))
        elapsed = asyncio.run(work.run(seconds, rate))
        lost = asyncio.run(_lost(dsn, work.expected_sha, log_before, work.logged_ok))
    total = sum(len(v) for v in work.latency.values())
    return {
        "seconds": round(elapsed, 1),
        "target_rate": rate,
        "sustained_rate": round(total / elapsed, 1),
        "requests": total,
        "errors": sum(work.errors.values()),
        "dropped": work.dropped,
        "statuses": dict(sorted(work.statuses.items())),
        "operations": {
            op: {"count": len(v), "errors": work.errors[op], "p50_ms": _p(v, 50), "p99_ms": _p(v, 99)}
            for op, v in sorted(work.latency.items())
        },
        **lost,
    }


async def _count_log(dsn: str) -> int:
    conn = await asyncpg.connect(dsn)
    try:
        return int(await conn.fetchval("SELECT count(*) FROM access_log"))
    finally:
        await conn.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--rate", type=float, default=150)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    print(json.dumps(run(args.seconds, args.rate, args.workers), indent=2))
