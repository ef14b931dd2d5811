"""The database gone for a moment (a restart, a failover, a dropped connection) → 503.

Such a request did not happen: its transaction was never committed, so the client may
safely retry it (with its Idempotency-Key for a create). The answer says so with a 503
problem document and Retry-After, rather than a 500 that reads like a bug. The pools
replace the broken connections by themselves: the service needs no restart.
"""

from __future__ import annotations

import logging
from typing import Any

import asyncpg
from litestar import Request, Response
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from service.errors import ProblemDocument, ProblemError, exception_handlers

__all__ = ["handlers", "is_unavailable"]

log = logging.getLogger("service.db")

_LOST = (
    asyncpg.PostgresConnectionError,  # includes ConnectionDoesNotExistError, CannotConnectNow
    asyncpg.InterfaceError,  # "connection is closed", "pool is closing"
    asyncpg.exceptions.OperatorInterventionError,  # admin shutdown, terminated backend, crash shutdown
    asyncpg.exceptions.InternalClientError,  # a dropped connection's protocol in a broken state
    ConnectionRefusedError,  # the server is down: connecting fails
    ConnectionResetError,
)


def is_unavailable(exc: BaseException) -> bool:
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated:
            return True
        return isinstance(exc.orig, _LOST) or isinstance(getattr(exc.orig, "__cause__", None), _LOST)
    return isinstance(exc, _LOST)


def _on_db_error(request: Request[Any, Any, Any], exc: Exception) -> Response[ProblemDocument]:
    fallback = exception_handlers()[Exception]
    if not is_unavailable(exc):
        return fallback(request, exc)  # type: ignore[no-any-return]
    log.warning("database unavailable on %s %s: %s", request.method, request.url.path, type(exc).__name__)
    problem = ProblemError(
        503,
        "database-unavailable",
        "The database is briefly unavailable; nothing was written. Retry after a moment.",
        headers={"Retry-After": "1"},
    )
    return exception_handlers()[ProblemError](request, problem)  # type: ignore[no-any-return]


def handlers() -> dict[type[Exception], Any]:
    return {cls: _on_db_error for cls in (*_LOST, DBAPIError, OperationalError, InterfaceError)}
