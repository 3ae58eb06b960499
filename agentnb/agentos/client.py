"""AgentOSClient: one method per AgentOS endpoint, decoded into agentnb models.

Runs, continues and cancels take form data (AgentOS refuses JSON there); session endpoints take
JSON. Every method accepts ``auth_token`` and names what it was about in its errors. Coroutine
methods are ``a``-named with a sync twin of the plain name (``alist_agents`` / ``list_agents``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from typing import Any

import httpx

from agentnb import _sync
from agentnb._http import ErrorContext, HTTPClient
from agentnb._model import W
from agentnb._sse import DEFAULT_MAX_EVENT_BYTES
from agentnb.agentos.decode import AgentOSRunReader
from agentnb.agentos.evals_routes import EvalsRoutes
from agentnb.agentos.forms import continue_form, encode_form
from agentnb.agentos.knowledge_routes import KnowledgeRoutes
from agentnb.agentos.memory_routes import MemoryRoutes
from agentnb.agentos.models import (
    AgentConfig,
    OSConfig,
    RunRecord,
    SessionDetail,
    SessionPage,
    SessionSummary,
)
from agentnb.agentos.session_routes import SessionRoutes
from agentnb.agentos.traces_routes import TracesRoutes
from agentnb.errors import ProtocolError
from agentnb.runs.models import RunOutput, ToolExecution
from agentnb.runs.stream import RunStream

__all__ = ["AgentOSClient"]

#: ``files=`` for a multipart upload: (field, (filename, bytes, mime type)) pairs.
Uploads = Sequence[tuple[str, tuple[str, bytes, str]]]


# The route groups beyond runs and sessions live in their own modules (``*_routes.py``).
class AgentOSClient(SessionRoutes, MemoryRoutes, KnowledgeRoutes, TracesRoutes, EvalsRoutes):
    """Low-level AgentOS API client; RemoteAgent is the friendly facade over it.

    >>> client = AgentOSClient("http://localhost:7777")
    >>> agents = await client.alist_agents()
    """

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 60.0,
        auth_token: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        http: HTTPClient | None = None,
        max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES,
        max_retries: int = 2,
    ) -> None:
        #: A streamed event larger than this is refused with ProtocolError.
        self.max_event_bytes = max_event_bytes
        self.http = http or HTTPClient(
            base_url, timeout=timeout, auth_token=auth_token, transport=transport, retries=max_retries
        )

    @property
    def base_url(self) -> str:
        return self.http.base_url

    def __repr__(self) -> str:
        return f"AgentOSClient({self.base_url!r})"

    # -- discovery ---------------------------------------------------------------------------

    async def ahealth(self, *, auth_token: str | None = None) -> dict[str, Any]:
        result = await self.http.request_json("GET", "/health", auth_token=auth_token)
        return result if isinstance(result, dict) else {"status": result}

    async def aget_config(self, *, auth_token: str | None = None) -> OSConfig:
        data = await self.http.request_json("GET", "/config", auth_token=auth_token)
        return _one(OSConfig, data, "GET /config")

    async def alist_agents(self, *, auth_token: str | None = None) -> list[AgentConfig]:
        data = await self.http.request_json("GET", "/agents", auth_token=auth_token)
        return _many(AgentConfig, data, "GET /agents")

    async def aget_agent(self, agent_id: str, *, auth_token: str | None = None) -> AgentConfig:
        data = await self.http.request_json(
            "GET", f"/agents/{agent_id}", auth_token=auth_token, context=_agent(agent_id)
        )
        return _one(AgentConfig, data, f"GET /agents/{agent_id}")

    health = _sync.twin(ahealth)
    get_config = _sync.twin(aget_config)
    list_agents = _sync.twin(alist_agents)
    get_agent = _sync.twin(aget_agent)

    # -- runs --------------------------------------------------------------------------------

    async def acreate_run(
        self,
        agent_id: str,
        form: Mapping[str, Any],
        *,
        files: Uploads | None = None,
        auth_token: str | None = None,
    ) -> RunOutput:
        data = await self.http.request_json(
            "POST",
            f"/agents/{agent_id}/runs",
            data=encode_form({**form, "stream": False}),
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
        files: Uploads | None = None,
        auth_token: str | None = None,
        keep_events: bool = False,
        on_done: Callable[[RunOutput], None] | None = None,
    ) -> RunStream:
        """A run streamed as events (nothing is sent until the stream is first read)."""
        path = f"/agents/{agent_id}/runs"
        payload = encode_form({**form, "stream": True})

        async def opener() -> httpx.Response:
            return await self.http.open_stream(
                "POST",
                path,
                data=payload,
                files=files or None,
                auth_token=auth_token,
                context=_agent(agent_id),
            )

        output = RunOutput(agent_id=agent_id, session_id=form.get("session_id"), user_id=form.get("user_id"))
        return self._run_stream(output, opener, path, keep_events, on_done)

    async def acontinue_run(
        self,
        agent_id: str,
        run_id: str,
        tools: Sequence[ToolExecution],
        *,
        session_id: str,
        user_id: str | None = None,
        auth_token: str | None = None,
    ) -> RunOutput:
        data = await self.http.request_json(
            "POST",
            f"/agents/{agent_id}/runs/{run_id}/continue",
            data=continue_form(tools, session_id=session_id, user_id=user_id, stream=False),
            auth_token=auth_token,
            context=_run(agent_id, run_id),
        )
        return _one(RunOutput, data, f"POST /agents/{agent_id}/runs/{run_id}/continue")

    def stream_continue_run(
        self,
        agent_id: str,
        run_id: str,
        tools: Sequence[ToolExecution] | Callable[[], Awaitable[Sequence[ToolExecution]]],
        *,
        session_id: str,
        user_id: str | None = None,
        auth_token: str | None = None,
        keep_events: bool = False,
        on_done: Callable[[RunOutput], None] | None = None,
    ) -> RunStream:
        """A continue streamed as events (nothing is sent until the stream is first read).

        ``tools`` may be a coroutine function that works them out (it may need the server) when
        the stream opens.
        """
        path = f"/agents/{agent_id}/runs/{run_id}/continue"

        async def opener() -> httpx.Response:
            resolved = await tools() if callable(tools) else tools
            form = continue_form(resolved, session_id=session_id, user_id=user_id, stream=True)
            return await self.http.open_stream(
                "POST", path, data=form, auth_token=auth_token, context=_run(agent_id, run_id)
            )

        output = RunOutput(agent_id=agent_id, run_id=run_id, session_id=session_id, user_id=user_id)
        return self._run_stream(output, opener, path, keep_events, on_done)

    def _run_stream(
        self,
        output: RunOutput,
        opener: Callable[[], Any],
        path: str,
        keep_events: bool,
        on_done: Callable[[RunOutput], None] | None,
    ) -> RunStream:
        url = self.http.url(path)
        reader = AgentOSRunReader(output, url=url, keep_events=keep_events)
        return RunStream(reader, opener, url=url, max_event_bytes=self.max_event_bytes, on_done=on_done)

    async def acancel_run(
        self, agent_id: str, run_id: str, *, session_id: str | None = None, auth_token: str | None = None
    ) -> Any:
        return await self.http.request_json(
            "POST",
            f"/agents/{agent_id}/runs/{run_id}/cancel",
            params={"session_id": session_id},
            auth_token=auth_token,
            context=_run(agent_id, run_id),
        )

    async def aget_run(
        self, agent_id: str, run_id: str, *, session_id: str, auth_token: str | None = None
    ) -> RunOutput:
        data = await self.http.request_json(
            "GET",
            f"/agents/{agent_id}/runs/{run_id}",
            params={"session_id": session_id},
            auth_token=auth_token,
            context=_run(agent_id, run_id),
        )
        return _one(RunOutput, data, f"GET /agents/{agent_id}/runs/{run_id}")

    create_run = _sync.twin(acreate_run)
    continue_run = _sync.twin(acontinue_run)
    cancel_run = _sync.twin(acancel_run)
    get_run = _sync.twin(aget_run)

    # -- sessions ----------------------------------------------------------------------------

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

    async def aget_session_runs(
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

    async def arename_session(
        self,
        session_id: str,
        session_name: str,
        *,
        session_type: str = "agent",
        user_id: str | None = None,
        auth_token: str | None = None,
        db_id: str | None = None,
    ) -> SessionDetail:
        data = await self.http.request_json(
            "POST",
            f"/sessions/{session_id}/rename",
            params={"type": session_type, "user_id": user_id, "db_id": db_id},
            json={"session_name": session_name},
            auth_token=auth_token,
            context=_session(session_id),
        )
        return _one(SessionDetail, data, f"POST /sessions/{session_id}/rename")

    async def adelete_session(
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

    list_sessions = _sync.twin(alist_sessions)
    get_session = _sync.twin(aget_session)
    get_session_runs = _sync.twin(aget_session_runs)
    rename_session = _sync.twin(arename_session)
    delete_session = _sync.twin(adelete_session)

    def iter_sessions(
        self, *, page_size: int = 100, max_items: int | None = None, **filters: Any
    ) -> Iterator[SessionSummary]:
        """Sync twin of ``aiter_sessions()``."""
        return _sync.iterate_sync(self.aiter_sessions(page_size=page_size, max_items=max_items, **filters))


# --------------------------------------------------------------------------- helpers


def _agent(agent_id: str) -> ErrorContext:
    return ErrorContext(agent_id, f"agent {agent_id!r}")


def _run(agent_id: str, run_id: str) -> ErrorContext:
    return ErrorContext(agent_id, f"agent {agent_id!r}, run {run_id!r}")


def _session(session_id: str) -> ErrorContext:
    return ErrorContext(None, f"session {session_id!r}")


def _one(cls: type[W], data: Any, what: str) -> W:
    if not isinstance(data, dict):
        raise ProtocolError(f"{what}: expected a JSON object, got {type(data).__name__}", raw=str(data)[:500])
    return cls.from_wire(data)


def _many(cls: type[W], data: Any, what: str) -> list[W]:
    if not isinstance(data, list):
        raise ProtocolError(f"{what}: expected a JSON array, got {type(data).__name__}", raw=str(data)[:500])
    return [cls.from_wire(item) for item in data if isinstance(item, dict)]
