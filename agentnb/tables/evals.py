"""``evals_table()``: the eval runs an AgentOS stored, with their headline results.

agno's ``eval_data`` differs per eval type; the table lifts the numbers people compare (average
run time, pass/fail, score) into columns and keeps the rest as clipped JSON.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from agentnb import _sync
from agentnb.agentos.db_models import EvalRun
from agentnb.remote.db import db_of
from agentnb.tables._frame import (
    _BOOL,
    _FLOAT,
    _STR,
    _TIME,
    CONTENT_CHARS,
    NAME_CHARS,
    _clip,
    _columns,
    _frame,
)
from agentnb.tables._pages import PAGE_SIZE, adb_of, all_pages

__all__ = ["EVAL_COLUMNS", "aevals_table", "eval_frame", "evals_table"]

_EVAL_SCHEMA: tuple[tuple[str, str], ...] = (
    ("id", _STR),
    ("name", _STR),
    ("eval_type", _STR),
    ("agent_id", _STR),
    ("team_id", _STR),
    ("model_id", _STR),
    ("model_provider", _STR),
    ("avg_run_time_s", _FLOAT),
    ("score", _FLOAT),
    ("passed", _BOOL),
    ("created_at", _TIME),
    ("updated_at", _TIME),
    ("eval_data", _STR),
)
#: Columns of evals_table(), in order.
EVAL_COLUMNS: tuple[str, ...] = tuple(name for name, _ in _EVAL_SCHEMA)


def _number(data: Mapping[str, Any], *keys: str) -> float | None:
    for key in keys:
        value = data.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    return None


def _passed(data: Mapping[str, Any]) -> bool | None:
    for key in ("passed", "eval_status"):
        value = data.get(key)
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.upper() in ("PASSED", "FAILED"):
            return value.upper() == "PASSED"
    # An agent-as-judge run has no verdict of its own, only the percentage of iterations that
    # passed: the run passed when every iteration did.
    rate = _number(data, "pass_rate")
    return None if rate is None else rate >= 100.0


async def aevals_table(
    source: Any, *, limit: int | None = None, page_size: int = PAGE_SIZE, **filters: Any
) -> pd.DataFrame:
    """The eval runs of an agent's database (or a RemoteDb), following every page."""
    db = await adb_of(source)

    async def fetch(page: int, size: int) -> Any:
        return await db.get_eval_runs(page=page, limit=size, **filters)

    return eval_frame(await all_pages(fetch, page_size=page_size, limit=limit))


def evals_table(
    source: Any, *, limit: int | None = None, page_size: int = PAGE_SIZE, **filters: Any
) -> pd.DataFrame:
    """Sync twin of aevals_table(): a DataFrame with ``EVAL_COLUMNS``."""
    return _sync.run_sync(aevals_table(db_of(source), limit=limit, page_size=page_size, **filters))


def eval_frame(runs: Iterable[EvalRun]) -> pd.DataFrame:
    """The evals table of eval runs already fetched."""
    cols = _columns(_EVAL_SCHEMA)
    for r in runs:
        data = r.eval_data or {}
        # Stored runs nest the figures under "result"; a fresh run's answer has them at the top.
        nested = data.get("result")
        figures: dict[str, Any] = nested if isinstance(nested, dict) else data
        cols["id"].append(r.id)
        cols["name"].append(_clip(r.name, NAME_CHARS))
        cols["eval_type"].append(r.eval_type)
        cols["agent_id"].append(r.agent_id)
        cols["team_id"].append(r.team_id)
        cols["model_id"].append(r.model_id)
        cols["model_provider"].append(r.model_provider)
        cols["avg_run_time_s"].append(_number(figures, "avg_run_time"))
        cols["score"].append(_number(figures, "avg_score", "score", "accuracy_score"))
        cols["passed"].append(_passed(figures))
        cols["created_at"].append(r.created_at)
        cols["updated_at"].append(r.updated_at)
        cols["eval_data"].append(_clip(data, CONTENT_CHARS) if data else None)
    return _frame(_EVAL_SCHEMA, cols)
