"""The run events agno 3.x defines beyond a run's life: hooks, memory, reasoning, model requests ...

Each decodes to its own class, under agno's class name with the fields agno declares (objects
agno builds, like a ``RunInput`` or ``SessionSummary``, are kept as the JSON that was sent).
``AGNO_EVENTS`` lists every event class agno's ``agno/run/agent.py`` defines, core ones included.
"""

from __future__ import annotations

from typing import Any

from agentnb.runs.events import MODELLED_EVENTS, RunEvent

__all__ = [
    "AGNO_EVENTS",
    "EVENT_CLASSES",
    "OTHER_EVENTS",
    "CompactionCompletedEvent",
    "CompactionStartedEvent",
    "CompressionCompletedEvent",
    "CompressionStartedEvent",
    "CustomEvent",
    "FollowupsCompletedEvent",
    "FollowupsStartedEvent",
    "MemoryUpdateCompletedEvent",
    "MemoryUpdateStartedEvent",
    "ModelRequestCompletedEvent",
    "ModelRequestStartedEvent",
    "OutputModelResponseCompletedEvent",
    "OutputModelResponseStartedEvent",
    "ParserModelResponseCompletedEvent",
    "ParserModelResponseStartedEvent",
    "PostHookCompletedEvent",
    "PostHookStartedEvent",
    "PreHookCompletedEvent",
    "PreHookStartedEvent",
    "ReasoningCompletedEvent",
    "ReasoningContentDeltaEvent",
    "ReasoningStartedEvent",
    "ReasoningStepEvent",
    "SessionSummaryCompletedEvent",
    "SessionSummaryStartedEvent",
    "event_name",
]


class PreHookStartedEvent(RunEvent):
    event: str = "PreHookStarted"
    pre_hook_name: str | None = None
    run_input: Any = None


class PreHookCompletedEvent(RunEvent):
    event: str = "PreHookCompleted"
    pre_hook_name: str | None = None
    run_input: Any = None


class PostHookStartedEvent(RunEvent):
    event: str = "PostHookStarted"
    post_hook_name: str | None = None


class PostHookCompletedEvent(RunEvent):
    event: str = "PostHookCompleted"
    post_hook_name: str | None = None


class MemoryUpdateStartedEvent(RunEvent):
    event: str = "MemoryUpdateStarted"


class MemoryUpdateCompletedEvent(RunEvent):
    event: str = "MemoryUpdateCompleted"
    memories: list[Any] | None = None


class SessionSummaryStartedEvent(RunEvent):
    event: str = "SessionSummaryStarted"


class SessionSummaryCompletedEvent(RunEvent):
    event: str = "SessionSummaryCompleted"
    session_summary: Any = None


class ReasoningStartedEvent(RunEvent):
    event: str = "ReasoningStarted"


class ReasoningStepEvent(RunEvent):
    event: str = "ReasoningStep"
    content_type: str = "str"
    reasoning_content: str | None = ""


class ReasoningContentDeltaEvent(RunEvent):
    """A piece of the model's reasoning: ``reasoning_content`` is the new piece."""

    event: str = "ReasoningContentDelta"
    reasoning_content: str | None = ""


class ReasoningCompletedEvent(RunEvent):
    event: str = "ReasoningCompleted"
    content_type: str = "str"


class ParserModelResponseStartedEvent(RunEvent):
    event: str = "ParserModelResponseStarted"


class ParserModelResponseCompletedEvent(RunEvent):
    event: str = "ParserModelResponseCompleted"


class OutputModelResponseStartedEvent(RunEvent):
    event: str = "OutputModelResponseStarted"


class OutputModelResponseCompletedEvent(RunEvent):
    event: str = "OutputModelResponseCompleted"


class ModelRequestStartedEvent(RunEvent):
    event: str = "ModelRequestStarted"
    model: str | None = None
    model_provider: str | None = None


class ModelRequestCompletedEvent(RunEvent):
    event: str = "ModelRequestCompleted"
    model: str | None = None
    model_provider: str | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None
    total_tokens: int | None = None
    time_to_first_token: float | None = None
    reasoning_tokens: int | None = None
    cache_read_tokens: int | None = None
    cache_write_tokens: int | None = None


class CompressionStartedEvent(RunEvent):
    event: str = "CompressionStarted"


class CompressionCompletedEvent(RunEvent):
    event: str = "CompressionCompleted"
    tool_results_compressed: int | None = None
    original_size: int | None = None
    compressed_size: int | None = None


class CompactionStartedEvent(RunEvent):
    event: str = "CompactionStarted"


class CompactionCompletedEvent(RunEvent):
    event: str = "CompactionCompleted"
    messages_compacted: int | None = None
    tokens_before: int | None = None
    tokens_after: int | None = None
    archived: bool | None = None


class FollowupsStartedEvent(RunEvent):
    event: str = "FollowupsStarted"


class FollowupsCompletedEvent(RunEvent):
    event: str = "FollowupsCompleted"
    followups: list[str] | None = None


class CustomEvent(RunEvent):
    """An event a tool or hook yielded itself: whatever it carried is kept (``model_extra``)."""

    event: str = "CustomEvent"
    tool_call_id: str | None = None


#: The events agno defines beyond a run's life (the assembler passes them through).
OTHER_EVENTS: tuple[type[RunEvent], ...] = (
    PreHookStartedEvent,
    PreHookCompletedEvent,
    PostHookStartedEvent,
    PostHookCompletedEvent,
    MemoryUpdateStartedEvent,
    MemoryUpdateCompletedEvent,
    SessionSummaryStartedEvent,
    SessionSummaryCompletedEvent,
    ReasoningStartedEvent,
    ReasoningStepEvent,
    ReasoningContentDeltaEvent,
    ReasoningCompletedEvent,
    ParserModelResponseStartedEvent,
    ParserModelResponseCompletedEvent,
    OutputModelResponseStartedEvent,
    OutputModelResponseCompletedEvent,
    ModelRequestStartedEvent,
    ModelRequestCompletedEvent,
    CompressionStartedEvent,
    CompressionCompletedEvent,
    CompactionStartedEvent,
    CompactionCompletedEvent,
    FollowupsStartedEvent,
    FollowupsCompletedEvent,
    CustomEvent,
)

#: Every event class agno's ``agno/run/agent.py`` defines.
AGNO_EVENTS: tuple[type[RunEvent], ...] = MODELLED_EVENTS + OTHER_EVENTS


def event_name(cls: type[RunEvent]) -> str:
    """The ``event`` value a class stands for (its field default, as in agno)."""
    default = cls.model_fields["event"].default
    if not isinstance(default, str) or not default:
        raise TypeError(f"{cls.__name__} names no event")
    return default


#: agno's event names (``RunEvent`` enum values) to their classes.
EVENT_CLASSES: dict[str, type[RunEvent]] = {event_name(cls): cls for cls in AGNO_EVENTS}
