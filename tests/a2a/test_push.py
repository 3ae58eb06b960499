"""Push notifications (issue 14, item 2) against a2a-sdk 1.3.0's in-memory push store and sender.

The peer's BasePushNotificationSender POSTs each task event (a v1.0 StreamResponse) to the
registered URL with the config's token in ``X-A2A-Notification-Token``.
"""

from __future__ import annotations

import asyncio

import httpx
import pytest

from agentnb.a2a import A2AClient
from agentnb.a2a.push import PushConfig, PushInbox
from tests.a2a.features import FEATURE_COMBOS, FEATURE_IDS
from tests.a2a.test_matrix import Combo
from tests.peers.a2a_peers import A2APeer

pytestmark = pytest.mark.peer


def client_for(combo: Combo, peer: A2APeer) -> A2AClient:
    return A2AClient(peer.base_url, protocol=combo.protocol, a2a_version=combo.version)  # type: ignore[arg-type]


async def collect(inbox: PushInbox) -> list[str]:
    return [e.event_type async for e in inbox]


@pytest.mark.parametrize("combo", FEATURE_COMBOS, ids=FEATURE_IDS)
async def test_push(combo: Combo, features_peer: A2APeer) -> None:
    client = client_for(combo, features_peer)
    # Registered inside the send: the task's updates arrive as StreamEvents.
    async with client.push_receiver() as inbox:
        assert inbox.url.startswith("http://127.0.0.1:") and inbox.port > 0
        sent = await client.send_message("slow please", push=inbox, blocking=False)
        events = await asyncio.wait_for(collect_until_content(inbox, sent.task_id, client), 30)
    assert "content" in events and events[-1] == "canceled" and inbox.refused == []
    assert inbox.token not in repr(inbox)

    # CRUD on the configs of a task.
    task = await client.send_message("hello push")
    made = await client.acreate_push_config(
        task.task_id, PushConfig(id="cfg-1", url="http://127.0.0.1:9/hook", token="tok-123")
    )
    assert (made.id, made.task_id, made.url) == ("cfg-1", task.task_id, "http://127.0.0.1:9/hook")
    assert "tok-123" not in repr(made)
    got = await client.aget_push_config(task.task_id, "cfg-1")
    assert got.url == made.url and got.token == "tok-123"
    assert [c.id for c in await client.alist_push_configs(task.task_id)] == ["cfg-1"]
    await client.adelete_push_config(task.task_id, "cfg-1")
    assert await client.alist_push_configs(task.task_id) == []


async def collect_until_content(inbox: PushInbox, task_id: str, client: A2AClient) -> list[str]:
    seen: list[str] = []
    async for event in inbox:
        seen.append(event.event_type)
        if event.is_content and "canceled" not in seen and len([s for s in seen if s == "content"]) == 2:
            await client.acancel_task(task_id)
    return seen


async def test_push_receiver_registers_for_a_task(features_peer: A2APeer) -> None:
    client = A2AClient(features_peer.base_url)
    started = await client.send_message("slow please", blocking=False)
    async with client.push_receiver(started.task_id) as inbox:
        assert inbox.config is not None and inbox.config.url == inbox.url
        first = await asyncio.wait_for(inbox.__anext__(), 30)
        assert first.task_id == started.task_id
        await client.acancel_task(started.task_id)
        rest = await asyncio.wait_for(collect(inbox), 30)
    assert rest[-1] == "canceled"


