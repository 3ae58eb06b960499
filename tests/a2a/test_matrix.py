"""A2AClient against every real A2A peer, in every dialect each serves.

The outcome of each (peer, dialect, operation) is collected by tests/conftest.py and printed as
the compatibility matrix at the end of the run.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass

import pytest

from agentnb import A2AError
from agentnb.a2a import A2AClient, TaskResult
from tests.peers.a2a_peers import A2APeer
from tests.peers.agentos import AgentOSPeer

pytestmark = pytest.mark.peer


@dataclass(frozen=True)
class Combo:
    peer: str  # "v03", "v1", "compat", "agno"
    protocol: str  # "json-rpc" | "rest"
    version: str  # "0.3" | "1.0"
    dialect: str  # the label the client must end up speaking

    @property
    def name(self) -> str:
        return f"{self.peer}-{self.dialect}"


PEER_NAMES = {
    "v03": "a2a-sdk 0.3.26",
    "v1": "a2a-sdk 1.3.0",
    "compat": "a2a-sdk 1.3.0 +compat",
    "agno": "agno 3.1.10 AgentOS",
    # a2a_server_v1_features.py: tenants, extended and signed cards, extensions, push (issue 14)
    "features": "a2a-sdk 1.3.0 +features",
}

COMBOS = [
    Combo("v03", "json-rpc", "0.3", "A2A v0.3 JSON-RPC"),
    Combo("v03", "rest", "0.3", "A2A v0.3 REST"),
    Combo("v1", "json-rpc", "1.0", "A2A v1.0 JSON-RPC"),
    Combo("v1", "rest", "1.0", "A2A v1.0 REST"),
    Combo("compat", "json-rpc", "1.0", "A2A v1.0 JSON-RPC"),
    Combo("compat", "rest", "1.0", "A2A v1.0 REST"),
    Combo("compat", "json-rpc", "0.3", "A2A v0.3 JSON-RPC"),
    Combo("compat", "rest", "0.3", "A2A v0.3 REST"),
    Combo("agno", "rest", "0.3", "Agno A2A"),
    # the features peer (tenant "acme" on both interfaces, signed card, push): the basics too
    Combo("features", "json-rpc", "1.0", "A2A v1.0 JSON-RPC"),
    Combo("features", "rest", "1.0", "A2A v1.0 REST"),
]
SDK_COMBOS = [c for c in COMBOS if c.peer != "agno"]  # operations Agno's A2A interface cannot express


def ids(combos: list[Combo]) -> list[str]:
    return [c.name for c in combos]


@pytest.fixture
def url(request: pytest.FixtureRequest, a2a_peers: dict[str, A2APeer], agentos: AgentOSPeer) -> str:
    combo: Combo = request.node.callspec.params["combo"]
    if combo.peer == "agno":
        return f"{agentos.base_url}/a2a/agents/assistant"
    if combo.peer == "features":
        return str(request.getfixturevalue("features_peer").base_url)
    return a2a_peers[combo.peer].base_url


def client_for(combo: Combo, url: str) -> A2AClient:
    return A2AClient(url, timeout=30, protocol=combo.protocol, a2a_version=combo.version)  # type: ignore[arg-type]


def answer_of(combo: Combo, text: str) -> str:
    """What the peer's scripted agent answers to ``text``."""
    if combo.peer == "agno":
        return f"Hello! You said: {text}. This is a deterministic streamed answer."
    return text


# --------------------------------------------------------------------------- operations


@pytest.mark.parametrize("combo", COMBOS, ids=ids(COMBOS))
async def test_card(combo: Combo, url: str) -> None:
    client = client_for(combo, url)
    card = await client.aget_agent_card()
    assert card is not None and card.name and card.capabilities.get("streaming") is True
    await client.anegotiate()
    assert client.dialect == combo.dialect


@pytest.mark.parametrize("combo", COMBOS, ids=ids(COMBOS))
async def test_send(combo: Combo, url: str) -> None:
    result = await client_for(combo, url).send_message("hello matrix")
    assert result.is_completed and result.task_id and result.context_id
    assert answer_of(combo, "hello matrix") in result.content


@pytest.mark.parametrize("combo", COMBOS, ids=ids(COMBOS))
async def test_stream(combo: Combo, url: str) -> None:
    stream = client_for(combo, url).stream_message("hello stream")
    events = [event async for event in stream]
    chunks = [e.content for e in events if e.is_content]
    assert len(chunks) >= 4, [e.event_type for e in events]
    assert events[-1].is_completed and events[-1].is_final
    assert stream.result.is_completed and "".join(chunks) == stream.result.content
    assert answer_of(combo, "hello stream") in stream.result.content
    task = stream.result.task
    if task is not None:  # the stream's Task snapshot, brought up to date by the updates after it
        assert task.status.state.value == stream.result.status
        if task.artifacts:
            assert "".join(a.text for a in task.artifacts) == stream.result.content


