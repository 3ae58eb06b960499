"""AgentOS memories (``/memories``, ``/memory_topics``, ``/user_memory_stats``, ``/optimize-memories``).

Names and parameters follow agno's ``AgentOSClient``; ``a``-named coroutines with sync twins.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from agentnb import _sync
from agentnb.agentos._routes import Routes, db_params, one
from agentnb.agentos.db_models import MemoryPage, OptimizeMemoriesResult, UserMemory, UserStatsPage
from agentnb.errors import ProtocolError

__all__ = ["MemoryRoutes"]


class MemoryRoutes(Routes):
    """The memory endpoints of AgentOSClient."""

    async def acreate_memory(
        self,
        memory: str,
        user_id: str,
        topics: Sequence[str] | None = None,
        *,
        db_id: str | None = None,
        table: str | None = None,
        auth_token: str | None = None,
    ) -> UserMemory:
        body = {"memory": memory, "user_id": user_id, "topics": list(topics) if topics is not None else None}
        data = await self._call(
            "POST",
            "/memories",
            endpoint="POST /memories",
            params=db_params(db_id, table),
            json={k: v for k, v in body.items() if v is not None},
            auth_token=auth_token,
        )
        return one(UserMemory, data, "POST /memories")

    async def aget_memory(
        self,
        memory_id: str,
        *,
        user_id: str | None = None,
        db_id: str | None = None,
        table: str | None = None,
        auth_token: str | None = None,
    ) -> UserMemory:
        data = await self._call(
            "GET",
            f"/memories/{memory_id}",
            endpoint="GET /memories/{memory_id}",
            what=f"memory {memory_id!r}",
            params=db_params(db_id, table, user_id=user_id),
            auth_token=auth_token,
        )
        return one(UserMemory, data, f"GET /memories/{memory_id}")

    async def alist_memories(
        self,
        user_id: str | None = None,
        *,
        agent_id: str | None = None,
        team_id: str | None = None,
        topics: Sequence[str] | None = None,
        search_content: str | None = None,
        limit: int = 20,
        page: int = 1,
        sort_by: str = "updated_at",
        sort_order: str = "desc",
        db_id: str | None = None,
        table: str | None = None,
        auth_token: str | None = None,
    ) -> MemoryPage:
        data = await self.alist_memories_json(
            user_id,
            agent_id=agent_id,
            team_id=team_id,
            topics=topics,
            search_content=search_content,
            limit=limit,
            page=page,
            sort_by=sort_by,
            sort_order=sort_order,
            db_id=db_id,
            table=table,
            auth_token=auth_token,
        )
        return one(MemoryPage, data, "GET /memories")

    async def alist_memories_json(
        self,
        user_id: str | None = None,
        *,
        agent_id: str | None = None,
        team_id: str | None = None,
        topics: Sequence[str] | None = None,
        search_content: str | None = None,
        limit: int = 20,
        page: int = 1,
        sort_by: str = "updated_at",
        sort_order: str = "desc",
        db_id: str | None = None,
        table: str | None = None,
        auth_token: str | None = None,
    ) -> Any:
        """``alist_memories``' page as the server sent it (parsed JSON, no models): for a table of
        thousands of rows, which reads the page column by column."""
        params = db_params(
            db_id,
            table,
            user_id=user_id,
            agent_id=agent_id,
            team_id=team_id,
            # agno's route reads repeated ``topics`` query parameters.
            topics=list(topics) if topics else None,
            search_content=search_content,
            limit=limit,
            page=page,
            sort_by=sort_by,
            sort_order=sort_order,
        )
        return await self._call(
            "GET", "/memories", endpoint="GET /memories", params=params, auth_token=auth_token
        )

    async def aupdate_memory(
        self,
        memory_id: str,
        memory: str,
        user_id: str,
        topics: Sequence[str] | None = None,
        *,
        db_id: str | None = None,
        table: str | None = None,
        auth_token: str | None = None,
    ) -> UserMemory:
        body = {"memory": memory, "user_id": user_id, "topics": list(topics) if topics is not None else None}
        data = await self._call(
            "PATCH",
            f"/memories/{memory_id}",
            endpoint="PATCH /memories/{memory_id}",
            what=f"memory {memory_id!r}",
            params=db_params(db_id, table),
            json={k: v for k, v in body.items() if v is not None},
            auth_token=auth_token,
        )
        return one(UserMemory, data, f"PATCH /memories/{memory_id}")

    async def adelete_memory(
        self,
        memory_id: str,
        *,
        user_id: str | None = None,
        db_id: str | None = None,
        table: str | None = None,
        auth_token: str | None = None,
    ) -> None:
        await self._call(
            "DELETE",
            f"/memories/{memory_id}",
            endpoint="DELETE /memories/{memory_id}",
            what=f"memory {memory_id!r}",
            params=db_params(db_id, table, user_id=user_id),
            auth_token=auth_token,
        )

    async def adelete_memories(
        self,
        memory_ids: Sequence[str],
        *,
        user_id: str | None = None,
        db_id: str | None = None,
        table: str | None = None,
        auth_token: str | None = None,
    ) -> None:
        body: dict[str, object] = {"memory_ids": list(memory_ids)}
        if user_id is not None:
            body["user_id"] = user_id
        await self._call(
            "DELETE",
            "/memories",
            endpoint="DELETE /memories",
            params=db_params(db_id, table),
            json=body,
            auth_token=auth_token,
        )

    async def aget_memory_topics(
        self,
        *,
        user_id: str | None = None,
        db_id: str | None = None,
        table: str | None = None,
        auth_token: str | None = None,
    ) -> list[str]:
        data = await self._call(
            "GET",
            "/memory_topics",
            endpoint="GET /memory_topics",
            params=db_params(db_id, table, user_id=user_id),
            auth_token=auth_token,
        )
        if not isinstance(data, list):
            raise ProtocolError(f"GET /memory_topics: expected a JSON array, got {type(data).__name__}")
        return [str(topic) for topic in data]

    async def aget_user_memory_stats(
        self,
        *,
        user_id: str | None = None,
        limit: int = 20,
        page: int = 1,
        db_id: str | None = None,
        table: str | None = None,
        auth_token: str | None = None,
    ) -> UserStatsPage:
        data = await self._call(
            "GET",
            "/user_memory_stats",
            endpoint="GET /user_memory_stats",
            params=db_params(db_id, table, user_id=user_id, limit=limit, page=page),
            auth_token=auth_token,
        )
        return one(UserStatsPage, data, "GET /user_memory_stats")

    async def aoptimize_memories(
        self,
        user_id: str,
        *,
        model: str | None = None,
        apply: bool = True,
        db_id: str | None = None,
        table: str | None = None,
        auth_token: str | None = None,
    ) -> OptimizeMemoriesResult:
        body: dict[str, object] = {"user_id": user_id, "apply": apply}
        if model is not None:
            body["model"] = model
        data = await self._call(
            "POST",
            "/optimize-memories",
            endpoint="POST /optimize-memories",
            params=db_params(db_id, table),
            json=body,
            auth_token=auth_token,
        )
        return one(OptimizeMemoriesResult, data, "POST /optimize-memories")

    create_memory = _sync.twin(acreate_memory)
    get_memory = _sync.twin(aget_memory)
    list_memories = _sync.twin(alist_memories)
    list_memories_json = _sync.twin(alist_memories_json)
    update_memory = _sync.twin(aupdate_memory)
    delete_memory = _sync.twin(adelete_memory)
    delete_memories = _sync.twin(adelete_memories)
    get_memory_topics = _sync.twin(aget_memory_topics)
    get_user_memory_stats = _sync.twin(aget_user_memory_stats)
    optimize_memories = _sync.twin(aoptimize_memories)
