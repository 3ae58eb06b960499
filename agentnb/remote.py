"""RemoteAgent: the facade a notebook types, with agno's RemoteAgent API as its floor.

It translates only: wire work lives in ``agentos/`` (and ``a2a/``), HTTP in ``_http``.

    agent = RemoteAgent("http://localhost:7777", agent_id="assistant")
    out = await agent.arun("Hello")                    # RunOutput
    async with agent.arun("Tell me a story", stream=True) as stream:
        async for event in stream: ...
    out = agent.run("Hello")                           # sync twin, fine inside a notebook cell
"""

from __future__ import annotations

import concurrent.futures
import json
import logging
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Iterator, Sequence
from types import TracebackType
from typing import Any, Literal, overload

import httpx
from pydantic import BaseModel

from agentnb import _sync
from agentnb._a2a_runs import A2ARunStream, run_output_from_task
from agentnb._http import HTTPTransport
from agentnb._sse import DEFAULT_MAX_EVENT_BYTES
from agentnb.a2a.client import A2AClient
from agentnb.a2a.stream import DEFAULT_MAX_ARTIFACT_BYTES
from agentnb.agentos.client import AgentOSClient
from agentnb.agentos.models import (
    AgentConfig,
    OSConfig,
    RemoteDb,
    RemoteKnowledge,
    RunOutput,
    RunRecord,
    RunRequirement,
    RunStatus,
    SessionDetail,
    SessionPage,
    SessionSummary,
    ToolExecution,
)
from agentnb.agentos.stream import RunStream
from agentnb.errors import (
    A2AError,
    AgentNBError,
    ConfigurationError,
    RunAlreadyContinuedError,
    UnresolvedToolsError,
)
from agentnb.media import Message, media_to_wire

__all__ = ["RemoteAgent"]

log = logging.getLogger("agentnb")

#: How many runs the agent remembers (paused tools, finished state) for continue and cancel.
_KNOWN_RUNS = 256


