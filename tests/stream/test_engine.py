"""RunStream over faults real peers can't produce: cut connections, HTML, stray frames."""

from __future__ import annotations

import gzip
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import respx

from agentnb import (
    ProtocolError,
    RemoteAgent,
    RunCancelled,
    RunCompleted,
    RunContent,
    RunStatus,
    StreamInterruptedError,
    UnknownEvent,
)

BASE = "http://agentos.test"
RUNS = f"{BASE}/agents/assistant/runs"


def sse(*events: dict[str, Any]) -> bytes:
    return b"".join(f"event: {e['event']}\ndata: {json.dumps(e)}\n\n".encode() for e in events)


STARTED = {"event": "RunStarted", "run_id": "r1", "session_id": "s1", "agent_id": "assistant"}


def content(text: str) -> dict[str, Any]:
    return {"event": "RunContent", "run_id": "r1", "session_id": "s1", "content": text}


def streamed(*chunks: bytes, error: Exception | None = None) -> httpx.Response:
    async def body() -> AsyncIterator[bytes]:
        for chunk in chunks:
            yield chunk
        if error is not None:
            raise error

    return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body())


def agent() -> RemoteAgent:
    return RemoteAgent(BASE, agent_id="assistant", prefetch_config=False)


async def collect(a: RemoteAgent, **kwargs: Any) -> tuple[list[Any], Any]:
    events = []
    async with a.arun("hi", stream=True, **kwargs) as stream:
        async for event in stream:
            events.append(event)
    return events, stream


async def test_first_terminal_event_wins_and_later_ones_are_kept_aside() -> None:
    cancelled = {"event": "RunCancelled", "run_id": "r1", "content": "Hel", "reason": "cancelled"}
    completed = {"event": "RunCompleted", "run_id": "r1", "content": "Hel"}
    with respx.mock:
        respx.post(RUNS).mock(return_value=streamed(sse(STARTED, content("Hel"), cancelled, completed)))
        events, stream = await collect(agent())
    assert [e.event for e in events] == ["RunStarted", "RunContent", "RunCancelled"]
    assert isinstance(stream.terminal, RunCancelled)
    assert [type(e) for e in stream.trailing_events] == [RunCompleted]
    assert stream.output.status is RunStatus.cancelled and stream.output.content == "Hel"


async def test_deltas_assemble_into_the_output_and_completed_text_wins() -> None:
    done = {"event": "RunCompleted", "run_id": "r1", "content": "Hello world", "metrics": {"total_tokens": 5}}
    with respx.mock:
        respx.post(RUNS).mock(return_value=streamed(sse(STARTED, content("Hello "), content("world"), done)))
        events, stream = await collect(agent(), keep_events=True)
    assert stream.output.content == "Hello world" and stream.output.metrics == {"total_tokens": 5}
    assert stream.output.run_id == "r1" and stream.output.session_id == "s1"
    assert stream.output.events == events and not stream.output.interrupted


async def test_connection_cut_mid_stream_raises_and_keeps_partial_text() -> None:
    with respx.mock:
        respx.post(RUNS).mock(
            return_value=streamed(
                sse(STARTED, content("Hello "), content("wor")),
                b'event: RunContent\ndata: {"event": "RunCon',
                error=httpx.RemoteProtocolError(
                    "peer closed connection without sending complete message body"
                ),
            )
        )
        with pytest.raises(StreamInterruptedError) as info:
            await collect(agent())
    partial = info.value.partial
    assert partial.content == "Hello wor" and partial.interrupted and partial.status is RunStatus.running
    assert "connection broke" in str(info.value) and RUNS in str(info.value)


async def test_stream_ending_mid_event_raises_with_the_cut_text() -> None:
    with respx.mock:
        respx.post(RUNS).mock(return_value=streamed(sse(STARTED, content("Hi")), b'data: {"event": "RunCo'))
        with pytest.raises(StreamInterruptedError, match="cut in the middle of an event") as info:
            await collect(agent())
    assert info.value.raw == 'data: {"event": "RunCo' and info.value.partial.content == "Hi"


async def test_stream_without_terminal_event_after_start_raises() -> None:
    with respx.mock:
        respx.post(RUNS).mock(return_value=streamed(sse(STARTED, content("Hi"))))
        with pytest.raises(StreamInterruptedError, match="without a terminal event"):
            await collect(agent())


