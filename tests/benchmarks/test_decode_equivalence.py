"""The decoding fast paths added for the benchmark targets give exactly what the plain paths give.

agentnb/_sse.py and agentnb/agentos/decode.py take shortcuts on the per-token path (whole chunks
cut by a regular expression, pydantic-core's JSON parser, RunContent built like the last one).
Here each is compared with the straightforward line-by-line decoder and the json.loads +
model_validate decoder they replaced (kept below as the reference), on random streams cut at
random places, and on payloads chosen to hit every fallback.
"""

from __future__ import annotations

import codecs
import json
import random
from typing import Any

import pytest
from pydantic import ValidationError

from agentnb._sse import SSEDecoder, SSEFrame
from agentnb.agentos.decode import _MODELLED, _OTHER_AGNO_EVENTS, decode_event
from agentnb.errors import ProtocolError
from agentnb.runs.events import RunContent, RunEvent, UnknownEvent

# --------------------------------------------------------------------------- the references


class ReferenceDecoder:
    """The line-by-line SSE decoder as it was before the fast paths (same rules, no shortcuts)."""

    def __init__(self, max_event_bytes: int = 16 * 1024 * 1024) -> None:
        self.max_event_bytes = max_event_bytes
        self._utf8 = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._tail = ""
        self._skip_lf = False
        self._data: list[str] = []
        self._size = 0
        self._event = ""
        self._retry: int | None = None
        self.last_event_id: str | None = None
        self._id_seen = False

    def feed(self, chunk: bytes) -> list[SSEFrame]:
        text = self._utf8.decode(chunk)
        if not text:
            return []
        if self._skip_lf:
            self._skip_lf = False
            if text[0] == "\n":
                text = text[1:]
        if self._tail:
            text = self._tail + text
        if "\r" in text:
            if text[-1] == "\r":
                self._skip_lf = True
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        lines = text.split("\n")
        self._tail = lines.pop()
        if len(self._tail) > self.max_event_bytes:
            raise ProtocolError("line too long")
        return self._lines(lines)

    def _lines(self, lines: list[str]) -> list[SSEFrame]:
        frames: list[SSEFrame] = []
        for line in lines:
            if not line:
                if self._data:
                    frames.append(self._dispatch())
                else:
                    self._event = ""
                continue
            if line[0] == ":":
                continue
            name, _, value = line.partition(":")
            if value and value[0] == " ":
                value = value[1:]
            if name == "data":
                self._size += len(value) + 1
                if self._size > self.max_event_bytes:
                    self._data.clear()
                    self._size = 0
                    raise ProtocolError("event too large")
                self._data.append(value)
            elif name == "event":
                self._event = value
            elif name == "id":
                if "\0" not in value:
                    self.last_event_id = value
                    self._id_seen = True
            elif name == "retry" and value.isdigit():
                self._retry = int(value)
        return frames

    def _dispatch(self) -> SSEFrame:
        data = self._data[0] if len(self._data) == 1 else "\n".join(self._data)
        frame = SSEFrame(
            self._event or "message", data, self.last_event_id if self._id_seen else None, self._retry
        )
        self._data, self._size, self._event, self._retry = [], 0, "", None
        return frame

    def flush(self) -> list[SSEFrame]:
        rest = self._utf8.decode(b"", final=True)
        if rest:
            self._tail += rest
        return [self._dispatch()] if self._data else []


def reference_decode_event(frame: SSEFrame) -> RunEvent:
    """decode_event as it was: json.loads, model_validate, ``event.raw = payload``."""
    from agentnb.agentos.decode import _unknown

    try:
        payload = json.loads(frame.data)
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
        payload = {**payload, "event": "RunError", "content": payload.get("content") or payload.get("error")}
        name = "RunError"
    cls = _MODELLED.get(name) if isinstance(name, str) else None
    if cls is None:
        if isinstance(name, str) and name in _OTHER_AGNO_EVENTS:
            cls = RunEvent
        else:
            return _unknown(frame, f"unknown event {name!r}", payload)
    try:
        event = cls.model_validate(payload)
    except ValidationError as exc:
        return _unknown(
            frame, f"{name} did not validate: {exc.error_count()} error(s): {exc.errors()[0]['msg']}", payload
        )
    event.raw = payload
    return event


