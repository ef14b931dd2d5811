"""Typed exceptions: one class per answer a caller handles differently.

The API answers every error with an RFC 9457 problem document
(`application/problem+json`: type, title, status, detail, instance, errors); `ApiError`
carries it, and its subclass says what to do about it without comparing status codes.
"""

from __future__ import annotations

from typing import Any

import httpx
import msgspec

from carbon_account_client.models import ImportProblem
from carbon_account_client.retry import retry_after

__all__ = [
    "ApiError",
    "BadRequest",
    "CarbonError",
    "CertificateDigestMismatch",
    "Conflict",
    "FieldError",
    "Forbidden",
    "ImportRejected",
    "NotFound",
    "PayloadTooLarge",
    "RateLimited",
    "ServiceUnavailable",
    "TokenInvalid",
    "Unauthorized",
    "ValidationFailed",
    "WebhookVerificationError",
    "error_from_response",
]


class CarbonError(Exception):
    """Every error this SDK raises itself (network errors stay httpx's own)."""


class FieldError(msgspec.Struct, frozen=True, kw_only=True):
    field: str
    """Where the offending value is: `uscc`, `loans[2].outstanding_yuan`, `query.limit`, `填报!D7`."""
    detail: str


class _Problem(msgspec.Struct, kw_only=True):
    type: str = "about:blank"
    title: str = ""
    status: int | None = None
    detail: str | None = None
    instance: str | None = None
    errors: list[FieldError] | None = None


class ApiError(CarbonError):
    """The API refused the request; the problem document's fields are attributes."""

    def __init__(self, response: httpx.Response, problem: _Problem, body: dict[str, Any]) -> None:
        self.response = response
        self.status: int = response.status_code
        self.type: str = problem.type
        self.title: str = problem.title
        self.detail: str | None = problem.detail
        self.instance: str | None = problem.instance
        self.errors: list[FieldError] = list(problem.errors or [])
        self.body = body
        """The whole document, with any member beyond RFC 9457's (an import's `problems`)."""
        fields = "; ".join(f"{e.field}: {e.detail}" for e in self.errors)
        text = f"{self.status} {self.title}: {self.detail or ''}".rstrip(": ")
        super().__init__(f"{text} [{fields}]" if fields else text)

    @property
    def code(self) -> str:
        """The problem type's last part (`not-found`, `validation`, `rate-limited`)."""
        return self.type.rsplit(":", 1)[-1]


class BadRequest(ApiError):
    """400: malformed (not JSON, a bad query parameter)."""


class Unauthorized(ApiError):
    """401: bad client credentials, or a token the API no longer accepts (after one fresh try)."""


class Forbidden(ApiError):
    """403: this organisation's kind may not call the operation, or its registration is pending."""


class NotFound(ApiError):
    """404: no such resource, or none this caller may see (the API does not say which)."""


class Conflict(ApiError):
    """409: conflicts with the current state (already withdrawn, already submitted)."""


class PayloadTooLarge(ApiError):
    """413: the body exceeds the API's limit (split the upload)."""


class ValidationFailed(ApiError):
    """422: `errors` names each offending field."""


class ImportRejected(ValidationFailed):
    """422 on a bulk import: nothing was created; `problems` names every wrong cell."""

    @property
    def problems(self) -> list[ImportProblem]:
        return msgspec.convert(self.body.get("problems") or [], list[ImportProblem])

    @property
    def more_problems(self) -> int:
        """Problems beyond those listed."""
        return int(self.body.get("more_problems") or 0)


class RateLimited(ApiError):
    """429 after the retries allowed: wait `retry_after` seconds."""

    def __init__(self, response: httpx.Response, problem: _Problem, body: dict[str, Any]) -> None:
        super().__init__(response, problem, body)
        self.retry_after: float | None = retry_after(response.headers.get("retry-after"))


class ServiceUnavailable(ApiError):
    """503 after the retries allowed: not ready, or a dependency (the certificate font) is missing."""


class TokenInvalid(CarbonError):
    """A rating token failed offline verification: forged, altered, unknown key, wrong type or expired."""


class CertificateDigestMismatch(CarbonError):
    """The certificate's bytes do not hash to the SHA-256 the API sent with them."""


class WebhookVerificationError(CarbonError):
    """A webhook's signature does not hold, or its timestamp is outside the tolerance."""


_BY_STATUS: dict[int, type[ApiError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    413: PayloadTooLarge,
    422: ValidationFailed,
    429: RateLimited,
    503: ServiceUnavailable,
}


def error_from_response(response: httpx.Response, cls: type[ApiError] | None = None) -> ApiError:
    """The typed error for a 4xx/5xx answer; a body that is no problem document still gives one."""
    body: dict[str, Any] = {}
    try:
        decoded = msgspec.json.decode(response.content) if response.content else {}
        body = decoded if isinstance(decoded, dict) else {}
        problem = msgspec.convert(body, _Problem)
    except (msgspec.DecodeError, msgspec.ValidationError):
        problem = _Problem(title=response.reason_phrase, detail=response.text[:500] or None)
    chosen = cls or _BY_STATUS.get(response.status_code, ApiError)
    return chosen(response, problem, body)
