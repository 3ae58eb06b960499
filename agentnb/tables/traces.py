"""``traces_table()``: the traces an AgentOS recorded, one row per trace, every server page.

agno sends durations as text ("604.98ms", "1.2s"); the table has them as milliseconds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

from agentnb import _sync
from agentnb.agentos.db_models import TraceSummary
from agentnb.remote.db import db_of
from agentnb.tables._frame import _FLOAT, _INT, _STR, _TIME, PREVIEW_CHARS, _frame, clip_column
from agentnb.tables._pages import PAGE_SIZE, adb_of, all_pages, json_page, utc_ns
from agentnb.tables._rows import INT_OR_NONE, STR, STR_OR_NONE, TIME_OR_NONE, Field, plain_columns

__all__ = ["TRACE_COLUMNS", "atraces_table", "duration_ms", "trace_frame", "trace_rows_frame", "traces_table"]

_TRACE_SCHEMA: tuple[tuple[str, str], ...] = (
    ("trace_id", _STR),
    ("name", _STR),
    ("status", _STR),
    ("duration_ms", _FLOAT),
    ("start_time", _TIME),
    ("end_time", _TIME),
    ("total_spans", _INT),
    ("error_count", _INT),
    ("input", _STR),
    ("run_id", _STR),
    ("session_id", _STR),
    ("user_id", _STR),
    ("agent_id", _STR),
    ("team_id", _STR),
    ("workflow_id", _STR),
)
_IDS = ("run_id", "session_id", "user_id", "agent_id", "team_id", "workflow_id")
#: TraceSummary's fields as the table reads them (all but the id are optional, default None).
_TRACE_FIELDS: dict[str, Field] = {
    "trace_id": (STR, None),
    **{name: (STR_OR_NONE, None) for name in ("name", "status", "duration", "input", *_IDS)},
    "start_time": (TIME_OR_NONE, None),
    "end_time": (TIME_OR_NONE, None),
    "created_at": (TIME_OR_NONE, None),
    "total_spans": (INT_OR_NONE, None),
    "error_count": (INT_OR_NONE, None),
}
#: Columns of traces_table(), in order.
TRACE_COLUMNS: tuple[str, ...] = tuple(name for name, _ in _TRACE_SCHEMA)

_DURATION = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:e-?\d+)?)\s*(ns|us|µs|ms|s|m|min|h)?\s*$", re.IGNORECASE)
_TO_MS = {
    "ns": 1e-6,
    "us": 1e-3,
    "µs": 1e-3,
    "ms": 1.0,
    "s": 1000.0,
    "m": 60_000.0,
    "min": 60_000.0,
    "h": 3.6e6,
}


def duration_ms(text: str | float | None) -> float | None:
    """agno's duration text in milliseconds; None when it cannot be read."""
    if text is None:
        return None
    if isinstance(text, int | float):
        return float(text)
    match = _DURATION.match(text)
    if match is None:
        return None
    unit = (match.group(2) or "ms").lower()
    return float(match.group(1)) * _TO_MS[unit]


async def atraces_table(
    source: Any, *, limit: int | None = None, page_size: int = PAGE_SIZE, **filters: Any
) -> pd.DataFrame:
    """The traces of an agent's database (or a RemoteDb), following every page.

    ``filters`` as ``RemoteDb.get_traces`` takes them (session_id, user_id, agent_id, status, ...).
    """
    db = await adb_of(source)

    async def fetch(page: int, size: int) -> Any:
        # The page undecoded: trace_rows_frame() reads its rows as columns (see tables/_rows.py).
        return json_page(await db.get_traces_json(page=page, limit=size, **filters), "GET /traces")

    return trace_rows_frame(await all_pages(fetch, page_size=page_size, limit=limit))


def traces_table(
    source: Any, *, limit: int | None = None, page_size: int = PAGE_SIZE, **filters: Any
) -> pd.DataFrame:
    """Sync twin of atraces_table(): a DataFrame with ``TRACE_COLUMNS``.

    >>> traces_table(agent, session_id=out.session_id)[["name", "duration_ms", "total_spans"]]
    """
    return _sync.run_sync(atraces_table(db_of(source), limit=limit, page_size=page_size, **filters))


def trace_frame(traces: Iterable[TraceSummary]) -> pd.DataFrame:
    """The traces table of trace summaries already fetched (built a column at a time)."""
    rows = traces if isinstance(traces, list) else list(traces)
    return _columns_frame({name: [getattr(t, name) for t in rows] for name in _TRACE_FIELDS})


def trace_rows_frame(rows: list[Any]) -> pd.DataFrame:
    """The traces table of ``GET /traces`` rows as JSON: the frame ``trace_frame()`` makes of the
    same rows validated as TraceSummary, or the same ValidationError (see ``_rows``)."""
    cols = plain_columns(rows, _TRACE_FIELDS)
    if cols is None:
        return trace_frame([TraceSummary.model_validate(row) for row in rows])
    return _columns_frame(cols)


def _columns_frame(cols: dict[str, list[Any]]) -> pd.DataFrame:
    """The table of TraceSummary's fields as columns (durations as text, times as datetimes)."""
    durations = cols.pop("duration")
    # agno repeats a handful of duration texts; each distinct one is parsed once.
    parsed = {text: duration_ms(text) for text in set(durations)}
    cols["duration_ms"] = [parsed[text] for text in durations]
    for name in ("start_time", "end_time"):
        cols[name] = [utc_ns(t) for t in cols[name]]
    cols["input"] = clip_column(cols["input"], PREVIEW_CHARS)
    del cols["created_at"]  # validated like the rest, not a column of the table
    return _frame(_TRACE_SCHEMA, cols)
