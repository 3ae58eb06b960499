"""AgentOSClient's session endpoints (``/sessions``): list, get, create, update, rename, delete,
a session's runs and their previews.

Each takes agno's AgentOSClient parameters (``table``, the run filters ...) under agno's names.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from typing import Any

from agentnb import _sync
from agentnb._http import ErrorContext
from agentnb.agentos._routes import Routes, db_params, many, one
from agentnb.agentos.models import RunPreview, RunRecord, SessionDetail, SessionPage, SessionSummary

__all__ = ["SessionRoutes"]


class SessionRoutes(Routes):
    """The session endpoints of AgentOSClient (``/sessions``)."""

    async def alist_sessions(
        self,
        *,
        session_type: str = "agent",
        component_id: str | None = None,
        user_id: str | None = None,
        session_name: str | None = None,
        limit: int = 20,
        page: int = 1,
        sort_by: str = "created_at",
        sort_order: str = "desc",
        db_id: str | None = None,
        table: str | None = None,
        auth_token: str | None = None,
    ) -> SessionPage:
        params = db_params(
            db_id,
            table,
            type=session_type,
            component_id=component_id,
            user_id=user_id,
            session_name=session_name,
            limit=limit,
            page=page,
            sort_by=sort_by,
            sort_order=sort_order,
        )
        data = await self.http.request_json("GET", "/sessions", params=params, auth_token=auth_token)
        return one(SessionPage, data, "GET /sessions")

    async def aiter_session_rows(
        self, *, page_size: int = 100, max_items: int | None = None, **filters: Any
    ) -> AsyncIterator[list[Any]]:
        """``aiter_sessions`` a page at a time, each row the server's JSON, not validated: for
        tables, which check the columns they read (validating 10,000 SessionSummary models cost
        more than the rest of sessions_table). A page whose shape is not ``{"data": [...],
        "meta": {...}}`` is validated as a SessionPage, so it fails as ``alist_sessions`` would."""
        if unknown := set(filters) - _LIST_FILTERS:
            raise TypeError(f"aiter_session_rows() got unexpected keyword arguments {sorted(unknown)}")
        query = {"session_type": "agent", "sort_by": "created_at", "sort_order": "desc", **filters}
        auth_token, db_id, table = (query.pop(k, None) for k in ("auth_token", "db_id", "table"))
        query["type"] = query.pop("session_type")
        page, seen = 1, 0
        while True:
            params = db_params(db_id, table, **query, limit=page_size, page=page)
            data = await self.http.request_json("GET", "/sessions", params=params, auth_token=auth_token)
            rows, total_pages = _rows_and_pages(data)
            if rows is None:  # raised as alist_sessions raises it, or read as it reads it
                checked = one(SessionPage, data, "GET /sessions")
                rows, total_pages = data.get("data", []), checked.meta.total_pages
            if max_items is not None and seen + len(rows) >= max_items:
                yield rows[: max_items - seen]
                return
            seen += len(rows)
            yield rows
            if page >= total_pages or not rows:
                return
            page += 1

    async def aiter_sessions(
        self, *, page_size: int = 100, max_items: int | None = None, **filters: Any
    ) -> AsyncIterator[SessionSummary]:
        """Every session matching ``filters`` (as alist_sessions takes them), page after page."""
        page, seen = 1, 0
        while True:
            result = await self.alist_sessions(limit=page_size, page=page, **filters)
            for session in result.data:
                yield session
                seen += 1
                if max_items is not None and seen >= max_items:
                    return
            if page >= result.meta.total_pages or not result.data:
                return
            page += 1

    async def aget_session(
        self,
        session_id: str,
        *,
        session_type: str = "agent",
        user_id: str | None = None,
        db_id: str | None = None,
        table: str | None = None,
        auth_token: str | None = None,
    ) -> SessionDetail:
        data = await self.http.request_json(
            "GET",
            f"/sessions/{session_id}",
            params=db_params(db_id, table, type=session_type, user_id=user_id),
            auth_token=auth_token,
            context=_session(session_id),
        )
        return one(SessionDetail, data, f"GET /sessions/{session_id}")

    async def aget_session_runs(
        self,
        session_id: str,
        *,
        session_type: str = "agent",
        user_id: str | None = None,
        created_after: int | None = None,
        created_before: int | None = None,
        status: Sequence[str] | None = None,
        db_id: str | None = None,
        table: str | None = None,
        auth_token: str | None = None,
    ) -> list[RunRecord]:
        """A session's stored runs; ``created_*`` are Unix times, ``status`` any of (case-insensitive)."""
        data = await self.http.request_json(
            "GET",
            f"/sessions/{session_id}/runs",
            params=_run_filters(session_type, user_id, created_after, created_before, status, db_id, table),
            auth_token=auth_token,
            context=_session(session_id),
        )
        return many(RunRecord, data, f"GET /sessions/{session_id}/runs")

    async def aget_session_run_previews(
        self,
        session_id: str,
        *,
        session_type: str | None = None,
        user_id: str | None = None,
        created_after: int | None = None,
        created_before: int | None = None,
        status: Sequence[str] | None = None,
        db_id: str | None = None,
        table: str | None = None,
        auth_token: str | None = None,
    ) -> list[RunPreview]:
        """A session's runs without their messages, events and media (previews cut by the server)."""
        data = await self._call(
            "GET",
            f"/sessions/{session_id}/run-previews",
            endpoint="GET /sessions/{session_id}/run-previews",
            what=f"session {session_id!r}",
            params=_run_filters(session_type, user_id, created_after, created_before, status, db_id, table),
            auth_token=auth_token,
        )
        return many(RunPreview, data, f"GET /sessions/{session_id}/run-previews")

    async def arename_session(
        self,
        session_id: str,
        session_name: str,
        *,
        session_type: str = "agent",
        user_id: str | None = None,
        auth_token: str | None = None,
        db_id: str | None = None,
        table: str | None = None,
    ) -> SessionDetail:
        data = await self.http.request_json(
            "POST",
            f"/sessions/{session_id}/rename",
            params=db_params(db_id, table, type=session_type, user_id=user_id),
            json={"session_name": session_name},
            auth_token=auth_token,
            context=_session(session_id),
        )
        return one(SessionDetail, data, f"POST /sessions/{session_id}/rename")

    async def adelete_session(
        self,
        session_id: str,
        *,
        user_id: str | None = None,
        db_id: str | None = None,
        table: str | None = None,
        auth_token: str | None = None,
    ) -> None:
        await self.http.request(
            "DELETE",
            f"/sessions/{session_id}",
            params=db_params(db_id, table, user_id=user_id),
            auth_token=auth_token,
            context=_session(session_id),
        )

    list_sessions = _sync.twin(alist_sessions)
    get_session = _sync.twin(aget_session)
    get_session_runs = _sync.twin(aget_session_runs)
    get_session_run_previews = _sync.twin(aget_session_run_previews)
    rename_session = _sync.twin(arename_session)
    delete_session = _sync.twin(adelete_session)

    def iter_sessions(
        self, *, page_size: int = 100, max_items: int | None = None, **filters: Any
    ) -> Iterator[SessionSummary]:
        """Sync twin of ``aiter_sessions()``."""
        return _sync.iterate_sync(self.aiter_sessions(page_size=page_size, max_items=max_items, **filters))

    def iter_session_rows(
        self, *, page_size: int = 100, max_items: int | None = None, **filters: Any
    ) -> Iterator[list[Any]]:
        """Sync twin of ``aiter_session_rows()``."""
        return _sync.iterate_sync(
            self.aiter_session_rows(page_size=page_size, max_items=max_items, **filters)
        )

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


