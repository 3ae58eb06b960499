"""The AgentOS backend of RemoteAgent, RemoteTeam and RemoteWorkflow: one class over three route sets.

An agent, a team and a workflow run, continue and cancel on AgentOS the same way: a form, a
"continued once" guard (AgentOS would fork a run continued twice and run its tools again), and
decisions worked out before anything is sent. They differ only in their routes (``/agents``,
``/teams``, ``/workflows``) and in what a continue carries: an agent's tools, a team's
``requirements``, a workflow's ``step_requirements``. ``RunRoutes`` is that difference; the
agent's routes are AgentOSClient's own methods, a team's and a workflow's ComponentRoutes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from typing import Any, Generic, Protocol, TypeVar

from agentnb.agentos.client import AgentOSClient
from agentnb.agentos.forms import run_form
from agentnb.agentos.models import AgentConfig
from agentnb.errors import ConfigurationError, NotFoundError, RunAlreadyContinuedError
from agentnb.remote._backend import ContinueArgs, OnDone
from agentnb.remote._decisions import tools_to_send
from agentnb.remote._run_args import RunArgs
from agentnb.runs.continued import ContinuedRuns
from agentnb.runs.models import RunOutput, RunStatus, ToolExecution
from agentnb.runs.stream import RunStream

__all__ = ["AgentOSBackend", "AgentOSRunBackend", "RunRoutes"]

D = TypeVar("D")
D_contra = TypeVar("D_contra", contravariant=True)
#: Decisions for a paused run: (run id, what the caller gave, the paused output) -> what to send.
Decide = Callable[[str, Sequence[Any] | None, RunOutput | None], list[D]]


class RunRoutes(Protocol[D_contra]):
    """One kind of AgentOS runnable's routes, addressed by its id."""

    async def aget(self, component_id: str, *, auth_token: str | None = None) -> AgentConfig: ...

    async def acreate_run(
        self, component_id: str, form: Mapping[str, Any], *, auth_token: str | None = None
    ) -> RunOutput: ...

    def stream_run(
        self,
        component_id: str,
        form: Mapping[str, Any],
        *,
        auth_token: str | None = None,
        keep_events: bool = False,
        on_done: Callable[[RunOutput], None] | None = None,
    ) -> RunStream: ...

    async def acontinue_run(
        self,
        component_id: str,
        run_id: str,
        decisions: Sequence[D_contra],
        *,
        session_id: str,
        user_id: str | None = None,
        auth_token: str | None = None,
    ) -> RunOutput: ...

    def stream_continue_run(
        self,
        component_id: str,
        run_id: str,
        decisions: Callable[[], Awaitable[Sequence[D_contra]]],
        *,
        session_id: str,
        user_id: str | None = None,
        auth_token: str | None = None,
        keep_events: bool = False,
        on_done: Callable[[RunOutput], None] | None = None,
    ) -> RunStream: ...

    async def aget_run(
        self, component_id: str, run_id: str, *, session_id: str, auth_token: str | None = None
    ) -> RunOutput: ...

    async def acancel_run(
        self, component_id: str, run_id: str, *, session_id: str | None = None, auth_token: str | None = None
    ) -> Any: ...


