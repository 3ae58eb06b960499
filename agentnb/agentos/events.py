"""Typed run events, decoded from AgentOS SSE frames.

Names follow agno's ``RunEvent`` values. A frame we cannot decode (bad JSON, a name agno does not
define, a name that disagrees with the SSE ``event:`` line) becomes an UnknownEvent that keeps the
raw frame: nothing is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationError

from agentnb._sse import SSEFrame, loads_data
from agentnb.agentos.models import RunRequirement, ToolExecution, link_requirements

__all__ = [
    "TERMINAL_EVENTS",
    "RunCancelled",
    "RunCompleted",
    "RunContent",
    "RunContentCompleted",
    "RunContinued",
    "RunError",
    "RunEvent",
    "RunPaused",
    "RunStarted",
    "ToolCallCompleted",
    "ToolCallError",
    "ToolCallStarted",
    "UnknownEvent",
    "decode_event",
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


TERMINAL_EVENTS: tuple[type[RunEvent], ...] = (RunCompleted, RunPaused, RunError, RunCancelled)

_MODELLED: dict[str, type[RunEvent]] = {
    cls.__name__: cls
    for cls in (
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
}

# Every other name agno 3.x's RunEvent enum defines; they decode to plain RunEvent.
_OTHER_AGNO_EVENTS = frozenset(
    {
        "ModelRequestStarted",
        "ModelRequestCompleted",
        "PreHookStarted",
        "PreHookCompleted",
        "PostHookStarted",
        "PostHookCompleted",
        "ReasoningStarted",
        "ReasoningStep",
        "ReasoningContentDelta",
        "ReasoningCompleted",
        "MemoryUpdateStarted",
        "MemoryUpdateCompleted",
        "SessionSummaryStarted",
        "SessionSummaryCompleted",
        "ParserModelResponseStarted",
        "ParserModelResponseCompleted",
        "OutputModelResponseStarted",
        "OutputModelResponseCompleted",
        "CompressionStarted",
        "CompressionCompleted",
        "CompactionStarted",
        "CompactionCompleted",
        "FollowupsStarted",
        "FollowupsCompleted",
        "CustomEvent",
    }
)


def _unknown(frame: SSEFrame, error: str, payload: dict[str, Any] | None = None) -> UnknownEvent:
    base: dict[str, Any] = {}
    if payload:
        # Only well-typed ids are lifted out of an undecodable payload; the rest stays in raw.
        base = {
            k: payload[k] for k in ("run_id", "session_id", "agent_id") if isinstance(payload.get(k), str)
        }
        if isinstance(payload.get("created_at"), int) and not isinstance(payload.get("created_at"), bool):
            base["created_at"] = payload["created_at"]
    name = (payload or {}).get("event")
    event = UnknownEvent(
        event=name if isinstance(name, str) and name else frame.event,
        sse_event=frame.event,
        raw_text=frame.data,
        error=error,
        **base,
    )
    event.raw = payload
    return event


#: Every name a frame can carry straight to its class (``error`` and unknown names take the long way).
_CLASS_OF: dict[str, type[RunEvent]] = {**dict.fromkeys(_OTHER_AGNO_EVENTS, RunEvent), **_MODELLED}
#: The same names, to the JSON validator of their class (JSON text straight into the event).
_VALIDATE_JSON: dict[str, Callable[[str], Any]] = {
    name: cls.__pydantic_validator__.validate_json for name, cls in _CLASS_OF.items()
}


def decode_event(frame: SSEFrame) -> RunEvent:
    """One SSE frame to one typed event; never raises for bad content, never drops a frame."""
    # The usual frame, on the per-token path: a known name on the ``event:`` line and a JSON
    # object with the same name that validates. Anything else (bad JSON, a name mismatch, a
    # missing name, a field of the wrong type) takes the careful path below.
    validate = _VALIDATE_JSON.get(frame.event)
    if validate is not None:
        try:
            event: RunEvent = validate(frame.data)
        except ValidationError:
            return _decode(frame)
        if event.event == frame.event:
            event.__dict__["_raw_text"] = frame.data  # parsed into .raw only if someone reads it
            return event
    return _decode(frame)


def _decode(frame: SSEFrame) -> RunEvent:
    try:
        payload = loads_data(frame.data)
    except ValueError as exc:
        return _unknown(frame, f"invalid JSON: {exc}")
    if not isinstance(payload, dict):
        return _unknown(frame, "frame data is not a JSON object")
    name = payload.get("event")
    sse_name = frame.event if frame.event != "message" else None
    if name is None:
        name = sse_name
        if name is not None:
            payload = {**payload, "event": name}
    elif sse_name is not None and sse_name != name:
        return _unknown(frame, f"SSE event {sse_name!r} disagrees with data.event {name!r}", payload)
    if name == "error":
        # agno's router reports exceptions mid-stream as {"event": "error", "error": "..."}.
        payload = {**payload, "event": "RunError", "content": payload.get("content") or payload.get("error")}
        name = "RunError"
    cls = _CLASS_OF.get(name) if isinstance(name, str) else None
    if cls is None:
        return _unknown(frame, f"unknown event {name!r}", payload)
    try:
        event = cls.model_validate(payload)
    except ValidationError as exc:
        return _unknown(
            frame, f"{name} did not validate: {exc.error_count()} error(s): {exc.errors()[0]['msg']}", payload
        )
    event.raw = payload
    return event
