"""Typed run events: what every streamed run yields, whatever protocol the peer spoke.

Names follow agno's ``RunEvent`` values. AgentOS frames decode straight into these
(``agentos/decode.py``); A2A stream events are translated into them (``remote/_a2a.py``). An
event we cannot decode becomes an UnknownEvent that keeps the raw frame: nothing is dropped.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from agentnb._sse import loads_data
from agentnb.runs.models import RunRequirement, ToolExecution, link_requirements

__all__ = [
    "RunCancelled",
    "RunCompleted",
    "RunContent",
    "RunContentCompleted",
    "RunContinued",
    "RunError",
    "RunEvent",
    "RunIntermediateContent",
    "RunPaused",
    "RunStarted",
    "ToolCallCompleted",
    "ToolCallError",
    "ToolCallStarted",
    "UnknownEvent",
]


class RunEvent(BaseModel):
    """Base of every run event. Events agno defines but we don't model specially are RunEvents.

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
    session_id: str | None = None
    nested_depth: int = 0
    parent_run_id: str | None = None
    content: Any = None

    is_terminal: ClassVar[bool] = False

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


class RunStarted(RunEvent):
    model: str | None = None
    model_provider: str | None = None


class RunContent(RunEvent):
    """A text delta: ``content`` is the new piece, not the whole text so far."""

    content_type: str = "str"
    reasoning_content: str | None = None


class RunContentCompleted(RunEvent):
    pass


class RunIntermediateContent(RunEvent):
    pass


class ToolCallStarted(RunEvent):
    tool: ToolExecution | None = None


class ToolCallCompleted(RunEvent):
    tool: ToolExecution | None = None


class ToolCallError(RunEvent):
    tool: ToolExecution | None = None
    error: str | None = None


class RunPaused(RunEvent):
    """The run waits for decisions on ``tools`` / ``requirements``; the stream ends here."""

    tools: list[ToolExecution] | None = None
    requirements: list[RunRequirement] | None = None
    is_terminal: ClassVar[bool] = True

    def model_post_init(self, __context: Any) -> None:
        self.requirements = link_requirements(self.tools, self.requirements)


class RunContinued(RunEvent):
    pass


class RunCompleted(RunEvent):
    """``content`` is the full text of the run."""

    content_type: str = "str"
    session_state: dict[str, Any] | None = None
    metrics: dict[str, Any] | None = None
    metadata: dict[str, Any] | None = None
    is_terminal: ClassVar[bool] = True


class RunError(RunEvent):
    """The run failed; ``content`` is the error text. AgentOS still answers HTTP 200."""

    error_type: str | None = None
    error_id: str | None = None
    additional_data: dict[str, Any] | None = None
    is_terminal: ClassVar[bool] = True


class RunCancelled(RunEvent):
    """The run was cancelled; ``content`` is the text produced until then."""

    reason: str | None = None
    is_terminal: ClassVar[bool] = True


class UnknownEvent(RunEvent):
    """A frame we could not decode into a known event; ``raw_text`` is the frame's data as sent."""

    sse_event: str | None = None
    raw_text: str = ""
    error: str | None = None


#: The classes AgentOS frames name directly (agno's RunEvent values).
MODELLED_EVENTS: tuple[type[RunEvent], ...] = (
    RunStarted,
    RunContent,
    RunContentCompleted,
    RunIntermediateContent,
    ToolCallStarted,
    ToolCallCompleted,
    ToolCallError,
    RunPaused,
    RunContinued,
    RunCompleted,
    RunError,
    RunCancelled,
)
