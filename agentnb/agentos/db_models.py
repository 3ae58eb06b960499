"""What an AgentOS database holds beyond sessions: memories, traces, evals and metrics.

Field names are agno's (``agno.os.routers.*.schemas``); every field a server might leave out is
optional and unknown keys are kept, so an older or newer AgentOS still decodes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, TypeVar

from pydantic import Field

from agentnb._model import WireModel
from agentnb.agentos.models import PageMeta

__all__ = [
    "DayMetrics",
    "EvalRun",
    "EvalRunPage",
    "MemoryPage",
    "MetricsRefresh",
    "MetricsRefreshStatus",
    "MetricsResult",
    "OptimizeMemoriesResult",
    "Page",
    "TraceDetail",
    "TraceDetailPage",
    "TraceFilterSchema",
    "TraceNode",
    "TracePage",
    "TraceSessionStats",
    "TraceSessionStatsPage",
    "TraceSummary",
    "UserMemory",
    "UserStats",
    "UserStatsPage",
]

T = TypeVar("T")


class Page(WireModel, Generic[T]):
    """One page of a listing: ``data`` and agno's pagination ``meta``."""

    data: list[T] = Field(default_factory=list)
    meta: PageMeta = Field(default_factory=PageMeta)


# --------------------------------------------------------------------------- memories


class UserMemory(WireModel):
    """One memory agno keeps about a user (``UserMemorySchema``)."""

    memory_id: str
    memory: str = ""
    topics: list[str] | None = None
    agent_id: str | None = None
    team_id: str | None = None
    user_id: str | None = None
    updated_at: datetime | None = None


class UserStats(WireModel):
    """How many memories a user has (``UserStatsSchema``)."""

    user_id: str
    total_memories: int = 0
    last_memory_updated_at: datetime | None = None


class OptimizeMemoriesResult(WireModel):
    """What ``optimize_memories`` did (``OptimizeMemoriesResponse``)."""

    memories: list[UserMemory] = Field(default_factory=list)
    memories_before: int | None = None
    memories_after: int | None = None
    tokens_before: int | None = None
    tokens_after: int | None = None
    tokens_saved: int | None = None
    reduction_percentage: float | None = None


class MemoryPage(Page[UserMemory]):
    pass


class UserStatsPage(Page[UserStats]):
    pass


# --------------------------------------------------------------------------- traces


class TraceSummary(WireModel):
    """One row of ``GET /traces``. ``duration`` is agno's text ("1.2s", "340ms")."""

    trace_id: str
    name: str | None = None
    status: str | None = None
    duration: str | None = None
    start_time: datetime | None = None
    end_time: datetime | None = None
    total_spans: int | None = None
    error_count: int | None = None
    input: str | None = None
    run_id: str | None = None
    session_id: str | None = None
    user_id: str | None = None
    agent_id: str | None = None
    team_id: str | None = None
    workflow_id: str | None = None
    created_at: datetime | None = None


class TraceNode(WireModel):
    """One span of a trace with its children (``spans``), as agno nests them."""

    id: str
    name: str | None = None
    type: str | None = None
    duration: str | None = None
    start_time: datetime | None = None
    end_time: datetime | None = None
    status: str | None = None
    input: str | None = None
    output: str | None = None
    error: str | None = None
    spans: list[TraceNode] | None = None
    step_type: str | None = None
    metadata: dict[str, Any] | None = None
    extra_data: dict[str, Any] | None = None

    def walk(self, depth: int = 0) -> list[tuple[int, TraceNode]]:
        """This span and every span below it, depth first, with their depth."""
        out = [(depth, self)]
        for child in self.spans or []:
            out.extend(child.walk(depth + 1))
        return out


class TraceDetail(TraceSummary):
    """``GET /traces/{id}``: a trace with its span tree."""

    output: str | None = None
    error: str | None = None
    tree: list[TraceNode] = Field(default_factory=list)

    def spans(self) -> list[tuple[int, TraceNode]]:
        """Every span of the tree, depth first, with its depth."""
        out: list[tuple[int, TraceNode]] = []
        for root in self.tree:
            out.extend(root.walk())
        return out


class TraceSessionStats(WireModel):
    """Traces per session (``GET /trace_session_stats``)."""

    session_id: str
    user_id: str | None = None
    agent_id: str | None = None
    team_id: str | None = None
    workflow_id: str | None = None
    total_traces: int = 0
    first_trace_at: datetime | None = None
    last_trace_at: datetime | None = None


class TraceFilterSchema(WireModel):
    """What ``search_traces`` can filter on (``GET /traces/filter-schema``): each field's key,
    label, type, operators and, for an enum, its values; and the operators joining clauses."""

    fields: list[dict[str, Any]] = Field(default_factory=list)
    logical_operators: list[str] = Field(default_factory=list)


class TracePage(Page[TraceSummary]):
    pass


class TraceDetailPage(Page[TraceDetail]):
    pass


class TraceSessionStatsPage(Page[TraceSessionStats]):
    pass


# --------------------------------------------------------------------------- evals


class EvalRun(WireModel):
    """A stored eval run (``EvalSchema``); ``eval_data`` holds its results as agno wrote them."""

    id: str
    agent_id: str | None = None
    model_id: str | None = None
    model_provider: str | None = None
    team_id: str | None = None
    workflow_id: str | None = None
    name: str | None = None
    evaluated_component_name: str | None = None
    user_id: str | None = None
    eval_type: str | None = None
    eval_data: dict[str, Any] = Field(default_factory=dict)
    eval_input: dict[str, Any] | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class EvalRunPage(Page[EvalRun]):
    pass


# --------------------------------------------------------------------------- metrics


class DayMetrics(WireModel):
    """One day of aggregated metrics (``DayAggregatedMetrics``)."""

    id: str | None = None
    agent_runs_count: int = 0
    agent_sessions_count: int = 0
    team_runs_count: int = 0
    team_sessions_count: int = 0
    workflow_runs_count: int = 0
    workflow_sessions_count: int = 0
    users_count: int = 0
    token_metrics: dict[str, Any] = Field(default_factory=dict)
    model_metrics: list[dict[str, Any]] = Field(default_factory=list)
    date: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class MetricsResult(WireModel):
    """``GET /metrics``: the days in range and when they were last aggregated."""

    metrics: list[DayMetrics] = Field(default_factory=list)
    updated_at: datetime | None = None


class MetricsRefresh(WireModel):
    """The answer to a background ``POST /metrics/refresh``."""

    status: str
    message: str | None = None


class MetricsRefreshStatus(WireModel):
    """``GET /metrics/refresh/status``: idle, running, completed or failed."""

    status: str
    started_at: datetime | None = None
    finished_at: datetime | None = None
    error: str | None = None
