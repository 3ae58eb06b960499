"""AgentOS traces (``/traces``, ``/traces/{id}``, ``/trace_session_stats``, ``/traces/search``).

AgentOS serves these when it runs with ``tracing=True``; an older server answers 404 for the
route, raised as EndpointNotServedError naming it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

from agentnb import _sync
from agentnb.agentos._routes import Routes, one
from agentnb.agentos.db_models import (
    TraceDetail,
    TraceDetailPage,
    TraceFilterSchema,
    TraceNode,
    TracePage,
    TraceSessionStatsPage,
)

__all__ = ["TracesRoutes"]


def _iso(value: datetime | str | None) -> str | None:
    return value.isoformat() if isinstance(value, datetime) else value


class TracesRoutes(Routes):
    """The trace endpoints of AgentOSClient."""

    async def aget_traces(
        self,
        *,
        run_id: str | None = None,
        session_id: str | None = None,
        user_id: str | None = None,
        agent_id: str | None = None,
        team_id: str | None = None,
        workflow_id: str | None = None,
        status: str | None = None,
        start_time: datetime | str | None = None,
        end_time: datetime | str | None = None,
        page: int = 1,
        limit: int = 20,
        db_id: str | None = None,
        auth_token: str | None = None,
    ) -> TracePage:
        data = await self.aget_traces_json(
            run_id=run_id,
            session_id=session_id,
            user_id=user_id,
            agent_id=agent_id,
            team_id=team_id,
            workflow_id=workflow_id,
            status=status,
            start_time=start_time,
            end_time=end_time,
            page=page,
            limit=limit,
            db_id=db_id,
            auth_token=auth_token,
        )
        return one(TracePage, data, "GET /traces")

    async def aget_traces_json(
        self,
        *,
        run_id: str | None = None,
        session_id: str | None = None,
        user_id: str | None = None,
        agent_id: str | None = None,
        team_id: str | None = None,
        workflow_id: str | None = None,
        status: str | None = None,
        start_time: datetime | str | None = None,
        end_time: datetime | str | None = None,
        page: int = 1,
        limit: int = 20,
        db_id: str | None = None,
        auth_token: str | None = None,
    ) -> Any:
        """``aget_traces``' page as the server sent it (parsed JSON, no models): for a table of
        thousands of rows, which reads the page column by column."""
        params = {
            "run_id": run_id,
            "session_id": session_id,
            "user_id": user_id,
            "agent_id": agent_id,
            "team_id": team_id,
            "workflow_id": workflow_id,
            "status": status,
            "start_time": _iso(start_time),
            "end_time": _iso(end_time),
            "page": page,
            "limit": limit,
            "db_id": db_id,
        }
        return await self._call(
            "GET", "/traces", endpoint="GET /traces", params=params, auth_token=auth_token
        )

    async def aget_trace(
        self,
        trace_id: str,
        *,
        span_id: str | None = None,
        run_id: str | None = None,
        db_id: str | None = None,
        auth_token: str | None = None,
    ) -> TraceDetail | TraceNode:
        """The trace with its span tree; with ``span_id``, that one span."""
        data = await self._call(
            "GET",
            f"/traces/{trace_id}",
            endpoint="GET /traces/{trace_id}",
            what=f"trace {trace_id!r}",
            params={"span_id": span_id, "run_id": run_id, "db_id": db_id},
            auth_token=auth_token,
        )
        if span_id is not None:
            return one(TraceNode, data, f"GET /traces/{trace_id}?span_id={span_id}")
        return one(TraceDetail, data, f"GET /traces/{trace_id}")

    async def aget_trace_session_stats(
        self,
        *,
        user_id: str | None = None,
        agent_id: str | None = None,
        team_id: str | None = None,
        workflow_id: str | None = None,
        start_time: datetime | str | None = None,
        end_time: datetime | str | None = None,
        page: int = 1,
        limit: int = 20,
        db_id: str | None = None,
        auth_token: str | None = None,
    ) -> TraceSessionStatsPage:
        params = {
            "user_id": user_id,
            "agent_id": agent_id,
            "team_id": team_id,
            "workflow_id": workflow_id,
            "start_time": _iso(start_time),
            "end_time": _iso(end_time),
            "page": page,
            "limit": limit,
            "db_id": db_id,
        }
        data = await self._call(
            "GET",
            "/trace_session_stats",
            endpoint="GET /trace_session_stats",
            params=params,
            auth_token=auth_token,
        )
        return one(TraceSessionStatsPage, data, "GET /trace_session_stats")

    async def asearch_traces(
        self,
        filter_expr: Mapping[str, Any] | None = None,
        *,
        group_by: Literal["run", "session"] = "run",
        page: int = 1,
        limit: int = 20,
        db_id: str | None = None,
        auth_token: str | None = None,
    ) -> TraceDetailPage | TraceSessionStatsPage:
        """Traces matching agno's filter DSL, e.g. ``{"op": "EQ", "key": "status", "value": "OK"}``.

        ``group_by="session"`` answers per-session statistics instead of traces.
        """
        body = {
            "filter": dict(filter_expr) if filter_expr is not None else None,
            "group_by": group_by,
            "page": page,
            "limit": limit,
        }
        data = await self._call(
            "POST",
            "/traces/search",
            endpoint="POST /traces/search",
            params={"db_id": db_id},
            json=body,
            auth_token=auth_token,
        )
        if group_by == "session":
            return one(TraceSessionStatsPage, data, "POST /traces/search")
        return one(TraceDetailPage, data, "POST /traces/search")

    async def aget_trace_filter_schema(self, *, auth_token: str | None = None) -> TraceFilterSchema:
        """The fields, operators and values ``asearch_traces``' ``filter_expr`` may use."""
        data = await self._call(
            "GET", "/traces/filter-schema", endpoint="GET /traces/filter-schema", auth_token=auth_token
        )
        return one(TraceFilterSchema, data, "GET /traces/filter-schema")

    get_traces = _sync.twin(aget_traces)
    get_traces_json = _sync.twin(aget_traces_json)
    get_trace = _sync.twin(aget_trace)
    get_trace_session_stats = _sync.twin(aget_trace_session_stats)
    search_traces = _sync.twin(asearch_traces)
    get_trace_filter_schema = _sync.twin(aget_trace_filter_schema)
