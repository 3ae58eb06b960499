"""A text chunk read by its frame's learned shape gives exactly what parsing the frame gives.

An A2AReader learns the text around a text chunk's literal (agentnb/a2a/_wire.py,
``FrameShape``) and reads the following frames of that shape without parsing them. Streams of
like frames with hostile texts (quotes, backslashes, escapes, control characters, lines, the
shape's own suffix inside the text), written with different JSON spellings and now and then a
frame of another shape or no JSON at all, are read with shapes on, with shapes off, and with
every fast path off: events (their lazily decoded ``item`` and ``artifact``), the TaskResult,
refusals and errors must agree.
"""

from __future__ import annotations

import json
import random
from collections import deque
from typing import Any

import pytest

from agentnb._sse import SSEFrame
from agentnb.a2a import _wire, v03_objects, v10_objects
from agentnb.a2a import stream as stream_module
from agentnb.a2a.dialects import dialect_for
from agentnb.a2a.models import StreamEvent
from agentnb.a2a.stream import A2AReader
from tests.a2a._reading import read_frames

TEXTS = ["tok ", "", '"', "\\", '\\"', "a\nb", "\t", "\x00", "\u2028", "é", "😀", '"}]}', "\\u0041", " "]
DIALECTS = [("0.3", "JSONRPC"), ("1.0", "JSONRPC"), ("0.3", "HTTP+JSON"), ("1.0", "HTTP+JSON")]


def text(rng: random.Random) -> str:
    return "".join(rng.choice(TEXTS) for _ in range(rng.randint(0, 3)))


def chunk(rng: random.Random, version: str, binding: str, t: str, append: bool) -> Any:
    v03 = (version, binding) == ("0.3", "JSONRPC")
    part: dict[str, Any] = {"kind": "text", "text": t} if v03 else {"text": t}
    if rng.random() < 0.05:
        part["metadata"] = {"k": 1}
    artifact: dict[str, Any] = {"artifactId": "a1", "name": "answer", "parts": [part]}
    if rng.random() < 0.05:
        artifact["extensions"] = ["urn:x"]  # a list: no shape is learned from it
    update: dict[str, Any] = {"taskId": "t-1", "contextId": "c-1", "artifact": artifact, "append": append}
    result = {"kind": "artifact-update", **update} if v03 else {"artifactUpdate": update}
    return {"jsonrpc": "2.0", "id": 2, "result": result} if binding == "JSONRPC" else result


def frames(rng: random.Random, version: str, binding: str) -> list[str]:
    spelling = rng.choice(
        [{}, {"ensure_ascii": False}, {"separators": (",", ":")}, {"indent": 1}, {"sort_keys": True}]
    )
    out = []
    for i in range(rng.randint(1, 12)):
        t = text(rng)
        data = json.dumps(chunk(rng, version, binding, t, append=i > 0 and rng.random() < 0.9), **spelling)
        roll = rng.random()
        if roll < 0.04:
            data = data.replace(json.dumps(t, **spelling), '"' + t + '"', 1)  # raw controls and quotes
        elif roll < 0.07:
            data = data[:-1]  # cut: not JSON
        elif roll < 0.1:
            data = json.dumps({"jsonrpc": "2.0", "id": 2, "result": {"kind": "task"}})
        out.append(data)
    return out


def read_all(version: str, binding: str, stream: list[str], cap: int | None) -> Any:
    reader = A2AReader("http://peer.test", *(() if cap is None else (cap,)))
    reader.dialect = dialect_for(version, binding, "http://peer.test")
    return read_frames(reader, (SSEFrame("message", data) for data in stream))


