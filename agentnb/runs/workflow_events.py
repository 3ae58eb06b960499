"""A workflow run's own events, under agno's names (``agno/run/workflow.py``).

The workflow's start and four ends subclass the agent events they mirror (``WorkflowCompletedEvent``
is a ``RunCompletedEvent``), so a view written for an agent's stream knows when a workflow ends.
Step events say which step they are about through ``step_id``, ``step_name`` and ``step_index``
(every run event reads them); the events of an agent running inside a step keep their agent
classes and carry the step's fields too, with their own ``run_id`` and the workflow's
``workflow_run_id``.
"""

from __future__ import annotations

from typing import Any

from agentnb.runs.events import (
    RunCancelledEvent,
    RunCompletedEvent,
    RunErrorEvent,
    RunEvent,
    RunPausedEvent,
    RunStartedEvent,
)

__all__ = [
    "WORKFLOW_EVENT_CLASSES",
    "StepCompletedEvent",
    "StepContinuedEvent",
    "StepErrorEvent",
    "StepExecutorContinuedEvent",
    "StepExecutorPausedEvent",
    "StepOutputEvent",
    "StepPausedEvent",
    "StepProgressEvent",
    "StepStartedEvent",
    "WorkflowCancelledEvent",
    "WorkflowCompletedEvent",
    "WorkflowErrorEvent",
    "WorkflowEvent",
    "WorkflowPausedEvent",
    "WorkflowStartedEvent",
]


class WorkflowEvent(RunEvent):
    """What every workflow event adds to a run event: the workflow's name and the parent step."""

    workflow_name: str | None = None
    parent_step_id: str | None = None


class WorkflowStartedEvent(RunStartedEvent, WorkflowEvent):
    event: str = "WorkflowStarted"


class WorkflowCompletedEvent(RunCompletedEvent, WorkflowEvent):
    """``content`` is the last step's output; ``step_results`` every step's, as sent."""

    event: str = "WorkflowCompleted"
    step_results: list[Any] | None = None
    step_executor_runs: list[dict[str, Any]] | None = None


class WorkflowPausedEvent(RunPausedEvent, WorkflowEvent):
    """The workflow waits for ``step_requirements`` (a step's confirmation, or its agent's tools)."""

    event: str = "WorkflowPaused"
    status: str | None = None
    paused_step_index: Any = None
    paused_step_name: str | None = None
    pause_kind: str | None = None
    step_requirements: list[dict[str, Any]] | None = None
    step_results: list[Any] | None = None
    step_executor_runs: list[dict[str, Any]] | None = None


class WorkflowErrorEvent(RunErrorEvent, WorkflowEvent):
    event: str = "WorkflowError"
    error: str | None = None


class WorkflowCancelledEvent(RunCancelledEvent, WorkflowEvent):
    event: str = "WorkflowCancelled"


class StepStartedEvent(WorkflowEvent):
    event: str = "StepStarted"


class StepProgressEvent(WorkflowEvent):
    event: str = "StepProgress"
    attempt: int = 1
    data: dict[str, Any] | None = None


class StepCompletedEvent(WorkflowEvent):
    """``content`` is the step's output; ``step_response`` agno's StepOutput, as sent."""

    event: str = "StepCompleted"
    content_type: str = "str"
    step_response: dict[str, Any] | None = None


class StepPausedEvent(WorkflowEvent):
    """The step itself asks before it runs (agno's ``HumanReview(requires_confirmation=...)``)."""

    event: str = "StepPaused"
    requires_confirmation: bool = False
    confirmation_message: str | None = None
    requires_user_input: bool = False
    user_input_message: str | None = None
    user_input_schema: list[dict[str, Any]] | None = None


class StepContinuedEvent(WorkflowEvent):
    event: str = "StepContinued"


class StepExecutorPausedEvent(WorkflowEvent):
    """The agent (or team) running a step paused on a tool: ``executor_requirements`` say which."""

    event: str = "StepExecutorPaused"
    executor_id: str | None = None
    executor_name: str | None = None
    executor_run_id: str | None = None
    executor_requirements: list[dict[str, Any]] | None = None


class StepExecutorContinuedEvent(WorkflowEvent):
    event: str = "StepExecutorContinued"
    executor_id: str | None = None
    executor_name: str | None = None
    executor_run_id: str | None = None


class StepErrorEvent(WorkflowEvent):
    event: str = "StepError"
    error: str | None = None


class StepOutputEvent(WorkflowEvent):
    event: str = "StepOutput"
    step_output: dict[str, Any] | None = None


def _plain(name: str) -> type[RunEvent]:
    """A workflow event agentnb reads nothing special from (loops, routers, conditions ...)."""
    return type(
        name + "Event",
        (WorkflowEvent,),
        {"__module__": __name__, "__annotations__": {"event": "str"}, "event": name},
    )


_OTHERS = (
    "WorkflowAgentStarted",
    "WorkflowAgentCompleted",
    "StepOutputReview",
    "LoopExecutionStarted",
    "LoopIterationStarted",
    "LoopIterationCompleted",
    "LoopExecutionCompleted",
    "ParallelExecutionStarted",
    "ParallelExecutionCompleted",
    "ConditionExecutionStarted",
    "ConditionExecutionCompleted",
    "ConditionPaused",
    "RouterExecutionStarted",
    "RouterExecutionCompleted",
    "RouterPaused",
    "StepsExecutionStarted",
    "StepsExecutionCompleted",
)

_CORE: tuple[type[RunEvent], ...] = (
    WorkflowStartedEvent,
    WorkflowCompletedEvent,
    WorkflowPausedEvent,
    WorkflowErrorEvent,
    WorkflowCancelledEvent,
    StepStartedEvent,
    StepProgressEvent,
    StepCompletedEvent,
    StepPausedEvent,
    StepContinuedEvent,
    StepExecutorPausedEvent,
    StepExecutorContinuedEvent,
    StepErrorEvent,
    StepOutputEvent,
)

#: agno's workflow event names to their classes.
WORKFLOW_EVENT_CLASSES: dict[str, type[RunEvent]] = {
    str(cls.model_fields["event"].default): cls for cls in _CORE
}
WORKFLOW_EVENT_CLASSES.update({name: _plain(name) for name in _OTHERS})
