"""AgentOSClient: one method per AgentOS endpoint, decoded into agentnb models.

Runs, continues and cancels take form data (AgentOS refuses JSON there); session endpoints take
JSON. Every method accepts ``auth_token`` and names what it was about in its errors.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

import httpx

from agentnb._http import ErrorContext, HTTPTransport
from agentnb._sse import DEFAULT_MAX_EVENT_BYTES
from agentnb.agentos.models import (
    AgentConfig,
    OSConfig,
    RunOutput,
    RunRecord,
    SessionDetail,
    SessionPage,
    SessionSummary,
    ToolExecution,
    W,
)
from agentnb.agentos.stream import RunStream
from agentnb.errors import ProtocolError

__all__ = ["AgentOSClient", "form_value"]


def form_value(value: Any) -> str:
    """How AgentOS wants a form field: booleans as "true"/"false", dicts and lists as JSON."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, default=str)
    return str(value)


class AgentOSClient:
    """Low-level AgentOS API client; RemoteAgent is the friendly facade over it.

    >>> client = AgentOSClient("http://localhost:7777")
    >>> agents = await client.list_agents()
    """

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 60.0,
        auth_token: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        http: HTTPTransport | None = None,
        max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES,
        max_retries: int = 2,
    ) -> None:
        #: A streamed event larger than this is refused with ProtocolError.
        self.max_event_bytes = max_event_bytes
        self.http = http or HTTPTransport(
            base_url, timeout=timeout, auth_token=auth_token, transport=transport, retries=max_retries
        )

    @property
    def base_url(self) -> str:
        return self.http.base_url

    def __repr__(self) -> str:
        return f"AgentOSClient({self.base_url!r})"

    # -- discovery ---------------------------------------------------------------------------

    async def health(self, *, auth_token: str | None = None) -> dict[str, Any]:
        result = await self.http.request_json("GET", "/health", auth_token=auth_token)
        return result if isinstance(result, dict) else {"status": result}

    async def get_config(self, *, auth_token: str | None = None) -> OSConfig:
        data = await self.http.request_json("GET", "/config", auth_token=auth_token)
        return _one(OSConfig, data, "GET /config")

    async def list_agents(self, *, auth_token: str | None = None) -> list[AgentConfig]:
        data = await self.http.request_json("GET", "/agents", auth_token=auth_token)
        return _many(AgentConfig, data, "GET /agents")

    async def get_agent(self, agent_id: str, *, auth_token: str | None = None) -> AgentConfig:
        data = await self.http.request_json(
            "GET", f"/agents/{agent_id}", auth_token=auth_token, context=_agent(agent_id)
        )
        return _one(AgentConfig, data, f"GET /agents/{agent_id}")

    # -- runs --------------------------------------------------------------------------------

    async def create_run(
        self,
        agent_id: str,
        form: Mapping[str, Any],
        *,
        files: Sequence[tuple[str, tuple[str, bytes, str]]] | None = None,
        auth_token: str | None = None,
    ) -> RunOutput:
        data = await self.http.request_json(
            "POST",
            f"/agents/{agent_id}/runs",
            data=_form({**form, "stream": False}),
            files=files or None,
            auth_token=auth_token,
            context=_agent(agent_id),
        )
        return _one(RunOutput, data, f"POST /agents/{agent_id}/runs")

    def stream_run(
        self,
        agent_id: str,
        form: Mapping[str, Any],
        *,
        files: Sequence[tuple[str, tuple[str, bytes, str]]] | None = None,
        auth_token: str | None = None,
        keep_events: bool = False,
        on_done: Any = None,
    ) -> RunStream:
        path = f"/agents/{agent_id}/runs"
        payload = _form({**form, "stream": True})

        def opener() -> Any:
            return self.http.stream(
                "POST",
                path,
                data=payload,
                files=files or None,
                auth_token=auth_token,
                context=_agent(agent_id),
            )

        return RunStream(
            opener,
            url=self.http.url(path),
            agent_id=agent_id,
            session_id=form.get("session_id"),
            user_id=form.get("user_id"),
            keep_events=keep_events,
            on_done=on_done,
            max_event_bytes=self.max_event_bytes,
        )

    async def continue_run(
        self,
        agent_id: str,
        run_id: str,
        tools: Sequence[ToolExecution],
        *,
        session_id: str,
        user_id: str | None = None,
        auth_token: str | None = None,
    ) -> RunOutput:
        form = _continue_form(tools, session_id=session_id, user_id=user_id, stream=False)
        data = await self.http.request_json(
            "POST",
            f"/agents/{agent_id}/runs/{run_id}/continue",
            data=form,
            auth_token=auth_token,
            context=ErrorContext(agent_id, f"agent {agent_id!r}, run {run_id!r}"),
        )
        return _one(RunOutput, data, f"POST /agents/{agent_id}/runs/{run_id}/continue")

    def stream_continue_run(
        self,
        agent_id: str,
        run_id: str,
        tools: Sequence[ToolExecution],
        *,
        session_id: str,
        user_id: str | None = None,
        auth_token: str | None = None,
        keep_events: bool = False,
        on_done: Any = None,
    ) -> RunStream:
        path = f"/agents/{agent_id}/runs/{run_id}/continue"
        form = _continue_form(tools, session_id=session_id, user_id=user_id, stream=True)
        context = ErrorContext(agent_id, f"agent {agent_id!r}, run {run_id!r}")

        def opener() -> Any:
            return self.http.stream("POST", path, data=form, auth_token=auth_token, context=context)

        stream = RunStream(
            opener,
            url=self.http.url(path),
            agent_id=agent_id,
            session_id=session_id,
            user_id=user_id,
            keep_events=keep_events,
            on_done=on_done,
            max_event_bytes=self.max_event_bytes,
        )
        stream.output.run_id = run_id
        return stream

    async def cancel_run(
        self, agent_id: str, run_id: str, *, session_id: str | None = None, auth_token: str | None = None
    ) -> Any:
        return await self.http.request_json(
            "POST",
            f"/agents/{agent_id}/runs/{run_id}/cancel",
            params={"session_id": session_id},
            auth_token=auth_token,
            context=ErrorContext(agent_id, f"agent {agent_id!r}, run {run_id!r}"),
        )

    async def get_run(
        self, agent_id: str, run_id: str, *, session_id: str, auth_token: str | None = None
    ) -> RunOutput:
        data = await self.http.request_json(
            "GET",
            f"/agents/{agent_id}/runs/{run_id}",
            params={"session_id": session_id},
            auth_token=auth_token,
            context=ErrorContext(agent_id, f"agent {agent_id!r}, run {run_id!r}"),
        )
        return _one(RunOutput, data, f"GET /agents/{agent_id}/runs/{run_id}")

    async def list_runs(
        self, agent_id: str, *, session_id: str, auth_token: str | None = None
    ) -> list[RunRecord]:
        data = await self.http.request_json(
            "GET",
            f"/agents/{agent_id}/runs",
            params={"session_id": session_id},
            auth_token=auth_token,
            context=_agent(agent_id),
        )
        return _many(RunRecord, data, f"GET /agents/{agent_id}/runs")

    # -- sessions ----------------------------------------------------------------------------

    async def list_sessions(
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
        auth_token: str | None = None,
    ) -> SessionPage:
        params = {
            "type": session_type,
            "component_id": component_id,
            "user_id": user_id,
            "session_name": session_name,
            "limit": limit,
            "page": page,
            "sort_by": sort_by,
            "sort_order": sort_order,
            "db_id": db_id,
        }
        data = await self.http.request_json("GET", "/sessions", params=params, auth_token=auth_token)
        return _one(SessionPage, data, "GET /sessions")

    async def iter_sessions(
        self, *, page_size: int = 100, max_items: int | None = None, **filters: Any
    ) -> AsyncIterator[SessionSummary]:
        """Every session matching ``filters`` (as list_sessions takes them), page after page."""
        page, seen = 1, 0
        while True:
            result = await self.list_sessions(limit=page_size, page=page, **filters)
            for session in result.data:
                yield session
                seen += 1
                if max_items is not None and seen >= max_items:
                    return
            if page >= result.meta.total_pages or not result.data:
                return
            page += 1

    async def get_session(
        self,
        session_id: str,
        *,
        session_type: str = "agent",
        user_id: str | None = None,
        db_id: str | None = None,
        auth_token: str | None = None,
    ) -> SessionDetail:
        data = await self.http.request_json(
            "GET",
            f"/sessions/{session_id}",
            params={"type": session_type, "user_id": user_id, "db_id": db_id},
            auth_token=auth_token,
            context=_session(session_id),
        )
        return _one(SessionDetail, data, f"GET /sessions/{session_id}")

    async def get_session_runs(
        self,
        session_id: str,
        *,
        session_type: str = "agent",
        user_id: str | None = None,
        db_id: str | None = None,
        auth_token: str | None = None,
    ) -> list[RunRecord]:
        data = await self.http.request_json(
            "GET",
            f"/sessions/{session_id}/runs",
            params={"type": session_type, "user_id": user_id, "db_id": db_id},
            auth_token=auth_token,
            context=_session(session_id),
        )
        return _many(RunRecord, data, f"GET /sessions/{session_id}/runs")

    async def get_session_run(
        self,
        session_id: str,
        run_id: str,
        *,
        session_type: str = "agent",
        user_id: str | None = None,
        auth_token: str | None = None,
    ) -> RunRecord:
        data = await self.http.request_json(
            "GET",
            f"/sessions/{session_id}/runs/{run_id}",
            params={"type": session_type, "user_id": user_id},
            auth_token=auth_token,
            context=ErrorContext(None, f"session {session_id!r}, run {run_id!r}"),
        )
        return _one(RunRecord, data, f"GET /sessions/{session_id}/runs/{run_id}")

    async def create_session(
        self,
        *,
        session_type: str = "agent",
        agent_id: str | None = None,
        session_id: str | None = None,
        session_name: str | None = None,
        session_state: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
        user_id: str | None = None,
        auth_token: str | None = None,
    ) -> SessionDetail:
        body = {
            "session_id": session_id,
            "session_name": session_name,
            "session_state": session_state,
            "metadata": metadata,
            "user_id": user_id,
            "agent_id": agent_id,
        }
        data = await self.http.request_json(
            "POST",
            "/sessions",
            params={"type": session_type},
            json={k: v for k, v in body.items() if v is not None},
            auth_token=auth_token,
        )
        return _one(SessionDetail, data, "POST /sessions")

    async def rename_session(
        self,
        session_id: str,
        session_name: str,
        *,
        session_type: str = "agent",
        user_id: str | None = None,
        auth_token: str | None = None,
    ) -> SessionDetail:
        data = await self.http.request_json(
            "POST",
            f"/sessions/{session_id}/rename",
            params={"type": session_type, "user_id": user_id},
            json={"session_name": session_name},
            auth_token=auth_token,
            context=_session(session_id),
        )
        return _one(SessionDetail, data, f"POST /sessions/{session_id}/rename")

    async def update_session(
        self,
        session_id: str,
        *,
        session_type: str = "agent",
        session_name: str | None = None,
        session_state: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
        summary: dict[str, Any] | None = None,
        user_id: str | None = None,
        auth_token: str | None = None,
    ) -> SessionDetail:
        body = {
            "session_name": session_name,
            "session_state": session_state,
            "metadata": metadata,
            "summary": summary,
        }
        data = await self.http.request_json(
            "PATCH",
            f"/sessions/{session_id}",
            params={"type": session_type, "user_id": user_id},
            json={k: v for k, v in body.items() if v is not None},
            auth_token=auth_token,
            context=_session(session_id),
        )
        return _one(SessionDetail, data, f"PATCH /sessions/{session_id}")

    async def delete_session(
        self,
        session_id: str,
        *,
        user_id: str | None = None,
        db_id: str | None = None,
        auth_token: str | None = None,
    ) -> None:
        await self.http.request(
            "DELETE",
            f"/sessions/{session_id}",
            params={"user_id": user_id, "db_id": db_id},
            auth_token=auth_token,
            context=_session(session_id),
        )


