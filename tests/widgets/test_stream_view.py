"""StreamView at the Python level: coalesced updates, exact text, Stop, tool cards, escaping."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qs

import httpx

from agentnb import RemoteAgent, RunStatus
from agentnb.errors import AgentNBError
from agentnb.widgets.render import escape, render_markdown
from agentnb.widgets.stream_view import StreamView
from tests.widgets.conftest import updates

BASE = "http://agentos.test"


def sse(*events: dict[str, Any]) -> bytes:
    return b"".join(f"event: {e['event']}\ndata: {json.dumps(e)}\n\n".encode() for e in events)


def agent_streaming(body: Any) -> RemoteAgent:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/cancel"):
            return httpx.Response(200, json={})
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body())

    return RemoteAgent(
        BASE, agent_id="assistant", prefetch_config=False, transport=httpx.MockTransport(handler)
    )


def token_stream(n: int, delay: float = 0.0, tail: bool = True) -> Any:
    async def body() -> AsyncIterator[bytes]:
        yield sse({"event": "RunStarted", "run_id": "r1", "session_id": "s1"})
        for i in range(n):
            yield sse({"event": "RunContent", "run_id": "r1", "content": f"t{i} "})
            if delay:
                await asyncio.sleep(delay)
        if tail:
            full = "".join(f"t{i} " for i in range(n))
            yield sse({"event": "RunCompleted", "run_id": "r1", "content": full})

    return body


async def test_2000_chunks_send_a_bounded_number_of_updates_and_the_exact_text() -> None:
    agent = agent_streaming(token_stream(2000, delay=0.0005))
    view = StreamView()
    started = time.monotonic()
    out = await view.run(agent.arun("go", stream=True), agent=agent)
    elapsed = time.monotonic() - started
    expected = "".join(f"t{i} " for i in range(2000))
    assert out.content == expected and view.text == expected and view.chunk_count == 2000
    sent = updates(view.answer.tail, "value")
    # at most one flush per 80 ms, plus the state changes (start, end) and the final flush
    assert len(sent) <= elapsed / 0.08 + 6, (len(sent), elapsed)
    assert len(sent) < 200  # per-token updates would be 2,000
    assert "t1999" in sent[-1]["state"]["value"] and view.state == "completed"
    assert view.answer.html() == render_markdown(expected) and view.answer.blocks.closed
    # the footer's clock is re-sent at most once a second, plus one per state change
    feet = updates(view.foot, "value")
    assert 2 <= len(feet) <= elapsed + 6, (len(feet), elapsed)
    assert "completed" in feet[-1]["state"]["value"] and "2000 chunks" in feet[-1]["state"]["value"]
    assert len(updates(view.head, "value")) <= 1  # no title, tools or reasoning: never changes


async def test_stop_keeps_the_partial_text_marked_as_stopped_and_cancels_on_the_server() -> None:
    cancels: list[str] = []

    async def endless() -> AsyncIterator[bytes]:
        yield sse({"event": "RunStarted", "run_id": "r9", "session_id": "s1"})
        i = 0
        while True:
            yield sse({"event": "RunContent", "run_id": "r9", "content": f"w{i} "})
            i += 1
            await asyncio.sleep(0.01)

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/cancel"):
            cancels.append(request.url.path)
            return httpx.Response(200, json={})
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=endless())

    agent = RemoteAgent(
        BASE, agent_id="assistant", prefetch_config=False, transport=httpx.MockTransport(handler)
    )
    view = StreamView()

    async def press_stop_soon() -> None:
        while view.chunk_count < 5:
            await asyncio.sleep(0.01)
        view.stop_button.click()  # what the browser's click does, through the button's handler

    presser = asyncio.ensure_future(press_stop_soon())
    out = await view.run(agent.arun("go", stream=True), agent=agent)
    await presser
    await asyncio.sleep(0.05)
    assert view.state == "stopped" and out.interrupted and out.status is RunStatus.cancelled
    assert out.text.startswith("w0 w1 w2 w3 w4 ") and view.text == out.text
    assert cancels == ["/agents/assistant/runs/r9/cancel"]
    assert "stopped: the text above is partial" in view.html.value and view.stop_button.disabled
    assert "partial" in view.plain_text() or view.plain_text().startswith("[stopped]")


async def test_the_loop_stays_responsive_while_streaming() -> None:
    """Other tasks keep their turns while a view streams: a heartbeat that asks for the loop every
    millisecond gets it between the chunks all through the stream (no wall-clock limit: the order
    of chunks and beats is what a blocked loop would change)."""
    order: list[str] = []

    async def body() -> AsyncIterator[bytes]:
        yield sse({"event": "RunStarted", "run_id": "r1", "session_id": "s1"})
        for i in range(300):
            order.append("chunk")
            yield sse({"event": "RunContent", "run_id": "r1", "content": f"t{i} "})
            await asyncio.sleep(0.002)
        yield sse({"event": "RunCompleted", "run_id": "r1", "content": "".join(f"t{i} " for i in range(300))})

    done = asyncio.Event()

    async def heartbeat() -> None:
        while not done.is_set():
            await asyncio.sleep(0.001)
            order.append("beat")

    beat = asyncio.ensure_future(heartbeat())
    agent = agent_streaming(body)
    out = await StreamView().run(agent.arun("go", stream=True), agent=agent)
    done.set()
    await beat
    assert out.content.startswith("t0 t1 ") and out.content.endswith("t299 ")
    chunks_at = [i for i, what in enumerate(order) if what == "chunk"]
    # Between every tenth chunk and the next tenth, the heartbeat ran at least once.
    for a, b in itertools.pairwise(chunks_at[::30]):
        assert "beat" in order[a:b], (a, b)


async def test_tool_cards_and_hostile_text_are_escaped() -> None:
    tool = {"tool_call_id": "c1", "tool_name": "<b>rm</b>", "tool_args": {"path": "<script>x()</script>"}}
    hostile = '<script>alert(1)</script><img src=x onerror="alert(2)"> [x](javascript:alert(3))'

    async def body() -> AsyncIterator[bytes]:
        yield sse({"event": "RunStarted", "run_id": "r1"})
        yield sse({"event": "ToolCallStarted", "run_id": "r1", "tool": tool})
        yield sse(
            {
                "event": "ToolCallCompleted",
                "run_id": "r1",
                "tool": {**tool, "result": "<i>ok</i>", "metrics": {"duration": 0.25}},
            }
        )
        yield sse({"event": "RunContent", "run_id": "r1", "content": hostile})
        yield sse({"event": "RunCompleted", "run_id": "r1", "content": hostile})

    view = StreamView()
    await view.run(agent_streaming(body).arun("go", stream=True))
    html = view.html.value
    assert "<script" not in html and "<img" not in html and "javascript:" not in html.split("&lt;script")[0]
    assert 'href="javascript' not in html and 'onerror="alert' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;b&gt;rm&lt;/b&gt;" in html
    assert "done" in html and "0.25 s" in html


async def test_a_tool_without_server_timing_says_dash_not_zero_seconds() -> None:
    tool = {"tool_call_id": "c1", "tool_name": "lookup", "tool_args": {}}

    async def body() -> AsyncIterator[bytes]:
        yield sse({"event": "RunStarted", "run_id": "r1"})
        # started and completed in one chunk, as a tool that ran on the server often arrives
        yield sse({"event": "ToolCallStarted", "run_id": "r1", "tool": tool}) + sse(
            {"event": "ToolCallCompleted", "run_id": "r1", "tool": {**tool, "result": "ok"}}
        )
        yield sse({"event": "RunCompleted", "run_id": "r1", "content": "done"})

    view = StreamView()
    await view.run(agent_streaming(body).arun("go", stream=True))
    html = view.html.value
    assert "lookup" in html and " · —" in html and "0.00 s" not in html


async def test_plain_text_fallback_holds_the_answer() -> None:
    view = StreamView()
    await view.run(agent_streaming(token_stream(3)).arun("go", stream=True))
    assert view.plain_text() == "[completed]\nt0 t1 t2 "


# -- one message, one Retry ----------------------------------------------------------------------


def refusing_then_answering(prompts: list[str], refusing: list[bool]) -> RemoteAgent:
    """Connections are refused (as on a dead port) while ``refusing[0]``; then an answer streams."""

    def handler(request: httpx.Request) -> httpx.Response:
        prompts.append(request.content.decode(errors="replace"))
        if refusing[0]:
            raise httpx.ConnectError("[Errno 111] Connection refused", request=request)
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=token_stream(3)())

    return RemoteAgent(
        BASE, agent_id="assistant", prefetch_config=False, transport=httpx.MockTransport(handler)
    )


async def test_a_refused_connection_shows_one_message_and_one_retry_that_reruns_the_prompt() -> None:
    prompts: list[str] = []
    refusing = [True]
    agent = refusing_then_answering(prompts, refusing)
    view = StreamView(retry=lambda: agent.arun("the same prompt", stream=True))
    try:
        await view.run(agent.arun("the same prompt", stream=True), agent=agent)
    except AgentNBError as exc:
        message = str(exc)
    else:
        raise AssertionError("the refused connection did not raise")
    assert view.state == "error" and view.output is not None and view.output.status is RunStatus.error
    assert view.html.value.count(escape(message)) == 1 and view.html.value.count("⚠") == 1
    assert view.retry_button.layout.display is None and not view.retry_button.disabled
    assert view.stop_button.layout.display == "none"

    refused = len(prompts)
    refusing[0] = False  # the server is back
    view.retry_button.click()
    assert view.retry_button.layout.display == "none"  # one Retry at a time
    assert view._retry_task is not None
    await view._retry_task
    assert len(prompts) == refused + 1 and set(prompts) == {prompts[0]}
    assert parse_qs(prompts[0])["message"] == ["the same prompt"]
    assert view.state == "completed" and view.text == "t0 t1 t2 " and view.error is None
    assert "⚠" not in view.html.value and view.retry_button.layout.display == "none"
    assert view.output is not None and view.output.status is RunStatus.completed


async def test_without_a_way_to_rerun_there_is_no_retry_button() -> None:
    agent = refusing_then_answering([], [True])
    view = StreamView()
    with contextlib.suppress(AgentNBError):
        await view.run(agent.arun("x", stream=True), agent=agent)
    assert view.state == "error" and view.retry_button.layout.display == "none"
    view.retry_button.click()  # nothing to re-run: nothing happens
    assert view._retry_task is None


async def test_stream_shows_the_failure_in_the_view_instead_of_raising_it_again() -> None:
    from agentnb.widgets.stream_view import stream

    out = await stream(refusing_then_answering([], [True]), "hello")
    assert out.status is RunStatus.error


async def test_reasoning_streamed_as_deltas_and_steps_shows_in_the_head_escaped() -> None:
    def body() -> Any:
        async def frames() -> AsyncIterator[bytes]:
            yield sse({"event": "RunStarted", "run_id": "r1", "session_id": "s1"})
            yield sse({"event": "ReasoningStarted", "run_id": "r1"})
            for piece in ("Think <b>", "step one. "):
                yield sse({"event": "ReasoningContentDelta", "run_id": "r1", "reasoning_content": piece})
            yield sse({"event": "RunContent", "run_id": "r1", "content": "Answer."})
            yield sse({"event": "RunCompleted", "run_id": "r1", "content": "Answer."})

        return frames()

    agent = agent_streaming(body)
    view = StreamView()
    out = await view.run(agent.arun("go", stream=True), agent=agent)
    assert out.reasoning_content == "Think <b>step one. " and view.text == "Answer."
    head = view.head.value
    assert escape("Think <b>step one. ") in head and "<b>step" not in head

    # agno's ReasoningStep carries the whole reasoning so far: it replaces, not appends
    from agentnb.runs.agno_events import ReasoningStepEvent

    view.handle(ReasoningStepEvent(run_id="r1", reasoning_content="Step 1 then step 2."))
    view.coalescer.flush_now()
    assert "Step 1 then step 2." in view.head.value and "Think" not in view.head.value
