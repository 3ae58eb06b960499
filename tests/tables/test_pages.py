"""all_pages: every page in order, fetched a few at a time once the first page gives the count."""

from __future__ import annotations

import asyncio
import random

import pytest

from agentnb.agentos.db_models import Page, PageMeta
from agentnb.tables._pages import CONCURRENT_PAGES, all_pages


def pager(total: int, size: int, *, empty_from: int | None = None, fail_at: int | None = None):  # type: ignore[no-untyped-def]
    calls: list[int] = []
    running = {"now": 0, "most": 0}
    finished: list[int] = []

    async def fetch(page: int, page_size: int) -> Page[int]:
        calls.append(page)
        running["now"] += 1
        running["most"] = max(running["most"], running["now"])
        await asyncio.sleep(random.uniform(0, 0.01))  # pages come back out of order
        running["now"] -= 1
        finished.append(page)
        if fail_at == page:
            raise RuntimeError(f"page {page} failed")
        start = (page - 1) * page_size
        rows = [] if empty_from is not None and page >= empty_from else list(range(start, min(start + page_size, total)))
        return Page[int](data=rows, meta=PageMeta(page=page, limit=page_size, total_count=total,
                                                  total_pages=-(-total // page_size)))  # fmt: skip

    return fetch, calls, running, finished


async def test_every_page_in_order_a_few_at_a_time() -> None:
    fetch, calls, running, _ = pager(1_050, 100)
    assert await all_pages(fetch, page_size=100) == list(range(1_050))
    assert sorted(calls) == list(range(1, 12)) and calls[0] == 1
    assert 1 < running["most"] <= CONCURRENT_PAGES


async def test_limit_fetches_only_the_pages_it_needs() -> None:
    fetch, calls, _, _ = pager(1_000, 100)
    assert await all_pages(fetch, page_size=100, limit=250) == list(range(250))
    assert sorted(calls) == [1, 2, 3]


async def test_an_empty_page_ends_the_listing() -> None:
    fetch, _, _, _ = pager(1_000, 100, empty_from=4)
    assert await all_pages(fetch, page_size=100) == list(range(300))


async def test_a_failed_page_raises_after_its_batch_has_ended() -> None:
    fetch, _, running, finished = pager(1_000, 100, fail_at=3)
    with pytest.raises(RuntimeError, match="page 3 failed"):
        await all_pages(fetch, page_size=100)
    assert running["now"] == 0 and 3 in finished  # nothing left running unawaited
