"""One way to record what an A2AReader makes of a list of frames, for the fast-path comparisons."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from typing import Any

from agentnb._sse import SSEFrame
from agentnb.a2a.models import StreamEvent
from agentnb.a2a.stream import A2AReader
from agentnb.a2a.stream_event import _EVENT_FIELDS
from agentnb.errors import A2AError, ProtocolError
from tests.a2a.test_fast_chunks import snapshot


def read_frames(reader: A2AReader, frames: Iterable[SSEFrame]) -> Any:
    """Per frame its events or its error, then the result, the refusals, the bytes held, and
    every event's item and fields read after the whole stream (what a lazy event must keep)."""
    seen: list[Any] = []
    events: list[StreamEvent] = []
    for frame in frames:
        out: deque[StreamEvent] = deque()
        try:
            reader.read(frame, out)
        except (ProtocolError, A2AError) as exc:
            seen.append((type(exc).__name__, str(exc)))
            continue
        events.extend(out)
        seen.append([snapshot(e) for e in out])
    later = [(snapshot(e.item), [getattr(e, k) for k in _EVENT_FIELDS]) for e in events]
    return seen, snapshot(reader.result()), reader.assembler.refused, reader.assembler.held_bytes, later
