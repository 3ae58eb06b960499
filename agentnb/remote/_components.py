"""The AgentOS backend of RemoteTeam and RemoteWorkflow: one Backend, parametrised by kind.

It does what ``_agentos.AgentOSBackend`` does for an agent (forms, the "continued once" guard,
deciding before sending) over ``/teams`` or ``/workflows``; only the continue's decisions differ
(``requirements`` for a team, ``step_requirements`` for a workflow).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from agentnb.agentos.client import AgentOSClient
from agentnb.agentos.components import ComponentKind, ComponentRoutes
from agentnb.agentos.forms import run_form
from agentnb.agentos.models import AgentConfig
from agentnb.errors import ConfigurationError, NotFoundError, RunAlreadyContinuedError
from agentnb.remote._backend import ContinueArgs, OnDone
from agentnb.remote._run_args import RunArgs
from agentnb.remote._step_decisions import requirements_to_send, step_requirements_to_send
from agentnb.runs.models import RunOutput, RunStatus
from agentnb.runs.stream import RunStream

__all__ = ["ComponentBackend"]

Decide = Callable[[str, Sequence[Any] | None, RunOutput | None], list[dict[str, Any]]]


class ComponentBackend:
    """A team's or a workflow's calls on an AgentOS (the Backend protocol of ``_backend``)."""

    lists_sessions = True

    def __init__(self, client: AgentOSClient, kind: ComponentKind, component_id: str) -> None:
        self.client = client
        self.routes = ComponentRoutes(client, kind)
        self.http = client.http
        self.component_id = component_id
        self._decide: Decide = requirements_to_send if kind == "teams" else step_requirements_to_send
        #: Runs continued and not paused again: AgentOS would run their tools a second time.
        self._continued: set[str] = set()

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
            raise ConfigurationError(f"a {self.routes.noun} run continues with decisions, not input=")
        if args.updated_tools is not None and args.requirements is not None:
            raise ConfigurationError("pass updated_tools or requirements, not both")
        given = args.updated_tools if args.updated_tools is not None else args.requirements
        if not sid:
            raise ConfigurationError(
                f"continuing run {rid!r} needs its session_id (AgentOS requires it); pass session_id=, "
                "or pass the paused output instead of its run_id"
            )
        # Known here: decide now, so that an undecided requirement is refused before anything is
        # sent. Paused elsewhere: ask the server for the paused run when the stream opens.
        decided_now: list[dict[str, Any]] | None = None
        if args.paused is not None or not given:
            decided_now = self._decide(rid, given, args.paused)
        if rid in self._continued:
            raise RunAlreadyContinuedError(
                f"run {rid!r} was already continued; AgentOS would run its tools again"
            )
        self._continued.add(rid)

        def after(output: RunOutput) -> None:
            if output.run_id and output.status == RunStatus.paused:
                self._continued.discard(output.run_id)  # paused again: it continues once more
            on_done(output)

        async def decided() -> list[dict[str, Any]]:
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
        try:
            return await self.routes.aget_run(
                self.component_id, run_id, session_id=session_id, auth_token=auth_token
            )
        except NotFoundError:
            return None

    async def _continue_once(
        self,
        args: ContinueArgs,
        decided: Callable[[], Coroutine[Any, Any, list[dict[str, Any]]]],
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
