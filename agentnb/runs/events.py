"""Typed run events: what every streamed run yields, whatever protocol the peer spoke.

The classes carry agno 3.x's names and fields (``RunContentEvent`` ...), so code written for
agno's ``RemoteAgent`` keeps working: the short names (``RunContent`` ...) are the same class
objects. This module holds the events of a run's life; ``agno_events`` holds the rest (hooks,
reasoning, memory, model requests ...). AgentOS frames decode straight into these
(``agentos/decode.py``); A2A stream events are translated into them (``remote/_a2a.py``). An
event we cannot decode becomes an UnknownEvent that keeps the raw frame: nothing is dropped.
"""

from __future__ import annotations

from typing import Any, ClassVar, overload

from pydantic import BaseModel, ConfigDict

from agentnb._sse import loads_data
from agentnb.runs.models import RunRequirement, ToolExecution, link_requirements

__all__ = [
    "BaseAgentRunEvent",
    "IntermediateRunContentEvent",
    "RunCancelled",
    "RunCancelledEvent",
    "RunCompleted",
    "RunCompletedEvent",
    "RunContent",
    "RunContentCompleted",
    "RunContentCompletedEvent",
    "RunContentEvent",
    "RunContinued",
    "RunContinuedEvent",
    "RunError",
    "RunErrorEvent",
    "RunEvent",
    "RunIntermediateContent",
    "RunPaused",
    "RunPausedEvent",
    "RunStarted",
    "RunStartedEvent",
    "ToolCallCompleted",
    "ToolCallCompletedEvent",
    "ToolCallError",
    "ToolCallErrorEvent",
    "ToolCallStarted",
    "ToolCallStartedEvent",
    "UnknownEvent",
]