class RemoteAgent:
    """An agent served by a remote AgentOS (``protocol="agentos"``) or A2A server (``"a2a"``).

    Parameters follow agno's ``RemoteAgent``. Beyond them: ``auth_token`` is a default bearer
    token for every call (a per-call ``auth_token=`` wins), ``transport`` an httpx transport for
    tests, ``prefetch_config=False`` skips fetching the config when created inside a running loop.
    Caps: ``max_event_bytes`` (a bigger streamed event is refused with ProtocolError),
    ``max_artifact_bytes`` (A2A artifact bytes held per task; the rest is dropped and reported on
    ``output.a2a.refused``); ``max_retries`` extra attempts where retrying is safe (connect errors;
    GETs answered 429/503 with Retry-After). ``arun(retries=)`` is AgentOS's own run retry.

    >>> agent = RemoteAgent("http://localhost:7777", agent_id="assistant")
    >>> out = await agent.arun("Hello")
    >>> out.content
    """

    def __init__(
        self,
        base_url: str,
        agent_id: str,
        protocol: Literal["agentos", "a2a"] = "agentos",
        a2a_protocol: Literal["rest", "json-rpc"] | None = None,
        timeout: float = 60.0,
        config_ttl: float = 300.0,
        *,
        auth_token: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        prefetch_config: bool = True,
        max_event_bytes: int = DEFAULT_MAX_EVENT_BYTES,
        max_artifact_bytes: int = DEFAULT_MAX_ARTIFACT_BYTES,
        max_retries: int = 2,
    ) -> None:
        if isinstance(protocol, (int, float)) and not isinstance(protocol, bool):
            # agno's code takes timeout third: RemoteAgent(url, id, 30.0) keeps working.
            timeout, protocol = float(protocol), "agentos"
        if protocol not in ("agentos", "a2a"):
            raise ConfigurationError(f"protocol must be 'agentos' or 'a2a', not {protocol!r}")
        if a2a_protocol not in (None, "rest", "json-rpc"):
            raise ConfigurationError(f"a2a_protocol must be 'rest' or 'json-rpc', not {a2a_protocol!r}")
        if not isinstance(agent_id, str) or not agent_id:
            raise ConfigurationError("agent_id must be a non-empty string")
        self.base_url = base_url.rstrip("/")
        self.agent_id = agent_id
        self.protocol = protocol
        self.a2a_protocol = a2a_protocol
        self.timeout = timeout
        self.config_ttl = config_ttl
        self.agentos_client: AgentOSClient | None = None
        self.a2a_client: A2AClient | None = None
        self._http: HTTPTransport
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
            )
            self._http = self.a2a_client.http
        else:
            self.agentos_client = AgentOSClient(
                self.base_url,
                timeout=timeout,
                auth_token=auth_token,
                transport=transport,
                max_event_bytes=max_event_bytes,
                max_retries=max_retries,
            )
            self._http = self.agentos_client.http
        self._config: tuple[AgentConfig, float] | None = None
        self._config_future: concurrent.futures.Future[Any] | None = None
        #: The error of the last failed config fetch (properties fall back instead of raising).
        self.config_error: BaseException | None = None
        self._runs: OrderedDict[str, RunOutput] = OrderedDict()
        self._continued: set[str] = set()
        if prefetch_config and _sync.in_running_loop():
            # Inside a notebook a property cannot wait for the network without stalling the
            # kernel's loop, so start fetching the config now, on the IO thread.
            self._start_config_fetch()

    def __repr__(self) -> str:
        return f"RemoteAgent({self.base_url!r}, agent_id={self.agent_id!r}, protocol={self.protocol!r})"

    # -- auth ------------------------------------------------------------------------------------

    @property
    def auth_token(self) -> str | None:
        """Default bearer token for every call; never shown in a repr."""
        return self._http.auth_token

    @auth_token.setter
    def auth_token(self, value: str | None) -> None:
        self._http.auth_token = value

    def _os(self, what: str) -> AgentOSClient:
        """The AgentOS client, or a clear error for an endpoint A2A does not have."""
        if self.agentos_client is None:
            raise ConfigurationError(
                f"{what} is an AgentOS endpoint; this agent speaks A2A ({self.base_url})"
            )
        return self.agentos_client

    # -- config and the seed's properties -------------------------------------------------------

    @property
    def id(self) -> str:
        return self.agent_id

    async def get_agent_config(self, auth_token: str | None = None) -> AgentConfig:
        """The agent's configuration, always fetched fresh (and cached for the properties).

        Over A2A it is built from the agent card: name, description, and the skills as tools.
        """
        if self.a2a_client is not None:
            config = await self._config_from_card()
        else:
            config = await self._os("the agent config").get_agent(self.agent_id, auth_token=auth_token)
        self._config = (config, time.monotonic())
        self.config_error = None
        return config

    async def _config_from_card(self) -> AgentConfig:
        assert self.a2a_client is not None
        card = await self.a2a_client.aget_agent_card(refresh=True)
        if card is None:
            return AgentConfig(
                id=self.agent_id, name=self.agent_id, description=f"A2A agent: {self.agent_id}"
            )
        config = AgentConfig(
            id=self.agent_id,
            name=card.name or self.agent_id,
            description=card.description,
            tools={"tools": card.skills} if card.skills else None,
            metadata=card.metadata,
        )
        config.raw = card.raw
        return config

    async def refresh_config(self, auth_token: str | None = None) -> AgentConfig:
        """Fetch the configuration again and replace the cached one."""
        return await self.get_agent_config(auth_token=auth_token)

    def agent_config(self, auth_token: str | None = None) -> AgentConfig:
        """Sync twin of get_agent_config()."""
        return _sync.run_sync(self.get_agent_config(auth_token=auth_token))

    @property
    def config_loaded(self) -> bool:
        """True when the properties read a fetched (not fallback) configuration."""
        return self._config is not None

    def _start_config_fetch(self) -> None:
        future = self._config_future
        if future is not None and not future.done():
            return
        self._config_future = _sync.run_in_io_thread(self._fetch_config_quietly())

    async def _fetch_config_quietly(self) -> None:
        try:
            await self.get_agent_config()
        except AgentNBError as exc:
            self.config_error = exc
            log.warning("agentnb: could not load the config of agent %r: %s", self.agent_id, exc)

    def _cached_config(self) -> AgentConfig | None:
        """The config for a property read: never raises, never blocks a running loop."""
        cached = self._config
        if cached is not None and time.monotonic() - cached[1] < self.config_ttl:
            return cached[0]
        if _sync.in_running_loop():
            # Stale or missing: serve what we have and refresh in the background.
            self._start_config_fetch()
            return cached[0] if cached is not None else None
        try:
            return _sync.run_sync(self.get_agent_config())
        except AgentNBError as exc:
            self.config_error = exc
            log.warning("agentnb: could not load the config of agent %r: %s", self.agent_id, exc)
            return cached[0] if cached is not None else None

    @property
    def name(self) -> str | None:
        config = self._cached_config()
        return config.name if config is not None and config.name else self.agent_id

    @property
    def description(self) -> str | None:
        config = self._cached_config()
        return config.description if config is not None and config.description is not None else ""

    @property
    def role(self) -> str | None:
        config = self._cached_config()
        return config.role if config is not None else None

    @property
    def tools(self) -> list[dict[str, Any]] | None:
        config = self._cached_config()
        return config.tool_list if config is not None else None

    @property
    def db(self) -> RemoteDb | None:
        config = self._cached_config()
        if config is None or not config.db_id:
            return None
        return RemoteDb(id=config.db_id)

    @property
    def knowledge(self) -> RemoteKnowledge | None:
        config = self._cached_config()
        if config is None or not config.knowledge:
            return None
        return RemoteKnowledge.from_wire(dict(config.knowledge))

    @property
    def model(self) -> None:
        """Always None, as in agno: the remote model cannot be used locally."""
        return None

    async def aget_tools(self, auth_token: str | None = None) -> list[dict[str, Any]]:
        config = await self.get_agent_config(auth_token=auth_token)
        return config.tool_list or []

    # -- runs ------------------------------------------------------------------------------------

    @overload
    def arun(
        self,
        input: str | list[Any] | dict[str, Any] | Message | BaseModel,
        *,
        stream: Literal[False] = False,
        user_id: str | None = None,
        session_id: str | None = None,
        session_state: dict[str, Any] | None = None,
        images: Sequence[Any] | None = None,
        audio: Sequence[Any] | None = None,
        videos: Sequence[Any] | None = None,
        files: Sequence[Any] | None = None,
        stream_events: bool | None = None,
        retries: int | None = None,
        knowledge_filters: dict[str, Any] | list[Any] | None = None,
        add_history_to_context: bool | None = None,
        add_dependencies_to_context: bool | None = None,
        add_session_state_to_context: bool | None = None,
        dependencies: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
        auth_token: str | None = None,
        run_id: str | None = None,
        keep_events: bool = False,
    ) -> Any: ...

    @overload
    def arun(
        self,
        input: str | list[Any] | dict[str, Any] | Message | BaseModel,
        *,
        stream: Literal[True],
        user_id: str | None = None,
        session_id: str | None = None,
        session_state: dict[str, Any] | None = None,
        images: Sequence[Any] | None = None,
        audio: Sequence[Any] | None = None,
        videos: Sequence[Any] | None = None,
        files: Sequence[Any] | None = None,
        stream_events: bool | None = None,
        retries: int | None = None,
        knowledge_filters: dict[str, Any] | list[Any] | None = None,
        add_history_to_context: bool | None = None,
        add_dependencies_to_context: bool | None = None,
        add_session_state_to_context: bool | None = None,
        dependencies: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
        auth_token: str | None = None,
        run_id: str | None = None,
        keep_events: bool = False,
    ) -> RunStream: ...

    def arun(
        self,
        input: str | list[Any] | dict[str, Any] | Message | BaseModel,
        *,
        stream: bool = False,
        user_id: str | None = None,
        session_id: str | None = None,
        session_state: dict[str, Any] | None = None,
        images: Sequence[Any] | None = None,
        audio: Sequence[Any] | None = None,
        videos: Sequence[Any] | None = None,
        files: Sequence[Any] | None = None,
        stream_events: bool | None = None,
        retries: int | None = None,
        knowledge_filters: dict[str, Any] | list[Any] | None = None,
        add_history_to_context: bool | None = None,
        add_dependencies_to_context: bool | None = None,
        add_session_state_to_context: bool | None = None,
        dependencies: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
        auth_token: str | None = None,
        run_id: str | None = None,
        keep_events: bool = False,
    ) -> Any:
        """Run the agent: a coroutine of RunOutput, or with ``stream=True`` a RunStream of events.

        The RunStream is an async iterator and an async context manager; leaving the ``async with``
        closes the HTTP stream. ``run_id`` picks the run's id up front, so a non-streamed run can
        be cancelled from elsewhere.
        """
        if self.a2a_client is not None:
            _refuse_agentos_only(
                session_state=session_state,
                stream_events=stream_events,
                retries=retries,
                knowledge_filters=knowledge_filters,
                add_history_to_context=add_history_to_context,
                add_dependencies_to_context=add_dependencies_to_context,
                add_session_state_to_context=add_session_state_to_context,
                dependencies=dependencies,
                run_id=run_id,
            )
            return self._arun_a2a(
                serialize_input(input),
                stream=stream,
                user_id=user_id,
                session_id=session_id,
                media=[*(images or []), *(audio or []), *(videos or []), *(files or [])],
                metadata=metadata,
                auth_token=auth_token,
                keep_events=keep_events,
            )
        os_client = self._os("a run")
        form = _run_form(
            input,
            user_id=user_id,
            session_id=session_id,
            session_state=session_state,
            images=images,
            audio=audio,
            videos=videos,
            files=files,
            stream_events=stream_events,
            retries=retries,
            knowledge_filters=knowledge_filters,
            add_history_to_context=add_history_to_context,
            add_dependencies_to_context=add_dependencies_to_context,
            add_session_state_to_context=add_session_state_to_context,
            dependencies=dependencies,
            metadata=metadata,
            run_id=run_id,
        )
        if stream:
            return os_client.stream_run(
                self.agent_id, form, auth_token=auth_token, keep_events=keep_events, on_done=self._remember
            )
        return self._arun_once(os_client, form, auth_token)

    async def _arun_once(
        self, os_client: AgentOSClient, form: dict[str, Any], auth_token: str | None
    ) -> RunOutput:
        output = await os_client.create_run(self.agent_id, form, auth_token=auth_token)
        self._remember(output)
        return output

    # -- A2A -------------------------------------------------------------------------------------

    def _a2a_headers(self, auth_token: str | None) -> dict[str, str] | None:
        return {"Authorization": f"Bearer {auth_token}"} if auth_token else None

    def _arun_a2a(
        self,
        message: str,
        *,
        stream: bool,
        user_id: str | None,
        session_id: str | None,
        media: list[Any],
        metadata: dict[str, Any] | None,
        auth_token: str | None,
        keep_events: bool,
        task_id: str | None = None,
    ) -> Any:
        client = self.a2a_client
        assert client is not None
        headers = self._a2a_headers(auth_token)
        if stream:
            a2a_stream = client.stream_message(
                message,
                context_id=session_id,
                task_id=task_id,
                user_id=user_id,
                files=media,
                metadata=metadata,
                headers=headers,
            )
            return A2ARunStream(
                a2a_stream,
                agent_id=self.agent_id,
                agent_name=self._card_name(),
                session_id=session_id,
                user_id=user_id,
                keep_events=keep_events,
                on_done=self._remember,
            )
        return self._asend_a2a(message, session_id, task_id, user_id, media, metadata, headers)

    async def _asend_a2a(
        self,
        message: str,
        session_id: str | None,
        task_id: str | None,
        user_id: str | None,
        media: list[Any],
        metadata: dict[str, Any] | None,
        headers: dict[str, str] | None,
    ) -> RunOutput:
        assert self.a2a_client is not None
        result = await self.a2a_client.send_message(
            message,
            context_id=session_id,
            task_id=task_id,
            user_id=user_id,
            files=media,
            metadata=metadata,
            headers=headers,
        )
        output = run_output_from_task(
            result, agent_id=self.agent_id, agent_name=self._card_name(), user_id=user_id
        )
        self._remember(output)
        return output

    def _card_name(self) -> str | None:
        cached = self._config
        return cached[0].name if cached is not None else None

    def run(self, input: Any, *, stream: bool = False, **kwargs: Any) -> Any:
        """Sync twin of arun(): a RunOutput, or with ``stream=True`` an iterator of events."""
        if stream:
            return self._iterate(self.arun(input, stream=True, **kwargs))
        result: RunOutput = _sync.run_sync(self.arun(input, stream=False, **kwargs))
        return result

    @staticmethod
    def _iterate(stream: RunStream) -> Iterator[Any]:
        return _sync.iterate_sync(stream)

    def _remember(self, output: RunOutput) -> None:
        if not output.run_id:
            return
        self._runs[output.run_id] = output
        self._runs.move_to_end(output.run_id)
        while len(self._runs) > _KNOWN_RUNS:
            self._runs.popitem(last=False)

    # -- continue --------------------------------------------------------------------------------

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
    ) -> Any: ...

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
    ) -> Any:
        """Continue a paused run with the user's decisions on its paused tools.

        ``updated_tools`` (agno's documented name) or ``requirements`` (agno 3.x) carry the
        decisions; ToolExecution and RunRequirement objects are both accepted, and so is the
        paused RunOutput itself in place of ``run_id``. Undecided tools are refused with
        UnresolvedToolsError before anything is sent (AgentOS would silently reject them), and a
        missing ``session_id`` is taken from the paused run.

        Over A2A a paused run is an input-required (or auth-required) task: ``input=`` is the
        answer, sent into the same task and context.
        """
        paused = run_id if isinstance(run_id, RunOutput) else None
        rid = paused.run_id if paused is not None else run_id
        if not isinstance(rid, str) or not rid:
            raise ConfigurationError("acontinue_run needs the paused run's run_id (or the paused RunOutput)")
        if paused is None:
            paused = self._runs.get(rid)
        if self.a2a_client is not None:
            reply = (
                input if input is not None else (updated_tools if isinstance(updated_tools, str) else None)
            )
            if not reply:
                raise ConfigurationError(
                    f"continuing A2A task {rid!r} needs the answer to its question: pass input='...'"
                )
            sid = session_id or (paused.session_id if paused is not None else None)
            return self._arun_a2a(
                reply,
                stream=stream,
                user_id=user_id,
                session_id=sid,
                media=[],
                metadata=None,
                auth_token=auth_token,
                keep_events=keep_events,
                task_id=rid,
            )
        if input is not None:
            raise ConfigurationError(
                "input= answers an A2A input-required task; AgentOS runs continue with tools"
            )
        os_client = self._os("continuing a run")
        if updated_tools is not None and requirements is not None:
            raise ConfigurationError("pass updated_tools or requirements, not both")
        given = updated_tools if updated_tools is not None else requirements
        tools = self._tools_to_send(rid, given, paused)
        sid = session_id or (paused.session_id if paused is not None else None)
        if not sid:
            raise ConfigurationError(
                f"continuing run {rid!r} needs its session_id (AgentOS requires it); pass session_id=, "
                "or pass the paused RunOutput instead of its run_id"
            )
        uid = user_id or (paused.user_id if paused is not None else None)
        if rid in self._continued:
            raise RunAlreadyContinuedError(
                f"run {rid!r} was already continued; AgentOS would fork it and run its tools again"
            )
        self._continued.add(rid)
        if stream:
            return os_client.stream_continue_run(
                self.agent_id,
                rid,
                tools,
                session_id=sid,
                user_id=uid,
                auth_token=auth_token,
                keep_events=keep_events,
                on_done=self._after_continue,
            )
        return self._acontinue_once(os_client, rid, tools, sid, uid, auth_token)

    async def _acontinue_once(
        self,
        os_client: AgentOSClient,
        run_id: str,
        tools: list[ToolExecution],
        session_id: str,
        user_id: str | None,
        auth_token: str | None,
    ) -> RunOutput:
        try:
            output = await os_client.continue_run(
                self.agent_id, run_id, tools, session_id=session_id, user_id=user_id, auth_token=auth_token
            )
        except BaseException:
            self._continued.discard(run_id)
            raise
        self._after_continue(output)
        return output

    def _after_continue(self, output: RunOutput) -> None:
        if output.run_id and output.status == RunStatus.paused:
            # Paused again: the same run id is continued once more.
            self._continued.discard(output.run_id)
        self._remember(output)

    def continue_run(
        self, run_id: str | RunOutput, updated_tools: Sequence[Any] | None = None, **kwargs: Any
    ) -> Any:
        """Sync twin of acontinue_run()."""
        if kwargs.get("stream"):
            return self._iterate(self.acontinue_run(run_id, updated_tools, **kwargs))
        return _sync.run_sync(self.acontinue_run(run_id, updated_tools, **kwargs))

    def _tools_to_send(
        self, run_id: str, given: Sequence[Any] | None, paused: RunOutput | None
    ) -> list[ToolExecution]:
        tools = [_as_tool(item) for item in given] if given is not None else []
        if paused is not None and paused.tools:
            # Decisions made on the paused RunOutput's own objects count even if not passed in.
            listed = {t.tool_call_id for t in tools}
            tools += [t for t in paused.paused_tools if t.tool_call_id not in listed]
        if not tools:
            raise UnresolvedToolsError(
                f"nothing to continue run {run_id!r} with: pass updated_tools= (or requirements=) with the "
                "paused tools and your decisions",
                pending=[],
            )
        pending = [t for t in tools if t.is_pending]
        if pending:
            names = ", ".join(f"{t.tool_name} ({t.tool_call_id}): {t.pending_reason()}" for t in pending)
            raise UnresolvedToolsError(
                f"run {run_id!r} still has undecided tools: {names}. AgentOS would treat them as rejected.",
                pending=pending,
            )
        return tools

    # -- cancel ----------------------------------------------------------------------------------

    async def cancel_run(self, run_id: str, auth_token: str | None = None) -> bool:
        """Ask the server to cancel a run (over A2A: cancel the task).

        True when the server accepted the request for a run that had not ended; False when this
        agent already saw the run end, or an A2A peer says the task can no longer be canceled.
        HTTP and connection failures raise their typed errors: a refusal is never a quiet False.
        """
        known = self._runs.get(run_id)
        if known is not None and known.status in (
            RunStatus.completed,
            RunStatus.cancelled,
            RunStatus.error,
        ):
            return False
        session_id = known.session_id if known is not None else None
        if self.a2a_client is not None:
            try:
                result = await self.a2a_client.cancel_task(run_id, context_id=session_id)
            except A2AError as exc:
                if exc.code == -32002:  # TaskNotCancelable: it has already ended
                    return False
                raise
            return bool(result.is_canceled)
        await self._os("cancelling a run").cancel_run(
            self.agent_id, run_id, session_id=session_id, auth_token=auth_token
        )
        return True

    acancel_run = cancel_run

    def cancel(self, run_id: str, auth_token: str | None = None) -> bool:
        """Sync twin of cancel_run()."""
        return _sync.run_sync(self.cancel_run(run_id, auth_token=auth_token))

    # -- beyond the seed: the OS, sessions and stored runs ----------------------------------------

    async def alist_agents(self, auth_token: str | None = None) -> list[AgentConfig]:
        """Every agent the server serves (``GET /agents``)."""
        return await self._os("the agent list").list_agents(auth_token=auth_token)

    def list_agents(self, auth_token: str | None = None) -> list[AgentConfig]:
        return _sync.run_sync(self.alist_agents(auth_token=auth_token))

    async def aget_os_config(self, auth_token: str | None = None) -> OSConfig:
        """The server's ``GET /config``: agents, teams, workflows, databases, interfaces."""
        return await self._os("the OS config").get_config(auth_token=auth_token)

    def get_os_config(self, auth_token: str | None = None) -> OSConfig:
        return _sync.run_sync(self.aget_os_config(auth_token=auth_token))

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
        return await self._os("the session list").list_sessions(
            component_id=None if all_agents else self.agent_id,
            user_id=user_id,
            session_name=session_name,
            limit=limit,
            page=page,
            sort_by=sort_by,
            sort_order=sort_order,
            auth_token=auth_token,
        )

    def list_sessions(self, **kwargs: Any) -> SessionPage:
        return _sync.run_sync(self.alist_sessions(**kwargs))

    def aiter_sessions(
        self,
        *,
        user_id: str | None = None,
        page_size: int = 100,
        max_items: int | None = None,
        auth_token: str | None = None,
    ) -> AsyncIterator[SessionSummary]:
        """All of this agent's sessions, following the server's pages."""
        return self._os("the session list").iter_sessions(
            component_id=self.agent_id,
            user_id=user_id,
            page_size=page_size,
            max_items=max_items,
            auth_token=auth_token,
        )

    async def aget_session(
        self, session_id: str, *, user_id: str | None = None, auth_token: str | None = None
    ) -> SessionDetail:
        return await self._os("a session").get_session(session_id, user_id=user_id, auth_token=auth_token)

    def get_session(self, session_id: str, **kwargs: Any) -> SessionDetail:
        return _sync.run_sync(self.aget_session(session_id, **kwargs))

    async def aget_session_runs(
        self, session_id: str, *, user_id: str | None = None, auth_token: str | None = None
    ) -> list[RunRecord]:
        return await self._os("the runs of a session").get_session_runs(
            session_id, user_id=user_id, auth_token=auth_token
        )

    def get_session_runs(self, session_id: str, **kwargs: Any) -> list[RunRecord]:
        return _sync.run_sync(self.aget_session_runs(session_id, **kwargs))

    async def arename_session(
        self, session_id: str, session_name: str, *, user_id: str | None = None, auth_token: str | None = None
    ) -> SessionDetail:
        return await self._os("renaming a session").rename_session(
            session_id, session_name, user_id=user_id, auth_token=auth_token
        )

    def rename_session(self, session_id: str, session_name: str, **kwargs: Any) -> SessionDetail:
        return _sync.run_sync(self.arename_session(session_id, session_name, **kwargs))

    async def adelete_session(
        self, session_id: str, *, user_id: str | None = None, auth_token: str | None = None
    ) -> None:
        await self._os("deleting a session").delete_session(
            session_id, user_id=user_id, auth_token=auth_token
        )

    def delete_session(self, session_id: str, **kwargs: Any) -> None:
        _sync.run_sync(self.adelete_session(session_id, **kwargs))

    async def aget_run(self, run_id: str, session_id: str, *, auth_token: str | None = None) -> RunOutput:
        """A finished run as the server stored it (runs are stored only once they end)."""
        return await self._os("a stored run").get_run(
            self.agent_id, run_id, session_id=session_id, auth_token=auth_token
        )

    def get_run(self, run_id: str, session_id: str, **kwargs: Any) -> RunOutput:
        return _sync.run_sync(self.aget_run(run_id, session_id, **kwargs))

    # -- lifecycle -------------------------------------------------------------------------------

    async def __aenter__(self) -> RemoteAgent:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        return None


