"""What RemoteTeam and RemoteWorkflow share: construction, config properties, runs, cancel,
sessions and lifecycle, over one ComponentBackend. Each adds only its own ``acontinue_run``
(agno gives the two different signatures).
"""

from __future__ import annotations

import asyncio
import weakref
from collections import OrderedDict
from collections.abc import Coroutine, Iterator
from types import TracebackType
from typing import Any, ClassVar, Literal, TypeVar, overload

import httpx
from typing_extensions import Self, Unpack

from agentnb import _sync
from agentnb._http import HTTPClient
from agentnb._sse import DEFAULT_MAX_EVENT_BYTES
from agentnb.agentos.client import AgentOSClient
from agentnb.agentos.components import ComponentKind
from agentnb.agentos.models import AgentConfig, OSConfig
from agentnb.errors import ConfigurationError
from agentnb.remote._backend import ContinueArgs
from agentnb.remote._components import ComponentBackend
from agentnb.remote._config import ConfigCache, ConfigProperties
from agentnb.remote._run_args import RunArgs, refuse_unknown
from agentnb.remote.agent import RunInput
from agentnb.remote.sessions import SessionsMixin
from agentnb.runs.models import RunOutput, RunStatus
from agentnb.runs.stream import RunStream

__all__ = ["RemoteComponent"]

_KNOWN_RUNS = 256
Started = TypeVar(
    "Started", Coroutine[Any, Any, RunOutput], RunStream, Coroutine[Any, Any, RunOutput] | RunStream
)


class RemoteComponent(ConfigProperties, SessionsMixin):
    """A team or workflow served by a remote AgentOS; see RemoteTeam and RemoteWorkflow."""

    kind: ClassVar[ComponentKind]
    id_name: ClassVar[str]
    agentos_client: AgentOSClient  # always AgentOS: teams and workflows have no A2A backend here

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
        self._runs: OrderedDict[str, RunOutput] = OrderedDict()
        self._streams: weakref.WeakSet[RunStream] = weakref.WeakSet()
        if prefetch_config and _sync.in_running_loop():
            self._config.start_fetch()  # a property must never wait on the kernel's loop

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.base_url!r}, {self.id_name}={self.agent_id!r})"

    @property
    def id(self) -> str:
        return self.agent_id

    @property
    def http(self) -> HTTPClient:
        return self._backend.http

    @property
    def auth_token(self) -> str | None:
        """Default bearer token for every call; never shown in a repr."""
        return self.http.auth_token

    @auth_token.setter
    def auth_token(self, value: str | None) -> None:
        self.http.auth_token = value

    @property
    def lists_sessions(self) -> bool:
        return True

    def _os(self, what: str) -> AgentOSClient:
        return self.agentos_client

    async def _fetch_config(self, auth_token: str | None) -> AgentConfig:
        return await self._backend.fetch_config(auth_token)

    async def aget_os_config(self, auth_token: str | None = None) -> OSConfig:
        """The server's ``GET /config``: agents, teams, workflows, databases, interfaces."""
        return await self.agentos_client.aget_config(auth_token=auth_token)

    get_os_config = _sync.twin(aget_os_config)

    # -- runs --------------------------------------------------------------------------------

    @overload
    def arun(
        self, input: RunInput, *, stream: Literal[False] = False, **kwargs: Unpack[RunArgs]
    ) -> Coroutine[Any, Any, RunOutput]: ...

    @overload
    def arun(self, input: RunInput, *, stream: Literal[True], **kwargs: Unpack[RunArgs]) -> RunStream: ...

    def arun(
        self, input: RunInput, *, stream: bool = False, **kwargs: Unpack[RunArgs]
    ) -> Coroutine[Any, Any, RunOutput] | RunStream:
        """Run it: a coroutine of its output, or with ``stream=True`` a RunStream of events."""
        refuse_unknown("arun", kwargs)
        return self._track(self._backend.run(input, kwargs, stream=stream, on_done=self._remember))

    @overload
    def run(
        self, input: RunInput, *, stream: Literal[False] = False, **kwargs: Unpack[RunArgs]
    ) -> RunOutput: ...

    @overload
    def run(self, input: RunInput, *, stream: Literal[True], **kwargs: Unpack[RunArgs]) -> Iterator[Any]: ...

    def run(
        self, input: RunInput, *, stream: bool = False, **kwargs: Unpack[RunArgs]
    ) -> RunOutput | Iterator[Any]:
        """Sync twin of arun()."""
        if stream:
            return _sync.iterate_sync(self.arun(input, stream=True, **kwargs))
        return _sync.run_sync(self.arun(input, stream=False, **kwargs))

    def _track(self, started: Started) -> Started:
        if isinstance(started, RunStream):
            self._streams.add(started)
        return started

    def _remember(self, output: RunOutput) -> None:
        if not output.run_id:
            return
        self._runs[output.run_id] = output
        self._runs.move_to_end(output.run_id)
        while len(self._runs) > _KNOWN_RUNS:
            self._runs.popitem(last=False)

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

    # -- cancel ------------------------------------------------------------------------------

    async def cancel_run(self, run_id: str, auth_token: str | None = None) -> bool:
        """Ask the server to cancel a run: True when asked, False when this object saw it end."""
        known = self._runs.get(run_id)
        if known is not None and known.status in (RunStatus.completed, RunStatus.cancelled, RunStatus.error):
            return False
        session_id = known.session_id if known is not None else None
        return await self._backend.cancel_run(run_id, session_id, auth_token)

    acancel_run = cancel_run
    cancel = _sync.twin(cancel_run)

    async def _stored_run(self, run_id: str, session_id: str, auth_token: str | None) -> RunOutput:
        return await self._backend.routes.aget_run(
            self.agent_id, run_id, session_id=session_id, auth_token=auth_token
        )

    # -- lifecycle ---------------------------------------------------------------------------

    async def aclose(self) -> None:
        """Close the streams this object opened on this loop that are still open."""
        loop = asyncio.get_running_loop()
        for stream in list(self._streams):
            if stream.bound_loop in (None, loop):
                await stream.aclose()
        self._config.cancel_fetch()

    close = _sync.twin(aclose)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()
