"""`Idempotency-Key` for creating POSTs: the same key and body replay the first answer.

The key is reserved in the same transaction as the creation (a unique row); a second
request with that key waits on the row, then replays what the first stored. Stored
answers are redacted: shown-once secrets are never kept for replay.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import msgspec
from litestar import Request, Response
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from service.db.models import IdempotencyRecord
from service.errors import FieldError, ProblemError

__all__ = ["IDEMPOTENCY_HEADER", "idempotent"]

IDEMPOTENCY_HEADER = "idempotency-key"
T = TypeVar("T")


def _scope(request: Request[Any, Any, Any], anonymous_scope: str | None) -> str:
    """Keys belong to the calling client; anonymous callers' keys to what they create (a USCC, say)."""
    user = request.scope.get("user")
    client_id = getattr(user, "client_id", None)
    return client_id or "anonymous:" + (anonymous_scope or "")


async def idempotent(
    request: Request[Any, Any, Any],
    db: AsyncSession,
    run: Callable[[], Awaitable[T]],
    *,
    status_code: int = 201,
    redact: Callable[[T], Any] = lambda value: value,
    anonymous_scope: str | None = None,
    fingerprint: bytes | None = None,
) -> Response[Any]:
    """Run `run` once per key; `fingerprint` stands for the body when that is not the request's bytes
    (an upload's SHA-256 and its options: a multipart boundary or a re-encoding must not count)."""
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is None:
        return Response(await run(), status_code=status_code)
    if not 1 <= len(key) <= 200:
        raise ProblemError(
            422,
            "validation",
            "Idempotency-Key must be 1 to 200 characters.",
            errors=[FieldError(field="header.Idempotency-Key", detail="length must be 1 to 200")],
        )
    scope, path = _scope(request, anonymous_scope), request.url.path
    body = fingerprint if fingerprint is not None else await request.body()
    digest = hashlib.sha256(request.method.encode() + b" " + path.encode() + b"\n" + body).digest()
    reserved = await db.execute(
        insert(IdempotencyRecord)
        .values(scope=scope, key=key, method=request.method, path=path, request_hash=digest)
        .on_conflict_do_nothing()
        .returning(IdempotencyRecord.key)
    )
    if reserved.first() is None:
        return await _replay(db, scope, key, digest)
    result = await run()
    body = msgspec.json.encode(redact(result))
    await db.execute(
        update(IdempotencyRecord)
        .where(IdempotencyRecord.scope == scope, IdempotencyRecord.key == key)
        .values(status_code=status_code, response_body=body)
    )
    return Response(result, status_code=status_code)


async def _replay(db: AsyncSession, scope: str, key: str, digest: bytes) -> Response[Any]:
    row = (
        await db.execute(
            select(IdempotencyRecord).where(IdempotencyRecord.scope == scope, IdempotencyRecord.key == key)
        )
    ).scalar_one()
    if row.request_hash != digest:
        raise ProblemError(
            422,
            "idempotency-key-reused",
            "This Idempotency-Key was used with another request; use a new key for a new request.",
            errors=[FieldError(field="header.Idempotency-Key", detail="already used with a different body")],
        )
    if row.status_code is None or row.response_body is None:
        raise ProblemError(409, "idempotency-in-progress", "A request with this key is still in progress.")
    return Response(
        row.response_body,
        status_code=row.status_code,
        media_type="application/json",
        headers={"Idempotent-Replayed": "true"},
    )
