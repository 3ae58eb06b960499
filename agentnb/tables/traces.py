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
from agentnb.tables._frame import _FLOAT, _INT, _STR, _TIME, PREVIEW_CHARS, _clip, _columns, _frame
from agentnb.tables._pages import PAGE_SIZE, adb_of, all_pages, utc_ns

__all__ = ["TRACE_COLUMNS", "atraces_table", "duration_ms", "trace_frame", "traces_table"]

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
        return await db.get_traces(page=page, limit=size, **filters)

    return trace_frame(await all_pages(fetch, page_size=page_size, limit=limit))


def traces_table(
    source: Any, *, limit: int | None = None, page_size: int = PAGE_SIZE, **filters: Any
) -> pd.DataFrame:
    """Sync twin of atraces_table(): a DataFrame with ``TRACE_COLUMNS``.

    >>> traces_table(agent, session_id=out.session_id)[["name", "duration_ms", "total_spans"]]
    """
    return _sync.run_sync(atraces_table(db_of(source), limit=limit, page_size=page_size, **filters))


def trace_frame(traces: Iterable[TraceSummary]) -> pd.DataFrame:
    """The traces table of trace summaries already fetched."""
    cols = _columns(_TRACE_SCHEMA)
    for t in traces:
        cols["trace_id"].append(t.trace_id)
        cols["name"].append(t.name)
        cols["status"].append(t.status)
        cols["duration_ms"].append(duration_ms(t.duration))
        cols["start_time"].append(utc_ns(t.start_time))
        cols["end_time"].append(utc_ns(t.end_time))
        cols["total_spans"].append(t.total_spans)
        cols["error_count"].append(t.error_count)
        cols["input"].append(_clip(t.input, PREVIEW_CHARS))
        cols["run_id"].append(t.run_id)
        cols["session_id"].append(t.session_id)
        cols["user_id"].append(t.user_id)
        cols["agent_id"].append(t.agent_id)
        cols["team_id"].append(t.team_id)
        cols["workflow_id"].append(t.workflow_id)
    return _frame(_TRACE_SCHEMA, cols)
