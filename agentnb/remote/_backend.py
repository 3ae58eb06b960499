"""The small protocol every RemoteAgent backend implements; the facade picks one at construction."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
from typing import Any, Protocol

from agentnb._http import HTTPClient
from agentnb.agentos.client import AgentOSClient
from agentnb.agentos.models import AgentConfig
from agentnb.remote._run_args import RunArgs
from agentnb.runs.models import RunOutput
from agentnb.runs.stream import RunStream

__all__ = ["Backend", "ContinueArgs", "OnDone"]

OnDone = Callable[[RunOutput], None]


class ContinueArgs:
    """What a continue carries, whatever the protocol: decisions on tools, or a free-text answer."""

    def __init__(
        self,
        run_id: str,
        paused: RunOutput | None,
        *,
        updated_tools: Sequence[Any] | None,
        requirements: Sequence[Any] | None,
        input: str | None,
        session_id: str | None,
        user_id: str | None,
        auth_token: str | None,
        keep_events: bool,
    ) -> None:
        self.run_id = run_id
        self.paused = paused
        self.updated_tools = updated_tools
        self.requirements = requirements
        self.input = input
        self.session_id = session_id or (paused.session_id if paused is not None else None)
        self.user_id = user_id or (paused.user_id if paused is not None else None)
        self.auth_token = auth_token
        self.keep_events = keep_events


class Backend(Protocol):
    """One protocol's way of doing what RemoteAgent promises."""

    http: HTTPClient
    #: The server can list this agent's sessions (the chat pane shows a session picker).
    lists_sessions: bool

    async def fetch_config(self, auth_token: str | None) -> AgentConfig: ...

    def run(
        self, input: Any, args: RunArgs, *, stream: bool, on_done: OnDone
    ) -> Coroutine[Any, Any, RunOutput] | RunStream: ...

    def continue_run(
        self, args: ContinueArgs, *, stream: bool, on_done: OnDone
    ) -> Coroutine[Any, Any, RunOutput] | RunStream: ...

    async def cancel_run(self, run_id: str, session_id: str | None, auth_token: str | None) -> bool: ...

    def os_client(self, what: str) -> AgentOSClient:
        """The AgentOS client, or a ConfigurationError naming the AgentOS-only ``what``."""
        ...
