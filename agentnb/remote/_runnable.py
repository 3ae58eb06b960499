"""What RemoteAgent, RemoteTeam and RemoteWorkflow share over their backend: runs, cancel, lifecycle.

Each facade picks its backend at construction and adds what agno gives it alone (an agent's
``acontinue_run`` with ``updated_tools``, a team's ``requirements``, a workflow's
``step_requirements``); running, remembering runs for continue and cancel, closing the streams it
opened, and the server-wide calls are the same for all three and live here once.
"""

from __future__ import annotations

import asyncio
import weakref
from collections import OrderedDict
from collections.abc import Coroutine, Iterator
from types import TracebackType
from typing import Any, Literal, TypeVar, overload

from pydantic import BaseModel
from typing_extensions import Self, Unpack

from agentnb import _sync
from agentnb._http import HTTPClient
from agentnb.a2a.client import A2AClient
from agentnb.a2a.models import AgentCard
from agentnb.agentos.client import AgentOSClient
from agentnb.agentos.models import AgentConfig, OSConfig
from agentnb.errors import ConfigurationError
from agentnb.media import Message
from agentnb.remote._backend import Backend
from agentnb.remote._config import ConfigCache, ConfigProperties
from agentnb.remote._run_args import RunArgs, refuse_unknown
from agentnb.remote.sessions import SessionsMixin
from agentnb.runs.models import RunOutput, RunStatus
from agentnb.runs.stream import RunStream

__all__ = ["RemoteRunnable", "RunInput"]

#: How many runs a facade remembers (paused tools, finished state) for continue and cancel.
_KNOWN_RUNS = 256

RunInput = str | list[Any] | dict[str, Any] | Message | BaseModel
Started = TypeVar(
    "Started", Coroutine[Any, Any, RunOutput], RunStream, Coroutine[Any, Any, RunOutput] | RunStream
)


class RemoteRunnable(ConfigProperties, SessionsMixin):
    """The shared half of the remote facades; a subclass sets ``_backend`` and ``_config``."""

    _backend: Backend
    _config: ConfigCache

    def _start(self, prefetch_config: bool) -> None:
        """Called at the end of a subclass's ``__init__``, once the backend and config exist."""
        self._runs: OrderedDict[str, RunOutput] = OrderedDict()
        self._streams: weakref.WeakSet[RunStream] = weakref.WeakSet()
        if prefetch_config and _sync.in_running_loop():
            # Inside a notebook a property cannot wait for the network without stalling the
            # kernel's loop, so start fetching the config now, on the IO thread.
            self._config.start_fetch()

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
        """The server can list this object's sessions (AgentOS can; A2A has no such call)."""
        return self._backend.lists_sessions

    def _os(self, what: str) -> AgentOSClient:
        return self._backend.os_client(what)

    @property
    def id(self) -> str:
        return self.agent_id

    async def _fetch_config(self, auth_token: str | None) -> AgentConfig:
        return await self._backend.fetch_config(auth_token)

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
        """Run it: a coroutine of its RunOutput, or with ``stream=True`` a RunStream of events.

        The RunStream is an async iterator and an async context manager; leaving it early in any
        way closes the HTTP stream. The keyword arguments are agno's (``RunArgs``); ``run_id``
        picks the run's id up front, so a non-streamed run can be cancelled from elsewhere.
        """
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
        """Sync twin of arun(): a RunOutput, or with ``stream=True`` an iterator of events."""
        if stream:
            return _sync.iterate_sync(self.arun(input, stream=True, **kwargs))
        return _sync.run_sync(self.arun(input, stream=False, **kwargs))

    def _track(self, started: Started) -> Started:
        """Remember the streams this object opens, so that ``aclose()`` can close them."""
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

    # -- cancel ------------------------------------------------------------------------------

    async def cancel_run(self, run_id: str, auth_token: str | None = None) -> bool:
        """Ask the server to cancel a run (over A2A: cancel the task).

        True when the server accepted the request for a run that had not ended; False when this
        object already saw the run end, or an A2A peer says the task can no longer be canceled.
        HTTP and connection failures raise their typed errors: a refusal is never a quiet False.
        """
        known = self._runs.get(run_id)
        if known is not None and known.status in (RunStatus.completed, RunStatus.cancelled, RunStatus.error):
            return False
        session_id = known.session_id if known is not None else None
        return await self._backend.cancel_run(run_id, session_id, auth_token)

    #: agno's code names it so (its documentation says ``cancel_run``).
    acancel_run = cancel_run
    cancel = _sync.twin(cancel_run)

    # -- beyond agno: the OS -----------------------------------------------------------------

    async def aget_os_config(self, auth_token: str | None = None) -> OSConfig:
        """The server's ``GET /config``: agents, teams, workflows, databases, interfaces."""
        return await self._os("the OS config").aget_config(auth_token=auth_token)

    get_os_config = _sync.twin(aget_os_config)

    def refresh_os_config(self, auth_token: str | None = None) -> Coroutine[Any, Any, OSConfig]:
        """agno's BaseRemote name for ``await``-ing the OS config afresh (ours is never cached, so
        it is ``aget_os_config``; the sync twin is ``get_os_config``)."""
        return self.aget_os_config(auth_token)

    # -- agno's BaseRemote accessors ---------------------------------------------------------

    def get_os_client(self) -> AgentOSClient:
        """The AgentOSClient this object talks through (same auth, same pool).

        agno makes a fresh one at ``base_url`` whatever the protocol; over A2A there is no
        AgentOS to talk to, so this raises ConfigurationError rather than hand back a client
        whose every call would 404.
        """
        return self._os("an AgentOS client")

    def get_a2a_client(self) -> A2AClient:
        """The A2AClient of an agent made with ``protocol="a2a"`` (ConfigurationError otherwise)."""
        client: A2AClient | None = getattr(self, "a2a_client", None)
        if client is None:
            raise ConfigurationError(
                f"{self!r} speaks AgentOS; make a RemoteAgent with protocol='a2a' (its URL the agent's "
                "A2A endpoint) for an A2A client"
            )
        return client

    async def aget_agent_card(self) -> AgentCard | None:
        """The A2A agent card over A2A; None over AgentOS (as agno). Failures raise, typed."""
        client: A2AClient | None = getattr(self, "a2a_client", None)
        return None if client is None else await client.aget_agent_card()

    get_agent_card = _sync.twin(aget_agent_card)

    # -- lifecycle ---------------------------------------------------------------------------

    async def aclose(self) -> None:
        """Close what this object owns: the streams it opened on this loop that are still open.

        Connection pools are shared by every client on a loop and close with the loop.
        """
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
