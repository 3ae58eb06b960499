"""RemoteDb: the live database behind an AgentOS agent — sessions, memories, traces, evals, metrics.

agno's ``RemoteDb`` method names (async), each bound to this database's id; every method has a
sync twin named ``<name>_sync`` for code outside an event loop. Filters not named in a signature
pass through to the AgentOSClient method of the same endpoint (``**filters``).

>>> db = agent.db
>>> page = await db.get_memories(user_id="ada")
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
    MemoryPage,
    MetricsRefresh,
    MetricsRefreshStatus,
    MetricsResult,
    OptimizeMemoriesResult,
    TraceDetail,
    TraceDetailPage,
    TraceNode,
    TracePage,
    TraceSessionStatsPage,
    UserMemory,
    UserStatsPage,
)
from agentnb.agentos.evals_routes import EvalType
from agentnb.agentos.models import RunRecord, SessionDetail, SessionPage
from agentnb.errors import ConfigurationError

__all__ = ["RemoteDb", "db_of"]


class RemoteDb:
    """A database an AgentOS serves, by id; cheap to make (no request until a method is called)."""

    def __init__(self, id: str, client: AgentOSClient, *, tables: Sequence[str] | None = None) -> None:
        self.id = id
        self.client = client
        self.tables = list(tables) if tables is not None else None

    def __repr__(self) -> str:
        return f"RemoteDb(id={self.id!r}, base_url={self.client.base_url!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RemoteDb) and (other.id, other.client) == (self.id, self.client)

    def __hash__(self) -> int:
        return hash((self.id, id(self.client)))

    # -- sessions ----------------------------------------------------------------------------

    async def get_sessions(self, *, auth_token: str | None = None, **filters: Any) -> SessionPage:
        """One page of sessions; filters as ``AgentOSClient.alist_sessions`` takes them."""
        return await self.client.alist_sessions(db_id=self.id, auth_token=auth_token, **filters)

    async def get_session(
        self,
        session_id: str,
        *,
        session_type: str = "agent",
        user_id: str | None = None,
        auth_token: str | None = None,
    ) -> SessionDetail:
        return await self.client.aget_session(
            session_id, session_type=session_type, user_id=user_id, db_id=self.id, auth_token=auth_token
        )

    async def get_session_runs(
        self,
        session_id: str,
        *,
        session_type: str = "agent",
        user_id: str | None = None,
        auth_token: str | None = None,
    ) -> list[RunRecord]:
        return await self.client.aget_session_runs(
            session_id, session_type=session_type, user_id=user_id, db_id=self.id, auth_token=auth_token
        )

    async def get_session_run(
        self, session_id: str, run_id: str, *, user_id: str | None = None, auth_token: str | None = None
    ) -> RunRecord:
        return await self.client.aget_session_run(
            session_id, run_id, user_id=user_id, db_id=self.id, auth_token=auth_token
        )

    async def create_session(self, *, auth_token: str | None = None, **fields: Any) -> SessionDetail:
        """A new session; fields as ``AgentOSClient.acreate_session`` takes them."""
        return await self.client.acreate_session(db_id=self.id, auth_token=auth_token, **fields)

    async def rename_session(
        self, session_id: str, session_name: str, *, user_id: str | None = None, auth_token: str | None = None
    ) -> SessionDetail:
        return await self.client.arename_session(
            session_id, session_name, user_id=user_id, db_id=self.id, auth_token=auth_token
        )

    async def update_session(
        self,
        session_id: str,
        *,
        session_name: str | None = None,
        session_state: Mapping[str, Any] | None = None,
        metadata: Mapping[str, Any] | None = None,
        summary: Mapping[str, Any] | None = None,
        session_type: str | None = None,
        user_id: str | None = None,
        auth_token: str | None = None,
    ) -> SessionDetail:
        return await self.client.aupdate_session(
            session_id,
            session_type=session_type,
            session_name=session_name,
            session_state=session_state,
            metadata=metadata,
            summary=summary,
            user_id=user_id,
            db_id=self.id,
            auth_token=auth_token,
        )

    async def delete_session(
        self, session_id: str, *, user_id: str | None = None, auth_token: str | None = None
    ) -> None:
        await self.client.adelete_session(session_id, user_id=user_id, db_id=self.id, auth_token=auth_token)

    async def delete_sessions(
        self,
        session_ids: Sequence[str],
        session_types: Sequence[str] | None = None,
        *,
        user_id: str | None = None,
        auth_token: str | None = None,
    ) -> None:
        await self.client.adelete_sessions(
            session_ids, session_types, user_id=user_id, db_id=self.id, auth_token=auth_token
        )

    # -- memories ----------------------------------------------------------------------------

    async def create_memory(
        self, memory: str, topics: Sequence[str] | None, user_id: str, *, auth_token: str | None = None
    ) -> UserMemory:
        return await self.client.acreate_memory(memory, user_id, topics, db_id=self.id, auth_token=auth_token)

    async def get_memory(
        self, memory_id: str, *, user_id: str | None = None, auth_token: str | None = None
    ) -> UserMemory:
        return await self.client.aget_memory(memory_id, user_id=user_id, db_id=self.id, auth_token=auth_token)

    async def get_memories(
        self, user_id: str | None = None, *, auth_token: str | None = None, **filters: Any
    ) -> MemoryPage:
        """One page of memories; filters (topics, search_content, agent_id, limit, page, ...) as
        ``AgentOSClient.alist_memories`` takes them."""
        return await self.client.alist_memories(user_id, db_id=self.id, auth_token=auth_token, **filters)

    async def get_memories_json(
        self, user_id: str | None = None, *, auth_token: str | None = None, **filters: Any
    ) -> Any:
        """One page of memories as the server sent it (parsed JSON, no models), for a table that
        reads it column by column; the query and filters are ``get_memories``'."""
        return await self.client.alist_memories_json(user_id, db_id=self.id, auth_token=auth_token, **filters)

    async def update_memory(
        self,
        memory_id: str,
        memory: str,
        user_id: str,
        topics: Sequence[str] | None = None,
        *,
        auth_token: str | None = None,
    ) -> UserMemory:
        return await self.client.aupdate_memory(
            memory_id, memory, user_id, topics, db_id=self.id, auth_token=auth_token
        )

    async def delete_memory(
        self, memory_id: str, *, user_id: str | None = None, auth_token: str | None = None
    ) -> None:
        await self.client.adelete_memory(memory_id, user_id=user_id, db_id=self.id, auth_token=auth_token)

    async def delete_memories(
        self, memory_ids: Sequence[str], *, user_id: str | None = None, auth_token: str | None = None
    ) -> None:
        await self.client.adelete_memories(memory_ids, user_id=user_id, db_id=self.id, auth_token=auth_token)

    async def get_memory_topics(
        self, *, user_id: str | None = None, auth_token: str | None = None
    ) -> list[str]:
        return await self.client.aget_memory_topics(user_id=user_id, db_id=self.id, auth_token=auth_token)

    async def get_user_memory_stats(
        self, *, user_id: str | None = None, limit: int = 20, page: int = 1, auth_token: str | None = None
    ) -> UserStatsPage:
        return await self.client.aget_user_memory_stats(
            user_id=user_id, limit=limit, page=page, db_id=self.id, auth_token=auth_token
        )

    async def optimize_memories(
        self, user_id: str, *, model: str | None = None, apply: bool = True, auth_token: str | None = None
    ) -> OptimizeMemoriesResult:
        return await self.client.aoptimize_memories(
            user_id, model=model, apply=apply, db_id=self.id, auth_token=auth_token
        )

    # -- traces ------------------------------------------------------------------------------

    async def get_traces(self, *, auth_token: str | None = None, **filters: Any) -> TracePage:
        """One page of traces; filters (run_id, session_id, agent_id, status, start_time, ...) as
        ``AgentOSClient.aget_traces`` takes them."""
        return await self.client.aget_traces(db_id=self.id, auth_token=auth_token, **filters)

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

    # -- evals -------------------------------------------------------------------------------

    async def get_eval_runs(self, *, auth_token: str | None = None, **filters: Any) -> EvalRunPage:
        return await self.client.alist_eval_runs(db_id=self.id, auth_token=auth_token, **filters)

    async def get_eval_run(self, eval_run_id: str, *, auth_token: str | None = None) -> EvalRun:
        return await self.client.aget_eval_run(eval_run_id, db_id=self.id, auth_token=auth_token)

    async def create_eval_run(
        self, eval_type: EvalType, input_text: str, *, auth_token: str | None = None, **parameters: Any
    ) -> EvalRun | None:
        """Run an eval on the server; parameters (agent_id, criteria, model_id, ...) as
        ``AgentOSClient.arun_eval`` takes them."""
        return await self.client.arun_eval(
            eval_type, input_text, db_id=self.id, auth_token=auth_token, **parameters
        )

    async def update_eval_run(self, eval_run_id: str, name: str, *, auth_token: str | None = None) -> EvalRun:
        return await self.client.aupdate_eval_run(eval_run_id, name, db_id=self.id, auth_token=auth_token)

    async def delete_eval_runs(self, eval_run_ids: Sequence[str], *, auth_token: str | None = None) -> None:
        await self.client.adelete_eval_runs(eval_run_ids, db_id=self.id, auth_token=auth_token)

    # -- metrics -----------------------------------------------------------------------------

    async def get_metrics(
        self,
        starting_date: date | str | None = None,
        ending_date: date | str | None = None,
        *,
        auth_token: str | None = None,
    ) -> MetricsResult:
        return await self.client.aget_metrics(
            starting_date, ending_date, db_id=self.id, auth_token=auth_token
        )

    async def refresh_metrics(
        self, *, background: bool = False, auth_token: str | None = None
    ) -> list[DayMetrics] | MetricsRefresh:
        return await self.client.arefresh_metrics(background=background, db_id=self.id, auth_token=auth_token)

    async def get_metrics_refresh_status(self, *, auth_token: str | None = None) -> MetricsRefreshStatus:
        return await self.client.aget_metrics_refresh_status(db_id=self.id, auth_token=auth_token)

    async def migrate_database(
        self, target_version: str | None = None, *, auth_token: str | None = None
    ) -> None:
        await self.client.amigrate_database(self.id, target_version, auth_token=auth_token)

    get_sessions_sync = _sync.twin(get_sessions)
    get_session_sync = _sync.twin(get_session)
    get_session_runs_sync = _sync.twin(get_session_runs)
    get_session_run_sync = _sync.twin(get_session_run)
    create_session_sync = _sync.twin(create_session)
    rename_session_sync = _sync.twin(rename_session)
    update_session_sync = _sync.twin(update_session)
    delete_session_sync = _sync.twin(delete_session)
    delete_sessions_sync = _sync.twin(delete_sessions)
    create_memory_sync = _sync.twin(create_memory)
    get_memory_sync = _sync.twin(get_memory)
    get_memories_sync = _sync.twin(get_memories)
    get_memories_json_sync = _sync.twin(get_memories_json)
    update_memory_sync = _sync.twin(update_memory)
    delete_memory_sync = _sync.twin(delete_memory)
    delete_memories_sync = _sync.twin(delete_memories)
    get_memory_topics_sync = _sync.twin(get_memory_topics)
    get_user_memory_stats_sync = _sync.twin(get_user_memory_stats)
    optimize_memories_sync = _sync.twin(optimize_memories)
    get_traces_sync = _sync.twin(get_traces)
    get_trace_sync = _sync.twin(get_trace)
    get_trace_session_stats_sync = _sync.twin(get_trace_session_stats)
    search_traces_sync = _sync.twin(search_traces)
    get_eval_runs_sync = _sync.twin(get_eval_runs)
    get_eval_run_sync = _sync.twin(get_eval_run)
    create_eval_run_sync = _sync.twin(create_eval_run)
    update_eval_run_sync = _sync.twin(update_eval_run)
    delete_eval_runs_sync = _sync.twin(delete_eval_runs)
    get_metrics_sync = _sync.twin(get_metrics)
    refresh_metrics_sync = _sync.twin(refresh_metrics)
    get_metrics_refresh_status_sync = _sync.twin(get_metrics_refresh_status)
    migrate_database_sync = _sync.twin(migrate_database)


def db_of(source: Any, *, hint: str = "") -> RemoteDb:
    """``source`` itself when it is a RemoteDb, else its ``db`` (an AgentOS agent's).

    ``hint`` ends the error for a source without one (an A2A agent, or an agent with no database).
    """
    if isinstance(source, RemoteDb):
        return source
    db = getattr(source, "db", None)
    if isinstance(db, RemoteDb):
        return db
    raise ConfigurationError(
        f"{source!r} has no database to read (an A2A agent, or an AgentOS agent without a db); "
        f"pass a RemoteDb or an AgentOS agent with one{hint}"
    )