# --------------------------------------------------------------------------- SSE framing

LINES = [
    "event: RunContent",
    "event:RunContent",
    "event:  two spaces",
    "event: ",
    "event",
    'data: {"event":"RunContent","content":"x"}',
    "data:{}",
    "data: ",
    "data",
    "data:  lead",
    "data: a:b: c",
    "data: héllo → wörld 😀",
    "id: 7",
    "id: a\0b",
    "id",
    "retry: 1500",
    "retry: soon",
    ": keep-alive",
    ":",
    "foo: bar",
    "",
    "",
    "",
]


def random_stream(rng: random.Random) -> str:
    """Mostly well-formed AgentOS / A2A shapes, with every odd line mixed in now and then."""
    parts: list[str] = []
    for _ in range(rng.randint(1, 40)):
        kind = rng.random()
        if kind < 0.4:
            parts += [f"event: E{rng.randint(0, 3)}", f'data: {{"n": {rng.randint(0, 99)}}}', ""]
        elif kind < 0.6:
            parts += [f"data: {rng.choice(['x', 'long ' * rng.randint(1, 50), '{}'])}", ""]
        else:
            parts += rng.choices(LINES, k=rng.randint(1, 5))
    eol = rng.choice(["\n", "\r\n", "\r", "mixed"])
    if eol == "mixed":
        return "".join(p + rng.choice(["\n", "\r\n", "\r"]) for p in parts) + rng.choice(["", "data: cut"])
    return eol.join(parts) + eol + rng.choice(["", "data: cut", "event: X\n"])


def cut(data: bytes, rng: random.Random) -> list[bytes]:
    style = rng.random()
    if style < 0.2:
        return [data]
    if style < 0.3:
        return [bytes([b]) for b in data]
    pieces, i = [], 0
    while i < len(data):
        step = rng.choice([1, 2, 3, 7, 16, 64, 300, 4096])
        pieces.append(data[i : i + step])
        i += step
    return pieces


def run_decoder(decoder: Any, chunks: list[bytes]) -> tuple[list[tuple[Any, ...]], str, str | None]:
    frames: list[tuple[Any, ...]] = []
    try:
        for chunk in chunks:
            frames += [tuple(f) for f in decoder.feed(chunk)]
        frames += [tuple(f) for f in decoder.flush()]
    except ProtocolError:
        return frames, "", "ProtocolError"
    incomplete = decoder.incomplete if isinstance(decoder, SSEDecoder) else decoder._tail
    return frames, incomplete, None


@pytest.mark.parametrize("block", range(20))
def test_sse_decoder_matches_the_line_by_line_reference(block: int) -> None:
    for seed in range(block * 250, (block + 1) * 250):  # 5,000 random streams in all
        check_stream(seed)


def check_stream(seed: int) -> None:
    rng = random.Random(seed)
    text = random_stream(rng)
    data = text.encode()
    if rng.random() < 0.1:
        data = data.replace(b"x", b"\xff", 1)  # invalid UTF-8 somewhere
    limit = rng.choice([16 * 1024 * 1024, 16 * 1024 * 1024, 40, 200])
    chunks = cut(data, rng)
    ours = run_decoder(SSEDecoder(max_event_bytes=limit), chunks)
    theirs = run_decoder(ReferenceDecoder(max_event_bytes=limit), chunks)
    if theirs[2] is not None or ours[2] is not None:
        # Refusals: both refuse (where they notice may differ by a chunk for a long line).
        assert ours[2] == theirs[2]
        return
    assert ours == theirs


