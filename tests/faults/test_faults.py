"""Each fault gets a specific error naming the URL and what happened; partial content is kept."""

from __future__ import annotations

import asyncio
import json
import os
import signal
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import respx

from agentnb import (
    RateLimitError,
    RemoteAgent,
    RemoteServerUnavailableError,
    RunContent,
    ServerError,
    StreamInterruptedError,
)
from agentnb.widgets import ChatPane
from tests.peers.agentos import start_agentos
from tests.reliability_report import record

BASE = "http://faulty.test"
RUNS = f"{BASE}/agents/a/runs"

#: Each fault injected in this run: (what the client raised or showed, whether its error named the
#: URL (None: no error to name it in), characters of partial text kept or None). The "faults" figure
#: is built from it.
FAULTS: dict[str, tuple[str, bool | None, int | None]] = {}


def observed(fault: str, raised: str, names_url: bool | None, kept: int | None = None) -> None:
    FAULTS[fault] = (raised, names_url, kept)
    errors = [url for _, url, _ in FAULTS.values() if url is not None]
    details = "; ".join(
        f"{name}: {what}" + ("" if chars is None else f" ({chars} chars of partial text kept)")
        for name, (what, _, chars) in FAULTS.items()
    )
    record(
        "faults",
        f"{len(FAULTS)} faults injected, {sum(errors)} of {len(errors)} errors naming the URL: {details}",
    )


def agent(**kwargs: object) -> RemoteAgent:
    return RemoteAgent(BASE, agent_id="a", prefetch_config=False, **kwargs)  # type: ignore[arg-type]


@pytest.mark.peer
async def test_peer_killed_midway_keeps_the_partial_text(tmp_path: Path) -> None:
    peer = start_agentos(tmp_path)  # its own process: this test kills it
    try:
        doomed = RemoteAgent(peer.base_url, agent_id="assistant", prefetch_config=False)
        stream = doomed.arun("go slow please", stream=True)
        with pytest.raises(StreamInterruptedError) as info:
            async with stream:
                async for event in stream:
                    if isinstance(event, RunContent) and event.content == "tick2 ":
                        os.kill(peer.pid, signal.SIGKILL)
        assert peer.base_url in str(info.value) and "connection broke" in str(info.value)
        assert info.value.partial.text.startswith("tick0 tick1 tick2 ") and info.value.partial.interrupted
        observed(
            "peer killed mid-stream",
            type(info.value).__name__,
            peer.base_url in str(info.value),
            len(info.value.partial.text),
        )
        # The next call may first meet a connection the dead server left half-open, then a refusal.
        messages = []
        for _ in range(3):
            with pytest.raises(RemoteServerUnavailableError) as again:
                await doomed.arun("anyone there?")
            messages.append(str(again.value))
            if "connection refused" in messages[-1]:
                break
        assert "connection refused" in messages[-1], messages
        assert all("connection refused" in m or "closed before an answer arrived" in m for m in messages)
        observed(
            "calls after the kill",
            f"{len(messages)} x {type(again.value).__name__}",
            all(peer.base_url in m for m in messages),
        )
    finally:
        peer.stop()


@pytest.mark.parametrize(
    ("status", "reason"), [(502, "Bad Gateway"), (503, "Service Unavailable"), (504, "Gateway Timeout")]
)
async def test_gateway_errors_name_status_and_url(status: int, reason: str) -> None:
    with respx.mock:
        respx.post(RUNS).respond(status, text=f"upstream said {status}")
        with pytest.raises(ServerError) as info:
            await agent().arun("hi")
    assert f"HTTP {status} {reason} from POST {RUNS}" in str(info.value) and f"upstream said {status}" in str(
        info.value
    )
    observed(f"HTTP {status}", type(info.value).__name__, RUNS in str(info.value))


async def test_429_is_a_rate_limit_error_with_retry_after_and_gets_are_retried() -> None:
    with respx.mock:
        respx.post(RUNS).respond(429, headers={"Retry-After": "7"}, json={"detail": "slow down"})
        with pytest.raises(RateLimitError) as info:
            await agent().arun("hi")
        assert info.value.retry_after == 7.0 and "slow down" in str(info.value)
        observed(
            "HTTP 429",
            f"{type(info.value).__name__} (retry_after={info.value.retry_after:g})",
            RUNS in str(info.value),
        )
        route = respx.get(f"{BASE}/agents/a")
        route.side_effect = [
            httpx.Response(429, headers={"Retry-After": "0.05"}),
            httpx.Response(200, json={"id": "a"}),
        ]
        assert (await agent().get_agent_config()).id == "a" and route.call_count == 2
        observed("HTTP 429 on a GET", f"retried, answered after {route.call_count} requests", None)


async def test_chat_shows_an_interrupted_answer_with_its_partial_text_and_retry() -> None:
    async def body() -> AsyncIterator[bytes]:
        yield b'event: RunStarted\ndata: {"event": "RunStarted", "run_id": "r"}\n\n'
        yield (
            "event: RunContent\ndata: "
            + json.dumps({"event": "RunContent", "run_id": "r", "content": "half an ans"})
            + "\n\n"
        ).encode()
        raise httpx.RemoteProtocolError("peer closed connection without sending complete message body")

    transport = httpx.MockTransport(
        lambda r: httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body())
    )
    pane = ChatPane(RemoteAgent(BASE, agent_id="a", prefetch_config=False, transport=transport))
    await pane.send("tell me")
    # Issue 16: the answer's own view shows the error once; the pane's one Retry button retries.
    assert len(pane.history.children) == 2
    view = pane.history.children[1].content
    assert view.state == "interrupted" and view.text == "half an ans" and "half an ans" in view.html.value
    assert view.html.value.count("connection broke") == 1 and pane.retry_button.button_style == "warning"
    observed(
        "connection cut in the chat",
        f"{view.state} answer + {pane.retry_button.description} button",
        BASE in view.html.value,
        len(view.text),
    )
    pane.retry_button.click()
    await asyncio.wait_for(pane.running, 10)  # type: ignore[arg-type]
    assert [m["role"] for m in pane.transcript].count("error") == 2
