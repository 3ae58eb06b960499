"""A FramedBody (gRPC's messages) reaches the reader as parsed frames, never as SSE text to re-parse;
the engine's rules hold as for HTTP: stop at the terminal event, keep what trails it, close on leaving."""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterator, Sequence
from typing import Any

import httpx

from agentnb._sse import ParsedFrame, SSEFrame, parsed_frame
from agentnb._stream import EventStream, FramedBody


class Body(httpx.AsyncByteStream, FramedBody):
    def __init__(self, payloads: list[Any]) -> None:
        self.payloads, self.closed = payloads, False

    async def frames(self) -> AsyncIterator[list[SSEFrame]]:
        for payload in self.payloads:
            yield [parsed_frame(payload)]

    async def __aiter__(self) -> AsyncIterator[bytes]:
        raise AssertionError("the engine read the framed body as bytes")
        yield b""  # pragma: no cover - makes this an async generator

    async def aclose(self) -> None:
        self.closed = True


class Reader:
    """Events are the payloads; the payload "end" is terminal."""

    def __init__(self) -> None:
        self.event_count, self.trailing, self.seen = 0, [], []  # type: ignore[var-annotated]

    def read(self, frame: SSEFrame, out: deque[Any]) -> bool:
        assert type(frame) is ParsedFrame and frame.data == ""
        self.event_count += 1
        out.append(frame.payload)
        return bool(frame.payload == "end")

    def read_trailing(self, frame: SSEFrame) -> None:
        self.trailing.append(frame.payload)  # type: ignore[attr-defined]

    def read_body(self, body: bytes, content_type: str) -> Sequence[Any]:
        raise AssertionError("not a body")

    def at_end(self) -> str | None:
        return None

    def result(self) -> list[Any]:
        return self.seen

    finish = interrupt = result

    def text_of(self, event: Any) -> str | None:
        return None


def stream_of(body: Body) -> EventStream[Any, Any]:
    async def opener() -> httpx.Response:
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, stream=body)

    return EventStream(Reader(), opener, url="grpc://test")


async def test_frames_are_read_as_parsed_and_what_trails_the_terminal_event_is_kept() -> None:
    body = Body([{"n": 1}, {"n": 2}, "end", {"late": True}])
    stream = stream_of(body)
    events = [event async for event in stream]
    assert events == [{"n": 1}, {"n": 2}, "end"] and stream.finished
    assert stream.reader.trailing == [{"late": True}] and body.closed  # type: ignore[attr-defined]


async def test_leaving_early_closes_the_body() -> None:
    body = Body([{"n": i} for i in range(100)])
    async with stream_of(body) as stream:
        async for event in stream:
            if event["n"] == 3:
                break
    assert body.closed and not stream.finished