class _SentOnly:
    """An agno field that frames almost never carry, read from the frame's extra keys.

    Each declared field costs every decoded event its default, once per token; these are read
    as descriptors instead (``None`` when the frame did not send them). Set them through the
    constructor like any other field.
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: type) -> _SentOnly: ...

    @overload
    def __get__(self, obj: BaseModel, owner: type) -> Any: ...

    def __get__(self, obj: BaseModel | None, owner: type) -> Any:
        if obj is None:
            return self
        extra = obj.__pydantic_extra__
        return extra.get(self.name) if extra else None


class RunEvent(BaseModel):
    """Base of every run event (agno's ``BaseAgentRunEvent``), with agno's common fields.

    ``raw`` is the frame's payload as sent. It is kept as the frame's JSON text and parsed only
    when read: this runs once per token, and parsing the JSON straight into the event is what
    lets decoding keep up with raw ``json.loads``.
    """

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    event: str
    created_at: int | None = None
    agent_id: str | None = None
    agent_name: str | None = None
    run_id: str | None = None
    parent_run_id: str | None = None
    session_id: str | None = None
    nested_depth: int = 0
    tools: list[ToolExecution] | None = None
    content: Any = None

    is_terminal: ClassVar[bool] = False

    workflow_id: ClassVar[_SentOnly] = _SentOnly()
    workflow_run_id: ClassVar[_SentOnly] = _SentOnly()
    step_id: ClassVar[_SentOnly] = _SentOnly()
    step_name: ClassVar[_SentOnly] = _SentOnly()
    step_index: ClassVar[_SentOnly] = _SentOnly()

    # Not PrivateAttr: declaring private attributes makes pydantic run Python code for every
    # event it builds (3x the cost of the whole validation); the text is stashed in __dict__.
    @property
    def raw(self) -> dict[str, Any] | None:
        """The frame's JSON object as received (None when the frame was not a JSON object)."""
        state = self.__dict__
        if "_raw" not in state:
            text = state.get("_raw_text")
            try:
                parsed = loads_data(text) if text is not None else None
            except ValueError:
                parsed = None
            state["_raw"] = parsed if isinstance(parsed, dict) else None
        raw: dict[str, Any] | None = state["_raw"]
        return raw

    @raw.setter
    def raw(self, value: dict[str, Any] | None) -> None:
        self.__dict__["_raw"] = value

    @property
    def tools_requiring_confirmation(self) -> list[ToolExecution]:
        return [t for t in self.tools if t.requires_confirmation] if self.tools else []

    @property
    def tools_requiring_user_input(self) -> list[ToolExecution]:
        return [t for t in self.tools if t.requires_user_input] if self.tools else []

    @property
    def tools_awaiting_external_execution(self) -> list[ToolExecution]:
        return [t for t in self.tools if t.external_execution_required] if self.tools else []

    def __repr__(self) -> str:
        content = self.content
        if isinstance(content, str) and len(content) > 60:
            content = content[:57] + "..."
        return f"{type(self).__name__}(run_id={self.run_id!r}, content={content!r})"

    __str__ = __repr__

    def _repr_html_(self) -> str:
        from agentnb._repr import html_card

        body = self.content if isinstance(self.content, str) else None
        return html_card(self.event, [("run", self.run_id), ("session", self.session_id)], body)

    def _repr_markdown_(self) -> str:
        from agentnb._repr import markdown_card

        body = self.content if isinstance(self.content, str) else None
        return markdown_card(self.event, [("run", self.run_id), ("session", self.session_id)], body)


#: agno's name for the base class.
BaseAgentRunEvent = RunEvent


class RunStartedEvent(RunEvent):
    event: str = "RunStarted"
    model: str | None = None
    model_provider: str | None = None


class RunContentEvent(RunEvent):
    """A text delta: ``content`` is the new piece, not the whole text so far."""

    event: str = "RunContent"
    content_type: str = "str"
    reasoning_content: str | None = None

    workflow_agent: ClassVar[_SentOnly] = _SentOnly()
    model_provider_data: ClassVar[_SentOnly] = _SentOnly()
    citations: ClassVar[_SentOnly] = _SentOnly()
    response_audio: ClassVar[_SentOnly] = _SentOnly()
    image: ClassVar[_SentOnly] = _SentOnly()
    references: ClassVar[_SentOnly] = _SentOnly()
    additional_input: ClassVar[_SentOnly] = _SentOnly()
    reasoning_steps: ClassVar[_SentOnly] = _SentOnly()
    reasoning_messages: ClassVar[_SentOnly] = _SentOnly()


class RunContentCompletedEvent(RunEvent):
    event: str = "RunContentCompleted"


class IntermediateRunContentEvent(RunEvent):
    event: str = "RunIntermediateContent"
    content_type: str = "str"


class ToolCallStartedEvent(RunEvent):
    event: str = "ToolCallStarted"
    tool: ToolExecution | None = None


class ToolCallCompletedEvent(RunEvent):
    event: str = "ToolCallCompleted"
    tool: ToolExecution | None = None
    images: list[Any] | None = None
    videos: list[Any] | None = None
    audio: list[Any] | None = None
    files: list[Any] | None = None


class ToolCallErrorEvent(RunEvent):
    event: str = "ToolCallError"
    tool: ToolExecution | None = None
    error: str | None = None


class RunPausedEvent(RunEvent):
    """The run waits for decisions on ``tools`` / ``requirements``; the stream ends here."""

    event: str = "RunPaused"
    requirements: list[RunRequirement] | None = None
    is_terminal: ClassVar[bool] = True

    def model_post_init(self, __context: Any) -> None:
        self.requirements = link_requirements(self.tools, self.requirements)

    @property
    def is_paused(self) -> bool:
        return True

    @property
    def active_requirements(self) -> list[RunRequirement]:
        """The requirements still waiting for a decision."""
        return [r for r in self.requirements if not r.is_resolved()] if self.requirements else []


class RunContinuedEvent(RunEvent):
    event: str = "RunContinued"


class RunCompletedEvent(RunEvent):
    """``content`` is the full text of the run."""

    event: str = "RunCompleted"
    content_type: str = "str"
    reasoning_content: str | None = None
    citations: Any = None
    model_provider_data: dict[str, Any] | None = None
    images: list[Any] | None = None
    videos: list[Any] | None = None
    audio: list[Any] | None = None
    files: list[Any] | None = None
    response_audio: Any = None
    references: list[Any] | None = None
    additional_input: list[Any] | None = None
    reasoning_steps: list[Any] | None = None
    reasoning_messages: list[Any] | None = None
    metadata: dict[str, Any] | None = None
    metrics: dict[str, Any] | None = None
    session_state: dict[str, Any] | None = None
    is_terminal: ClassVar[bool] = True


class RunErrorEvent(RunEvent):
    """The run failed; ``content`` is the error text. AgentOS still answers HTTP 200."""

    event: str = "RunError"
    error_type: str | None = None
    error_id: str | None = None
    additional_data: dict[str, Any] | None = None
    is_terminal: ClassVar[bool] = True


class RunCancelledEvent(RunEvent):
    """The run was cancelled; ``content`` is the text produced until then."""

    event: str = "RunCancelled"
    reason: str | None = None
    is_terminal: ClassVar[bool] = True

    @property
    def is_cancelled(self) -> bool:
        return True


class UnknownEvent(RunEvent):
    """A frame we could not decode into a known event; ``raw_text`` is the frame's data as sent."""

    sse_event: str | None = None
    raw_text: str = ""
    error: str | None = None


# The names agentnb had before it took agno's: the very same classes.
RunStarted = RunStartedEvent
RunContent = RunContentEvent
RunContentCompleted = RunContentCompletedEvent
RunIntermediateContent = IntermediateRunContentEvent
ToolCallStarted = ToolCallStartedEvent
ToolCallCompleted = ToolCallCompletedEvent
ToolCallError = ToolCallErrorEvent
RunPaused = RunPausedEvent
RunContinued = RunContinuedEvent
RunCompleted = RunCompletedEvent
RunError = RunErrorEvent
RunCancelled = RunCancelledEvent

#: The events of a run's life, which the assembler folds into a RunOutput.
MODELLED_EVENTS: tuple[type[RunEvent], ...] = (
    RunStartedEvent,
    RunContentEvent,
    RunContentCompletedEvent,
    IntermediateRunContentEvent,
    ToolCallStartedEvent,
    ToolCallCompletedEvent,
    ToolCallErrorEvent,
    RunPausedEvent,
    RunContinuedEvent,
    RunCompletedEvent,
    RunErrorEvent,
    RunCancelledEvent,
)
