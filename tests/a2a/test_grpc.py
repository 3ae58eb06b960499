"""The A2A gRPC binding (issue 14, item 1) against a2a-sdk 1.3.0's gRPC server (the features peer).

What the shared matrix rows (test_grpc_matrix.py) do not show: choosing gRPC from the card, the
tenant and extensions as the server saw them, gRPC statuses as agentnb errors, timeouts, streams
that are left (the server sees the call cancelled), sync twins, and the missing ``grpc`` extra.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import subprocess
import sys
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from agentnb import ConfigurationError, RemoteServerUnavailableError, RemoteTimeoutError
from agentnb.a2a import A2AClient
from agentnb.errors import A2AError
from tests.a2a.features import RecordingTransport
from tests.a2a.test_matrix import Combo
from tests.peers.a2a_peers import EXT_ECHO, FEATURES_TENANT, REPO_ROOT, A2APeer

pytestmark = pytest.mark.peer

GRPC = Combo("features", "grpc", "1.0", "A2A v1.0 gRPC")
GRPC_CARD = "/grpc/.well-known/agent-card.json"
GRPC_ONLY_CARD = "/grpc-only/.well-known/agent-card.json"


def grpc_client(peer: A2APeer, card: str = GRPC_CARD, **kwargs: Any) -> A2AClient:
    """A client that finds gRPC on the card by itself (no ``protocol=``)."""
    return A2AClient(peer.base_url, card_url=peer.base_url + card, **kwargs)


async def server_calls(peer: A2APeer, until: Callable[[dict[str, int]], bool]) -> dict[str, int]:
    """The peer's count of streaming gRPC calls, once ``until`` holds (or the last one seen)."""
    seen: dict[str, int] = {}
    async with httpx.AsyncClient(trust_env=False) as http:
        for _ in range(200):
            seen = (await http.get(peer.base_url + "/grpc-calls")).json()
            if until(seen):
                break
            await asyncio.sleep(0.05)
    return seen


# --------------------------------------------------------------------------- negotiation


async def test_grpc_is_chosen_when_the_card_prefers_it(features_peer: A2APeer) -> None:
    transport = RecordingTransport()
    client = grpc_client(features_peer, transport=transport)
    result = await client.send_message("hello grpc")
    assert client.dialect == "A2A v1.0 gRPC" and result.is_completed and "hello grpc" in result.content
    # Over HTTP only the card was fetched; the message went over gRPC.
    assert [m for m, *_ in transport.seen] == ["GET"]
    assert features_peer.grpc_target and features_peer.grpc_target in repr(client._dialect)


async def test_a_card_listing_grpc_last_keeps_its_first_choice(features_peer: A2APeer) -> None:
    client = A2AClient(features_peer.base_url)
    card = await client.aget_agent_card()
    assert card is not None and [i.binding for i in card.interfaces][-1] == "GRPC"
    await client.anegotiate()
    assert client.dialect == "A2A v1.0 JSON-RPC"


async def test_a_grpc_only_card_is_spoken_over_grpc(features_peer: A2APeer) -> None:
    client = grpc_client(features_peer, GRPC_ONLY_CARD)
    answer = await client.send_message("whoami")
    # That card's interface has no tenant: none is sent.
    assert client.dialect == "A2A v1.0 gRPC" and answer.content.startswith("tenant=- ")


@pytest.mark.parametrize("combo", [GRPC], ids=[GRPC.name])
async def test_tenant(combo: Combo, features_peer: A2APeer) -> None:
    """The interface's tenant rides in every request message; the server names what it saw."""
    client = grpc_client(features_peer, extensions=[EXT_ECHO])
    assert (await client.send_message("whoami")).content == f"tenant={FEATURES_TENANT} extensions={EXT_ECHO}"
    stream = client.stream_message("whoami")
    _ = [e async for e in stream]
    assert stream.result.content == f"tenant={FEATURES_TENANT} extensions={EXT_ECHO}"
    sent = await client.send_message("hello tenant")
    assert (await client.aget_task(sent.task_id)).task_id == sent.task_id
    assert [t.task_id for t in (await client.alist_tasks(context_id=sent.context_id)).tasks] == [sent.task_id]


# --------------------------------------------------------------------------- errors


async def test_grpc_statuses_become_the_same_errors(features_peer: A2APeer) -> None:
    client = grpc_client(features_peer)
    with pytest.raises(A2AError) as missing:
        await client.aget_task(f"no-such-task-{uuid.uuid4().hex[:6]}")
    assert missing.value.code == -32001 and missing.value.reason == "TASK_NOT_FOUND"
    assert "NOT_FOUND" in str(missing.value)
    done = await client.send_message("hello done")
    with pytest.raises(A2AError) as not_cancelable:
        await client.acancel_task(done.task_id)
    assert not_cancelable.value.code == -32002
    with pytest.raises(A2AError) as unimplemented:
        await client.send_message("hello", headers={"x-test-fault": "unimplemented"})
    assert unimplemented.value.code == -32004 and "UNIMPLEMENTED" in str(unimplemented.value)
    with pytest.raises(A2AError) as streamed:
        [e async for e in client.stream_message("hello", headers={"x-test-fault": "unimplemented"})]
    assert streamed.value.code == -32004


async def test_the_client_timeout_is_the_call_deadline(features_peer: A2APeer) -> None:
    client = grpc_client(features_peer, timeout=1)
    await client.anegotiate()
    with pytest.raises(RemoteTimeoutError) as unary:
        await client.send_message("hello", headers={"x-test-fault": "stall"})
    assert "DEADLINE_EXCEEDED" in str(unary.value) and unary.value.timeout == 1
    with pytest.raises(RemoteTimeoutError):
        [e async for e in client.stream_message("hello", headers={"x-test-fault": "stall"})]


