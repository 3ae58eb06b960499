"""Push notifications over A2A v0.3 (issue 14, item 2) against a2a-sdk 0.3.26's own push parts.

The v0.3 peer runs the SDK's InMemoryPushNotificationConfigStore and BasePushNotificationSender,
which POSTs the whole v0.3 Task (``kind: task``) to each registered URL after every task event.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from agentnb import A2AError
from agentnb.a2a import A2AClient, TaskState
from agentnb.a2a.push import PushConfig, PushInbox
from tests.peers.a2a_peers import A2APeer

pytestmark = pytest.mark.peer


async def states_until_end(inbox: PushInbox) -> list[Any]:
    return [e async for e in inbox]


@pytest.mark.parametrize("protocol", ["json-rpc", "rest"])
async def test_v03_push_receiver_gets_the_task_updates(protocol: str, a2a_peers: dict[str, A2APeer]) -> None:
    client = A2AClient(a2a_peers["v03"].base_url, protocol=protocol)  # type: ignore[arg-type]
    card = await client.aget_agent_card()
    assert card is not None and card.supports_push
    async with client.push_receiver() as inbox:
        sent = await client.send_message("hello push", push=inbox, blocking=False)
        events = await asyncio.wait_for(states_until_end(inbox), 30)
    assert client.dialect == f"A2A v0.3 {'JSON-RPC' if protocol == 'json-rpc' else 'REST'}"
    assert events and all(e.task_id == sent.task_id for e in events) and inbox.refused == []
    assert events[-1].state is TaskState.completed and events[-1].is_final
    # Each push is the task as it stands: the last one carries the whole answer.
    assert inbox.result.content == "Hello from the a2a-sdk 0.3 peer. You said: hello push."


async def test_v03_push_receiver_registered_for_a_running_task(a2a_peers: dict[str, A2APeer]) -> None:
    client = A2AClient(a2a_peers["v03"].base_url)
    started = await client.send_message("slow please", blocking=False)
    async with client.push_receiver(started.task_id) as inbox:
        assert inbox.config is not None and inbox.config.url == inbox.url
        assert inbox.config.task_id == started.task_id and inbox.token not in repr(inbox.config)
        first = await asyncio.wait_for(inbox.__anext__(), 30)
        assert first.task_id == started.task_id
        await client.acancel_task(started.task_id)
        rest = await asyncio.wait_for(states_until_end(inbox), 30)
    assert rest[-1].state is TaskState.canceled


async def test_v03_push_configs_over_json_rpc(a2a_peers: dict[str, A2APeer]) -> None:
    client = A2AClient(a2a_peers["v03"].base_url, protocol="json-rpc")
    task = await client.send_message("hello configs")
    made = await client.acreate_push_config(
        task.task_id, PushConfig(id="cfg-1", url="http://127.0.0.1:9/hook", token="tok-123")
    )
    assert (made.id, made.task_id, made.url) == ("cfg-1", task.task_id, "http://127.0.0.1:9/hook")
    assert "tok-123" not in repr(made)
    got = await client.aget_push_config(task.task_id, "cfg-1")
    assert got.url == made.url and got.token == "tok-123"
    await client.acreate_push_config(task.task_id, PushConfig(id="cfg-2", url="http://127.0.0.1:9/other"))
    assert sorted(c.id or "" for c in await client.alist_push_configs(task.task_id)) == ["cfg-1", "cfg-2"]
    await client.adelete_push_config(task.task_id, "cfg-1")
    assert [c.id for c in client.list_push_configs(task.task_id)] == ["cfg-2"]  # the sync twin


async def test_v03_push_configs_over_rest(a2a_peers: dict[str, A2APeer]) -> None:
    client = A2AClient(a2a_peers["v03"].base_url, protocol="rest")
    task = await client.send_message("hello configs")
    made = await client.acreate_push_config(
        task.task_id, PushConfig(id="cfg-r", url="http://127.0.0.1:9/hook", token="tok-456")
    )
    assert (made.id, made.task_id, made.url) == ("cfg-r", task.task_id, "http://127.0.0.1:9/hook")
    got = await client.aget_push_config(task.task_id, "cfg-r")
    assert (got.id, got.url) == ("cfg-r", "http://127.0.0.1:9/hook")
    # a2a-sdk 0.3.26's REST app routes no list (it raises NotImplementedError) and no delete:
    # the client sends the spec's requests and reports the server's refusal as an A2A error.
    for call in (client.alist_push_configs(task.task_id), client.adelete_push_config(task.task_id, "cfg-r")):
        with pytest.raises(A2AError):
            await call
