"""Console forms: a form's fields checked by the API's own body types and use cases inside a
savepoint, so a refusal writes nothing and comes back as (field path, sentence in the caller's
language) for the page to show beside its field."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import msgspec
from litestar import Request
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import Conflict, DomainError, InvalidField, NotFound, StateConflict
from service import problem_text

__all__ = ["Refusal", "attempt", "beside", "end_of_day", "field_of", "form_of", "status_of"]

T = TypeVar("T")
_AT = re.compile(r" - at `\$\.?([^`]*)`$")
_NAMED = re.compile(r"(?:unknown|missing required) field `([^`]+)`")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Refusal(msgspec.Struct, frozen=True, kw_only=True):
    path: str
    """The API's field path (`banks[0].bank_org_id`, `loans[3].outstanding_yuan`); `form` for the whole form."""
    message: str
    conflict: bool = False
    """A conflict with the current state (409), not a bad value (422)."""


def field_of(path: str) -> str:
    """The form input a field path names: its first part (`banks[0].bank_org_id` is `banks`)."""
    return re.split(r"[.\[]", path, maxsplit=1)[0] or "form"


def beside(refusals: list[Refusal]) -> dict[str, str]:
    """Each refusal keyed by the input it is shown beside."""
    return {field_of(r.path): r.message for r in refusals}


def _validation(exc: msgspec.ValidationError, lang: str) -> Refusal:
    text = str(exc)
    found = _AT.search(text)
    message = text[: found.start()] if found else text
    path = found.group(1) if found else ""
    named = _NAMED.search(message)
    if named:  # msgspec names the enclosing object: point at the field itself
        path = f"{path}.{named.group(1)}" if path else named.group(1)
    return Refusal(path=path or "form", message=problem_text.translate(message, lang))


async def attempt(db: AsyncSession, lang: str, action: Callable[[], Awaitable[T]]) -> tuple[T | None, list[Refusal]]:
    """Run the use case in a savepoint: its result, or what refused it (rolled back). A NotFound
    is not a refusal of the form but of the page: it propagates (the 404 page)."""
    try:
        async with db.begin_nested():
            return await action(), []
    except msgspec.ValidationError as exc:
        return None, [_validation(exc, lang)]
    except InvalidField as exc:
        return None, [Refusal(path=exc.field, message=problem_text.translate(exc.reason, lang))]
    except NotFound:
        raise
    except DomainError as exc:
        conflict = isinstance(exc, Conflict | StateConflict)
        return None, [Refusal(path="form", message=problem_text.translate(exc.detail, lang), conflict=conflict)]


def status_of(refusals: list[Refusal]) -> int:
    return 409 if any(r.conflict for r in refusals) else 422


async def form_of(request: Request[Any, Any, Any]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The form's text fields: each one's (stripped) value, and every value of repeated ones."""
    form = await request.form()
    single = {k: v.strip() for k, v in form.items() if isinstance(v, str)}
    many = {k: [v for v in form.getall(k) if isinstance(v, str)] for k in form}
    return single, many


def end_of_day(value: str) -> str:
    """A date from a date input, as the end of that day in Beijing; anything else as typed (the
    API's body type then refuses it as it would over HTTP)."""
    return f"{value}T23:59:59+08:00" if _DATE.match(value) else value
