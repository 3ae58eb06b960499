"""The A2A backend of RemoteAgent: the same runs and events as over AgentOS, from A2A tasks.

session_id ↔ context_id, run_id ↔ task_id. Task states map to run statuses (completed →
COMPLETED, failed/rejected → ERROR, canceled → CANCELLED, input-/auth-required → PAUSED with a
``question``, the rest RUNNING), and StreamEvents to the run events the AgentOS path yields.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Coroutine, Sequence
from typing import Any

from agentnb._sse import SSEFrame
from agentnb.a2a.client import A2AClient
from agentnb.a2a.models import StreamEvent, TaskResult, TaskState
from agentnb.a2a.stream import A2AReader
from agentnb.agentos.client import AgentOSClient
from agentnb.agentos.forms import serialize_input
from agentnb.agentos.models import AgentConfig
from agentnb.errors import A2AError, ConfigurationError
from agentnb.remote._backend import ContinueArgs, OnDone
from agentnb.remote._run_args import AGENTOS_ONLY, RunArgs
from agentnb.runs.events import (
    RunCancelled,
    RunCompleted,
    RunContent,
    RunError,
    RunEvent,
    RunPaused,
    RunStarted,
    ToolCallCompleted,
    ToolCallStarted,
)
from agentnb.runs.models import RunOutput, RunStatus, ToolExecution
from agentnb.runs.stream import RunReader, RunStream

__all__ = ["A2ABackend", "A2ARunReader", "run_output_from_task"]

_STATUS = {
    TaskState.completed: RunStatus.completed,
    TaskState.failed: RunStatus.error,
    TaskState.rejected: RunStatus.error,
    TaskState.canceled: RunStatus.cancelled,
    TaskState.input_required: RunStatus.paused,
    TaskState.auth_required: RunStatus.paused,
}


def _error_type(state: TaskState) -> str:
    return "A2ATask" + state.value.title()


def run_output_from_task(
    result: TaskResult, *, agent_id: str, agent_name: str | None = None, user_id: str | None = None
) -> RunOutput:
    """A RunOutput for a TaskResult; the task itself stays on ``output.a2a``."""
    output = RunOutput(
        run_id=result.task_id or None,
        session_id=result.context_id or None,
        agent_id=agent_id,
        agent_name=agent_name,
        user_id=user_id,
        content=result.content,
        status=_STATUS.get(result.state, RunStatus.running),
        metadata=result.metadata,
        a2a=result,
    )
    if result.state.is_interrupted:
        output.question = result.prompt or result.content or ""
    if result.is_failed or result.state is TaskState.rejected:
        output.error_type = _error_type(result.state)
    return output


def _bearer(auth_token: str | None) -> dict[str, str] | None:
    return {"Authorization": f"Bearer {auth_token}"} if auth_token else None


class A2ARunReader(RunReader):
    """An A2A stream's frames, read by an A2AReader, translated into run events."""

    def __init__(self, inner: A2AReader, output: RunOutput, *, keep_events: bool = False) -> None:
        super().__init__(output, keep_events=keep_events)
        self.inner = inner
        #: The inner reader's events of one frame; emptied after each (no deque per frame).
        self._a2a_events: deque[StreamEvent] = deque()

    def read(self, frame: SSEFrame, out: deque[RunEvent]) -> bool:
        a2a_events = self._a2a_events
        try:
            self.inner.read(frame, a2a_events)
            out.extend(self._translate_all(a2a_events))
        finally:
            a2a_events.clear()
        return self.assembler.done

    def read_trailing(self, frame: SSEFrame) -> None:
        self.inner.read_trailing(frame)

    def read_body(self, body: bytes, content_type: str) -> list[RunEvent]:
        return self._translate_all(self.inner.read_body(body, content_type))

    def at_end(self) -> str | None:
        return self.inner.at_end()

    def finish(self) -> RunOutput:
        self.assembler.output.a2a = self.inner.finish()
        return super().finish()

    def interrupt(self) -> RunOutput:
        self.assembler.output.a2a = self.inner.interrupt()
        return super().interrupt()

    def _translate_all(self, a2a_events: Sequence[StreamEvent]) -> list[RunEvent]:
        events: list[RunEvent] = []
        for a2a_event in a2a_events:
            for event in self._translate(a2a_event):
                events.append(event)
                if self.assembler.absorb(event):
                    return events
        return events

    def _translate(self, event: StreamEvent) -> list[RunEvent]:
        output = self.assembler.output
        common: dict[str, Any] = {
            "run_id": event.task_id,
            "session_id": event.context_id,
            "agent_id": output.agent_id,
            "agent_name": output.agent_name,
        }
        out: list[RunEvent] = []
        kind = event.event_type
        if not self.assembler.saw_started and kind in ("started", "working", "task", "content"):
            out.append(RunStarted(event="RunStarted", **common))
        if kind == "content" and event.content:
            out.append(RunContent(event="RunContent", content=event.content, **common))
        elif kind == "reasoning" and event.content:
            out.append(RunContent(event="RunContent", content="", reasoning_content=event.content, **common))
        elif kind in ("tool_call_started", "tool_call_completed"):
            tool = ToolExecution(tool_name=str((event.metadata or {}).get("tool_name") or "tool"))
            cls = ToolCallStarted if kind == "tool_call_started" else ToolCallCompleted
            out.append(cls(tool=tool, content=event.content, **common))  # the class names its event
        elif event.content and not event.is_final:
            # Progress text in a status message ("working on it"): not part of the answer.
            out.append(RunEvent(event="A2AStatus", content=event.content, **common))
        if event.is_final:
            out.append(self._terminal(event, common))
        return out

    def _terminal(self, event: StreamEvent, common: dict[str, Any]) -> RunEvent:
        result = self.inner.result()
        state = event.state or TaskState.completed  # a plain message answer outside any task
        if state is TaskState.completed:
            return RunCompleted(
                event="RunCompleted", content=result.content, metadata=result.metadata, **common
            )
        if state is TaskState.canceled:
            return RunCancelled(
                event="RunCancelled", content=result.content, reason="task canceled", **common
            )
        if state.is_interrupted:
            question = result.prompt or result.content
            self.assembler.output.question = question or ""
            return RunPaused(event="RunPaused", content=question, tools=[], **common)
        text = event.content or result.content or f"the task ended {state.value}"
        return RunError(event="RunError", content=text, error_type=_error_type(state), **common)