# --------------------------------------------------------------------------- form building


def serialize_input(input: Any) -> str:
    """The ``message`` form field: text as is; structured input as JSON (as agno's client does)."""
    if isinstance(input, str):
        return input
    if isinstance(input, Message) or _is_agno_message(input):
        content = getattr(input, "content", None)
        if isinstance(content, str):
            return content
        return json.dumps(_message_dict(input), default=str)
    if isinstance(input, BaseModel):
        return input.model_dump_json()
    if isinstance(input, dict):
        return json.dumps(input, default=str)
    if isinstance(input, (list, tuple)):
        return json.dumps(
            [_message_dict(i) if isinstance(i, Message) or _is_agno_message(i) else i for i in input],
            default=str,
        )
    raise ConfigurationError(
        f"input must be str, list, dict, Message or a pydantic model, not {type(input).__name__}"
    )


def _is_agno_message(obj: Any) -> bool:
    return type(obj).__name__ == "Message" and hasattr(obj, "role") and hasattr(obj, "content")


def _message_dict(message: Any) -> dict[str, Any]:
    to_dict = getattr(message, "to_dict", None)
    if callable(to_dict):
        result = to_dict()
        if isinstance(result, dict):
            return result
    if isinstance(message, BaseModel):
        return message.model_dump(mode="json", exclude_none=True)
    return {"role": getattr(message, "role", "user"), "content": getattr(message, "content", None)}