async def test_content_only_stream_from_stream_events_false_completes() -> None:
    with respx.mock:
        respx.post(RUNS).mock(return_value=streamed(sse(content("a"), content("b"))))
        events, stream = await collect(agent(), stream_events=False)
    assert len(events) == 2 and stream.output.content == "ab" and stream.output.status is RunStatus.completed


async def test_html_instead_of_sse_is_a_protocol_error_not_silence() -> None:
    with respx.mock:
        respx.post(RUNS).respond(200, html="<html><body>login page</body></html>")
        with pytest.raises(ProtocolError, match="expected an SSE stream") as info:
            await collect(agent())
    assert isinstance(info.value.raw, bytes) and b"login page" in info.value.raw


async def test_undecodable_frames_are_yielded_not_dropped() -> None:
    frames = sse(STARTED) + b"data: not json\n\n" + sse({"event": "Mystery", "run_id": "r1"}, content("x"))
    done = sse({"event": "RunCompleted", "run_id": "r1", "content": "x"})
    with respx.mock:
        respx.post(RUNS).mock(return_value=streamed(frames, done))
        events, _ = await collect(agent())
    unknown = [e for e in events if isinstance(e, UnknownEvent)]
    assert [u.raw_text for u in unknown] == ["not json", json.dumps({"event": "Mystery", "run_id": "r1"})]
    assert any(isinstance(e, RunContent) for e in events)


async def test_text_stream_and_get_final_output() -> None:
    done = {"event": "RunCompleted", "run_id": "r1", "content": "ab"}
    with respx.mock:
        respx.post(RUNS).mock(return_value=streamed(sse(STARTED, content("a"), content("b"), done)))
        stream = agent().arun("hi", stream=True)
        pieces = [piece async for piece in stream.text_stream()]
        final = await stream.get_final_output()
    assert pieces == ["a", "b"] and final.content == "ab" and final.is_completed


class EndlessStream(httpx.AsyncByteStream):
    """An SSE body that never ends and records whether the client closed it."""

    def __init__(self) -> None:
        self.closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield sse(STARTED)
        while True:
            yield sse(content("x"))

    async def aclose(self) -> None:
        self.closed = True


async def test_leaving_the_context_early_closes_the_response() -> None:
    body = EndlessStream()
    transport = httpx.MockTransport(
        lambda request: httpx.Response(200, headers={"content-type": "text/event-stream"}, stream=body)
    )
    a = RemoteAgent(BASE, agent_id="assistant", prefetch_config=False, transport=transport)
    async with a.arun("hi", stream=True) as stream:
        async for event in stream:
            if isinstance(event, RunContent):
                break
        assert not body.closed
    assert body.closed and stream.output.interrupted and stream.output.content == "x"


@respx.mock
@pytest.mark.parametrize("encoding", ["gzip", "identity", " Identity "])
async def test_a_compressed_or_identity_stream_decodes_the_same(encoding: str) -> None:
    """Uncompressed bodies are read raw (one less step per chunk); a proxy that gzips the event
    stream still gets its body decoded first."""

    body = sse(
        STARTED, content("Hel"), content("lo"), {"event": "RunCompleted", "run_id": "r1", "content": "Hello"}
    )
    wire = gzip.compress(body) if encoding == "gzip" else body
    cut = len(wire) // 3
    chunks = (wire[:cut], wire[cut : 2 * cut], wire[2 * cut :])

    async def parts() -> AsyncIterator[bytes]:
        for chunk in chunks:
            yield chunk

    respx.post(RUNS).mock(
        return_value=httpx.Response(
            200, headers={"content-type": "text/event-stream", "content-encoding": encoding}, content=parts()
        )
    )
    events, stream = await collect(agent())
    assert [type(e) for e in events] == [type(events[0]), RunContent, RunContent, RunCompleted]
    assert stream.output.content == "Hello" and stream.output.status is RunStatus.completed


async def test_output_read_mid_stream_holds_the_text_so_far() -> None:
    body = sse(
        STARTED, content("Hel"), content("lo"), {"event": "RunCompleted", "run_id": "r1", "content": "Hello"}
    )
    seen = []
    with respx.mock:
        respx.post(RUNS).mock(return_value=streamed(body))
        async with agent().arun("hi", stream=True) as stream:
            async for event in stream:
                if isinstance(event, RunContent):
                    seen.append(stream.output.content)
    assert seen == ["Hel", "Hello"]
