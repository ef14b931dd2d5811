"""The one table from errors to RFC 9457 problem documents (`application/problem+json`).

Every error the API returns goes through here: domain errors, validation errors, auth
errors, framework errors and unexpected ones (500, with no trace or SQL in the body).
"""

from __future__ import annotations

import logging
import re
from typing import Any

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException

from domain.errors import Conflict, DomainError, InvalidField, NotFound, NotPermitted, StateConflict
from service import problem_text

__all__ = [
    "PROBLEM_MEDIA_TYPE",
    "FieldError",
    "ProblemDocument",
    "ProblemError",
    "exception_handlers",
    "problem_type",
]

PROBLEM_MEDIA_TYPE = "application/problem+json"
_TYPE_PREFIX = "urn:carbon-account:problem:"
log = logging.getLogger("service.errors")


def problem_type(code: str) -> str:
    return _TYPE_PREFIX + code


class FieldError(msgspec.Struct, frozen=True, kw_only=True):
    field: str
    """Path of the offending value, e.g. `uscc`, `lines[2].quantity`, `query.limit`."""
    detail: str


class ProblemDocument(msgspec.Struct, kw_only=True, omit_defaults=True):
    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[FieldError] | None = None


class ProblemError(Exception):
    """Raised anywhere in the service to answer with a problem document."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        *,
        errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
        extensions: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail, self.errors, self.headers = status, code, detail, errors, headers
        self.extensions = extensions
        """Extension members (RFC 9457 §3.2), e.g. an import's `problems` by sheet and cell."""


_DOMAIN_STATUS: tuple[tuple[type[DomainError], int], ...] = (
    (InvalidField, 422),
    (NotFound, 404),
    (Conflict, 409),
    (StateConflict, 409),
    (NotPermitted, 403),
)


def _language(request: Request[Any, Any, Any]) -> str:
    """The answer's language: Accept-Language, else PROBLEM_DEFAULT_LANGUAGE (service/problem_text.py)."""
    settings = getattr(request.app.state, "settings", None)
    default = getattr(settings, "problem_default_language", problem_text.DEFAULT_LANGUAGE)
    return problem_text.negotiate(request.headers.get("accept-language"), default)


def _extensions(extensions: dict[str, Any], lang: str) -> dict[str, Any]:
    """Extension members as they are, but the `detail` sentence of each listed item (an import's problems)."""
    out = msgspec.to_builtins(extensions)
    for value in out.values():
        for item in value if isinstance(value, list) else []:
            if isinstance(item, dict) and isinstance(item.get("detail"), str):
                item["detail"] = problem_text.translate(item["detail"], lang)
    return dict(out)


