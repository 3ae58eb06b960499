"""AgentOSClient: one method per AgentOS endpoint, decoded into agentnb models.

Runs, continues and cancels take form data (AgentOS refuses JSON there); session endpoints take
JSON. Every method accepts ``auth_token`` and names what it was about in its errors. Coroutine
methods are ``a``-named with a sync twin of the plain name (``alist_agents`` / ``list_agents``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
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
from agentnb.agentos.models import AgentConfig, OSConfig, RunRecord, TeamConfig, WorkflowConfig
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

    # agno's AgentOSClient lists and reads teams and workflows here too; their runs live on
    # ComponentRoutes (agentnb.agentos.components), which RemoteTeam / RemoteWorkflow use.
    async def alist_teams(self, *, auth_token: str | None = None) -> list[TeamConfig]:
        data = await self.http.request_json("GET", "/teams", auth_token=auth_token)
        return _many(TeamConfig, data, "GET /teams")

    async def aget_team(self, team_id: str, *, auth_token: str | None = None) -> TeamConfig:
        data = await self.http.request_json(
            "GET",
            f"/teams/{team_id}",
            auth_token=auth_token,
            context=ErrorContext(team_id, f"team {team_id!r}"),
        )
        return _one(TeamConfig, data, f"GET /teams/{team_id}")

    async def alist_workflows(self, *, auth_token: str | None = None) -> list[WorkflowConfig]:
        data = await self.http.request_json("GET", "/workflows", auth_token=auth_token)
        return _many(WorkflowConfig, data, "GET /workflows")

    async def aget_workflow(
        self, workflow_id: str, version: int | None = None, *, auth_token: str | None = None
    ) -> WorkflowConfig:
        """A workflow's config; ``version`` picks a stored version where the server keeps them."""
        data = await self.http.request_json(
            "GET",
            f"/workflows/{workflow_id}",
            params={"version": version},
            auth_token=auth_token,
            context=ErrorContext(workflow_id, f"workflow {workflow_id!r}"),
        )
        return _one(WorkflowConfig, data, f"GET /workflows/{workflow_id}")

    health = _sync.twin(ahealth)
    get_config = _sync.twin(aget_config)
    list_agents = _sync.twin(alist_agents)
    get_agent = _sync.twin(aget_agent)
    list_teams = _sync.twin(alist_teams)
    get_team = _sync.twin(aget_team)
    list_workflows = _sync.twin(alist_workflows)
    get_workflow = _sync.twin(aget_workflow)

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

    async def alist_runs(
        self, agent_id: str, *, session_id: str, status: str | None = None, auth_token: str | None = None
    ) -> list[RunRecord]:
        """An agent's runs in one session (``status`` one of PENDING, RUNNING, COMPLETED, ERROR)."""
        data = await self.http.request_json(
            "GET",
            f"/agents/{agent_id}/runs",
            params={"session_id": session_id, "status": status},
            auth_token=auth_token,
            context=_agent(agent_id),
        )
        return _many(RunRecord, data, f"GET /agents/{agent_id}/runs")

    async def afork_session(
        self, agent_id: str, session_id: str, *, user_id: str | None = None, auth_token: str | None = None
    ) -> str:
        """Copy a session (every run, with new run ids) into a new one; returns the new session id."""
        data = await self.http.request_json(
            "POST",
            f"/agents/{agent_id}/sessions/{session_id}/fork",
            params={"user_id": user_id},
            auth_token=auth_token,
            context=ErrorContext(agent_id, f"agent {agent_id!r}, session {session_id!r}"),
        )
        new_id = data.get("session_id") if isinstance(data, dict) else None
        if not isinstance(new_id, str):
            raise ProtocolError(
                f"POST /agents/{agent_id}/sessions/{session_id}/fork: no session_id in the answer",
                raw=str(data)[:500],
            )
        return new_id

    create_run = _sync.twin(acreate_run)
    continue_run = _sync.twin(acontinue_run)
    cancel_run = _sync.twin(acancel_run)
    get_run = _sync.twin(aget_run)
    list_runs = _sync.twin(alist_runs)
    fork_session = _sync.twin(afork_session)


# --------------------------------------------------------------------------- helpers


def _agent(agent_id: str) -> ErrorContext:
    return ErrorContext(agent_id, f"agent {agent_id!r}")


def _run(agent_id: str, run_id: str) -> ErrorContext:
    return ErrorContext(agent_id, f"agent {agent_id!r}, run {run_id!r}")


def _one(cls: type[W], data: Any, what: str) -> W:
    if not isinstance(data, dict):
        raise ProtocolError(f"{what}: expected a JSON object, got {type(data).__name__}", raw=str(data)[:500])
    return cls.from_wire(data)


def _many(cls: type[W], data: Any, what: str) -> list[W]:
    if not isinstance(data, list):
        raise ProtocolError(f"{what}: expected a JSON array, got {type(data).__name__}", raw=str(data)[:500])
    return [cls.from_wire(item) for item in data if isinstance(item, dict)]
