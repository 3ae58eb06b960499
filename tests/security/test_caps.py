"""Caps: each configurable, each refusal reported."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import AsyncIterator

import httpx
import pytest

from agentnb import A2AClient, ProtocolError, RemoteAgent
from agentnb.widgets import ChatPane
from tests.reliability_report import record

CARD = {"name": "c", "url": "http://cap.test/", "preferredTransport": "JSONRPC", "protocolVersion": "0.3.0"}

#: What each cap was seen to refuse in this run, by cap; the "caps" figure is built from it.
OBSERVED: dict[str, str] = {}


def observed(cap: str, what: str) -> None:
    OBSERVED[cap] = what
    caps = "; ".join(f"{name}: {seen}" for name, seen in sorted(OBSERVED.items()))
    record("caps", f"{len(OBSERVED)} cap checks, each refusal reported: {caps}")


def a2a_peer(answer: object, **kwargs: int) -> A2AClient:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("agent-card.json"):
            return httpx.Response(200, json=CARD)
        return httpx.Response(200, json=answer)

    return A2AClient("http://cap.test", transport=httpx.MockTransport(handler), **kwargs)


def file_artifact(artifact_id: str, size: int) -> dict[str, object]:
    raw = base64.b64encode(b"x" * size).decode()
    return {
        "artifactId": artifact_id,
        "parts": [{"kind": "file", "file": {"bytes": raw, "mimeType": "application/octet-stream"}}],
    }


async def test_artifact_bytes_over_the_cap_are_dropped_and_reported() -> None:
    task = {"kind": "task", "id": "t", "contextId": "c", "status": {"state": "completed"},
            "artifacts": [file_artifact("small", 100), file_artifact("big", 5000)]}  # fmt: skip
    result = await a2a_peer(
        {"jsonrpc": "2.0", "id": "1", "result": task}, max_artifact_bytes=1000
    ).send_message("hi")
    by_id = {a.artifact_id: a for a in result.artifacts}
    assert by_id["small"].content == b"x" * 100 and by_id["big"].parts == []
    assert (
        result.refused
        and "'big': 5000 bytes refused" in result.refused[0]
        and "max_artifact_bytes=1000" in result.refused[0]
    )
    kept = sum(len(a.content or b"") for a in result.artifacts)
    refused = len(result.refused)
    # the default holds it
    result = await a2a_peer({"jsonrpc": "2.0", "id": "1", "result": task}).send_message("hi")
    assert (
        not result.refused and len({a.artifact_id: a for a in result.artifacts}["big"].content or b"") == 5000
    )
    default_kept = sum(len(a.content or b"") for a in result.artifacts)
    observed(
        "max_artifact_bytes per task",
        f"{refused} of {len(task['artifacts'])} artifacts refused at 1000, {kept} bytes kept "
        f"({default_kept} under the default)",
    )


async def test_streamed_artifact_chunks_over_the_cap_are_refused() -> None:
    sent: list[int] = []

    def chunk(i: int) -> bytes:
        sent.append(400)
        update = {"kind": "artifact-update", "taskId": "t", "contextId": "c", "append": i > 0,
                  "artifact": {"artifactId": "a", "parts": [{"kind": "text", "text": "y" * 400}]}}  # fmt: skip
        return f"data: {json.dumps({'jsonrpc': '2.0', 'id': '1', 'result': update})}\n\n".encode()

    async def body() -> AsyncIterator[bytes]:
        for i in range(5):
            yield chunk(i)
        done = {
            "kind": "status-update",
            "taskId": "t",
            "contextId": "c",
            "final": True,
            "status": {"state": "completed"},
        }
        yield f"data: {json.dumps({'jsonrpc': '2.0', 'id': '1', 'result': done})}\n\n".encode()

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("agent-card.json"):
            return httpx.Response(200, json=CARD)
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body())

    client = A2AClient("http://cap.test", transport=httpx.MockTransport(handler), max_artifact_bytes=1000)
    stream = client.stream_message("hi")
    async for _ in stream:
        pass
    assert len(stream.result.content) == 800 and len(stream.result.refused) == 3
    observed(
        "max_artifact_bytes streamed",
        f"{len(stream.result.refused)} of {len(sent)} chunks refused at 1000, "
        f"{len(stream.result.content)} of {sum(sent)} bytes kept",
    )


async def test_event_size_cap_is_configurable_on_the_agent() -> None:
    big = json.dumps({"event": "RunContent", "run_id": "r", "content": "z" * 5000})

    async def body() -> AsyncIterator[bytes]:
        yield f"event: RunContent\ndata: {big}\n\n".encode()

    transport = httpx.MockTransport(
        lambda r: httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body())
    )
    small = RemoteAgent(
        "http://cap.test", agent_id="a", prefetch_config=False, transport=transport, max_event_bytes=1000
    )
    with pytest.raises(ProtocolError, match="larger than 1000 bytes; refused") as refusal:
        async for _ in small.arun("hi", stream=True):
            pass
    roomy = RemoteAgent("http://cap.test", agent_id="a", prefetch_config=False, transport=transport)
    events = [e async for e in roomy.arun("hi", stream=True, stream_events=False)]
    assert events[0].content == "z" * 5000
    observed(
        "max_event_bytes",
        f"a {len(big)}-byte event refused at 1000 ({type(refusal.value).__name__}), "
        f"{len(events[0].content or '')} content bytes through under the default",
    )


def test_chat_history_cap_reports_what_it_hid() -> None:
    pane = ChatPane(RemoteAgent("http://cap.test", agent_id="a", prefetch_config=False), max_turns=2)
    from agentnb.widgets.chat import _bubble, _now

    appended = 12
    for i in range(appended):
        pane._append(_bubble("user", f"message {i}", _now(), markdown=False))
    assert len(pane.history.children) == 9 and "older items hidden" in pane.history.children[0].value
    notice = re.search(r"(\d+) older items hidden", pane.history.children[0].value)
    shown = len(pane.history.children) - 1
    # The notice counts what it hides, not itself: 12 appended, 8 shown, 4 hidden.
    assert notice is not None and int(notice.group(1)) == appended - shown == pane.hidden_items
    observed(
        "max_turns",
        f"{appended} items at max_turns=2: {shown} shown, {appended - shown} hidden, "
        f"the notice says {notice.group(0) if notice else 'nothing'!r}",
    )
