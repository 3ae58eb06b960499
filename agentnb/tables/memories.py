"""``memories_table()``: the memories an AgentOS keeps about users, every server page.

memories_table(agent, user_id="ada")        # or a RemoteDb: memories_table(agent.db)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import pandas as pd
from pydantic import TypeAdapter, ValidationError

from agentnb import _sync
from agentnb.agentos.db_models import Page, UserMemory
from agentnb.remote.db import db_of
from agentnb.tables._frame import _STR, _TIME, CONTENT_CHARS, _frame, clip_column
from agentnb.tables._pages import PAGE_SIZE, adb_of, all_pages, json_page, utc_ns

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
_TIMES: TypeAdapter[list[datetime | None]] = TypeAdapter(list[datetime | None])
_STR_OR_NONE = {str, type(None)}
_LIST_OR_NONE = {list, type(None)}
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
    of the same rows validated as UserMemory, or the same ValidationError.

    Each column is read with one comprehension and its types checked as a set; the times go
    through pydantic's own datetime parsing in one call. Anything else a row may hold (a number
    for a name, a missing id, a key the model owns such as ``raw``) sends the whole table through
    the models instead, so the fast reading never differs from the validated one.
    """
    if {type(r) for r in rows} - {dict} or any("raw" in r for r in rows):
        return _validated(rows)
    ids = [r.get("memory_id") for r in rows]
    texts = [r.get("memory", "") for r in rows]
    topics = [r.get("topics") for r in rows]
    names = {key: [r.get(key) for r in rows] for key in ("user_id", "agent_id", "team_id")}
    if (
        {type(v) for v in ids} - {str}
        or {type(v) for v in texts} - {str}
        or {type(v) for v in topics} - _LIST_OR_NONE
        or {type(t) for ts in topics if ts for t in ts} - {str}
        or any({type(v) for v in column} - _STR_OR_NONE for column in names.values())
    ):
        return _validated(rows)
    try:
        times = _TIMES.validate_python([r.get("updated_at") for r in rows])
    except ValidationError:
        return _validated(rows)  # raises the models' own error, naming the row
    cols: dict[str, list[Any]] = {
        "memory_id": ids,
        "memory": clip_column(texts, CONTENT_CHARS),
        "topics": [", ".join(ts) if ts else None for ts in topics],
        **names,
        "updated_at": [utc_ns(t) for t in times],
    }
    return _frame(_MEMORY_SCHEMA, cols)


def _validated(rows: list[Any]) -> pd.DataFrame:
    return memory_frame([UserMemory.model_validate(r) for r in rows])
