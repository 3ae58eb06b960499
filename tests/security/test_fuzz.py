"""Fuzzing the decoders: every input decodes or raises ProtocolError; nothing hangs, nothing else
escapes, no valid frame is dropped."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentnb._sse import SSEDecoder, SSEFrame
from agentnb.a2a.dialects import dialect_for
from agentnb.agentos.decode import decode_event
from agentnb.errors import A2AError, ProtocolError
from agentnb.runs.events import RunEvent, UnknownEvent
from tests.reliability_report import record

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
COUNTS: dict[str, int] = {}


def counted(name: str) -> None:
    COUNTS[name] = COUNTS.get(name, 0) + 1


def feed_all(chunks: list[bytes], max_event_bytes: int = 1 << 20) -> tuple[list[SSEFrame], str]:
    decoder = SSEDecoder(max_event_bytes=max_event_bytes)
    frames: list[SSEFrame] = []
    for chunk in chunks:
        frames += decoder.feed(chunk)
    frames += decoder.flush()
    return frames, decoder.incomplete


# --------------------------------------------------------------------------- SSE framing

line_end = st.sampled_from(["\n", "\r\n", "\r"])
field_text = st.text(
    alphabet=st.characters(blacklist_characters="\r\n", blacklist_categories=("Cs",)), max_size=40
)


@st.composite
def sse_stream(draw: st.DrawFn) -> tuple[bytes, list[str]]:
    """A well-formed stream with mixed line ends, and the data of each event it holds."""
    out: list[str] = []
    expected: list[str] = []
    for _ in range(draw(st.integers(0, 6))):
        lines = draw(st.lists(field_text, min_size=1, max_size=3))
        if draw(st.booleans()):
            out.append(": comment" + draw(line_end))
        if draw(st.booleans()):
            out.append("event: " + draw(field_text).replace(":", "") + draw(line_end))
        for value in lines:
            sep = draw(st.sampled_from(["data: ", "data:"]))
            if sep == "data:" and value.startswith(" "):
                sep = "data: "  # "data:" + " x" would lose the leading space, by design of the spec
            out.append(sep + value + draw(line_end))
        out.append(draw(line_end))
        expected.append("\n".join(lines))
    text = ""
    for piece in out:
        if text.endswith("\r") and piece.startswith("\n"):
            piece = "\r" + piece  # "\r" then "\n" would be one CRLF line end, not two
        text += piece
    return text.encode(), expected


@FUZZ
@given(sse_stream(), st.data())
def test_valid_streams_lose_no_frame_at_any_split(
    stream: tuple[bytes, list[str]], data: st.DataObject
) -> None:
    raw, expected = stream
    cuts = sorted(data.draw(st.lists(st.integers(0, len(raw)), max_size=6)))
    chunks = [raw[a:b] for a, b in zip([0, *cuts], [*cuts, len(raw)], strict=True)]
    frames, incomplete = feed_all(chunks)
    assert [f.data for f in frames] == expected and incomplete == ""
    counted("sse streams")


@FUZZ
@given(st.lists(st.binary(max_size=200), max_size=8))
def test_random_bytes_decode_or_refuse(chunks: list[bytes]) -> None:
    try:
        frames, _ = feed_all(chunks, max_event_bytes=256)
    except ProtocolError:
        counted("sse refused")
        return
    assert all(isinstance(f.data, str) for f in frames)
    counted("sse random bytes")


def test_huge_line_and_invalid_utf8() -> None:
    frames, incomplete = feed_all([b"data: ", b"\xff\xfe" * 10, b"\n\n"])
    assert frames[0].data == "\ufffd" * 20 and incomplete == ""
    try:
        feed_all([b"data: " + b"x" * 5000], max_event_bytes=1000)
    except ProtocolError as exc:
        assert "refused" in str(exc)
    else:
        raise AssertionError("a line over the cap was accepted")


# --------------------------------------------------------------------------- JSON payloads

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=25,
)
EVENT_NAMES = [
    "RunStarted",
    "RunContent",
    "ToolCallStarted",
    "ToolCallCompleted",
    "RunPaused",
    "RunCompleted",
    "RunError",
    "RunCancelled",
    "error",
    "Bogus",
]


@st.composite
def agentos_payload(draw: st.DrawFn) -> str:
    payload: Any = draw(
        st.dictionaries(
            st.sampled_from(
                [
                    "run_id",
                    "content",
                    "tool",
                    "tools",
                    "requirements",
                    "metrics",
                    "nested_depth",
                    "created_at",
                ]
            ),
            json_values,
            max_size=6,
        )
    )
    if draw(st.booleans()):
        payload["event"] = draw(st.sampled_from(EVENT_NAMES))
    return json.dumps(payload) if draw(st.booleans()) else draw(st.text(max_size=60))


@FUZZ
@given(agentos_payload(), st.sampled_from(["message", *EVENT_NAMES]))
def test_agentos_frames_always_become_an_event(data: str, sse_name: str) -> None:
    event = decode_event(SSEFrame(event=sse_name, data=data))
    assert isinstance(event, RunEvent)
    if isinstance(event, UnknownEvent):
        assert event.raw_text == data  # kept, not dropped
    counted("agentos frames")


def test_deeply_nested_json_is_an_unknown_event_not_a_crash() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    event = decode_event(SSEFrame(event="RunContent", data=deep))
    assert isinstance(event, UnknownEvent) and event.raw_text == deep


@FUZZ
@given(
    json_values,
    st.sampled_from(
        [("0.3", "JSONRPC"), ("0.3", "HTTP+JSON"), ("0.3", "AGNO"), ("1.0", "JSONRPC"), ("1.0", "HTTP+JSON")]
    ),
)
def test_a2a_results_decode_or_raise_a2a_errors(payload: Any, dialect: tuple[str, str]) -> None:
    codec = dialect_for(*dialect, "http://peer.test")
    for shaped in (
        payload,
        {"jsonrpc": "2.0", "id": "1", "result": payload},
        {"task": payload},
        {"kind": "task", "id": "t", "status": payload},
    ):
        try:
            codec.decode_stream(shaped)
        except (ProtocolError, A2AError):
            counted("a2a refused")
        else:
            counted("a2a decoded")


A2A_KEYS = ["kind", "id", "contextId", "taskId", "status", "state", "message", "parts", "content", "artifact",
            "artifacts", "artifactId", "history", "text", "file", "bytes", "uri", "raw", "url", "data", "role",
            "append", "lastChunk", "final", "metadata", "task", "statusUpdate", "artifactUpdate", "fileWithBytes"]  # fmt: skip
a2a_shapes = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=8)
    | st.sampled_from(
        [
            "task",
            "message",
            "status-update",
            "artifact-update",
            "text",
            "file",
            "data",
            "completed",
            "TASK_STATE_FAILED",
        ]
    ),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(A2A_KEYS), inner, max_size=5),
    max_leaves=30,
)


@FUZZ
@given(
    a2a_shapes,
    st.sampled_from([("0.3", "JSONRPC"), ("0.3", "HTTP+JSON"), ("1.0", "JSONRPC"), ("1.0", "HTTP+JSON")]),
)
def test_a2a_shaped_garbage_decodes_or_raises_protocol_errors(payload: Any, dialect: tuple[str, str]) -> None:
    codec = dialect_for(*dialect, "http://peer.test")
    for shaped in (payload, {"jsonrpc": "2.0", "id": "1", "result": payload}):
        try:
            codec.decode_stream(shaped)
            counted("a2a shaped decoded")
        except (ProtocolError, A2AError):
            counted("a2a shaped refused")


def test_report_fuzz_counts() -> None:
    total = sum(COUNTS.values())
    record(
        "fuzzing",
        f"{total} generated inputs, each decoded or refused with ProtocolError: {json.dumps(COUNTS, sort_keys=True)}",
    )
