"""RemoteAgent: the facade a notebook types, with agno's RemoteAgent API as its floor.

It translates only: it picks one backend at construction (``_agentos`` or ``_a2a``) and delegates.

    agent = RemoteAgent("http://localhost:7777", agent_id="assistant")
    out = await agent.arun("Hello")                    # RunOutput
    async with agent.arun("Tell me a story", stream=True) as stream:
        async for event in stream: ...
    out = agent.run("Hello")                           # sync twin, fine inside a notebook cell
"""

from __future__ import annotations

import importlib
from collections.abc import Coroutine, Sequence
from typing import Any, Literal, overload

import httpx

from agentnb import _sync
from agentnb._http import HTTPClient
from agentnb._sse import DEFAULT_MAX_EVENT_BYTES
from agentnb.a2a.client import A2AClient
from agentnb.a2a.tasks import DEFAULT_MAX_ARTIFACT_BYTES
from agentnb.agentos.client import AgentOSClient
from agentnb.agentos.models import AgentConfig, RunRecord
from agentnb.errors import ConfigurationError
from agentnb.remote._a2a import A2ABackend
from agentnb.remote._agentos import AgentOSBackend
from agentnb.remote._backend import Backend, ContinueArgs
from agentnb.remote._config import ConfigCache
from agentnb.remote._runnable import RemoteRunnable, RunInput
from agentnb.runs.models import RunOutput
from agentnb.runs.stream import RunStream

__all__ = ["RemoteAgent", "RunInput"]