def _session(session_id: str) -> ErrorContext:
    return ErrorContext(None, f"session {session_id!r}")


def _run_filters(
    session_type: str | None,
    user_id: str | None,
    created_after: int | None,
    created_before: int | None,
    status: Sequence[str] | None,
    db_id: str | None,
    table: str | None,
) -> dict[str, Any]:
    # ``status`` goes out as repeated ``status=`` parameters, as FastAPI reads a list query.
    return db_params(
        db_id,
        table,
        type=session_type,
        user_id=user_id,
        created_after=created_after,
        created_before=created_before,
        status=list(status) if status is not None else None,
    )


#: The filters ``alist_sessions`` takes besides its page.
_LIST_FILTERS = frozenset(
    [
        *("session_type", "component_id", "user_id", "session_name"),
        *("sort_by", "sort_order", "db_id", "table", "auth_token"),
    ]
)


def _rows_and_pages(data: Any) -> tuple[list[Any] | None, int]:
    """A ``GET /sessions`` page's rows and page count, or (None, 0) for any other shape."""
    if type(data) is not dict:
        return None, 0
    rows, meta = data.get("data", []), data.get("meta", {})
    if type(rows) is not list or type(meta) is not dict:
        return None, 0
    total_pages = meta.get("total_pages", 1)
    if type(total_pages) is not int:
        return None, 0
    return rows, total_pages