@pytest.mark.parametrize(("version", "binding"), DIALECTS)
def test_frames_read_by_their_shape_read_as_parsed(version: str, binding: str) -> None:
    rng = random.Random(f"{version}{binding}")
    streams = [frames(rng, version, binding) for _ in range(250)]
    caps = [rng.choice([None, None, None, 12]) for _ in streams]
    hits = 0
    real = _wire.FrameShape.read

    def counted(self: Any, data: str) -> Any:
        nonlocal hits
        facts = real(self, data)
        hits += facts is not None
        return facts

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_wire.FrameShape, "read", counted)
        shaped = [read_all(version, binding, s, c) for s, c in zip(streams, caps, strict=True)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(stream_module, "_SHAPES", 0)
        parsed = [read_all(version, binding, s, c) for s, c in zip(streams, caps, strict=True)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(stream_module, "_SHAPES", 0)
        patch.setattr(stream_module, "_text_chunks", lambda dialect: (None, False))
        patch.setattr(v03_objects, "fast_chunk", lambda *a, **k: None)
        patch.setattr(v10_objects, "fast_chunk", lambda *a, **k: None)
        slow = [read_all(version, binding, s, c) for s, c in zip(streams, caps, strict=True)]
    assert shaped == parsed == slow
    assert hits > 500  # the shapes were used, not only learned
    flat = [frame for seen, *_ in shaped for frame in seen]
    assert any(isinstance(f, tuple) for f in flat)  # and the errors were compared too


def test_a_shape_is_learned_only_where_the_probe_lands_on_the_text() -> None:
    """A frame with the same text elsewhere (an id equal to the text) still finds its literal."""
    update = {"taskId": "tok", "artifact": {"artifactId": "tok", "parts": [{"text": "tok"}]}, "append": True}
    data = json.dumps({"text": "tok", "artifactUpdate": update})  # the decoy first
    reader = A2AReader("http://peer.test")
    reader.dialect = dialect_for("1.0", "HTTP+JSON", "http://peer.test")
    out: deque[StreamEvent] = deque()
    reader.read(SSEFrame("message", data), out)
    shape = reader._shape
    assert shape is not None and shape.prefix.endswith('"parts": [{"text": ')
    reader.read(SSEFrame("message", data.replace('[{"text": "tok"}]', '[{"text": "more"}]')), out)
    reader.read(SSEFrame("message", data.replace('{"text": "tok", ', '{"text": "other", ')), out)
    assert [e.content for e in out] == ["tok", "more", "tok"] and reader.assembler.content == "tokmoretok"


def test_a_stream_whose_frames_never_repeat_stops_learning() -> None:
    reader = A2AReader("http://peer.test")
    reader.dialect = dialect_for("1.0", "JSONRPC", "http://peer.test")
    out: deque[StreamEvent] = deque()
    for i in range(40):
        update = {"taskId": "t", "artifact": {"artifactId": "a", "parts": [{"text": "x"}]}, "append": True}
        reader.read(
            SSEFrame(
                "message", json.dumps({"jsonrpc": "2.0", "id": i, "result": {"artifactUpdate": update}})
            ),
            out,
        )
    assert reader._shapes_left == 0 and reader.assembler.content == "x" * 40


def test_a_stream_of_many_artifacts_keeps_its_shapes(monkeypatch: pytest.MonkeyPatch) -> None:
    hits: list[str] = []
    real = _wire.FrameShape.read

    def counted(self: Any, data: str) -> Any:
        facts = real(self, data)
        if facts is not None:
            hits.append(facts[0])
        return facts

    monkeypatch.setattr(_wire.FrameShape, "read", counted)
    reader = A2AReader("http://peer.test")
    reader.dialect = dialect_for("0.3", "HTTP+JSON", "http://peer.test")
    out: deque[StreamEvent] = deque()
    for a in range(20):
        for i in range(5):
            artifact = {"artifactId": f"a{a}", "parts": [{"text": f"{i}"}]}
            update = {"taskId": "t", "artifact": artifact, "append": i > 0, "lastChunk": i == 4}
            reader.read(SSEFrame("message", json.dumps({"artifactUpdate": update})), out)
    assert len(out) == 100 and reader.assembler.artifacts["a19"].text == "01234"
    assert hits.count("a19") == 2  # the appends after the first (the last chunk is its own shape)
