"""A zip written as it is sent: each PDF is fetched, added and flushed, never the whole round in memory."""

from __future__ import annotations

import uuid
import zipfile
from collections.abc import AsyncIterator

import asyncpg

__all__ = ["zip_stream"]


class _Sink:
    """A write-only file for zipfile: what it writes is collected and taken out chunk by chunk."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.offset = 0

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        self.offset += len(data)
        return len(data)

    def tell(self) -> int:
        return self.offset

    def flush(self) -> None:
        return None

    def take(self) -> bytes:
        out, self.chunks = b"".join(self.chunks), []
        return out


async def zip_stream(pool: asyncpg.Pool, rows: list[tuple[uuid.UUID, str, str]]) -> AsyncIterator[bytes]:
    sink = _Sink()
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_STORED) as archive:  # type: ignore[arg-type]
        for cert_id, uscc, number in rows:
            pdf = await pool.fetchval("SELECT pdf FROM certificates WHERE id = $1", cert_id)
            archive.writestr(f"{uscc}-{number}.pdf", pdf)
            yield sink.take()
    yield sink.take()