async def test_the_receiver_refuses_wrong_tokens_big_bodies_and_junk() -> None:
    async with PushInbox(max_body_bytes=1000) as inbox, httpx.AsyncClient() as http:
        ok_headers = {"X-A2A-Notification-Token": inbox.token}
        status = {"taskId": "t", "contextId": "c", "status": {"state": "TASK_STATE_WORKING"}}
        assert (await http.post(inbox.url, json={"statusUpdate": status})).status_code == 401
        bad = {"X-A2A-Notification-Token": "guess"}
        assert (await http.post(inbox.url, json={"statusUpdate": status}, headers=bad)).status_code == 401
        big = {"statusUpdate": {**status, "metadata": {"pad": "x" * 5000}}}
        assert (await http.post(inbox.url, json=big, headers=ok_headers)).status_code == 413
        assert (await http.post(inbox.url, content=b"{not json", headers=ok_headers)).status_code == 400
        assert (await http.post(inbox.url + "x", json={}, headers=ok_headers)).status_code == 404
        assert (
            await http.post(inbox.url, json={"statusUpdate": status}, headers=ok_headers)
        ).status_code == 200
        event = await asyncio.wait_for(inbox.__anext__(), 5)
    assert event.event_type == "working" and inbox.received == 1
    assert [r.split(":")[0] for r in inbox.refused] == ["401", "401", "413", "400", "404"]


async def test_a_full_queue_drops_and_counts() -> None:
    async with PushInbox(max_queue=2) as inbox, httpx.AsyncClient() as http:
        headers = {"X-A2A-Notification-Token": inbox.token}
        status = {"taskId": "t", "contextId": "c", "status": {"state": "TASK_STATE_WORKING"}}
        for _ in range(4):
            assert (
                await http.post(inbox.url, json={"statusUpdate": status}, headers=headers)
            ).status_code == 200
    assert inbox.received == 4 and inbox.dropped == 2


async def test_push_view_shows_pushed_updates_live_and_escaped() -> None:
    from agentnb.widgets.push_view import PushView

    def status(state: str, text: str | None = None) -> dict[str, object]:
        body: dict[str, object] = {"taskId": "t1", "contextId": "c1", "status": {"state": state}}
        if text is not None:
            body["status"] = {
                "state": state,
                "message": {"messageId": "m", "role": "ROLE_AGENT", "parts": [{"text": text}]},
            }
        return {"statusUpdate": body}

    async with PushInbox() as inbox, httpx.AsyncClient() as http:
        view = PushView(inbox)
        header_values: list[str] = []
        view.header.observe(lambda change: header_values.append(change["new"]), names="value")
        headers = {"X-A2A-Notification-Token": inbox.token}
        await http.post(
            inbox.url, json=status("TASK_STATE_WORKING", "<img src=x onerror=alert(1)>"), headers=headers
        )
        for n in range(20):
            chunk = {
                "taskId": "t1",
                "contextId": "c1",
                "artifact": {"artifactId": "a", "parts": [{"text": f"tick {n} "}]},
                "append": n > 0,
            }
            await http.post(inbox.url, json={"artifactUpdate": chunk}, headers=headers)
        await http.post(inbox.url, json=status("TASK_STATE_COMPLETED"), headers=headers)
        await asyncio.wait_for(view.done(), 10)
    assert view.state == "completed" and view.events == 22
    assert "<img" not in view.updates.value and "&lt;img src=x" in view.updates.value
    assert "tick 19" in view.updates.value and "completed" in view.header.value
    # Coalesced: far fewer redraws than events, but every state change drew one.
    assert view.coalescer.flushes < view.events and len(header_values) >= 2
    assert inbox.token not in view.updates.value + view.header.value and inbox.token not in repr(view)


async def test_each_push_connection_is_closed_and_says_so() -> None:
    # a2a-sdk's sender keeps connections alive; a receiver that closes without saying so races
    # with the sender's next push on the same connection, which then fails and is dropped.
    async with PushInbox(max_queue=100) as inbox, httpx.AsyncClient() as http:
        headers = {"X-A2A-Notification-Token": inbox.token}
        status = {"taskId": "t", "contextId": "c", "status": {"state": "TASK_STATE_WORKING"}}
        for _ in range(50):
            response = await http.post(inbox.url, json={"statusUpdate": status}, headers=headers)
            assert response.status_code == 200 and response.headers["connection"] == "close"
    assert inbox.received == 50 and inbox.dropped == 0