def test_agentos_shaped_stream_in_any_chunking_equals_the_reference() -> None:
    frames = [
        f"event: RunContent\ndata: {json.dumps({'event': 'RunContent', 'content': f't{i} '})}\n\n"
        for i in range(300)
    ]
    data = (
        "".join(frames) + "event: RunCompleted\ndata: " + json.dumps({"content": "é" * 5000}) + "\n\n"
    ).encode()
    rng = random.Random(1)
    for size in (1, 5, 64, 1000, 4096, 65536, len(data)):
        chunks = [data[i : i + size] for i in range(0, len(data), size)]
        assert run_decoder(SSEDecoder(), chunks) == run_decoder(ReferenceDecoder(), chunks)
    for _ in range(20):
        chunks = cut(data, rng)
        assert run_decoder(SSEDecoder(), chunks) == run_decoder(ReferenceDecoder(), chunks)


def a2a_event(rng: random.Random) -> str:
    eol = rng.choice(["\r\n", "\n"])
    return f'data: {{"n": {rng.randint(0, 9)}, "t": "tok"}}{eol}{eol}'


def agentos_event(rng: random.Random) -> str:
    name = rng.choice(["RunContent", "RunStarted", "x"])
    return f'event: {name}\ndata: {{"n": {rng.randint(0, 9)}}}\n\n'


#: Chunks next to the usual one-event chunks that must not be misread by the shortcuts.
ODD_A2A_CHUNKS = [
    "id: 9\n",
    "retry: 250\n",
    "event: named\n",
    ": ping\n\n",
    "data: a\r\n\n",
    "data: a\rb\n\n",
    "data:x\n\n",
    "data: two\ndata: lines\n\n",
    "data: not ended\n",
    "data: cr\r",
    "\n",
    "data: \n\n",
    "data: " + "y" * 60 + "\r\n\r\n",
]
ODD_AGENTOS_CHUNKS = [
    "id: 9\n",
    "retry: 250\n",
    "event: \ndata: empty name\n\n",
    "event: spaced \ndata: x\n\n",
    "event: cr\r\ndata: x\r\n\r\n",
    "event: a\ndata: x\nid: 3\n\n",
    "event: a\ndata: one\n\nevent: b\ndata: two\n\n",
    "event: a\ndata:no space\n\n",
    "event: a\ndata: open\n",
    "event: a\n",
    "\n",
    "event: a\ndata: " + "y" * 60 + "\n\n",
]


@pytest.mark.parametrize(
    ("usual", "odd", "seed"),
    [(a2a_event, ODD_A2A_CHUNKS, 15), (agentos_event, ODD_AGENTOS_CHUNKS, 16)],
    ids=["a2a data-only events", "agentos named events"],
)
def test_one_chunk_per_event_equals_the_reference(usual: Any, odd: list[str], seed: int) -> None:
    """A chunk per event (A2A servers send ``data:`` alone, AgentOS an ``event:``/``data:`` pair)
    takes a one-event shortcut; odd chunks next to it (ids, retries, empty or spaced names, line
    ends split or mixed, a third line, two events in one chunk, a line left open) must be read as
    the line-by-line reference reads them."""
    rng = random.Random(seed)
    for _ in range(300):
        chunks = [
            (usual(rng) if rng.random() < 0.6 else rng.choice(odd)).encode()
            for _ in range(rng.randint(1, 12))
        ]
        limit = rng.choice([16 * 1024 * 1024, 40])
        ours = run_decoder(SSEDecoder(max_event_bytes=limit), chunks)
        theirs = run_decoder(ReferenceDecoder(max_event_bytes=limit), chunks)
        if theirs[2] is not None or ours[2] is not None:
            assert ours[2] == theirs[2]
            continue
        assert ours == theirs, chunks


# --------------------------------------------------------------------------- typed events


def same_event(a: RunEvent, b: RunEvent) -> None:
    assert type(a) is type(b)
    # repr, not ==: a NaN content is not equal to itself. The fields, the extras and .raw are what
    # a user sees; how .raw is kept (parsed now, or later from the frame's text) is not compared.
    fields = type(a).model_fields
    assert repr({k: a.__dict__[k] for k in fields}) == repr({k: b.__dict__[k] for k in fields})
    assert repr(a.__pydantic_extra__) == repr(b.__pydantic_extra__)
    assert repr(a.raw) == repr(b.raw)
    assert a.model_fields_set - {"raw"} == b.model_fields_set - {"raw"}
    if isinstance(a, UnknownEvent):
        assert a.error == b.error  # type: ignore[attr-defined]