@pytest.mark.parametrize("combo", COMBOS, ids=ids(COMBOS))
async def test_multi_turn(combo: Combo, url: str) -> None:
    client = client_for(combo, url)
    first = await client.send_message(f"first {uuid.uuid4().hex[:6]}")
    second = await client.send_message("second", context_id=first.context_id)
    assert second.context_id == first.context_id and second.task_id != first.task_id
    if combo.peer != "agno":  # the a2a-sdk executors echo the context's previous message
        assert "previous: first" in second.content


@pytest.mark.parametrize("combo", SDK_COMBOS, ids=ids(SDK_COMBOS))
async def test_input_required_reply(combo: Combo, url: str) -> None:
    client = client_for(combo, url)
    asked = await client.send_message("input please")
    assert asked.is_input_required and asked.prompt == "What is your name?"
    answered = await client.areply(asked, "Ada")
    assert answered.is_completed and answered.task_id == asked.task_id and "Ada" in answered.content
    stream = client.stream_message("input please, streamed")
    events = [e async for e in stream]
    assert events[-1].event_type == "input-required" and stream.result.is_input_required


@pytest.mark.parametrize("combo", COMBOS, ids=ids(COMBOS))
async def test_get_task(combo: Combo, url: str) -> None:
    client = client_for(combo, url)
    sent = await client.send_message("remember this task")
    got = await client.aget_task(sent.task_id, context_id=sent.context_id)
    assert got.task_id == sent.task_id and got.is_completed
    assert answer_of(combo, "remember this task") in got.content


@pytest.mark.parametrize("combo", COMBOS, ids=ids(COMBOS))
async def test_cancel(combo: Combo, url: str) -> None:
    client = client_for(combo, url)
    stream = client.stream_message("slow please")
    cancelled: TaskResult | None = None
    events = []
    async with stream:
        async for event in stream:
            events.append(event)
            if event.is_content and cancelled is None:
                cancelled = await asyncio.wait_for(
                    client.acancel_task(stream.task_id or "", context_id=stream.result.context_id), 15
                )
    assert cancelled is not None and cancelled.is_canceled
    assert events[-1].event_type == "canceled" and stream.result.is_canceled


@pytest.mark.parametrize("combo", COMBOS, ids=ids(COMBOS))
async def test_error(combo: Combo, url: str) -> None:
    client = client_for(combo, url)
    failed = await client.send_message("please fail")
    assert failed.is_failed and failed.content
    with pytest.raises(A2AError) as info:
        await client.aget_task(f"no-such-task-{uuid.uuid4().hex[:6]}", context_id=failed.context_id)
    assert info.value.code == -32001 and "not found" in str(info.value).lower()


@pytest.mark.parametrize("combo", SDK_COMBOS, ids=ids(SDK_COMBOS))
async def test_file_and_data_artifacts(combo: Combo, url: str) -> None:
    client = client_for(combo, url)
    result = await client.send_message("file please")
    files = [a for a in result.artifacts if a.content is not None]
    assert files and files[0].content == b"hello file" and files[0].mime_type == "text/plain"
    assert files[0].name == "report.txt"
    data = [d for a in result.artifacts for d in a.data]
    assert data and data[0]["answer"] == 42 and data[0]["ratio"] == 0.5
    streamed = client.stream_message("file please")
    events = [e async for e in streamed]
    assert any(
        e.event_type == "artifact" and e.artifact and e.artifact.content == b"hello file" for e in events
    )


@pytest.mark.parametrize("combo", SDK_COMBOS, ids=ids(SDK_COMBOS))
async def test_resubscribe(combo: Combo, url: str) -> None:
    client = client_for(combo, url)
    stream = client.stream_message("slow please")
    async with stream:
        async for event in stream:
            if event.is_content:
                break
    task_id = stream.task_id or ""
    resubscribed = client.resubscribe(task_id)
    seen = []
    async with resubscribed:
        async for event in resubscribed:
            seen.append(event)
            if event.is_content and len(seen) >= 2:
                await client.acancel_task(task_id)
    assert seen and resubscribed.result.task_id == task_id


@pytest.mark.parametrize(
    "combo", [c for c in COMBOS if c.version == "1.0"], ids=ids([c for c in COMBOS if c.version == "1.0"])
)
async def test_list_tasks(combo: Combo, url: str) -> None:
    client = client_for(combo, url)
    sent = await client.send_message("list me")
    page = await client.alist_tasks(context_id=sent.context_id)
    assert [t.task_id for t in page.tasks] == [sent.task_id]


# --------------------------------------------------------------------------- negotiation


@pytest.mark.parametrize(
    ("peer", "expected"),
    [
        ("v03", "A2A v0.3 JSON-RPC"),
        ("v1", "A2A v1.0 JSON-RPC"),
        ("compat", "A2A v1.0 JSON-RPC"),
        ("agno", "Agno A2A"),
    ],
)
async def test_negotiation_from_the_card_alone(
    peer: str, expected: str, a2a_peers: dict[str, A2APeer], agentos: AgentOSPeer
) -> None:
    url = f"{agentos.base_url}/a2a/agents/assistant" if peer == "agno" else a2a_peers[peer].base_url
    client = A2AClient(url)
    result = await client.send_message("hello negotiation")
    assert client.dialect == expected and result.is_completed