class AgentOSRunBackend(Generic[D]):
    """Runs, continues and cancels of one AgentOS runnable (the Backend protocol of ``_backend``)."""

    lists_sessions = True
    #: Why ``input=`` is refused, and how the session hint names a paused output.
    input_refusal = "AgentOS runs continue with decisions, not input="
    paused_name = "paused output"

    def __init__(
        self, client: AgentOSClient, routes: RunRoutes[D], component_id: str, decide: Decide[D]
    ) -> None:
        self.client = client
        self.http = client.http
        self.routes = routes
        self.component_id = component_id
        self._decide = decide
        #: Runs continued and not paused again: AgentOS would fork them and run their tools twice.
        self._continued = ContinuedRuns()

    def os_client(self, what: str) -> AgentOSClient:
        return self.client

    async def fetch_config(self, auth_token: str | None) -> AgentConfig:
        return await self.routes.aget(self.component_id, auth_token=auth_token)

    def run(
        self, input: Any, args: RunArgs, *, stream: bool, on_done: OnDone
    ) -> Coroutine[Any, Any, RunOutput] | RunStream:
        fields: dict[str, Any] = dict(args)
        auth_token = fields.pop("auth_token", None)
        keep_events = bool(fields.pop("keep_events", False))
        form = run_form(input, **fields)
        if stream:
            return self.routes.stream_run(
                self.component_id, form, auth_token=auth_token, keep_events=keep_events, on_done=on_done
            )
        return self._run_once(form, auth_token, on_done)

    async def _run_once(self, form: dict[str, Any], auth_token: str | None, on_done: OnDone) -> RunOutput:
        output = await self.routes.acreate_run(self.component_id, form, auth_token=auth_token)
        on_done(output)
        return output

    def continue_run(
        self, args: ContinueArgs, *, stream: bool, on_done: OnDone
    ) -> Coroutine[Any, Any, RunOutput] | RunStream:
        rid, sid = args.run_id, args.session_id
        if args.input is not None:
            raise ConfigurationError(self.input_refusal)
        if args.updated_tools is not None and args.requirements is not None:
            raise ConfigurationError("pass updated_tools or requirements, not both")
        given = args.updated_tools if args.updated_tools is not None else args.requirements
        if not sid:
            raise ConfigurationError(
                f"continuing run {rid!r} needs its session_id (AgentOS requires it); pass session_id=, "
                f"or pass the {self.paused_name} instead of its run_id"
            )
        # Known here: decide now, so that an undecided tool is refused before anything is sent.
        # Paused elsewhere (another process, a restarted kernel): ask the server when the call opens.
        decided_now: list[D] | None = None
        if args.paused is not None or not given:
            decided_now = self._decide(rid, given, args.paused)
        if rid in self._continued:
            raise RunAlreadyContinuedError(
                f"run {rid!r} was already continued; AgentOS would fork it and run its tools again"
            )
        self._continued.add(rid)

        def after(output: RunOutput) -> None:
            if output.run_id and output.status == RunStatus.paused:
                self._continued.discard(output.run_id)  # paused again: it continues once more
            on_done(output)

        async def decided() -> list[D]:
            if decided_now is not None:
                return decided_now
            try:
                return self._decide(rid, given, await self._fetch_paused(rid, sid, args.auth_token))
            except BaseException:
                self._continued.discard(rid)
                raise

        if stream:
            return self.routes.stream_continue_run(
                self.component_id,
                rid,
                decided,
                session_id=sid,
                user_id=args.user_id,
                auth_token=args.auth_token,
                keep_events=args.keep_events,
                on_done=after,
            )
        return self._continue_once(args, decided, sid, after)

    async def _fetch_paused(self, run_id: str, session_id: str, auth_token: str | None) -> RunOutput | None:
        """The paused run as the server stored it (None when it has no such run)."""
        try:
            return await self.routes.aget_run(
                self.component_id, run_id, session_id=session_id, auth_token=auth_token
            )
        except NotFoundError:
            return None

    async def _continue_once(
        self,
        args: ContinueArgs,
        decided: Callable[[], Awaitable[list[D]]],
        session_id: str,
        after: OnDone,
    ) -> RunOutput:
        try:
            output = await self.routes.acontinue_run(
                self.component_id,
                args.run_id,
                await decided(),
                session_id=session_id,
                user_id=args.user_id,
                auth_token=args.auth_token,
            )
        except BaseException:
            self._continued.discard(args.run_id)
            raise
        after(output)
        return output

    async def cancel_run(self, run_id: str, session_id: str | None, auth_token: str | None) -> bool:
        await self.routes.acancel_run(self.component_id, run_id, session_id=session_id, auth_token=auth_token)
        return True


class _AgentRoutes:
    """An agent's routes: AgentOSClient's own methods under RunRoutes' names."""

    def __init__(self, client: AgentOSClient) -> None:
        self.aget = client.aget_agent
        self.acreate_run = client.acreate_run
        self.stream_run = client.stream_run
        self.acontinue_run = client.acontinue_run
        self.stream_continue_run = client.stream_continue_run
        self.aget_run = client.aget_run
        self.acancel_run = client.acancel_run


class AgentOSBackend(AgentOSRunBackend[ToolExecution]):
    """RemoteAgent's calls for one agent on an AgentOS: its decisions are the paused tools."""

    input_refusal = "input= answers an A2A input-required task; AgentOS runs continue with tools"
    paused_name = "paused RunOutput"

    def __init__(self, client: AgentOSClient, agent_id: str) -> None:
        super().__init__(client, _AgentRoutes(client), agent_id, tools_to_send)
        self.agent_id = agent_id
