"""RunContent frames read by their shape (agentos/content_shape.py) give what validating them gives.

The reader takes a frame that is a learned prefix, one JSON string and a learned suffix as the
learned event with a new content. Here streams of such frames, with every kind of content text
and every odd frame of the decoder's own tests mixed in, are read by ``AgentOSRunReader`` and
compared with the plain json.loads + model_validate reference, event by event.
"""

from __future__ import annotations

import json
import random
from collections import deque
from typing import Any

import pytest

from agentnb._sse import SSEFrame
from agentnb.agentos import decode
from agentnb.agentos.content_shape import ContentShape
from agentnb.agentos.decode import AgentOSRunReader
from agentnb.runs.events import RunContent, RunEvent
from agentnb.runs.models import RunOutput
from tests.benchmarks.test_decode_equivalence import CONTENT, VARIANTS, reference_decode_event, same_event

TEXTS = [
    "Hello ",
    "",
    'a "quoted" word',
    "back\\slash",
    "tab\there",
    "new\nline",
    "ünïcödé ✓",
    "line\u2028separator",
    "emoji 🎉",
    '"content": "not the field"',
    "\ud800",
    "}",
    ", ",
]


def frames_of(texts: list[str], ensure_ascii: bool, **changes: Any) -> list[SSEFrame]:
    """Frames as they come off the wire: UTF-8 text (a lone surrogate cannot cross it unescaped)."""
    return [
        SSEFrame(
            "RunContent",
            json.dumps({**CONTENT, **changes, "content": t}, ensure_ascii=ensure_ascii)
            .encode("utf-8", "replace")
            .decode("utf-8"),
        )
        for t in texts
    ]


def read_all(frames: list[SSEFrame]) -> list[RunEvent]:
    reader = AgentOSRunReader(RunOutput(), url="http://os.test")
    events: list[RunEvent] = []
    for frame in frames:
        out: deque[RunEvent] = deque()
        reader.read(frame, out)
        events.extend(out)
    return events


@pytest.mark.parametrize("seed", range(8))
def test_a_stream_read_by_shape_equals_the_reference(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    frames = frames_of([rng.choice(TEXTS) for _ in range(300)], ensure_ascii=bool(seed % 2))
    frames += frames_of(TEXTS, ensure_ascii=True, created_at=1795261331)  # the next second
    odd = [SSEFrame(name, p if isinstance(p, str) else json.dumps(p)) for name, p in VARIANTS]
    for frame in rng.sample(odd, len(odd)):
        frames.insert(rng.randrange(len(frames)), frame)
    validated = 0
    real = decode.decode_event

    def counted(frame: SSEFrame) -> RunEvent:
        nonlocal validated
        validated += 1
        return real(frame)

    monkeypatch.setattr(decode, "decode_event", counted)
    events = read_all(frames)
    assert len(events) == len(frames)
    for frame, event in zip(frames, events, strict=True):
        same_event(event, reference_decode_event(frame))
    assert validated < len(frames) / 2  # most frames were read by their shape


def test_shaped_events_are_separate_objects() -> None:
    first, second = read_all(frames_of(["one ", "two ", "three"], ensure_ascii=True))[1:]
    assert first.content == "two " and second.content == "three"
    first.content = "changed"
    assert second.content == "three" and "content" in first.model_fields_set
    assert first.__pydantic_extra__ is not second.__pydantic_extra__
    assert first.model_fields_set is not second.model_fields_set
    assert second.raw == {**CONTENT, "content": "three"}  # .raw is the frame's own JSON


@pytest.mark.parametrize(
    "payload",
    [
        {**CONTENT, "tools": [{"tool_name": "x"}]},  # a mutable value: events could not share it
        {**CONTENT, "citations": {"urls": []}},  # a mutable extra
        {**CONTENT, "content": {"a": 1}},  # not a text
        {"label": "content", **CONTENT},  # the first '"content"' in the text is not the field
    ],
)
def test_what_is_never_learned_or_is_learned_right(payload: dict[str, Any]) -> None:
    frame = SSEFrame("RunContent", json.dumps(payload))
    event = decode.decode_event(frame)
    shape = ContentShape.learn(frame, event, decode.decode_event)
    if "label" in payload:  # learned at the field's own literal
        assert shape is not None
        other = SSEFrame("RunContent", json.dumps({**payload, "content": "next"}))
        same_event(shape.read(other), reference_decode_event(other))  # type: ignore[arg-type]
    else:
        assert shape is None
    assert isinstance(event, RunContent)
