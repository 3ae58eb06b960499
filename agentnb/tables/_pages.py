"""Every page of a paged AgentOS listing, and the database behind an agent or a db."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, timezone
from typing import Any, TypeVar

from agentnb.agentos.db_models import Page
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


async def all_pages(
    fetch: Callable[[int, int], Awaitable[Page[T]]], *, page_size: int = PAGE_SIZE, limit: int | None = None
) -> list[T]:
    """Every item of ``fetch(page, page_size)``, page after page (at most ``limit`` items)."""
    items: list[T] = []
    page = 1
    while True:
        result = await fetch(page, page_size)
        items.extend(result.data)
        if limit is not None and len(items) >= limit:
            return items[:limit]
        if not result.data or page >= result.meta.total_pages:
            return items
        page += 1


async def adb_of(source: Any) -> RemoteDb:
    """db_of(), fetching an agent's config first when it was never loaded (its ``db`` would
    otherwise be None inside a running loop, where properties do not wait for the network)."""
    if not isinstance(source, RemoteDb) and getattr(source, "config_loaded", True) is False:
        await source.get_agent_config()
    return db_of(source)
