"""What can go wrong, in business words. The service maps each to an HTTP problem."""

from __future__ import annotations

__all__ = [
    "Conflict",
    "DomainError",
    "InvalidField",
    "NotFound",
    "NotPermitted",
    "StateConflict",
]


class DomainError(Exception):
    """Base of every business error; `code` is stable and becomes the problem type."""

    code = "domain-error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class InvalidField(DomainError):
    """A value that is well-formed JSON but breaks a business rule; names its field."""

    code = "invalid-field"

    def __init__(self, field: str, detail: str) -> None:
        super().__init__(f"{field}: {detail}")
        self.field = field
        self.reason = detail


class NotFound(DomainError):
    """The thing does not exist, or the caller may not know that it does."""

    code = "not-found"


class Conflict(DomainError):
    """The thing already exists (a duplicate registration, say)."""

    code = "conflict"


class StateConflict(DomainError):
    """The thing is not in a state that allows the action."""

    code = "state-conflict"


class NotPermitted(DomainError):
    """The caller's role may not do this."""

    code = "forbidden"