def _respond(request: Request[Any, Any, Any], err: ProblemError) -> Response[ProblemDocument]:
    """The problem document in the caller's language: only the title and the detail sentences
    (`detail`, each `errors[].detail`, an import problem's `detail`) are words; type, status,
    instance, every field path and every other member are the same in every language."""
    lang = _language(request)
    errors = err.errors and [
        FieldError(field=e.field, detail=problem_text.translate(e.detail, lang)) for e in err.errors
    ]
    doc = ProblemDocument(
        type=problem_type(err.code),
        title=problem_text.title(err.status, lang),
        status=err.status,
        detail=problem_text.translate(err.detail, lang),
        instance=request.url.path,
        errors=errors,
    )
    body: Any = doc if not err.extensions else {**msgspec.to_builtins(doc), **_extensions(err.extensions, lang)}
    headers = {**(err.headers or {}), "Content-Language": lang, "Vary": "Accept-Language"}
    return Response(body, status_code=err.status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def _on_problem(request: Request[Any, Any, Any], exc: ProblemError) -> Response[ProblemDocument]:
    return _respond(request, exc)


def _on_domain(request: Request[Any, Any, Any], exc: DomainError) -> Response[ProblemDocument]:
    status = next((code for cls, code in _DOMAIN_STATUS if isinstance(exc, cls)), 422)
    errors = [FieldError(field=exc.field, detail=exc.reason)] if isinstance(exc, InvalidField) else None
    return _respond(request, ProblemError(status, exc.code, exc.detail, errors=errors))


_NAMED_FIELD = re.compile(r"(?:unknown|missing required) field `([^`]+)`")


def _field_errors(extra: Any) -> list[FieldError]:
    out: list[FieldError] = []
    for item in extra if isinstance(extra, list) else []:
        message = str(item.get("message", "invalid value"))
        key = str(item.get("key") or "")
        source = getattr(item.get("source"), "value", item.get("source"))
        unknown = _NAMED_FIELD.search(message)
        if unknown:  # msgspec reports the enclosing object's path; name the field itself
            key = f"{key}.{unknown.group(1)}" if key and key != "data" else unknown.group(1)
        key = key.removeprefix("data.").removeprefix("$.") if key != "data" else ""
        if source in ("query", "path", "header", "cookie") and key:
            key = f"{source}.{key}"
        out.append(FieldError(field=key or "body", detail=message))
    return out


# Litestar names a missing parameter only in its sentence (no `extra`): name the field too.
_MISSING_PARAMETER = re.compile(r"^Missing required (query|header|cookie|path) parameter '([^']+)'")


def _on_validation(request: Request[Any, Any, Any], exc: ValidationException) -> Response[ProblemDocument]:
    errors = _field_errors(exc.extra)
    missing = _MISSING_PARAMETER.match(str(exc.detail or ""))
    if not errors and missing:
        source, name = missing.groups()
        errors = [FieldError(field=f"{source}.{name}", detail="a value is required")]
    names = ", ".join(e.field for e in errors) or "the request"
    return _respond(request, ProblemError(422, "validation", f"Invalid value in {names}.", errors=errors))


_HTTP_CODES = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "payload-too-large",
    415: "unsupported-media-type",
    429: "rate-limited",
    503: "unavailable",
}


def _on_http(request: Request[Any, Any, Any], exc: HTTPException) -> Response[ProblemDocument]:
    status = exc.status_code
    if status >= 500:
        return _on_unexpected(request, exc)
    detail = exc.detail if status != 404 else "No such resource."
    if status == 400 and "JSON" in str(exc.detail):
        detail = "The body is not valid JSON."
    return _respond(request, ProblemError(status, _HTTP_CODES.get(status, "error"), detail, headers=exc.headers))


# PostgreSQL stores no U+0000: not in text (22021, character_not_in_repertoire), not in jsonb
# (22P05, untranslatable_character). Such a value can only have come from the request.
_NUL_SQLSTATES = frozenset({"22021", "22P05"})


def _sqlstate(exc: BaseException) -> str | None:
    """The SQLSTATE of a database error, through SQLAlchemy's wrapper (`orig`) and causes."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        state = getattr(current, "sqlstate", None)
        if isinstance(state, str):
            return state
        current = getattr(current, "orig", None) or current.__cause__
    return None


def _on_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[ProblemDocument]:
    if _sqlstate(exc) in _NUL_SQLSTATES:
        log.info("refused U+0000 on %s %s", request.method, request.url.path)
        if "\x00" in request.scope["path"]:  # in a path parameter: nothing is named so
            return _respond(request, ProblemError(404, "not-found", "No such resource."))
        detail = "A text value in the request holds the character U+0000 (NUL), which is not accepted."
        return _respond(request, ProblemError(422, "validation", detail))
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return _respond(request, ProblemError(500, "internal", "An unexpected error occurred; it has been logged."))


def _on_recursion(request: Request[Any, Any, Any], exc: RecursionError) -> Response[ProblemDocument]:
    """msgspec refuses JSON nested past its depth limit with RecursionError: the body's fault."""
    if "deserializing" not in str(exc):
        return _on_unexpected(request, exc)
    return _respond(request, ProblemError(400, "bad-request", "The JSON body is nested too deeply."))


def exception_handlers() -> dict[type[Exception] | int, Any]:
    return {
        RecursionError: _on_recursion,
        ProblemError: _on_problem,
        DomainError: _on_domain,
        ValidationException: _on_validation,
        HTTPException: _on_http,
        Exception: _on_unexpected,
    }
