"""Translation between A2A tasks and AgentOS-style runs, for RemoteAgent(protocol="a2a").

session_id ↔ context_id, run_id ↔ task_id. Task states map to run statuses (completed →
COMPLETED, failed/rejected → ERROR, canceled → CANCELLED, input-/auth-required → PAUSED, the
rest RUNNING), and StreamEvents to the same typed run events the AgentOS path yields.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

from agentnb.a2a.models import StreamEvent, TaskResult, TaskState
from agentnb.a2a.stream import A2AStream
from agentnb.agentos.events import (
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
from agentnb.agentos.models import RunOutput, RunStatus, ToolExecution
from agentnb.agentos.stream import RunStream
from agentnb.errors import StreamInterruptedError

__all__ = ["A2ARunStream", "run_output_from_task", "run_status"]

_STATUS = {
    TaskState.completed: RunStatus.completed,
    TaskState.failed: RunStatus.error,
    TaskState.rejected: RunStatus.error,
    TaskState.canceled: RunStatus.cancelled,
    TaskState.input_required: RunStatus.paused,
    TaskState.auth_required: RunStatus.paused,
}


def run_status(state: TaskState) -> RunStatus:
    return _STATUS.get(state, RunStatus.running)


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
        status=run_status(result.state),
        metadata=result.metadata,
        a2a=result,
    )
    if result.is_failed or result.state is TaskState.rejected:
        output.error_type = "A2ATask" + result.state.value.title()
    return output


class A2ARunStream(RunStream):
    """A RunStream fed by an A2A stream: the same events, output and helpers as over AgentOS."""

    def __init__(
        self,
        a2a_stream: A2AStream,
        *,
        agent_id: str,
        agent_name: str | None,
        session_id: str | None,
        user_id: str | None,
        keep_events: bool = False,
        on_done: Callable[[RunOutput], None] | None = None,
    ) -> None:
        super().__init__(
            _no_http,
            url=a2a_stream.url,
            agent_id=agent_id,
            session_id=session_id,
            user_id=user_id,
            keep_events=keep_events,
            on_done=on_done,
        )
        self.a2a = a2a_stream
        self._agent_name = agent_name

    async def aclose(self) -> None:
        await self.a2a.aclose()
        await super().aclose()

    async def _events_gen(self) -> AsyncIterator[RunEvent]:
        try:
            async for a2a_event in self.a2a:
                for event in self._translate(a2a_event):
                    self._absorb_event(event)
                    if event.is_terminal:
                        self.terminal = event
                        self._output.a2a = self.a2a.result
                        self._finish()
                        yield event
                        return
                    yield event
        except StreamInterruptedError as exc:
            raise self._interrupted(str(exc), exc) from exc
        self._finish()

    def _common(self, event: StreamEvent) -> dict[str, Any]:
        return {
            "run_id": event.task_id,
            "session_id": event.context_id,
            "agent_id": self._output.agent_id,
            "agent_name": self._agent_name,
        }

    def _translate(self, event: StreamEvent) -> list[RunEvent]:
        common = self._common(event)
        out: list[RunEvent] = []
        if not self._saw_started and event.event_type in ("started", "working", "task", "content"):
            out.append(RunStarted(event="RunStarted", **common))
        kind = event.event_type
        if kind == "content" and event.content:
            out.append(RunContent(event="RunContent", content=event.content, **common))
        elif kind == "reasoning" and event.content:
            out.append(RunContent(event="RunContent", content="", reasoning_content=event.content, **common))
        elif kind in ("tool_call_started", "tool_call_completed"):
            tool = ToolExecution(tool_name=str((event.metadata or {}).get("tool_name") or "tool"))
            cls = ToolCallStarted if kind == "tool_call_started" else ToolCallCompleted
            out.append(cls(event=cls.__name__, tool=tool, content=event.content, **common))
        elif event.is_final and event.state is not None:
            result = self.a2a.result
            if event.state is TaskState.completed:
                out.append(
                    RunCompleted(
                        event="RunCompleted", content=result.content, metadata=result.metadata, **common
                    )
                )
            elif event.state is TaskState.canceled:
                out.append(
                    RunCancelled(
                        event="RunCancelled", content=result.content, reason="task canceled", **common
                    )
                )
            elif event.state.is_interrupted:
                out.append(
                    RunPaused(event="RunPaused", content=result.prompt or result.content, tools=[], **common)
                )
            else:
                text = event.content or result.content or f"the task ended {event.state.value}"
                out.append(
                    RunError(
                        event="RunError",
                        content=text,
                        error_type="A2ATask" + event.state.value.title(),
                        **common,
                    )
                )
        elif event.content and kind not in ("content", "reasoning"):
            # Progress text in a status message ("working on it"): not part of the answer.
            out.append(RunEvent(event="A2AStatus", content=event.content, **common))
        return out


def _no_http() -> Any:
    raise RuntimeError("A2ARunStream reads from its A2AStream, not from HTTP")
