"""The AgentOS history tables: ``sessions_table()`` and ``runs_table()`` (with their async twins).

Also the readers of agno's metrics, whose shape changed across agno versions (lists of numbers in
older agno, a ``details.model`` list in agno 3).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping
from typing import Any, Protocol

import pandas as pd

from agentnb import _sync
from agentnb.agentos.models import RunRecord, SessionPage, SessionSummary
from agentnb.tables._frame import (
    _FLOAT,
    _INT,
    _STR,
    _TIME,
    CONTENT_CHARS,
    NAME_CHARS,
    _clip,
    _columns,
    _frame,
    clip_column,
)
from agentnb.tables._pages import utc_ns
from agentnb.tables._rows import (
    INT_OR_NONE,
    STR,
    STR_OR_NONE,
    TIME_OR_NONE,
    Field,
    epoch_ns,
    iso_ns,
    iso_times,
    plain_columns,
)

_SESSION_SCHEMA: tuple[tuple[str, str], ...] = (
    ("session_id", _STR),
    ("session_name", _STR),
    ("agent_id", _STR),
    ("user_id", _STR),
    ("created_at", _TIME),
    ("updated_at", _TIME),
    ("total_tokens", _INT),
    ("input_tokens", _INT),
    ("output_tokens", _INT),
    ("session_type", _STR),
)
_RUN_SCHEMA: tuple[tuple[str, str], ...] = (
    ("run_id", _STR),
    ("status", _STR),
    ("created_at", _TIME),
    ("content", _STR),
    ("input_tokens", _INT),
    ("output_tokens", _INT),
    ("total_tokens", _INT),
    ("duration_s", _FLOAT),
    ("time_to_first_token_s", _FLOAT),
    ("model", _STR),
    ("tool_calls", _INT),
)

#: SessionSummary's fields as the table reads them from JSON (times apart), with the model's defaults.
_SESSION_FIELDS: dict[str, Field] = {
    "session_id": (STR, None),
    "session_name": (STR_OR_NONE, None),
    "agent_id": (STR_OR_NONE, None),
    "user_id": (STR_OR_NONE, None),
    "total_tokens": (INT_OR_NONE, None),
    "session_type": (STR_OR_NONE, None),
}
#: Columns of sessions_table(), in order.
SESSION_COLUMNS: tuple[str, ...] = tuple(name for name, _ in _SESSION_SCHEMA)
#: Columns of runs_table(), in order.
RUN_COLUMNS: tuple[str, ...] = tuple(name for name, _ in _RUN_SCHEMA)


# --------------------------------------------------------------------------- what the tables read


class _SessionSource(Protocol):
    def aiter_sessions(
        self, *, user_id: str | None = ..., page_size: int = ..., max_items: int | None = ...
    ) -> AsyncIterator[SessionSummary]: ...


class _RunSource(Protocol):
    async def aget_session_runs(self, session_id: str, *, user_id: str | None = ...) -> list[RunRecord]: ...


# --------------------------------------------------------------------------- sessions


async def asessions_table(
    agent: _SessionSource,
    *,
    user_id: str | None = None,
    limit: int | None = None,
    page_size: int = 100,
) -> pd.DataFrame:
    """The agent's sessions, following every page the server has (at most ``limit`` rows).

    >>> df = await asessions_table(agent, user_id="alice")
    """
    cols = _columns(_SESSION_SCHEMA)
    pages = getattr(agent, "aiter_session_rows", None)
    if pages is not None:
        # Each page's rows read as JSON (see ``session_row_columns``), a page at a time.
        async for rows in pages(user_id=user_id, page_size=page_size, max_items=limit):
            _extend(cols, _session_row_cells(rows))
        return _frame(_SESSION_SCHEMA, _times_parsed(cols))
    # Each page's models become column cells as soon as they arrive, so they die young: holding
    # 10,000 models (and their dicts) until the end made the collector walk them all, again and
    # again, about a third of the table's time in one profile (benchmarks/bench_tables.py).
    batch: list[SessionSummary] = []
    async for session in agent.aiter_sessions(user_id=user_id, page_size=page_size, max_items=limit):
        batch.append(session)
        if len(batch) >= page_size:
            _extend(cols, _session_columns(batch))
            batch = []
    _extend(cols, _session_columns(batch))
    return _frame(_SESSION_SCHEMA, cols)


def sessions_table(
    agent: _SessionSource,
    *,
    user_id: str | None = None,
    limit: int | None = None,
    page_size: int = 100,
) -> pd.DataFrame:
    """Sync twin of asessions_table(): a DataFrame with ``SESSION_COLUMNS``.

    >>> sessions_table(agent).sort_values("updated_at", ascending=False)
    """
    return _sync.run_sync(asessions_table(agent, user_id=user_id, limit=limit, page_size=page_size))


def session_frame(sessions: Iterable[SessionSummary]) -> pd.DataFrame:
    """The sessions table of sessions already fetched.

    Built a column at a time; times go in as integer nanoseconds, which pandas converts in one
    vectorised step (aware datetimes it parses one by one).
    """
    rows = sessions if isinstance(sessions, list) else list(sessions)
    return _frame(_SESSION_SCHEMA, _session_columns(rows))


def _session_columns(rows: list[SessionSummary]) -> dict[str, list[Any]]:
    metrics = [s.metrics or {} for s in rows]
    extras = [s.model_extra or {} for s in rows]
    cols: dict[str, list[Any]] = {
        "session_id": [s.session_id for s in rows],
        "session_name": clip_column([s.session_name for s in rows], NAME_CHARS),
        # A team's or workflow's session names its owner as team_id / workflow_id.
        "agent_id": [
            s.agent_id or e.get("team_id") or e.get("workflow_id") for s, e in zip(rows, extras, strict=True)
        ],
        "user_id": [s.user_id for s in rows],
        "created_at": [utc_ns(s.created_at) for s in rows],
        "updated_at": [utc_ns(s.updated_at) for s in rows],
        "total_tokens": [
            s.total_tokens if s.total_tokens is not None else _int(m.get("total_tokens"))
            for s, m in zip(rows, metrics, strict=True)
        ],
        "input_tokens": [_int(m.get("input_tokens")) for m in metrics],
        "output_tokens": [_int(m.get("output_tokens")) for m in metrics],
        "session_type": [s.session_type for s in rows],
    }
    return cols


def session_row_columns(rows: list[Any]) -> dict[str, list[Any]]:
    """The columns of ``GET /sessions`` rows (times as nanoseconds): see ``_session_row_cells``."""
    return _times_parsed(_session_row_cells(rows))


def _times_parsed(cols: dict[str, list[Any]]) -> dict[str, list[Any]]:
    for name in ("created_at", "updated_at"):
        cols[name] = iso_ns(cols[name])
    return cols


def _session_row_cells(rows: list[Any]) -> dict[str, list[Any]]:
    """The columns ``_session_columns`` makes of ``GET /sessions`` rows validated as
    SessionSummary models, read from their JSON instead (validating 10,000 models cost more than
    the rest of the table); any row the checks are unsure of sends the page through the models,
    so the columns, or the ValidationError, are theirs."""
    cols = plain_columns(rows, _SESSION_FIELDS)
    if cols is None or not _dicts_or_none(rows, "metrics", "session_state"):
        return _validated_columns(rows)
    for name in ("created_at", "updated_at"):
        column = [row.get(name) for row in rows]
        # ISO strings stay strings here: the table parses them all in one call (``iso_ns``).
        times = column if iso_times(column) else epoch_ns(column)
        if times is None:
            parsed = plain_columns(rows, {name: (TIME_OR_NONE, None)})
            if parsed is None:
                return _validated_columns(rows)
            times = [utc_ns(t) for t in parsed[name]]
        cols[name] = times
    metrics = [row.get("metrics") or {} for row in rows]
    cols["session_name"] = clip_column(cols["session_name"], NAME_CHARS)
    # A team's or workflow's session names its owner as team_id / workflow_id.
    owners = zip(cols["agent_id"], rows, strict=True)
    cols["agent_id"] = [a or row.get("team_id") or row.get("workflow_id") for a, row in owners]
    tokens = zip(cols["total_tokens"], metrics, strict=True)
    cols["total_tokens"] = [t if t is not None else _int(m.get("total_tokens")) for t, m in tokens]
    cols["input_tokens"] = [_int(m.get("input_tokens")) for m in metrics]
    cols["output_tokens"] = [_int(m.get("output_tokens")) for m in metrics]
    return {name: cols[name] for name in SESSION_COLUMNS}


def _validated_columns(rows: list[Any]) -> dict[str, list[Any]]:
    """The page through the models, as the typed listing reads it (or its ValidationError)."""
    return _session_columns(SessionPage.from_wire({"data": rows}).data)


def _dicts_or_none(rows: list[Any], *names: str) -> bool:
    return not {type(row.get(name)) for row in rows for name in names} - {dict, type(None)}


def _extend(cols: dict[str, list[Any]], more: dict[str, list[Any]]) -> None:
    for name, values in more.items():
        cols[name].extend(values)


# --------------------------------------------------------------------------- runs


async def aruns_table(agent: _RunSource, session_id: str, *, user_id: str | None = None) -> pd.DataFrame:
    """The stored runs of one session, with tokens, timings, model and tool-call count.

    >>> df = await aruns_table(agent, "session-1")
    """
    return run_frame(await agent.aget_session_runs(session_id, user_id=user_id))


def runs_table(agent: _RunSource, session_id: str, *, user_id: str | None = None) -> pd.DataFrame:
    """Sync twin of aruns_table(): a DataFrame with ``RUN_COLUMNS``.

    >>> runs_table(agent, "session-1")[["status", "total_tokens", "duration_s"]]
    """
    return _sync.run_sync(aruns_table(agent, session_id, user_id=user_id))


def run_frame(runs: Iterable[RunRecord]) -> pd.DataFrame:
    """The runs table of runs already fetched."""
    cols = _columns(_RUN_SCHEMA)
    for run in runs:
        metrics = run.metrics or {}
        content = run.content
        cols["run_id"].append(run.run_id)
        cols["status"].append(run.status.value if run.status is not None else None)
        cols["created_at"].append(run.created_at)
        cols["content"].append(_clip(content, CONTENT_CHARS))
        cols["input_tokens"].append(_int(metrics.get("input_tokens")))
        cols["output_tokens"].append(_int(metrics.get("output_tokens")))
        cols["total_tokens"].append(_int(metrics.get("total_tokens")))
        # agno 2+/3 says "duration"; older agno said "time".
        cols["duration_s"].append(_float(metrics.get("duration", metrics.get("time"))))
        cols["time_to_first_token_s"].append(_first_float(metrics.get("time_to_first_token")))
        cols["model"].append(_model_of(run, metrics))
        cols["tool_calls"].append(len(run.tools or []))
    return _frame(_RUN_SCHEMA, cols)


# --------------------------------------------------------------------------- agno's metrics


def _int(value: Any) -> int | None:
    """A token count: an int, an integral float, or a list of them (older agno sends lists)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, list):
        parts = [_int(v) for v in value]
        known = [p for p in parts if p is not None]
        return sum(known) if known else None
    return None


def _float(value: Any) -> float | None:
    """Seconds: a number, or a list of numbers (older agno sends one per model call)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, list):
        known = [f for f in (_float(v) for v in value) if f is not None]
        return sum(known) if known else None
    return None


def _first_float(value: Any) -> float | None:
    if isinstance(value, list):
        return next((f for f in (_float(v) for v in value) if f is not None), None)
    return _float(value)


def _model_of(run: RunRecord, metrics: Mapping[str, Any]) -> str | None:
    """The model id(s) from ``metrics.details.model[*].id`` (agno 3), else a top-level ``model``."""
    details = metrics.get("details")
    entries = details.get("model") if isinstance(details, dict) else None
    ids: list[str] = []
    for entry in entries if isinstance(entries, list) else []:
        model_id = entry.get("id") if isinstance(entry, dict) else None
        if isinstance(model_id, str) and model_id and model_id not in ids:
            ids.append(model_id)
    if ids:
        return _clip(", ".join(ids), NAME_CHARS)
    extra = (run.model_extra or {}).get("model")
    return _clip(extra, NAME_CHARS) if isinstance(extra, str) and extra else None
