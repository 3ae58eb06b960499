"""AgentOS SSE frames to typed run events (``runs.events``).

A frame we cannot decode (bad JSON, a name agno does not define, a name that disagrees with the SSE
``event:`` line) becomes an UnknownEvent that keeps the raw frame: nothing is dropped.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from agentnb._sse import SSEFrame, loads_data
from agentnb.agentos.content_shape import ContentShape
from agentnb.errors import ProtocolError
from agentnb.runs.agno_events import EVENT_CLASSES, OTHER_EVENTS, event_name
from agentnb.runs.events import RunContent, RunEvent, UnknownEvent
from agentnb.runs.models import RunOutput, RunStatus
from agentnb.runs.stream import RunReader

__all__ = ["AgentOSRunReader", "decode_event"]

#: Every name agno's ``RunEvent`` enum defines, to the class it decodes to (agno's class name).
_MODELLED: dict[str, type[RunEvent]] = dict(EVENT_CLASSES)

#: The names beyond a run's life (hooks, reasoning, memory, model requests ...). They decode to
#: their own classes too; the assembler passes them through.
_OTHER_AGNO_EVENTS = frozenset(event_name(cls) for cls in OTHER_EVENTS)


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
_CLASS_OF: dict[str, type[RunEvent]] = _MODELLED
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
        # The name must have come from the frame, not from the class's default for ``event``.
        if event.event == frame.event and "event" in event.__pydantic_fields_set__:
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


#: Shapes learned in a row that served no frame before a stream stops learning them.
_SHAPES = 8


class AgentOSRunReader(RunReader):
    """AgentOS SSE frames into run events, folded into a RunOutput."""

    def __init__(self, output: RunOutput, *, url: str, keep_events: bool = False) -> None:
        super().__init__(output, keep_events=keep_events)
        self.url = url
        self._absorb = self.assembler.absorb  # bound once: this runs per token
        #: The shape of the last RunContent frame (agentos/content_shape.py), and how many more
        #: shapes may be learned before a stream whose frames never share one stops trying.
        self._shape: ContentShape | None = None
        self._shapes_left = _SHAPES
        self._learned_at = 0

    def read(self, frame: SSEFrame, out: deque[RunEvent]) -> bool:
        shape = self._shape
        event = shape.read(frame) if shape is not None else None
        if event is None:
            event = decode_event(frame)
            if type(event) is RunContent and self._shapes_left:
                self._learn(frame, event)
        out.append(event)
        return self._absorb(event)

    def _learn(self, frame: SSEFrame, event: RunEvent) -> None:
        count = self.assembler.event_count
        if count - self._learned_at <= 1:
            self._shapes_left -= 1  # the last shape was of no use (or there was none)
        else:
            self._shapes_left = _SHAPES  # it served: learning pays in this stream
        self._learned_at = count
        self._shape = ContentShape.learn(frame, event, decode_event)

    def read_trailing(self, frame: SSEFrame) -> None:
        self.trailing_events.append(decode_event(frame))

    def read_body(self, body: bytes, content_type: str) -> tuple[RunEvent, ...]:
        raise ProtocolError(
            f"{self.url}: expected an SSE stream (text/event-stream), got "
            f"{content_type or 'no content type'} ({len(body)} bytes)",
            raw=body[:2048],
            url=self.url,
        )

    def at_end(self) -> str | None:
        assembler = self.assembler
        if assembler.event_count == 0:
            return "the server closed the stream without sending any event"
        if assembler.saw_started:
            return "the stream ended without a terminal event"
        # stream_events=False: AgentOS sends only content, no RunStarted/RunCompleted.
        assembler.output.status = RunStatus.completed
        return None
