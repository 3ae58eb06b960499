"""Every page of an A2A ``ListTasks`` listing, followed by its page tokens, with one guard.

The tasks table, the artifacts table and the artifact-row reader all page through a listing;
this walker is the one place that decides when a listing has ended. A peer is trusted to end it
(no ``nextPageToken``), but not to end it at all: a token it already gave, a page with nothing on
it that still names a next page, or more than ``MAX_PAGES`` pages stops the walk where it is,
keeps what was read, and says so with a ``ListingStopped`` warning.
"""

from __future__ import annotations

import warnings
from collections.abc import AsyncGenerator, Awaitable, Callable, Sequence
from typing import TypeVar

__all__ = ["MAX_PAGES", "ListingStopped", "aiter_pages"]

T = TypeVar("T")

#: The most pages one listing reads: a million tasks at 100 a page.
MAX_PAGES = 10_000

#: ``fetch(page_token)`` -> (the page's items, the next page token or None); None asks for the first page.
PageFetch = Callable[[str | None], Awaitable[tuple[Sequence[T], str | None]]]


class ListingStopped(RuntimeWarning):
    """A peer's listing did not end by itself; the pages read before are kept."""


async def aiter_pages(
    fetch: PageFetch[T], *, where: str, max_pages: int = MAX_PAGES
) -> AsyncGenerator[Sequence[T], None]:
    """Each page's items, first page first, until the peer gives no next token.

    ``where`` names the peer in the warning given when the guard stops a listing.
    """
    token: str | None = None
    given: set[str] = set()
    for count in range(1, max_pages + 1):
        items, next_token = await fetch(token)
        yield items
        if not next_token:
            return
        if next_token in given:
            why = f"it gave page token {next_token[:40]!r} again"
        elif not items:
            why = "an empty page still named a next page"
        elif count == max_pages:
            why = f"it had more than {max_pages:,} pages"
        else:
            given.add(next_token)
            token = next_token
            continue
        warnings.warn(
            f"A2A ListTasks at {where}: stopped after {count:,} page(s), as {why}; the tasks listed "
            "so far are kept",
            ListingStopped,
            stacklevel=2,
        )
        return
