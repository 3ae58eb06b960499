"""``metrics_table()`` (one row per day) and ``metrics_plot()`` (runs, tokens and users per day)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

import pandas as pd

from agentnb import _sync
from agentnb.agentos.db_models import DayMetrics
from agentnb.remote.db import db_of
from agentnb.tables._frame import _INT, _TIME, _columns, _frame
from agentnb.tables._pages import adb_of

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["METRICS_COLUMNS", "ametrics_table", "metrics_frame", "metrics_plot", "metrics_table"]

_METRICS_SCHEMA: tuple[tuple[str, str], ...] = (
    ("date", _TIME),
    ("agent_runs", _INT),
    ("agent_sessions", _INT),
    ("team_runs", _INT),
    ("team_sessions", _INT),
    ("workflow_runs", _INT),
    ("workflow_sessions", _INT),
    ("users", _INT),
    ("input_tokens", _INT),
    ("output_tokens", _INT),
    ("total_tokens", _INT),
)
#: Columns of metrics_table(), in order.
METRICS_COLUMNS: tuple[str, ...] = tuple(name for name, _ in _METRICS_SCHEMA)


def _tokens(day: DayMetrics, key: str) -> int | None:
    value = day.token_metrics.get(key)
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


async def ametrics_table(
    source: Any,
    starting_date: date | str | None = None,
    ending_date: date | str | None = None,
    *,
    refresh: bool = False,
) -> pd.DataFrame:
    """The daily metrics of an agent's database (or a RemoteDb), oldest day first.

    ``refresh=True`` asks the server to aggregate them again first (AgentOS aggregates lazily).
    """
    db = await adb_of(source)
    if refresh:
        await db.refresh_metrics()
    result = await db.get_metrics(starting_date, ending_date)
    return metrics_frame(result.metrics)


def metrics_table(
    source: Any,
    starting_date: date | str | None = None,
    ending_date: date | str | None = None,
    *,
    refresh: bool = False,
) -> pd.DataFrame:
    """Sync twin of ametrics_table(): a DataFrame with ``METRICS_COLUMNS``."""
    return _sync.run_sync(ametrics_table(db_of(source), starting_date, ending_date, refresh=refresh))


def metrics_frame(days: Iterable[DayMetrics]) -> pd.DataFrame:
    """The metrics table of days already fetched, sorted by date."""
    cols = _columns(_METRICS_SCHEMA)
    for d in sorted(days, key=lambda day: (day.date is None, day.date)):
        cols["date"].append(d.date)
        cols["agent_runs"].append(d.agent_runs_count)
        cols["agent_sessions"].append(d.agent_sessions_count)
        cols["team_runs"].append(d.team_runs_count)
        cols["team_sessions"].append(d.team_sessions_count)
        cols["workflow_runs"].append(d.workflow_runs_count)
        cols["workflow_sessions"].append(d.workflow_sessions_count)
        cols["users"].append(d.users_count)
        cols["input_tokens"].append(_tokens(d, "input_tokens"))
        cols["output_tokens"].append(_tokens(d, "output_tokens"))
        cols["total_tokens"].append(_tokens(d, "total_tokens"))
    return _frame(_METRICS_SCHEMA, cols)


def metrics_plot(metrics: pd.DataFrame, *, title: str = "AgentOS activity per day") -> Figure:
    """Runs, tokens and users per day, three stacked panels sharing the date axis.

    Takes ``metrics_table()``'s frame and returns the matplotlib figure (not shown, not saved:
    a notebook shows a returned figure; ``fig.savefig(...)`` writes it).

    >>> metrics_plot(metrics_table(agent, refresh=True))
    """
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 6), layout="constrained")
    runs_ax, tokens_ax, users_ax = figure.subplots(3, 1, sharex=True)
    days = metrics["date"].dt.tz_convert("UTC").dt.tz_localize(None) if len(metrics) else metrics["date"]
    runs = metrics[["agent_runs", "team_runs", "workflow_runs"]].fillna(0).astype("int64")
    width = 0.8
    bottom = None
    for column, label in (("agent_runs", "agents"), ("team_runs", "teams"), ("workflow_runs", "workflows")):
        values = runs[column].to_numpy()
        runs_ax.bar(days, values, width=width, bottom=bottom, label=label)
        bottom = values if bottom is None else bottom + values
    runs_ax.set_ylabel("runs")
    runs_ax.legend(loc="upper left", fontsize="small")
    tokens_ax.plot(days, metrics["input_tokens"].astype("float64"), marker="o", label="input")
    tokens_ax.plot(days, metrics["output_tokens"].astype("float64"), marker="o", label="output")
    tokens_ax.set_ylabel("tokens")
    tokens_ax.legend(loc="upper left", fontsize="small")
    users_ax.bar(days, metrics["users"].fillna(0).astype("int64").to_numpy(), width=width, color="tab:green")
    users_ax.set_ylabel("users")
    users_ax.set_xlabel("day (UTC)")
    figure.suptitle(title)
    figure.autofmt_xdate()
    return figure
