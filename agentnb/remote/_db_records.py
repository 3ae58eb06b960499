"""RemoteDb's traces, evals and metrics (and migrations): a mixin, so db.py stays one screenful.

Same rules as db.py: agno's method names (async), this database's id bound, ``table`` and the
filters agno's AgentOSClient takes passed on, a ``<name>_sync`` twin for each.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Literal

from agentnb import _sync
from agentnb.agentos.client import AgentOSClient
from agentnb.agentos.db_models import (
    DayMetrics,
    EvalRun,
    EvalRunPage,
    MetricsRefresh,
    MetricsRefreshStatus,
    MetricsResult,
    TraceDetail,
    TraceDetailPage,
    TraceFilterSchema,
    TraceNode,
    TracePage,
    TraceSessionStatsPage,
)
from agentnb.agentos.evals_routes import EvalType

__all__ = ["RecordsMixin"]


class RecordsMixin:
    """The traces, evals and metrics of RemoteDb (needs ``id`` and ``client``)."""

    id: str
    client: AgentOSClient

    # -- traces ------------------------------------------------------------------------------

    async def get_traces(self, *, auth_token: str | None = None, **filters: Any) -> TracePage:
        """One page of traces; filters (run_id, session_id, agent_id, status, start_time, ...) as
        ``AgentOSClient.aget_traces`` takes them."""
        return await self.client.aget_traces(db_id=self.id, auth_token=auth_token, **filters)

    async def get_traces_json(self, *, auth_token: str | None = None, **filters: Any) -> Any:
        """One page of traces as the server sent it (parsed JSON, no models), for a table that
        reads it column by column; the filters are ``get_traces``'."""
        return await self.client.aget_traces_json(db_id=self.id, auth_token=auth_token, **filters)

    async def get_trace(
        self,
        trace_id: str,
        *,
        span_id: str | None = None,
        run_id: str | None = None,
        auth_token: str | None = None,
    ) -> TraceDetail | TraceNode:
        return await self.client.aget_trace(
            trace_id, span_id=span_id, run_id=run_id, db_id=self.id, auth_token=auth_token
        )

    async def get_trace_session_stats(
        self, *, auth_token: str | None = None, **filters: Any
    ) -> TraceSessionStatsPage:
        return await self.client.aget_trace_session_stats(db_id=self.id, auth_token=auth_token, **filters)

    async def search_traces(
        self,
        filter_expr: Mapping[str, Any] | None = None,
        *,
        group_by: Literal["run", "session"] = "run",
        page: int = 1,
        limit: int = 20,
        auth_token: str | None = None,
    ) -> TraceDetailPage | TraceSessionStatsPage:
        return await self.client.asearch_traces(
            filter_expr, group_by=group_by, page=page, limit=limit, db_id=self.id, auth_token=auth_token
        )

    async def get_trace_filter_schema(self, *, auth_token: str | None = None) -> TraceFilterSchema:
        """What ``search_traces``' ``filter_expr`` may name (beyond agno; the server's own list)."""
        return await self.client.aget_trace_filter_schema(auth_token=auth_token)

    # -- evals -------------------------------------------------------------------------------

    async def get_eval_runs(self, *, auth_token: str | None = None, **filters: Any) -> EvalRunPage:
        return await self.client.alist_eval_runs(db_id=self.id, auth_token=auth_token, **filters)

    async def get_eval_run(
        self, eval_run_id: str, *, table: str | None = None, auth_token: str | None = None
    ) -> EvalRun:
        return await self.client.aget_eval_run(eval_run_id, table=table, db_id=self.id, auth_token=auth_token)

    async def create_eval_run(
        self, eval_type: EvalType, input_text: str, *, auth_token: str | None = None, **parameters: Any
    ) -> EvalRun | None:
        """Run an eval on the server; parameters (agent_id, criteria, model_id, ...) as
        ``AgentOSClient.arun_eval`` takes them."""
        return await self.client.arun_eval(
            eval_type, input_text, db_id=self.id, auth_token=auth_token, **parameters
        )

    async def update_eval_run(
        self, eval_run_id: str, name: str, *, table: str | None = None, auth_token: str | None = None
    ) -> EvalRun:
        return await self.client.aupdate_eval_run(
            eval_run_id, name, table=table, db_id=self.id, auth_token=auth_token
        )

    async def delete_eval_runs(
        self, eval_run_ids: Sequence[str], *, table: str | None = None, auth_token: str | None = None
    ) -> None:
        await self.client.adelete_eval_runs(eval_run_ids, table=table, db_id=self.id, auth_token=auth_token)

    # -- metrics -----------------------------------------------------------------------------

    async def get_metrics(
        self,
        starting_date: date | str | None = None,
        ending_date: date | str | None = None,
        *,
        table: str | None = None,
        auth_token: str | None = None,
    ) -> MetricsResult:
        return await self.client.aget_metrics(
            starting_date, ending_date, table=table, db_id=self.id, auth_token=auth_token
        )

    async def refresh_metrics(
        self, *, background: bool = False, table: str | None = None, auth_token: str | None = None
    ) -> list[DayMetrics] | MetricsRefresh:
        return await self.client.arefresh_metrics(
            background=background, table=table, db_id=self.id, auth_token=auth_token
        )

    async def get_metrics_refresh_status(
        self, *, table: str | None = None, auth_token: str | None = None
    ) -> MetricsRefreshStatus:
        return await self.client.aget_metrics_refresh_status(
            table=table, db_id=self.id, auth_token=auth_token
        )

    async def migrate_database(
        self, target_version: str | None = None, *, auth_token: str | None = None
    ) -> None:
        await self.client.amigrate_database(self.id, target_version, auth_token=auth_token)

    get_traces_sync = _sync.twin(get_traces)
    get_traces_json_sync = _sync.twin(get_traces_json)
    get_trace_sync = _sync.twin(get_trace)
    get_trace_session_stats_sync = _sync.twin(get_trace_session_stats)
    search_traces_sync = _sync.twin(search_traces)
    get_trace_filter_schema_sync = _sync.twin(get_trace_filter_schema)
    get_eval_runs_sync = _sync.twin(get_eval_runs)
    get_eval_run_sync = _sync.twin(get_eval_run)
    create_eval_run_sync = _sync.twin(create_eval_run)
    update_eval_run_sync = _sync.twin(update_eval_run)
    delete_eval_runs_sync = _sync.twin(delete_eval_runs)
    get_metrics_sync = _sync.twin(get_metrics)
    refresh_metrics_sync = _sync.twin(refresh_metrics)
    get_metrics_refresh_status_sync = _sync.twin(get_metrics_refresh_status)
    migrate_database_sync = _sync.twin(migrate_database)