class A2ABackend:
    """RemoteAgent's calls for one agent behind an A2A server."""

    lists_sessions = False

    def __init__(self, client: A2AClient, agent_id: str, agent_name: Any) -> None:
        self.client = client
        self.http = client.http
        self.agent_id = agent_id
        #: Returns the agent's display name once known (from the card), without I/O.
        self._agent_name = agent_name

    def os_client(self, what: str) -> AgentOSClient:
        raise ConfigurationError(
            f"{what} is an AgentOS endpoint; this agent speaks A2A ({self.client.base_url})"
        )

    async def fetch_config(self, auth_token: str | None) -> AgentConfig:
        """An AgentConfig built from the agent card: name, description, and the skills as tools."""
        card = await self.client.aget_agent_card(refresh=True, headers=_bearer(auth_token))
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

    def run(
        self, input: Any, args: RunArgs, *, stream: bool, on_done: OnDone
    ) -> Coroutine[Any, Any, RunOutput] | RunStream:
        given = sorted(name for name in AGENTOS_ONLY if args.get(name) is not None)
        if given:
            raise ConfigurationError(f"{', '.join(given)}: not supported over A2A (AgentOS-only arguments)")
        media = [
            *(args.get("images") or []),
            *(args.get("audio") or []),
            *(args.get("videos") or []),
            *(args.get("files") or []),
        ]
        return self._exchange(
            serialize_input(input),
            task_id=None,
            session_id=args.get("session_id"),
            user_id=args.get("user_id"),
            media=media,
            metadata=args.get("metadata"),
            auth_token=args.get("auth_token"),
            keep_events=bool(args.get("keep_events")),
            stream=stream,
            on_done=on_done,
        )

    def continue_run(
        self, args: ContinueArgs, *, stream: bool, on_done: OnDone
    ) -> Coroutine[Any, Any, RunOutput] | RunStream:
        reply = (
            args.input
            if args.input is not None
            else (args.updated_tools if isinstance(args.updated_tools, str) else None)
        )
        if not reply:
            raise ConfigurationError(
                f"continuing A2A task {args.run_id!r} needs the answer to its question: pass input='...'"
            )
        return self._exchange(
            reply,
            task_id=args.run_id,
            session_id=args.session_id,
            user_id=args.user_id,
            media=[],
            metadata=None,
            auth_token=args.auth_token,
            keep_events=args.keep_events,
            stream=stream,
            on_done=on_done,
        )

    def _exchange(
        self,
        message: str,
        *,
        task_id: str | None,
        session_id: str | None,
        user_id: str | None,
        media: list[Any],
        metadata: dict[str, Any] | None,
        auth_token: str | None,
        keep_events: bool,
        stream: bool,
        on_done: OnDone,
    ) -> Coroutine[Any, Any, RunOutput] | RunStream:
        sent: dict[str, Any] = {
            "context_id": session_id,
            "task_id": task_id,
            "user_id": user_id,
            "files": media,
            "metadata": metadata,
            "headers": _bearer(auth_token),
        }
        if not stream:
            return self._send(message, sent, user_id, on_done)
        a2a_stream = self.client.stream_message(message, **sent)
        output = RunOutput(
            agent_id=self.agent_id, agent_name=self._agent_name(), session_id=session_id, user_id=user_id
        )
        reader = A2ARunReader(a2a_stream.reader, output, keep_events=keep_events)
        return RunStream(
            reader,
            a2a_stream.opener,
            url=a2a_stream.url,
            max_event_bytes=self.client.max_event_bytes,
            on_done=on_done,
        )

    async def _send(
        self, message: str, sent: dict[str, Any], user_id: str | None, on_done: OnDone
    ) -> RunOutput:
        result = await self.client.send_message(message, **sent)
        output = run_output_from_task(
            result, agent_id=self.agent_id, agent_name=self._agent_name(), user_id=user_id
        )
        on_done(output)
        return output

    async def cancel_run(self, run_id: str, session_id: str | None, auth_token: str | None) -> bool:
        try:
            result = await self.client.acancel_task(
                run_id, context_id=session_id, headers=_bearer(auth_token)
            )
        except A2AError as exc:
            if exc.code == -32002:  # TaskNotCancelable: it has already ended
                return False
            raise
        return bool(result.is_canceled)
