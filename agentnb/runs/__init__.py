"""The neutral model of a run, whatever the peer spoke: outputs, tools, requirements, events, streams."""

from agentnb.runs.assembler import RunAssembler
from agentnb.runs.events import (
    RunCancelled,
    RunCompleted,
    RunContent,
    RunContentCompleted,
    RunContinued,
    RunError,
    RunEvent,
    RunIntermediateContent,
    RunPaused,
    RunStarted,
    ToolCallCompleted,
    ToolCallError,
    ToolCallStarted,
    UnknownEvent,
)
from agentnb.runs.models import RunOutput, RunRequirement, RunStatus, ToolExecution, UserInputField
from agentnb.runs.stream import RunReader, RunStream
from agentnb.runs.team import TeamRunOutput
from agentnb.runs.workflow import StepOutput, StepRequirement, WorkflowRunOutput

__all__ = [
    "RunAssembler",
    "RunCancelled",
    "RunCompleted",
    "RunContent",
    "RunContentCompleted",
    "RunContinued",
    "RunError",
    "RunEvent",
    "RunIntermediateContent",
    "RunOutput",
    "RunPaused",
    "RunReader",
    "RunRequirement",
    "RunStarted",
    "RunStatus",
    "RunStream",
    "StepOutput",
    "StepRequirement",
    "TeamRunOutput",
    "ToolCallCompleted",
    "ToolCallError",
    "ToolCallStarted",
    "ToolExecution",
    "UnknownEvent",
    "UserInputField",
    "WorkflowRunOutput",
]