def _refuse_agentos_only(**values: Any) -> None:
    """Arguments only AgentOS understands are refused over A2A rather than silently dropped."""
    given = sorted(name for name, value in values.items() if value is not None)
    if given:
        raise ConfigurationError(f"{', '.join(given)}: not supported over A2A (AgentOS-only arguments)")


def _check(name: str, value: Any, types: tuple[type, ...], what: str) -> None:
    if value is not None and not isinstance(value, types):
        raise ConfigurationError(f"{name} must be {what}, not {type(value).__name__}")


def _run_form(
    input: Any,
    *,
    user_id: str | None,
    session_id: str | None,
    session_state: dict[str, Any] | None,
    images: Sequence[Any] | None,
    audio: Sequence[Any] | None,
    videos: Sequence[Any] | None,
    files: Sequence[Any] | None,
    stream_events: bool | None,
    retries: int | None,
    knowledge_filters: dict[str, Any] | list[Any] | None,
    add_history_to_context: bool | None,
    add_dependencies_to_context: bool | None,
    add_session_state_to_context: bool | None,
    dependencies: dict[str, Any] | None,
    metadata: dict[str, Any] | None,
    run_id: str | None,
) -> dict[str, Any]:
    """Validate the run arguments and build the AgentOS form (values still typed)."""
    checks: list[tuple[str, Any, tuple[type, ...], str]] = [
        ("user_id", user_id, (str,), "a string"),
        ("session_id", session_id, (str,), "a string"),
        ("run_id", run_id, (str,), "a string"),
        ("session_state", session_state, (dict,), "a dict"),
        ("dependencies", dependencies, (dict,), "a dict"),
        ("metadata", metadata, (dict,), "a dict"),
        ("knowledge_filters", knowledge_filters, (dict, list), "a dict or a list"),
        ("stream_events", stream_events, (bool,), "True or False"),
        ("add_history_to_context", add_history_to_context, (bool,), "True or False"),
        ("add_dependencies_to_context", add_dependencies_to_context, (bool,), "True or False"),
        ("add_session_state_to_context", add_session_state_to_context, (bool,), "True or False"),
    ]
    for name, value, types, what in checks:
        _check(name, value, types, what)
    if retries is not None and (isinstance(retries, bool) or not isinstance(retries, int) or retries < 0):
        raise ConfigurationError(f"retries must be a non-negative int, not {retries!r}")
    form: dict[str, Any] = {
        "message": serialize_input(input),
        "user_id": user_id,
        "session_id": session_id,
        "session_state": session_state,
        "stream_events": stream_events,
        "retries": retries,
        "knowledge_filters": knowledge_filters,
        "add_history_to_context": add_history_to_context,
        "add_dependencies_to_context": add_dependencies_to_context,
        "add_session_state_to_context": add_session_state_to_context,
        "dependencies": dependencies,
        "metadata": metadata,
        "run_id": run_id,
    }
    # Media go as JSON form fields (base64 content); documents as "input_files" because AgentOS
    # reserves "files" for multipart uploads.
    for field, items in (("images", images), ("audio", audio), ("videos", videos), ("input_files", files)):
        if items:
            if isinstance(items, (str, bytes)) or not isinstance(items, Sequence):
                raise ConfigurationError(f"{field}: expected a list of media objects")
            form[field] = [
                media_to_wire(item, "files" if field == "input_files" else field) for item in items
            ]
    return {k: v for k, v in form.items() if v is not None}


def _as_tool(item: Any) -> ToolExecution:
    """A ToolExecution from ours, a RunRequirement, agno's objects, or a dict."""
    if isinstance(item, ToolExecution):
        return item
    if isinstance(item, RunRequirement):
        return item.tool_execution
    tool_execution = getattr(item, "tool_execution", None)
    if tool_execution is not None:
        item = tool_execution
    if isinstance(item, ToolExecution):
        return item
    if isinstance(item, dict):
        return ToolExecution.model_validate(item)
    to_dict = getattr(item, "to_dict", None)
    if callable(to_dict):
        return ToolExecution.model_validate(to_dict())
    raise ConfigurationError(
        f"cannot continue with a {type(item).__name__}; pass ToolExecution or RunRequirement"
    )
