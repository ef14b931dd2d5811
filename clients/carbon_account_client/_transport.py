"""Sending a `Call` (blocking): the token, Idempotency-Key, retries, the one 401 renewal, errors.

The request building and answer decoding are shared with the async transport, so both
send byte-identical requests.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import httpx
import msgspec

from carbon_account_client import endpoints
from carbon_account_client.auth import Credentials, TokenCache
from carbon_account_client.endpoints import Call
from carbon_account_client.errors import CarbonError, error_from_response
from carbon_account_client.retry import RETRY_STATUSES, RetryPolicy, retry_after

__all__ = [
    "CHUNK",
    "USER_AGENT",
    "Progress",
    "Transport",
    "build_request",
    "decode",
    "failure",
    "needs_credentials",
    "new_key",
    "with_body",
]

T = TypeVar("T")
Progress = Callable[[int, int | None], None]
"""Called with (bytes done, bytes in all or None when unknown)."""
USER_AGENT = "carbon-account-client/0.1"
CHUNK = 64 * 1024


def new_key() -> str:
    return f"sdk-{uuid.uuid4()}"


def build_request(
    http: httpx.Client | httpx.AsyncClient, call: Call[Any], token: str | None, key: str | None, body: Any = None
) -> httpx.Request:
    """The HTTP request for one attempt; `body` replaces `call.content` (an upload reporting progress)."""
    headers = {"Accept": call.accept, "User-Agent": USER_AGENT}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    if key is not None:
        headers["Idempotency-Key"] = key
    content: Any = None
    if call.json is not None:
        content, headers["Content-Type"] = msgspec.json.encode(call.json), "application/json"
    elif call.content is not None:
        content = call.content if body is None else body
        headers["Content-Type"] = call.content_type or "application/octet-stream"
        headers["Content-Length"] = str(len(call.content))
    return http.build_request(
        call.method, call.path, params=call.params, headers=headers, content=content, data=call.form
    )


def decode(call: Call[T], content: bytes) -> T:
    if call.returns is bytes:
        return content  # type: ignore[return-value]
    return msgspec.json.decode(content, type=call.returns)  # type: ignore[no-any-return]


def failure(call: Call[Any], response: httpx.Response) -> Exception:
    return error_from_response(response, call.invalid if response.status_code == 422 else None)


def with_body(response: httpx.Response, body: bytes) -> httpx.Response:
    """A streamed answer with its body in hand (the body is already decoded: drop the encoding)."""
    headers = [(k, v) for k, v in response.headers.multi_items() if k.lower() != "content-encoding"]
    return httpx.Response(response.status_code, headers=headers, content=body, request=response.request)


def upload(content: bytes, progress: Progress) -> Iterator[bytes]:
    total = len(content)
    progress(0, total)
    for start in range(0, total, CHUNK):
        piece = content[start : start + CHUNK]
        yield piece
        progress(start + len(piece), total)


def needs_credentials() -> CarbonError:
    return CarbonError("this operation needs client credentials (client_id and client_secret)")


class Transport:
    def __init__(self, http: httpx.Client, credentials: Credentials | None, retry: RetryPolicy) -> None:
        self.http, self.credentials, self.retry = http, credentials, retry
        self.tokens = TokenCache()
        self._lock = threading.Lock()

    def call(self, call: Call[T], *, download: Progress | None = None, upload: Progress | None = None) -> T:
        return decode(call, self.send(call, download=download, upload=upload).content)

    def send(
        self, call: Call[Any], *, download: Progress | None = None, upload: Progress | None = None
    ) -> httpx.Response:
        """The successful answer, after renewals and retries; else the typed error."""
        key = call.idempotency_key or (new_key() if call.creates and self.retry.max_retries else None)
        retryable, waited, retries, renewed = call.safe or key is not None, 0.0, 0, False
        while True:
            token = self.token() if call.auth else None
            response = self._once(call, token, key, download, upload)
            if response.status_code == 401 and token is not None and not renewed:
                renewed = True
                self.tokens.invalidate(token)
                continue
            if retryable and response.status_code in RETRY_STATUSES:
                delay = self.retry.delay(retries, retry_after(response.headers.get("retry-after")), waited)
                if delay is not None:
                    time.sleep(delay)
                    waited, retries = waited + delay, retries + 1
                    continue
            if response.is_error:
                raise failure(call, response)
            return response

    def token(self) -> str:
        """A token good for the next request: the cached one, or a fresh one."""
        if self.credentials is None:
            raise needs_credentials()
        with self._lock:
            current = self.tokens.current()
            if current is not None:
                return current
            requested_at = self.tokens.clock()
            fetched = self.call(endpoints.token(self.credentials.form()))
            return self.tokens.store(fetched, requested_at)

    def _once(
        self, call: Call[Any], token: str | None, key: str | None, download: Progress | None, up: Progress | None
    ) -> httpx.Response:
        body = upload(call.content, up) if up is not None and call.content is not None else None
        response = self.http.send(build_request(self.http, call, token, key, body), stream=True)
        try:
            if download is None or response.is_error:
                response.read()
                return response
            total = int(response.headers.get("content-length") or 0) or None
            received = bytearray()
            for chunk in response.iter_bytes():
                received += chunk
                download(len(received), total)
            return with_body(response, bytes(received))
        finally:
            response.close()