class RemoteAgent(RemoteRunnable):
    """An agent served by a remote AgentOS (``protocol="agentos"``) or A2A server (``"a2a"``).

    Parameters follow agno's ``RemoteAgent``. Beyond them: ``auth_token`` is a default bearer
    token for every call (a per-call ``auth_token=`` wins), ``transport`` an httpx transport for
    tests, ``prefetch_config=False`` skips fetching the config when created inside a running loop.
    Caps: ``max_event_bytes`` (a bigger streamed event is refused with ProtocolError),
    ``max_artifact_bytes`` (A2A artifact bytes held per task; the rest is dropped and reported on
    ``output.a2a.refused``); ``max_retries`` extra attempts where retrying is safe (connect errors;
    GETs answered 429/503 with Retry-After). ``arun(retries=)`` is AgentOS's own run retry.
    Pool: ``max_connections`` caps the HTTP connections open at once on a loop (default 200;
    further concurrent streams wait for a free one), or ``limits`` takes an ``httpx.Limits``.

    >>> agent = RemoteAgent("http://localhost:7777", agent_id="assistant")
    >>> out = await agent.arun("Hello")
    >>> out.content
    """

    def __init__(
        self,
        base_url: str,
        agent_id: str,
        protocol: Literal["agentos", "a2a"] = "agentos",
        a2a_protocol: Literal["rest", "json-rpc", "grpc"] | None = None,
        timeout: float = 60.0,
        config_ttl: float = 300.0,
        *,
        auth_token: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        prefetch_config: bool = True,
        max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES,
        max_artifact_bytes: int = DEFAULT_MAX_ARTIFACT_BYTES,
        max_retries: int = 2,
        max_connections: int | None = None,
        limits: httpx.Limits | None = None,
    ) -> None:
        if isinstance(protocol, (int, float)) and not isinstance(protocol, bool):
            # agno's code takes timeout third: RemoteAgent(url, id, 30.0) keeps working.
            timeout, protocol = float(protocol), "agentos"
        if protocol not in ("agentos", "a2a"):
            raise ConfigurationError(f"protocol must be 'agentos' or 'a2a', not {protocol!r}")
        if a2a_protocol not in (None, "rest", "json-rpc", "grpc"):
            raise ConfigurationError(
                f"a2a_protocol must be 'rest', 'json-rpc' or 'grpc', not {a2a_protocol!r}"
            )
        if not isinstance(agent_id, str) or not agent_id:
            raise ConfigurationError("agent_id must be a non-empty string")
        self.base_url = base_url.rstrip("/")
        self.agent_id = agent_id
        self.protocol = protocol
        self.a2a_protocol = a2a_protocol
        self.timeout = timeout
        self._config = ConfigCache(self.get_agent_config, ttl=config_ttl, label=f"agent {agent_id!r}")
        self.agentos_client: AgentOSClient | None = None
        self.a2a_client: A2AClient | None = None
        self._backend: Backend
        if protocol == "a2a":
            self.a2a_client = A2AClient(
                self.base_url,
                timeout=timeout,
                protocol=a2a_protocol,
                auth_token=auth_token,
                transport=transport,
                max_event_bytes=max_event_bytes,
                max_artifact_bytes=max_artifact_bytes,
                max_retries=max_retries,
                max_connections=max_connections,
                limits=limits,
            )
            self._backend = A2ABackend(self.a2a_client, agent_id, self._known_name)
        else:
            http = HTTPClient(
                self.base_url,
                timeout=timeout,
                auth_token=auth_token,
                transport=transport,
                retries=max_retries,
                max_connections=max_connections,
                limits=limits,
            )
            self.agentos_client = AgentOSClient(self.base_url, http=http, max_event_bytes=max_event_bytes)
            self._backend = AgentOSBackend(self.agentos_client, agent_id)
        self._start(prefetch_config)

    def __repr__(self) -> str:
        return f"RemoteAgent({self.base_url!r}, agent_id={self.agent_id!r}, protocol={self.protocol!r})"

    # -- continue ----------------------------------------------------------------------------

    @overload
    def acontinue_run(
        self,
        run_id: str | RunOutput,
        updated_tools: Sequence[Any] | None = None,
        stream: Literal[False] = False,
        user_id: str | None = None,
        session_id: str | None = None,
        auth_token: str | None = None,
        *,
        requirements: Sequence[Any] | None = None,
        input: str | None = None,
        keep_events: bool = False,
    ) -> Coroutine[Any, Any, RunOutput]: ...

    @overload
    def acontinue_run(
        self,
        run_id: str | RunOutput,
        updated_tools: Sequence[Any] | None = None,
        *,
        stream: Literal[True],
        user_id: str | None = None,
        session_id: str | None = None,
        auth_token: str | None = None,
        requirements: Sequence[Any] | None = None,
        input: str | None = None,
        keep_events: bool = False,
    ) -> RunStream: ...

    def acontinue_run(
        self,
        run_id: str | RunOutput,
        updated_tools: Sequence[Any] | None = None,
        stream: bool = False,
        user_id: str | None = None,
        session_id: str | None = None,
        auth_token: str | None = None,
        *,
        requirements: Sequence[Any] | None = None,
        input: str | None = None,
        keep_events: bool = False,
    ) -> Coroutine[Any, Any, RunOutput] | RunStream:
        """Continue a paused run with the user's decisions on its paused tools.

        ``updated_tools`` (agno's documented name) or ``requirements`` (agno 3.x) carry the
        decisions; ToolExecution and RunRequirement objects are both accepted, and so is the
        paused RunOutput itself in place of ``run_id``. Undecided tools are refused with
        UnresolvedToolsError before anything is sent (AgentOS would silently reject them), and a
        missing ``session_id`` is taken from the paused run.

        A run that waits for a free-text answer (``output.awaiting_reply``; an A2A input-required
        or auth-required task) continues with ``input=`` the answer, in the same task and context.
        """
        paused = run_id if isinstance(run_id, RunOutput) else None
        rid = paused.run_id if paused is not None else run_id
        if not isinstance(rid, str) or not rid:
            raise ConfigurationError("acontinue_run needs the paused run's run_id (or the paused RunOutput)")
        args = ContinueArgs(
            rid,
            paused if paused is not None else self._runs.get(rid),
            updated_tools=updated_tools,
            requirements=requirements,
            input=input,
            session_id=session_id,
            user_id=user_id,
            auth_token=auth_token,
            keep_events=keep_events,
        )
        return self._track(self._backend.continue_run(args, stream=stream, on_done=self._remember))

    def continue_run(
        self,
        run_id: str | RunOutput,
        updated_tools: Sequence[Any] | None = None,
        stream: bool = False,
        user_id: str | None = None,
        session_id: str | None = None,
        auth_token: str | None = None,
        *,
        requirements: Sequence[Any] | None = None,
        input: str | None = None,
        keep_events: bool = False,
    ) -> Any:
        """Sync twin of acontinue_run(): a RunOutput, or with ``stream=True`` an iterator of events."""
        kwargs: dict[str, Any] = {
            "user_id": user_id,
            "session_id": session_id,
            "auth_token": auth_token,
            "requirements": requirements,
            "input": input,
            "keep_events": keep_events,
        }
        if stream:
            return _sync.iterate_sync(self.acontinue_run(run_id, updated_tools, stream=True, **kwargs))
        return _sync.run_sync(self.acontinue_run(run_id, updated_tools, stream=False, **kwargs))

    # -- batch runs: agentnb.batch needs pandas, so it loads on first call (no import upward) ----

    async def abatch(
        self, prompts: Any, *, concurrency: int = 8, session_id: str | None = None, stream: bool = False,
        retries: int = 0, progress: bool = True, stop: Any = None, prompt_column: str = "prompt",
        **run_kwargs: Any,
    ) -> Any:  # fmt: skip
        """Run many prompts, ``concurrency`` at a time: a DataFrame in input order (see agentnb.batch)."""
        return await importlib.import_module("agentnb.batch").abatch_agent(
            self, prompts, concurrency=concurrency, session_id=session_id, stream=stream, retries=retries,
            picks_run_ids=self.protocol == "agentos", progress=progress, stop=stop,
            prompt_column=prompt_column, **run_kwargs,
        )  # fmt: skip

    batch = _sync.twin(abatch)

    # -- beyond agno: the OS -----------------------------------------------------------------

    async def alist_agents(self, auth_token: str | None = None) -> list[AgentConfig]:
        """Every agent the server serves (``GET /agents``)."""
        return await self._os("the agent list").alist_agents(auth_token=auth_token)

    async def alist_runs(
        self, session_id: str, *, status: str | None = None, auth_token: str | None = None
    ) -> list[RunRecord]:
        """This agent's runs in one session; ``status``: PENDING, RUNNING, COMPLETED or ERROR."""
        return await self._os("the runs of a session").alist_runs(
            self.agent_id, session_id=session_id, status=status, auth_token=auth_token
        )

    async def afork_session(
        self, session_id: str, *, user_id: str | None = None, auth_token: str | None = None
    ) -> str:
        """A copy of a session to try another path from (every run copied); its new session id."""
        return await self._os("forking a session").afork_session(
            self.agent_id, session_id, user_id=user_id, auth_token=auth_token
        )

    list_agents = _sync.twin(alist_agents)
    list_runs = _sync.twin(alist_runs)
    fork_session = _sync.twin(afork_session)
