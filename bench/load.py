"""Load generation for the HTTP benchmarks: wrk when installed (`apt-get install wrk`), else a
small keep-alive asyncio client (which shares the CPU with the server, so reads lower)."""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
import time
from urllib.parse import urlsplit

__all__ = ["Result", "load"]

Result = dict[str, float | str]


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def _wrk(url: str, headers: dict[str, str], seconds: int, connections: int) -> Result:
    args = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    if "Requests/sec" not in out or " 50%" not in out:
        raise RuntimeError(f"wrk gave no figures:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.MULTILINE).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE).group(1))  # type: ignore[union-attr]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    return {"tool": "wrk", "rps": rps, "p50_ms": p50, "p99_ms": p99, "requests": total,
            "errors": int(non2xx.group(1)) if non2xx else 0}  # fmt: skip


async def _client(
    host: str, port: int, request: bytes, until: float, latencies: list[float], errors: list[int]
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.perf_counter() < until:
            start = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = int(re.search(rb"(?i)content-length: (\d+)", head).group(1))  # type: ignore[union-attr]
            await reader.readexactly(length)
            latencies.append((time.perf_counter() - start) * 1000)
            if status >= 300:
                errors.append(status)
    finally:
        writer.close()


def _python(url: str, headers: dict[str, str], seconds: int, connections: int) -> Result:
    parts = urlsplit(url)
    lines = [f"GET {parts.path} HTTP/1.1", f"Host: {parts.netloc}", *(f"{k}: {v}" for k, v in headers.items())]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode()
    latencies: list[float] = []
    errors: list[int] = []

    async def run() -> None:
        until = time.perf_counter() + seconds
        await asyncio.gather(
            *(
                _client(parts.hostname or "", parts.port or 80, request, until, latencies, errors)
                for _ in range(connections)
            )
        )

    asyncio.run(run())
    latencies.sort()
    return {"tool": "python", "rps": len(latencies) / seconds, "p50_ms": latencies[len(latencies) // 2],
            "p99_ms": latencies[int(len(latencies) * 0.99)], "requests": len(latencies), "errors": len(errors)}  # fmt: skip


def load(url: str, headers: dict[str, str], seconds: int, connections: int = 32) -> Result:
    if shutil.which("wrk"):
        return _wrk(url, headers, seconds, connections)
    return _python(url, headers, seconds, connections)
