"""Many streams at once stay separate; hundreds of cancelled or failed streams leave nothing behind."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from agentnb import RemoteAgent, RunCancelled, RunContent, StreamInterruptedError
from agentnb._http import _client_for_running_loop
from tests.peers.agentos import AgentOSPeer
from tests.reliability_report import record

pytestmark = pytest.mark.peer

ANSWER = "Hello! You said: {}. This is a deterministic streamed answer."


async def test_fifty_concurrent_streams_are_correct_and_cancelling_one_leaves_the_rest(
    agentos: AgentOSPeer,
) -> None:
    agent = RemoteAgent(agentos.base_url, agent_id="assistant")
    victim = agent.arun("go slow please", stream=True)

    async def one(i: int) -> str:
        async with agent.arun(f"stream number {i}", stream=True) as stream:
            async for _ in stream:
                pass
        return stream.output.text

    async def cancel_the_victim() -> Any:
        async with victim:
            async for event in victim:
                if isinstance(event, RunContent):
                    await agent.cancel_run(victim.run_id)  # type: ignore[arg-type]
        return victim.terminal

    results = await asyncio.gather(cancel_the_victim(), *(one(i) for i in range(50)))
    texts = results[1:]
    expected = [ANSWER.format(f"stream number {i}") for i in range(50)]
    correct = sum(text == want for text, want in zip(texts, expected, strict=True))
    record(
        "concurrency",
        f"{len(texts)} concurrent streams from one client, {correct} with exactly their own answer; "
        f"the stream cancelled beside them ended in {type(results[0]).__name__}",
    )
    assert isinstance(results[0], RunCancelled)
    assert texts == expected


def cut_stream_transport() -> httpx.MockTransport:
    frame = 'event: RunContent\ndata: {"event": "RunContent", "run_id": "r", "content": "x"}\n\n'

    async def body() -> AsyncIterator[bytes]:
        yield b'event: RunStarted\ndata: {"event": "RunStarted", "run_id": "r"}\n\n'
        yield frame.encode()
        yield b'event: RunContent\ndata: {"event": "RunCo'
        raise httpx.RemoteProtocolError("peer closed connection without sending complete message body")

    return httpx.MockTransport(
        lambda request: httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body())
    )


async def test_five_hundred_cancelled_or_failed_streams_leave_nothing_behind(agentos: AgentOSPeer) -> None:
    real = RemoteAgent(agentos.base_url, agent_id="assistant")
    cut = RemoteAgent(
        "http://cut.test", agent_id="a", prefetch_config=False, transport=cut_stream_transport()
    )
    before = {t for t in asyncio.all_tasks() if not t.done()}
    outcomes = {"left early": 0, "failed run": 0, "cut": 0}
    gate = asyncio.Semaphore(25)

    async def left_early(i: int) -> None:
        async with gate, real.arun(f"leave {i}", stream=True) as stream:
            async for event in stream:
                if isinstance(event, RunContent):
                    break
        outcomes["left early"] += 1

    async def failed(i: int) -> None:
        async with gate:
            out = await real.arun(f"please fail {i}")
        assert out.is_error
        outcomes["failed run"] += 1

    async def cut_midway(i: int) -> None:
        async with gate:
            with pytest.raises(StreamInterruptedError):
                async for _ in cut.arun("x", stream=True):
                    pass
        outcomes["cut"] += 1

    jobs = (
        [left_early(i) for i in range(200)]
        + [failed(i) for i in range(150)]
        + [cut_midway(i) for i in range(150)]
    )
    await asyncio.gather(*jobs)
    await asyncio.sleep(0.2)  # let closed connections settle
    leftover = {t for t in asyncio.all_tasks() if not t.done()} - before - {asyncio.current_task()}
    client = await _client_for_running_loop(None)
    pool = client._transport._pool  # type: ignore[attr-defined]
    busy = [c for c in pool.connections if not c.is_idle() and not c.is_closed()]
    record(
        "leaks",
        f"{sum(outcomes.values())} streams ({json.dumps(outcomes)}): {len(leftover)} pending tasks, "
        f"{len(busy)} busy connections, {len(pool.connections) - len(busy)} idle kept",
    )
    assert not leftover, leftover
    assert busy == [] and len(pool.connections) <= 20
    assert outcomes == {"left early": 200, "failed run": 150, "cut": 150}