CONTENT: dict[str, Any] = {
    "created_at": 1795261330,
    "event": "RunContent",
    "agent_id": "assistant",
    "agent_name": "Assistant",
    "run_id": "7e34cd6d-102e-4c00-91ba-223bd32391f0",
    "session_id": "sess-1",
    "nested_depth": 0,
    "content": "Hello ",
    "workflow_agent": False,
    "content_type": "str",
    "reasoning_content": "",
}

VARIANTS: list[tuple[str, Any]] = [
    ("RunContent", CONTENT),
    ("RunContent", {**CONTENT, "content": "other"}),
    ("RunContent", {**CONTENT, "content": {"a": [1, 2]}}),
    ("RunContent", {**CONTENT, "created_at": 1795261331}),
    ("RunContent", {**CONTENT, "created_at": 1795261330.0}),
    ("RunContent", {**CONTENT, "created_at": 1795261330.5}),
    ("RunContent", {**CONTENT, "created_at": "1795261330"}),
    ("RunContent", {**CONTENT, "created_at": True}),
    ("RunContent", {**CONTENT, "nested_depth": False}),
    ("RunContent", {**CONTENT, "nested_depth": 1}),
    ("RunContent", {**CONTENT, "nested_depth": None}),
    ("RunContent", {**CONTENT, "session_id": None}),
    ("RunContent", {**CONTENT, "session_id": 5}),
    ("RunContent", {**CONTENT, "content_type": None}),
    ("RunContent", {**CONTENT, "workflow_agent": 0}),
    ("RunContent", {**CONTENT, "workflow_agent": True, "citations": {"urls": []}}),
    ("RunContent", {k: v for k, v in CONTENT.items() if k != "content"}),
    ("RunContent", {k: v for k, v in CONTENT.items() if k != "workflow_agent"}),
    ("RunContent", {k: v for k, v in CONTENT.items() if k != "reasoning_content"}),
    ("RunContent", {**CONTENT, "raw": {"x": 1}}),
    ("RunContent", {**CONTENT, "event": "RunCompleted"}),
    ("RunContent", {k: v for k, v in CONTENT.items() if k != "event"}),
    ("message", CONTENT),
    ("RunCompleted", {"event": "RunCompleted", "content": "all", "metrics": {"total_tokens": 3}}),
    ("RunCompleted", {"event": "RunCompleted", "metrics": "bad"}),
    ("error", {"event": "error", "error": "boom"}),
    ("ModelRequestCompleted", {"event": "ModelRequestCompleted", "input_tokens": 10}),
    ("BrandNew", {"event": "BrandNew"}),
    ("RunContent", '{"event":"RunContent","content":"\\ud800"}'),
    ("RunContent", '{"event":"RunContent","content":"x\ty"}'),
    ("RunContent", '{"event":"RunContent","content":NaN}'),
    ("RunContent", '{"event":"RunContent","event":"RunStarted"}'),
    ("RunContent", "{not json"),
    ("RunContent", "[1, 2]"),
    ("RunContent", '"just a string"'),
]


@pytest.mark.parametrize("order", range(6))
def test_decode_event_matches_the_reference_in_any_order(order: int) -> None:
    variants = list(VARIANTS)
    random.Random(order).shuffle(variants)
    for name, payload in variants * 2:  # twice: the second time the last RunContent is known
        data = payload if isinstance(payload, str) else json.dumps(payload)
        frame = SSEFrame(event=name, data=data)
        same_event(decode_event(frame), reference_decode_event(frame))


def test_run_content_built_like_the_last_one_behaves_like_a_validated_one() -> None:
    frame = SSEFrame("RunContent", json.dumps(CONTENT))
    decode_event(frame)
    event = decode_event(SSEFrame("RunContent", json.dumps({**CONTENT, "content": "again"})))
    assert isinstance(event, RunContent) and event.content == "again"
    assert event.model_dump() == RunContent.model_validate({**CONTENT, "content": "again"}).model_dump()
    event.content = "changed"  # assignment still works, and touches no other event
    assert "content" in event.model_fields_set and decode_event(frame).content == "Hello "