async def test_nothing_listening_is_server_unavailable(features_peer: A2APeer) -> None:
    client = grpc_client(features_peer, "/grpc-dead/.well-known/agent-card.json", timeout=5)
    with pytest.raises(RemoteServerUnavailableError) as info:
        await client.send_message("hello")
    assert "UNAVAILABLE" in str(info.value)


# --------------------------------------------------------------------------- leaving streams


async def test_leaving_a_stream_cancels_the_grpc_call(features_peer: A2APeer) -> None:
    start = await server_calls(features_peer, lambda c: c["open"] == 0)
    client = grpc_client(features_peer)
    # A stream read to its end is a finished call, not a cancelled one.
    assert (await client.stream_message("hello stream").get_final_result()).is_completed
    before = await server_calls(features_peer, lambda c: c["finished"] > start["finished"])
    assert before["finished"] == start["finished"] + 1 and before["cancelled"] == start["cancelled"]
    stream = client.stream_message("slow please")
    async with stream:
        async for event in stream:
            if event.is_content:
                break
    after = await server_calls(features_peer, lambda c: c["cancelled"] > before["cancelled"])
    assert after["cancelled"] == before["cancelled"] + 1 and after["open"] == 0
    assert not stream.result.is_completed  # it was left mid-answer


async def test_a_dropped_stream_cancels_the_grpc_call(features_peer: A2APeer) -> None:
    before = await server_calls(features_peer, lambda c: c["open"] == 0)
    client = grpc_client(features_peer)
    stream = client.stream_message("slow please")
    async for event in stream:  # no ``async with``: a break leaves it to garbage collection
        if event.is_content:
            break
    del stream
    gc.collect()
    after = await server_calls(features_peer, lambda c: c["cancelled"] > before["cancelled"])
    assert after["cancelled"] == before["cancelled"] + 1 and after["open"] == 0


async def test_a_cancelled_reader_cancels_the_grpc_call(features_peer: A2APeer) -> None:
    before = await server_calls(features_peer, lambda c: c["open"] == 0)
    client = grpc_client(features_peer)
    reading = asyncio.Event()

    async def read() -> None:
        async for event in client.stream_message("slow please"):
            if event.is_content:
                reading.set()

    task = asyncio.create_task(read())
    await reading.wait()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    after = await server_calls(features_peer, lambda c: c["cancelled"] > before["cancelled"])
    assert after["cancelled"] == before["cancelled"] + 1 and after["open"] == 0


def test_sync_twins_over_grpc_on_fresh_loops(features_peer: A2APeer) -> None:
    """Each ``asyncio.run`` (and the sync twins' own loop) gets its own channel."""
    client = grpc_client(features_peer)
    sent = client.send("hello sync")
    assert client.dialect == "A2A v1.0 gRPC" and sent.is_completed
    assert client.get_task(sent.task_id).task_id == sent.task_id
    assert asyncio.run(client.send_message("hello again")).is_completed
    assert asyncio.run(client.send_message("and again")).is_completed


# --------------------------------------------------------------------------- without the extra


async def test_a_grpc_only_card_without_the_extra_is_a_clear_error(
    features_peer: A2APeer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("agentnb.a2a.card.grpc_available", lambda: False)
    transport = RecordingTransport()
    client = grpc_client(features_peer, GRPC_ONLY_CARD, transport=transport)
    with pytest.raises(ConfigurationError, match=r"only the gRPC binding.*pip install agentnb\[grpc\]"):
        await client.send_message("hello")
    assert [m for m, *_ in transport.seen] == ["GET"]  # the card, and nothing else
    forced = A2AClient(features_peer.base_url, protocol="grpc")
    with pytest.raises(ConfigurationError, match=r"protocol='grpc'.*pip install agentnb\[grpc\]"):
        await forced.send_message("hello")
    # A card that offers more than gRPC is spoken over what it also offers.
    fallback = grpc_client(features_peer)
    assert (await fallback.send_message("hello")).is_completed
    assert fallback.dialect == "A2A v1.0 JSON-RPC"


def test_the_core_imports_and_negotiates_without_grpcio() -> None:
    code = """
import sys, json
sys.modules["grpc"] = None  # as if grpcio were not installed
import agentnb, agentnb.a2a
from agentnb.a2a.card import card_from_wire, choose_dialect
from agentnb.a2a.grpc import grpc_available
card = card_from_wire({"name": "x", "supportedInterfaces": [
    {"url": "127.0.0.1:1", "protocolBinding": "GRPC", "protocolVersion": "1.0"}]}, "http://x/card")
try:
    choose_dialect(card, "http://x")
    outcome = "chosen"
except agentnb.ConfigurationError as exc:
    outcome = str(exc)
print(json.dumps([grpc_available(), "google.protobuf" in sys.modules, outcome]))
"""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, check=True, timeout=120
    )
    available, protobuf_loaded, outcome = json.loads(done.stdout)
    assert available is False and protobuf_loaded is False
    assert "only the gRPC binding" in outcome and "pip install agentnb[grpc]" in outcome


async def test_remote_agent_runs_over_grpc(features_peer: A2APeer) -> None:
    from agentnb import RemoteAgent

    agent = RemoteAgent(features_peer.base_url + "/grpc", "peer", protocol="a2a", a2a_protocol="grpc")
    output = await agent.arun("hello from a remote agent")
    assert agent.a2a_client is not None and agent.a2a_client.dialect == "A2A v1.0 gRPC"
    assert "hello from a remote agent" in str(output.content)
    async with agent.arun("streamed over grpc", stream=True) as stream:
        texts = [text async for text in stream.text_stream()]
    assert "streamed over grpc" in "".join(texts)
