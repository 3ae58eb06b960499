"""RunContent frames read by their shape, not parsed again for every token.

AgentOS streams an answer as one ``RunContent`` frame per token, and the frames of a run differ
only in their ``content`` (and ``created_at`` once a second): the same ids, names and flags around
``"content": "..."``. Validating each frame's JSON into its event was the largest part of what
agentnb did per token. A ``ContentShape`` is the text of one validated frame before and after its
content literal; a frame that is this prefix, one JSON string literal and this suffix is the
learned event with that content, built without parsing. The shape is learned only from an event
whose every value is immutable (so events can share them), and only after a probe text put in
place of the content validates to the same event with the probe (``learn``).
tests/benchmarks/test_content_shape.py compares the events with the validated ones.
"""

from __future__ import annotations

from collections.abc import Callable

from agentnb._literal import PROBE, SHAREABLE, shape_candidates, shaped_text
from agentnb._sse import SSEFrame
from agentnb.runs.events import RunContent, RunEvent

__all__ = ["ContentShape"]

#: The instance-dict keys that differ per event: the field, and the frame text ``.raw`` reads.
_OWN = ("content", "_raw_text")

_new = object.__new__
_set = object.__setattr__


class ContentShape:
    """The text around one RunContent frame's content literal, and the event it validated to."""

    __slots__ = ("cls", "extra", "fields_set", "name", "prefix", "state", "suffix")

    def __init__(self, name: str, prefix: str, suffix: str, event: RunEvent) -> None:
        self.name, self.prefix, self.suffix, self.cls = name, prefix, suffix, type(event)
        # The instance dict with its own keys in place: copies keep the validated event's key
        # order, and each read overwrites those (``_OWN``). A parsed ``.raw`` is never shared.
        self.state = {k: v for k, v in event.__dict__.items() if k != "_raw"}
        self.fields_set = frozenset(event.__pydantic_fields_set__)
        extra = event.__pydantic_extra__
        self.extra = dict(extra) if extra is not None else None

    def read(self, frame: SSEFrame) -> RunEvent | None:
        """The event of a frame of this shape, or None for a frame of any other."""
        if frame.event != self.name:
            return None
        data = frame.data
        text = shaped_text(data, self.prefix, self.suffix)
        if text is None:
            return None
        state = self.state.copy()
        state["content"] = text
        state["_raw_text"] = data  # parsed into .raw only if someone reads it
        event = _new(self.cls)
        _set(event, "__dict__", state)
        _set(event, "__pydantic_fields_set__", set(self.fields_set))
        _set(event, "__pydantic_extra__", dict(self.extra) if self.extra is not None else None)
        _set(event, "__pydantic_private__", None)
        return event

    @classmethod
    def learn(
        cls, frame: SSEFrame, event: RunEvent, decode: Callable[[SSEFrame], RunEvent]
    ) -> ContentShape | None:
        """The shape of ``frame`` (``decode`` made ``event`` of it), or None if it has none."""
        if type(event) is not RunContent or type(event.content) is not str:
            return None
        extra = event.__pydantic_extra__ or {}
        if event.__pydantic_private__ or any(
            type(v) not in SHAREABLE
            for v in (*(v for k, v in event.__dict__.items() if k not in _OWN), *extra.values())
        ):
            return None
        for prefix, suffix, probed in shape_candidates(frame.data, "content", event.content):
            probe = decode(SSEFrame(frame.event, probed))
            if (
                type(probe) is type(event)
                and probe.content == PROBE
                and {k: v for k, v in probe.__dict__.items() if k not in _OWN}
                == {k: v for k, v in event.__dict__.items() if k not in _OWN}
                and probe.__pydantic_fields_set__ == event.__pydantic_fields_set__
                and probe.__pydantic_extra__ == event.__pydantic_extra__
            ):
                return cls(frame.event, prefix, suffix, event)
        return None
