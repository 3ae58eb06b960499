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
    "ToolCallCompleted",
    "ToolCallError",
    "ToolCallStarted",
    "ToolExecution",
    "UnknownEvent",
    "UserInputField",
]
