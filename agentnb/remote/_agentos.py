"""The AgentOS backend of RemoteAgent: runs, continues and cancels over AgentOS's REST + SSE."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from agentnb.agentos.client import AgentOSClient
from agentnb.agentos.forms import run_form
from agentnb.agentos.models import AgentConfig
from agentnb.errors import ConfigurationError, NotFoundError, RunAlreadyContinuedError
from agentnb.remote._backend import ContinueArgs, OnDone
from agentnb.remote._decisions import tools_to_send
from agentnb.remote._run_args import RunArgs
from agentnb.runs.models import RunOutput, RunStatus, ToolExecution
from agentnb.runs.stream import RunStream

__all__ = ["AgentOSBackend"]


class AgentOSBackend:
    """RemoteAgent's calls for one agent on an AgentOS."""

    lists_sessions = True

    def __init__(self, client: AgentOSClient, agent_id: str) -> None:
        self.client = client
        self.http = client.http
        self.agent_id = agent_id
        #: Runs continued and not paused again: AgentOS would fork them and run their tools twice.
        self._continued: set[str] = set()

    def os_client(self, what: str) -> AgentOSClient:
        return self.client

    async def fetch_config(self, auth_token: str | None) -> AgentConfig:
        return await self.client.aget_agent(self.agent_id, auth_token=auth_token)

    def run(
        self, input: Any, args: RunArgs, *, stream: bool, on_done: OnDone
    ) -> Coroutine[Any, Any, RunOutput] | RunStream:
        fields: dict[str, Any] = dict(args)
        auth_token = fields.pop("auth_token", None)
        keep_events = bool(fields.pop("keep_events", False))
        form = run_form(input, **fields)
        if stream:
            return self.client.stream_run(
                self.agent_id, form, auth_token=auth_token, keep_events=keep_events, on_done=on_done
            )
        return self._run_once(form, auth_token, on_done)

    async def _run_once(self, form: dict[str, Any], auth_token: str | None, on_done: OnDone) -> RunOutput:
        output = await self.client.acreate_run(self.agent_id, form, auth_token=auth_token)
        on_done(output)
        return output

    def continue_run(
        self, args: ContinueArgs, *, stream: bool, on_done: OnDone
    ) -> Coroutine[Any, Any, RunOutput] | RunStream:
        rid = args.run_id
        if args.input is not None:
            raise ConfigurationError(
                "input= answers an A2A input-required task; AgentOS runs continue with tools"
            )
        if args.updated_tools is not None and args.requirements is not None:
            raise ConfigurationError("pass updated_tools or requirements, not both")
        given = args.updated_tools if args.updated_tools is not None else args.requirements
        sid = args.session_id
        if not sid:
            raise ConfigurationError(
                f"continuing run {rid!r} needs its session_id (AgentOS requires it); pass session_id=, "
                "or pass the paused RunOutput instead of its run_id"
            )
        # Known here: decide now, so that an undecided tool is refused before anything is sent.
        # Paused elsewhere (another process, a restarted kernel): ask the server for it first.
        tools: list[ToolExecution] | None = None
        if args.paused is not None or not given:
            tools = tools_to_send(rid, given, args.paused)
        if rid in self._continued:
            raise RunAlreadyContinuedError(
                f"run {rid!r} was already continued; AgentOS would fork it and run its tools again"
            )
        self._continued.add(rid)

        def after(output: RunOutput) -> None:
            if output.run_id and output.status == RunStatus.paused:
                # Paused again: the same run id is continued once more.
                self._continued.discard(output.run_id)
            on_done(output)

        async def decided() -> list[ToolExecution]:
            if tools is not None:
                return tools
            try:
                return tools_to_send(rid, given, await self._fetch_paused(rid, sid, args.auth_token))
            except BaseException:
                self._continued.discard(rid)
                raise

        if stream:
            return self.client.stream_continue_run(
                self.agent_id,
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
            return await self.client.aget_run(
                self.agent_id, run_id, session_id=session_id, auth_token=auth_token
            )
        except NotFoundError:
            return None

    async def _continue_once(
        self,
        args: ContinueArgs,
        decided: Callable[[], Awaitable[list[ToolExecution]]],
        session_id: str,
        after: OnDone,
    ) -> RunOutput:
        try:
            output = await self.client.acontinue_run(
                self.agent_id,
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
        await self.client.acancel_run(self.agent_id, run_id, session_id=session_id, auth_token=auth_token)
        return True
