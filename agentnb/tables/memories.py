"""``memories_table()``: the memories an AgentOS keeps about users, every server page.

memories_table(agent, user_id="ada")        # or a RemoteDb: memories_table(agent.db)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from agentnb import _sync
from agentnb.agentos.db_models import Page, UserMemory
from agentnb.remote.db import db_of
from agentnb.tables._frame import _STR, _TIME, CONTENT_CHARS, _frame, clip_column
from agentnb.tables._pages import PAGE_SIZE, adb_of, all_pages, json_page, utc_ns
from agentnb.tables._rows import STR, STR_LIST_OR_NONE, STR_OR_NONE, TIME_OR_NONE, Field, plain_columns

__all__ = ["MEMORY_COLUMNS", "amemories_table", "memories_table", "memory_frame", "memory_rows_frame"]

_MEMORY_SCHEMA: tuple[tuple[str, str], ...] = (
    ("memory_id", _STR),
    ("memory", _STR),
    ("topics", _STR),
    ("user_id", _STR),
    ("agent_id", _STR),
    ("team_id", _STR),
    ("updated_at", _TIME),
)
_WHAT = "GET /memories"
#: UserMemory's fields as the table reads them, in the table's order, with the model's defaults.
_MEMORY_FIELDS: dict[str, Field] = {
    "memory_id": (STR, None),
    "memory": (STR, ""),
    "topics": (STR_LIST_OR_NONE, None),
    "user_id": (STR_OR_NONE, None),
    "agent_id": (STR_OR_NONE, None),
    "team_id": (STR_OR_NONE, None),
    "updated_at": (TIME_OR_NONE, None),
}
#: Columns of memories_table(), in order. ``topics`` is the topics joined with ", ".
MEMORY_COLUMNS: tuple[str, ...] = tuple(name for name, _ in _MEMORY_SCHEMA)


async def amemories_table(
    source: Any,
    *,
    user_id: str | None = None,
    limit: int | None = None,
    page_size: int = PAGE_SIZE,
    **filters: Any,
) -> pd.DataFrame:
    """The memories of an agent's database (or a RemoteDb), following every page.

    ``filters`` as ``RemoteDb.get_memories`` takes them (topics, search_content, agent_id, ...).
    """
    db = await adb_of(source)

    async def fetch(page: int, size: int) -> Page[Any]:
        # The page undecoded: validating 10,000 UserMemory models cost more than the whole table
        # (benchmarks/bench_db_tables.py); memory_rows_frame() checks the columns instead.
        return json_page(await db.get_memories_json(user_id, page=page, limit=size, **filters), _WHAT)

    return memory_rows_frame(await all_pages(fetch, page_size=page_size, limit=limit))


def memories_table(
    source: Any,
    *,
    user_id: str | None = None,
    limit: int | None = None,
    page_size: int = PAGE_SIZE,
    **filters: Any,
) -> pd.DataFrame:
    """Sync twin of amemories_table(): a DataFrame with ``MEMORY_COLUMNS``.

    >>> memories_table(agent, user_id="ada")[["memory", "topics", "updated_at"]]
    """
    return _sync.run_sync(
        amemories_table(db_of(source), user_id=user_id, limit=limit, page_size=page_size, **filters)
    )


def memory_frame(memories: Iterable[UserMemory]) -> pd.DataFrame:
    """The memories table of memories already fetched.

    Built a column at a time with comprehensions: appending seven cells row by row cost as much
    as the pages' validation (benchmarks/bench_db_tables.py).
    """
    rows = memories if isinstance(memories, list) else list(memories)
    cols: dict[str, list[Any]] = {
        "memory_id": [m.memory_id for m in rows],
        "memory": clip_column([m.memory for m in rows], CONTENT_CHARS),
        "topics": [", ".join(m.topics) if m.topics else None for m in rows],
        "user_id": [m.user_id for m in rows],
        "agent_id": [m.agent_id for m in rows],
        "team_id": [m.team_id for m in rows],
        "updated_at": [utc_ns(m.updated_at) for m in rows],
    }
    return _frame(_MEMORY_SCHEMA, cols)


def memory_rows_frame(rows: list[Any]) -> pd.DataFrame:
    """The memories table of ``GET /memories`` rows as JSON: the frame ``memory_frame()`` makes
    of the same rows validated as UserMemory, or the same ValidationError (see ``_rows``)."""
    cols = plain_columns(rows, _MEMORY_FIELDS)
    if cols is None:
        return _validated(rows)
    cols["memory"] = clip_column(cols["memory"], CONTENT_CHARS)
    cols["topics"] = [", ".join(ts) if ts else None for ts in cols["topics"]]
    cols["updated_at"] = [utc_ns(t) for t in cols["updated_at"]]
    return _frame(_MEMORY_SCHEMA, cols)


def _validated(rows: list[Any]) -> pd.DataFrame:
    return memory_frame([UserMemory.model_validate(r) for r in rows])
