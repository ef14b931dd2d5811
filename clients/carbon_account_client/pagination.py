"""Cursor-paged lists as iterators: fetch the next page only when the last item is used.

A page is `{"items": [...], "next_cursor": "..."}`; the cursor is opaque and passed back
as `cursor=`; the list ends when `next_cursor` is absent. A cursor seen twice stops the
iteration with an error rather than looping forever.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TypeVar

from carbon_account_client.errors import CarbonError
from carbon_account_client.models import Page

__all__ = ["aiterate", "iterate"]

T = TypeVar("T")


def _next(page: Page[T], seen: set[str]) -> str | None:
    cursor = page.next_cursor
    if not cursor:
        return None
    if cursor in seen:
        raise CarbonError(f"the API returned cursor {cursor!r} twice; stopping")
    seen.add(cursor)
    return cursor


def iterate(fetch: Callable[[str | None], Page[T]]) -> Iterator[T]:
    """Every item of every page; `fetch(cursor)` gets one page (None: the first)."""
    seen: set[str] = set()
    cursor: str | None = None
    while True:
        page = fetch(cursor)
        yield from page.items
        if (cursor := _next(page, seen)) is None:
            return


async def aiterate(fetch: Callable[[str | None], Awaitable[Page[T]]]) -> AsyncIterator[T]:
    seen: set[str] = set()
    cursor: str | None = None
    while True:
        page = await fetch(cursor)
        for item in page.items:
            yield item
        if (cursor := _next(page, seen)) is None:
            return
