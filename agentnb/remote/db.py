"""RemoteDb: the live database behind an AgentOS agent — sessions, memories, traces, evals, metrics.

agno's ``RemoteDb`` method names (async), each bound to this database's id; every method has a
sync twin named ``<name>_sync`` for code outside an event loop. Filters not named in a signature
pass through to the AgentOSClient method of the same endpoint (``**filters``).

>>> db = agent.db
>>> page = await db.get_memories(user_id="ada")
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from agentnb import _sync
from agentnb.agentos.client import AgentOSClient
from agentnb.agentos.db_models import MemoryPage, OptimizeMemoriesResult, UserMemory, UserStatsPage
from agentnb.agentos.models import RunRecord, SessionDetail, SessionPage
from agentnb.errors import ConfigurationError
from agentnb.remote._db_records import RecordsMixin

__all__ = ["RemoteDb", "db_of"]


class RemoteDb(RecordsMixin):
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
        table: str | None = None,
        auth_token: str | None = None,
    ) -> SessionDetail:
        return await self.client.aget_session(
            session_id,
            session_type=session_type,
            user_id=user_id,
            table=table,
            db_id=self.id,
            auth_token=auth_token,
        )

    async def get_session_runs(
        self,
        session_id: str,
        *,
        session_type: str = "agent",
        user_id: str | None = None,
        created_after: int | None = None,
        created_before: int | None = None,
        status: Sequence[str] | None = None,
        table: str | None = None,
        auth_token: str | None = None,
    ) -> list[RunRecord]:
        return await self.client.aget_session_runs(
            session_id,
            session_type=session_type,
            user_id=user_id,
            created_after=created_after,
            created_before=created_before,
            status=status,
            table=table,
            db_id=self.id,
            auth_token=auth_token,
        )

    async def get_session_run(
        self,
        session_id: str,
        run_id: str,
        *,
        session_type: str | None = None,
        user_id: str | None = None,
        table: str | None = None,
        auth_token: str | None = None,
    ) -> RunRecord:
        return await self.client.aget_session_run(
            session_id,
            run_id,
            session_type=session_type,
            user_id=user_id,
            table=table,
            db_id=self.id,
            auth_token=auth_token,
        )

    async def create_session(self, *, auth_token: str | None = None, **fields: Any) -> SessionDetail:
        """A new session; fields as ``AgentOSClient.acreate_session`` takes them."""
        return await self.client.acreate_session(db_id=self.id, auth_token=auth_token, **fields)

    async def rename_session(
        self,
        session_id: str,
        session_name: str,
        *,
        session_type: str = "agent",
        user_id: str | None = None,
        table: str | None = None,
        auth_token: str | None = None,
    ) -> SessionDetail:
        return await self.client.arename_session(
            session_id,
            session_name,
            session_type=session_type,
            user_id=user_id,
            table=table,
            db_id=self.id,
            auth_token=auth_token,
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
        table: str | None = None,
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
            table=table,
            db_id=self.id,
            auth_token=auth_token,
        )

    async def delete_session(
        self,
        session_id: str,
        *,
        user_id: str | None = None,
        table: str | None = None,
        auth_token: str | None = None,
    ) -> None:
        await self.client.adelete_session(
            session_id, user_id=user_id, table=table, db_id=self.id, auth_token=auth_token
        )

    async def delete_sessions(
        self,
        session_ids: Sequence[str],
        session_types: Sequence[str] | None = None,
        *,
        user_id: str | None = None,
        table: str | None = None,
        auth_token: str | None = None,
    ) -> None:
        await self.client.adelete_sessions(
            session_ids, session_types, user_id=user_id, table=table, db_id=self.id, auth_token=auth_token
        )

    # -- memories ----------------------------------------------------------------------------

    async def create_memory(
        self,
        memory: str,
        topics: Sequence[str] | None,
        user_id: str,
        *,
        table: str | None = None,
        auth_token: str | None = None,
    ) -> UserMemory:
        return await self.client.acreate_memory(
            memory, user_id, topics, table=table, db_id=self.id, auth_token=auth_token
        )

    async def get_memory(
        self,
        memory_id: str,
        *,
        user_id: str | None = None,
        table: str | None = None,
        auth_token: str | None = None,
    ) -> UserMemory:
        return await self.client.aget_memory(
            memory_id, user_id=user_id, table=table, db_id=self.id, auth_token=auth_token
        )

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
        table: str | None = None,
        auth_token: str | None = None,
    ) -> UserMemory:
        return await self.client.aupdate_memory(
            memory_id, memory, user_id, topics, table=table, db_id=self.id, auth_token=auth_token
        )

    async def delete_memory(
        self,
        memory_id: str,
        *,
        user_id: str | None = None,
        table: str | None = None,
        auth_token: str | None = None,
    ) -> None:
        await self.client.adelete_memory(
            memory_id, user_id=user_id, table=table, db_id=self.id, auth_token=auth_token
        )

    async def delete_memories(
        self,
        memory_ids: Sequence[str],
        *,
        user_id: str | None = None,
        table: str | None = None,
        auth_token: str | None = None,
    ) -> None:
        await self.client.adelete_memories(
            memory_ids, user_id=user_id, table=table, db_id=self.id, auth_token=auth_token
        )

    async def get_memory_topics(
        self, *, user_id: str | None = None, table: str | None = None, auth_token: str | None = None
    ) -> list[str]:
        return await self.client.aget_memory_topics(
            user_id=user_id, table=table, db_id=self.id, auth_token=auth_token
        )

    async def get_user_memory_stats(
        self,
        *,
        user_id: str | None = None,
        limit: int = 20,
        page: int = 1,
        table: str | None = None,
        auth_token: str | None = None,
    ) -> UserStatsPage:
        return await self.client.aget_user_memory_stats(
            user_id=user_id, limit=limit, page=page, table=table, db_id=self.id, auth_token=auth_token
        )

    async def optimize_memories(
        self,
        user_id: str,
        *,
        model: str | None = None,
        apply: bool = True,
        table: str | None = None,
        auth_token: str | None = None,
    ) -> OptimizeMemoriesResult:
        return await self.client.aoptimize_memories(
            user_id, model=model, apply=apply, table=table, db_id=self.id, auth_token=auth_token
        )

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
