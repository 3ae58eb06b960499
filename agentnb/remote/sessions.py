"""Sessions and stored runs of one agent (AgentOS only): the part of RemoteAgent beyond agno's floor."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any, Literal

from agentnb import _sync
from agentnb.agentos.client import AgentOSClient
from agentnb.agentos.models import RunRecord, SessionDetail, SessionPage, SessionSummary
from agentnb.runs.models import RunOutput

__all__ = ["SessionsMixin"]


class SessionsMixin:
    """``alist_sessions``, ``aget_session``, ... with sync twins; needs ``agent_id`` and ``_os()``."""

    agent_id: str
    #: AgentOS's session type for this component (a RemoteTeam's are "team", a workflow's "workflow").
    session_type: str = "agent"

    def _os(self, what: str) -> AgentOSClient:
        raise NotImplementedError

    async def alist_sessions(
        self,
        *,
        user_id: str | None = None,
        session_name: str | None = None,
        limit: int = 20,
        page: int = 1,
        sort_by: str = "created_at",
        sort_order: Literal["asc", "desc"] = "desc",
        all_agents: bool = False,
        auth_token: str | None = None,
    ) -> SessionPage:
        """One page of this agent's sessions (``all_agents=True``: every agent's)."""
        return await self._os("the session list").alist_sessions(
            session_type=self.session_type,
            component_id=None if all_agents else self.agent_id,
            user_id=user_id,
            session_name=session_name,
            limit=limit,
            page=page,
            sort_by=sort_by,
            sort_order=sort_order,
            auth_token=auth_token,
        )

    def aiter_sessions(
        self,
        *,
        user_id: str | None = None,
        page_size: int = 100,
        max_items: int | None = None,
        auth_token: str | None = None,
    ) -> AsyncIterator[SessionSummary]:
        """All of this agent's sessions, following the server's pages."""
        return self._os("the session list").aiter_sessions(
            session_type=self.session_type,
            component_id=self.agent_id,
            user_id=user_id,
            page_size=page_size,
            max_items=max_items,
            auth_token=auth_token,
        )

    def aiter_session_rows(
        self,
        *,
        user_id: str | None = None,
        page_size: int = 100,
        max_items: int | None = None,
        auth_token: str | None = None,
    ) -> AsyncIterator[list[Any]]:
        """``aiter_sessions`` a page at a time, its rows as the server's JSON (what tables read)."""
        return self._os("the session list").aiter_session_rows(
            session_type=self.session_type,
            component_id=self.agent_id,
            user_id=user_id,
            page_size=page_size,
            max_items=max_items,
            auth_token=auth_token,
        )

    def iter_session_rows(
        self,
        *,
        user_id: str | None = None,
        page_size: int = 100,
        max_items: int | None = None,
        auth_token: str | None = None,
    ) -> Iterator[list[Any]]:
        """Sync twin of ``aiter_session_rows()``."""
        return _sync.iterate_sync(
            self.aiter_session_rows(
                user_id=user_id, page_size=page_size, max_items=max_items, auth_token=auth_token
            )
        )

    def iter_sessions(
        self,
        *,
        user_id: str | None = None,
        page_size: int = 100,
        max_items: int | None = None,
        auth_token: str | None = None,
    ) -> Iterator[SessionSummary]:
        """Sync twin of ``aiter_sessions()``."""
        return _sync.iterate_sync(
            self.aiter_sessions(
                user_id=user_id, page_size=page_size, max_items=max_items, auth_token=auth_token
            )
        )

    async def aget_session(
        self, session_id: str, *, user_id: str | None = None, auth_token: str | None = None
    ) -> SessionDetail:
        return await self._os("a session").aget_session(
            session_id, session_type=self.session_type, user_id=user_id, auth_token=auth_token
        )

    async def aget_session_runs(
        self, session_id: str, *, user_id: str | None = None, auth_token: str | None = None
    ) -> list[RunRecord]:
        return await self._os("the runs of a session").aget_session_runs(
            session_id, session_type=self.session_type, user_id=user_id, auth_token=auth_token
        )

    async def arename_session(
        self, session_id: str, session_name: str, *, user_id: str | None = None, auth_token: str | None = None
    ) -> SessionDetail:
        return await self._os("renaming a session").arename_session(
            session_id, session_name, session_type=self.session_type, user_id=user_id, auth_token=auth_token
        )

    async def adelete_session(
        self, session_id: str, *, user_id: str | None = None, auth_token: str | None = None
    ) -> None:
        await self._os("deleting a session").adelete_session(
            session_id, user_id=user_id, auth_token=auth_token
        )

    async def aget_run(self, run_id: str, session_id: str, *, auth_token: str | None = None) -> RunOutput:
        """A finished run as the server stored it (runs are stored only once they end)."""
        return await self._stored_run(run_id, session_id, auth_token)

    async def _stored_run(self, run_id: str, session_id: str, auth_token: str | None) -> RunOutput:
        # A team or workflow reads it from its own route (``/teams/{id}/runs/{run_id}`` ...).
        return await self._os("a stored run").aget_run(
            self.agent_id, run_id, session_id=session_id, auth_token=auth_token
        )

    list_sessions = _sync.twin(alist_sessions)
    get_session = _sync.twin(aget_session)
    get_session_runs = _sync.twin(aget_session_runs)
    rename_session = _sync.twin(arename_session)
    delete_session = _sync.twin(adelete_session)
    get_run = _sync.twin(aget_run)