# --------------------------------------------------------------------------- helpers


def _agent(agent_id: str) -> ErrorContext:
    return ErrorContext(agent_id, f"agent {agent_id!r}")


def _session(session_id: str) -> ErrorContext:
    return ErrorContext(None, f"session {session_id!r}")


def _form(fields: Mapping[str, Any]) -> dict[str, str]:
    return {k: form_value(v) for k, v in fields.items() if v is not None}


def _continue_form(
    tools: Sequence[ToolExecution], *, session_id: str, user_id: str | None, stream: bool
) -> dict[str, str]:
    return _form(
        {
            "tools": json.dumps([t.to_wire() for t in tools]),
            "session_id": session_id,
            "user_id": user_id,
            "stream": stream,
        }
    )


def _one(cls: type[W], data: Any, what: str) -> W:
    if not isinstance(data, dict):
        raise ProtocolError(f"{what}: expected a JSON object, got {type(data).__name__}", raw=str(data)[:500])
    return cls.from_wire(data)


def _many(cls: type[W], data: Any, what: str) -> list[W]:
    if not isinstance(data, list):
        raise ProtocolError(f"{what}: expected a JSON array, got {type(data).__name__}", raw=str(data)[:500])
    return [cls.from_wire(item) for item in data if isinstance(item, dict)]
