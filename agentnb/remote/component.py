"""What RemoteTeam and RemoteWorkflow share beyond RemoteRunnable: construction over one
ComponentBackend, and the continue's plumbing. Each adds only its own ``acontinue_run``
(agno gives the two different signatures).
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any, ClassVar, Literal

import httpx

from agentnb import _sync
from agentnb._sse import DEFAULT_MAX_EVENT_BYTES
from agentnb.agentos.client import AgentOSClient
from agentnb.agentos.components import ComponentKind
from agentnb.agentos.models import RunRecord
from agentnb.errors import ConfigurationError
from agentnb.remote._backend import ContinueArgs
from agentnb.remote._components import ComponentBackend
from agentnb.remote._config import ConfigCache
from agentnb.remote._runnable import RemoteRunnable
from agentnb.runs.models import RunOutput
from agentnb.runs.stream import RunStream

__all__ = ["RemoteComponent"]


class RemoteComponent(RemoteRunnable):
    """A team or workflow served by a remote AgentOS; see RemoteTeam and RemoteWorkflow."""

    kind: ClassVar[ComponentKind]
    id_name: ClassVar[str]
    agentos_client: AgentOSClient  # always AgentOS: teams and workflows have no A2A backend here
    _backend: ComponentBackend

    def __init__(
        self,
        base_url: str,
        component_id: str,
        timeout: float = 60.0,
        protocol: Literal["agentos", "a2a"] = "agentos",
        a2a_protocol: Literal["rest", "json-rpc"] | None = None,
        config_ttl: float = 300.0,
        *,
        auth_token: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        prefetch_config: bool = True,
        max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES,
        max_retries: int = 2,
    ) -> None:
        if protocol != "agentos":
            # Over A2A a team's or workflow's pauses never show (Agno maps paused to working),
            # and its members and steps are invisible: refuse rather than half-work.
            raise ConfigurationError(
                f"{type(self).__name__} speaks AgentOS only, not {protocol!r}; reach its A2A interface "
                'with RemoteAgent(url, id, protocol="a2a") or A2AClient'
            )
        if not isinstance(component_id, str) or not component_id:
            raise ConfigurationError(f"{self.id_name} must be a non-empty string")
        self.base_url = base_url.rstrip("/")
        self.agent_id = component_id  # the name ConfigProperties and SessionsMixin read
        self.protocol = protocol
        self.a2a_protocol = a2a_protocol
        self.timeout = timeout
        self.agentos_client = AgentOSClient(
            self.base_url,
            timeout=timeout,
            auth_token=auth_token,
            transport=transport,
            max_event_bytes=max_event_bytes,
            max_retries=max_retries,
        )
        self._backend = ComponentBackend(self.agentos_client, self.kind, component_id)
        noun = self.kind[:-1]
        self._config = ConfigCache(self.get_agent_config, ttl=config_ttl, label=f"{noun} {component_id!r}")
        self._start(prefetch_config)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.base_url!r}, {self.id_name}={self.agent_id!r})"

    def _continue(
        self,
        run_id: str | RunOutput | None,
        decisions: Any,
        *,
        stream: bool,
        user_id: str | None,
        session_id: str | None,
        auth_token: str | None,
        keep_events: bool,
        updated_tools: Any = None,
    ) -> Coroutine[Any, Any, RunOutput] | RunStream:
        paused = run_id if isinstance(run_id, RunOutput) else None
        rid = paused.run_id if paused is not None else run_id
        if not isinstance(rid, str) or not rid:
            raise ConfigurationError("continuing needs the paused run's run_id (or the paused output)")
        args = ContinueArgs(
            rid,
            paused if paused is not None else self._runs.get(rid),
            updated_tools=updated_tools,
            requirements=decisions,
            input=None,
            session_id=session_id,
            user_id=user_id,
            auth_token=auth_token,
            keep_events=keep_events,
        )
        return self._track(self._backend.continue_run(args, stream=stream, on_done=self._remember))

    async def _stored_run(self, run_id: str, session_id: str, auth_token: str | None) -> RunOutput:
        return await self._backend.routes.aget_run(
            self.agent_id, run_id, session_id=session_id, auth_token=auth_token
        )

    async def alist_runs(
        self, session_id: str, *, status: str | None = None, auth_token: str | None = None
    ) -> list[RunRecord]:
        """This team's or workflow's runs in one session; ``status``: PENDING, RUNNING, COMPLETED or ERROR."""
        return await self._backend.routes.alist_runs(
            self.agent_id, session_id=session_id, status=status, auth_token=auth_token
        )

    list_runs = _sync.twin(alist_runs)
