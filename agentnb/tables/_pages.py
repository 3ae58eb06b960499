"""Every page of a paged AgentOS listing, and the database behind an agent or a db."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, timezone
from typing import Any, TypeVar

from agentnb.agentos.db_models import Page
from agentnb.errors import ProtocolError
from agentnb.remote.db import RemoteDb, db_of

T = TypeVar("T")

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_NS = timedelta(microseconds=1)


def utc_ns(value: datetime | None) -> int | None:
    """``value`` as nanoseconds since the epoch (naive counts as UTC), for a time column.

    pandas parses 10,000 aware datetimes with pydantic's tzinfo one by one (about 30 µs each);
    integers it converts in one vectorised step.
    """
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return ((value - _EPOCH) // _NS) * 1000


#: The largest page AgentOS serves for most listings; fewer pages means fewer round trips.
PAGE_SIZE = 100


#: Pages fetched at once once the first page has told how many there are.
CONCURRENT_PAGES = 4


async def all_pages(
    fetch: Callable[[int, int], Awaitable[Page[T]]], *, page_size: int = PAGE_SIZE, limit: int | None = None
) -> list[T]:
    """Every item of ``fetch(page, page_size)``, in page order (at most ``limit`` items).

    The first page says how many pages there are; the rest are fetched ``CONCURRENT_PAGES`` at a
    time (a table of 100 pages waited for 100 round trips one after another). A page that comes
    back empty ends the listing there, as it would read one page at a time.
    """
    first = await fetch(1, page_size)
    items: list[T] = list(first.data)
    wanted = first.meta.total_pages
    if limit is not None:
        wanted = min(wanted, -(-limit // page_size))
    page = 2
    while page <= wanted and first.data:
        batch = range(page, min(page + CONCURRENT_PAGES, wanted + 1))
        # Every fetch of the batch ends before an error is raised: none is left running unawaited.
        results = await asyncio.gather(*(fetch(p, page_size) for p in batch), return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):
                raise result
            if not result.data:
                return items[:limit] if limit is not None else items
            items.extend(result.data)
        page = batch[-1] + 1
    return items[:limit] if limit is not None else items


def json_page(payload: Any, what: str) -> Page[Any]:
    """A listing's page with its rows left as JSON (the table checks them), its ``meta`` decoded."""
    if not isinstance(payload, dict):
        raise ProtocolError(
            f"{what}: expected a JSON object, got {type(payload).__name__}", raw=str(payload)[:500]
        )
    return Page[Any].model_validate(payload)


async def adb_of(source: Any) -> RemoteDb:
    """db_of(), fetching an agent's config first when it was never loaded (its ``db`` would
    otherwise be None inside a running loop, where properties do not wait for the network)."""
    if not isinstance(source, RemoteDb) and getattr(source, "config_loaded", True) is False:
        await source.get_agent_config()
    return db_of(source)
