"""Sending a `Call` without blocking: the async twin of `_transport.Transport`, same rules."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any, TypeVar

import httpx

from carbon_account_client import endpoints
from carbon_account_client._transport import (
    CHUNK,
    Progress,
    build_request,
    decode,
    failure,
    needs_credentials,
    new_key,
    with_body,
)
from carbon_account_client.auth import Credentials, TokenCache
from carbon_account_client.endpoints import Call
from carbon_account_client.retry import RETRY_STATUSES, RetryPolicy, retry_after

__all__ = ["AsyncTransport"]

T = TypeVar("T")


async def upload(content: bytes, progress: Progress) -> AsyncIterator[bytes]:
    total = len(content)
    progress(0, total)
    for start in range(0, total, CHUNK):
        piece = content[start : start + CHUNK]
        yield piece
        progress(start + len(piece), total)


class AsyncTransport:
    def __init__(self, http: httpx.AsyncClient, credentials: Credentials | None, retry: RetryPolicy) -> None:
        self.http, self.credentials, self.retry = http, credentials, retry
        self.tokens = TokenCache()
        self._lock = asyncio.Lock()

    async def call(self, call: Call[T], *, download: Progress | None = None, upload: Progress | None = None) -> T:
        return decode(call, (await self.send(call, download=download, upload=upload)).content)

    async def send(
        self, call: Call[Any], *, download: Progress | None = None, upload: Progress | None = None
    ) -> httpx.Response:
        key = call.idempotency_key or (new_key() if call.creates and self.retry.max_retries else None)
        retryable, waited, retries, renewed = call.safe or key is not None, 0.0, 0, False
        while True:
            token = await self.token() if call.auth else None
            response = await self._once(call, token, key, download, upload)
            if response.status_code == 401 and token is not None and not renewed:
                renewed = True
                self.tokens.invalidate(token)
                continue
            if retryable and response.status_code in RETRY_STATUSES:
                delay = self.retry.delay(retries, retry_after(response.headers.get("retry-after")), waited)
                if delay is not None:
                    await asyncio.sleep(delay)
                    waited, retries = waited + delay, retries + 1
                    continue
            if response.is_error:
                raise failure(call, response)
            return response

    async def token(self) -> str:
        if self.credentials is None:
            raise needs_credentials()
        async with self._lock:
            current = self.tokens.current()
            if current is not None:
                return current
            requested_at = self.tokens.clock()
            fetched = await self.call(endpoints.token(self.credentials.form()))
            return self.tokens.store(fetched, requested_at)

    async def _once(
        self, call: Call[Any], token: str | None, key: str | None, download: Progress | None, up: Progress | None
    ) -> httpx.Response:
        body = upload(call.content, up) if up is not None and call.content is not None else None
        response = await self.http.send(build_request(self.http, call, token, key, body), stream=True)
        try:
            if download is None or response.is_error:
                await response.aread()
                return response
            total = int(response.headers.get("content-length") or 0) or None
            received = bytearray()
            async for chunk in response.aiter_bytes():
                received += chunk
                download(len(received), total)
            return with_body(response, bytes(received))
        finally:
            await response.aclose()
