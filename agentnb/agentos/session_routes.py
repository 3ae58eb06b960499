"""The session endpoints beyond list/get/runs/rename/delete: create, update, one run, bulk delete."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from agentnb import _sync
from agentnb.agentos._routes import Routes, db_params, one
from agentnb.agentos.models import RunRecord, SessionDetail

__all__ = ["SessionRoutes"]


class SessionRoutes(Routes):
    """More session endpoints of AgentOSClient (``/sessions``)."""

    async def acreate_session(
        self,
        *,
        session_type: str = "agent",
        session_id: str | None = None,
        user_id: str | None = None,
        session_name: str | None = None,
        session_state: Mapping[str, Any] | None = None,
        metadata: Mapping[str, Any] | None = None,
        agent_id: str | None = None,
        team_id: str | None = None,
        workflow_id: str | None = None,
        db_id: str | None = None,
        auth_token: str | None = None,
    ) -> SessionDetail:
        body = {
            "session_id": session_id,
            "user_id": user_id,
            "session_name": session_name,
            "session_state": dict(session_state) if session_state is not None else None,
            "metadata": dict(metadata) if metadata is not None else None,
            "agent_id": agent_id,
            "team_id": team_id,
            "workflow_id": workflow_id,
        }
        data = await self._call(
            "POST",
            "/sessions",
            endpoint="POST /sessions",
            params=db_params(db_id, type=session_type),
            json={k: v for k, v in body.items() if v is not None},
            auth_token=auth_token,
        )
        return one(SessionDetail, data, "POST /sessions")

    async def aupdate_session(
        self,
        session_id: str,
        *,
        session_type: str | None = None,
        session_name: str | None = None,
        session_state: Mapping[str, Any] | None = None,
        metadata: Mapping[str, Any] | None = None,
        summary: Mapping[str, Any] | None = None,
        user_id: str | None = None,
        db_id: str | None = None,
        table: str | None = None,
        auth_token: str | None = None,
    ) -> SessionDetail:
        body = {
            "session_name": session_name,
            "session_state": dict(session_state) if session_state is not None else None,
            "metadata": dict(metadata) if metadata is not None else None,
            "summary": dict(summary) if summary is not None else None,
        }
        data = await self._call(
            "PATCH",
            f"/sessions/{session_id}",
            endpoint="PATCH /sessions/{session_id}",
            what=f"session {session_id!r}",
            params=db_params(db_id, table, type=session_type, user_id=user_id),
            json={k: v for k, v in body.items() if v is not None},
            auth_token=auth_token,
        )
        return one(SessionDetail, data, f"PATCH /sessions/{session_id}")

    async def aget_session_run(
        self,
        session_id: str,
        run_id: str,
        *,
        session_type: str | None = None,
        user_id: str | None = None,
        db_id: str | None = None,
        table: str | None = None,
        auth_token: str | None = None,
    ) -> RunRecord:
        data = await self._call(
            "GET",
            f"/sessions/{session_id}/runs/{run_id}",
            endpoint="GET /sessions/{session_id}/runs/{run_id}",
            what=f"session {session_id!r}, run {run_id!r}",
            params=db_params(db_id, table, type=session_type, user_id=user_id),
            auth_token=auth_token,
        )
        return one(RunRecord, data, f"GET /sessions/{session_id}/runs/{run_id}")

    async def adelete_sessions(
        self,
        session_ids: Sequence[str],
        session_types: Sequence[str] | None = None,
        *,
        user_id: str | None = None,
        db_id: str | None = None,
        table: str | None = None,
        auth_token: str | None = None,
    ) -> None:
        """Delete several sessions; ``session_types`` defaults to "agent" for each."""
        types = list(session_types) if session_types is not None else ["agent"] * len(session_ids)
        await self._call(
            "DELETE",
            "/sessions",
            endpoint="DELETE /sessions",
            params=db_params(db_id, table, user_id=user_id),
            json={"session_ids": list(session_ids), "session_types": types},
            auth_token=auth_token,
        )

    create_session = _sync.twin(acreate_session)
    update_session = _sync.twin(aupdate_session)
    get_session_run = _sync.twin(aget_session_run)
    delete_sessions = _sync.twin(adelete_sessions)
