"""SSE framing: spec-exact and lossless at every chunk split."""

from __future__ import annotations

import pytest
from httpx_sse._decoders import SSEDecoder as ReferenceDecoder

from agentnb._sse import SSEDecoder, SSEFrame
from agentnb.errors import ProtocolError


def decode(chunks: list[bytes], **kwargs: int) -> tuple[list[SSEFrame], SSEDecoder]:
    decoder = SSEDecoder(**kwargs)
    frames: list[SSEFrame] = []
    for chunk in chunks:
        frames += decoder.feed(chunk)
    frames += decoder.flush()
    return frames, decoder


def reference(text: str) -> list[tuple[str, str, str | None]]:
    """httpx-sse's reading of the same stream: (event, data, id) per dispatched event."""
    decoder = ReferenceDecoder()
    out = []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for line in lines[:-1]:  # the text after the last line end is not a line yet
        sse = decoder.decode(line)
        if sse is not None:
            out.append((sse.event, sse.data, sse.id or None))
    return out


SAMPLE = (
    "event: RunStarted\r\n"
    'data: {"event":"RunStarted","run_id":"r1"}\r\n'
    "\r\n"
    ": a comment line\n"
    "id: 7\n"
    "event: RunContent\n"
    "data:first line\n"
    "data: second line\n"
    "\n"
    "retry: 3000\r"
    "data: cr only\r"
    "\r"
    "event: RunCompleted\n"
    "data: {}\n"
    "\n"
)


def test_line_ends_multiline_data_comments_and_fields() -> None:
    frames, decoder = decode([SAMPLE.encode()])
    assert [(f.event, f.data) for f in frames] == [
        ("RunStarted", '{"event":"RunStarted","run_id":"r1"}'),
        ("RunContent", "first line\nsecond line"),
        ("message", "cr only"),
        ("RunCompleted", "{}"),
    ]
    assert frames[1].id == "7" and frames[2].id == "7"  # the last event id is sticky
    assert frames[2].retry == 3000
    assert decoder.incomplete == ""


def test_same_frames_at_every_split_point() -> None:
    data = SAMPLE.encode()
    whole, _ = decode([data])
    for cut in range(1, len(data)):
        frames, decoder = decode([data[:cut], data[cut:]])
        assert frames == whole, f"split at byte {cut}"
        assert decoder.incomplete == ""


def test_byte_by_byte_matches_whole() -> None:
    data = SAMPLE.encode()
    whole, _ = decode([data])
    frames, _ = decode([bytes([b]) for b in data])
    assert frames == whole


def test_agrees_with_httpx_sse() -> None:
    frames, _ = decode([SAMPLE.encode()])
    assert [(f.event, f.data, f.id) for f in frames] == reference(SAMPLE)


def test_crlf_split_between_cr_and_lf_is_one_line_end() -> None:
    frames, _ = decode([b"data: a\r", b"\n\r", b"\ndata: b\r\n\r\n"])
    assert [f.data for f in frames] == ["a", "b"]


def test_multibyte_utf8_split_across_chunks() -> None:
    data = "data: héllo → wörld\n\n".encode()
    cut = data.index("→".encode()) + 1
    frames, _ = decode([data[:cut], data[cut:]])
    assert frames[0].data == "héllo → wörld"


def test_invalid_utf8_is_replaced_not_fatal() -> None:
    frames, _ = decode([b"data: bad \xff byte\n\n"])
    assert frames[0].data == "bad \ufffd byte"


def test_event_without_data_is_not_dispatched_and_resets_name() -> None:
    frames, _ = decode([b"event: Lonely\n\ndata: x\n\n"])
    assert [(f.event, f.data) for f in frames] == [("message", "x")]


def test_cut_mid_line_is_reported_not_guessed() -> None:
    frames, decoder = decode([b'data: {"a": 1}\n\ndata: {"b": '])
    assert [f.data for f in frames] == ['{"a": 1}']
    assert decoder.incomplete == 'data: {"b": '


def test_complete_lines_without_final_blank_line_are_dispatched_at_eof() -> None:
    frames, decoder = decode([b"data: last\n"])
    assert [f.data for f in frames] == ["last"]
    assert decoder.incomplete == ""


def test_oversized_event_is_refused() -> None:
    decoder = SSEDecoder(max_event_bytes=100)
    with pytest.raises(ProtocolError, match="larger than 100 bytes"):
        decoder.feed(b"data: " + b"x" * 60 + b"\ndata: " + b"y" * 60 + b"\n")


def test_oversized_line_without_line_end_is_refused() -> None:
    decoder = SSEDecoder(max_event_bytes=100)
    with pytest.raises(ProtocolError, match="without a line end"):
        decoder.feed(b"data: " + b"x" * 200)


def test_id_with_nul_is_ignored_and_unknown_fields_skipped() -> None:
    frames, _ = decode([b"id: a\x00b\nfoo: bar\ndata: x\n\n"])
    assert frames == [SSEFrame(event="message", data="x", id=None, retry=None)]
