"""A2A v0.3 over gRPC: a2a-sdk 1.3.0's v0.3 compat gRPC service (``a2a.v1.A2AService``) on the
features peer, with the same operations and assertions as every other row of the matrix.

agentnb speaks v0.3's send, stream, get, cancel and resubscribe over gRPC (what the v0.3 REST
dialect speaks, as the same ProtoJSON objects) and push configs (create, get, list, delete, and
a send that registers a receiver); the extended card has no v0.3 gRPC method and stays HTTP. The peer's ``/grpc-v03/`` card offers only this interface (the main card cannot list it:
a2a-sdk would add v0.3 fields to the signed card after signing it), so the shared test bodies
get ``{peer}/grpc-v03`` as the agent's URL and find the card there.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from agentnb.a2a import A2AClient, TaskState
from agentnb.a2a.push import PushConfig, PushInbox
from agentnb.errors import A2AError
from tests.a2a import test_matrix as matrix_tests
from tests.a2a.test_matrix import Combo
from tests.peers.a2a_peers import A2APeer

pytestmark = pytest.mark.peer

GRPC_V03 = Combo("features", "grpc", "0.3", "A2A v0.3 gRPC")
combos = pytest.mark.parametrize("combo", [GRPC_V03], ids=[GRPC_V03.name])


def v03_url(peer: A2APeer) -> str:
    return peer.base_url + "/grpc-v03"


@combos
async def test_card(combo: Combo, features_peer: A2APeer) -> None:
    await matrix_tests.test_card(combo, v03_url(features_peer))


@combos
async def test_send(combo: Combo, features_peer: A2APeer) -> None:
    await matrix_tests.test_send(combo, v03_url(features_peer))


@combos
async def test_stream(combo: Combo, features_peer: A2APeer) -> None:
    await matrix_tests.test_stream(combo, v03_url(features_peer))


@combos
async def test_multi_turn(combo: Combo, features_peer: A2APeer) -> None:
    await matrix_tests.test_multi_turn(combo, v03_url(features_peer))


@combos
async def test_input_required_reply(combo: Combo, features_peer: A2APeer) -> None:
    await matrix_tests.test_input_required_reply(combo, v03_url(features_peer))


@combos
async def test_get_task(combo: Combo, features_peer: A2APeer) -> None:
    await matrix_tests.test_get_task(combo, v03_url(features_peer))


@combos
async def test_cancel(combo: Combo, features_peer: A2APeer) -> None:
    await matrix_tests.test_cancel(combo, v03_url(features_peer))


@combos
async def test_error(combo: Combo, features_peer: A2APeer) -> None:
    await matrix_tests.test_error(combo, v03_url(features_peer))


@combos
async def test_file_and_data_artifacts(combo: Combo, features_peer: A2APeer) -> None:
    await matrix_tests.test_file_and_data_artifacts(combo, v03_url(features_peer))


@combos
async def test_resubscribe(combo: Combo, features_peer: A2APeer) -> None:
    await matrix_tests.test_resubscribe(combo, v03_url(features_peer))


async def test_a_v03_grpc_only_card_is_spoken_over_v03_grpc(features_peer: A2APeer) -> None:
    client = A2AClient(v03_url(features_peer))  # no protocol= nor a2a_version=: the card decides
    assert (await client.send_message("hello v0.3 grpc")).is_completed
    assert client.dialect == "A2A v0.3 gRPC"
    with pytest.raises(A2AError) as info:  # v0.3 lists no tasks, over any binding
        await client.alist_tasks()
    assert info.value.code == -32004


async def test_v03_push_configs_over_grpc(features_peer: A2APeer) -> None:
    client = A2AClient(v03_url(features_peer))
    task = await client.send_message("hello configs over v0.3 grpc")
    made = await client.acreate_push_config(
        task.task_id, PushConfig(id="cfg-g", url="http://127.0.0.1:9/hook", token="tok-789")
    )
    assert client.dialect == "A2A v0.3 gRPC"
    assert (made.id, made.task_id, made.url) == ("cfg-g", task.task_id, "http://127.0.0.1:9/hook")
    assert "tok-789" not in repr(made)
    got = await client.aget_push_config(task.task_id, "cfg-g")
    assert (got.id, got.url, got.token) == ("cfg-g", "http://127.0.0.1:9/hook", "tok-789")
    await client.acreate_push_config(task.task_id, PushConfig(id="cfg-h", url="http://127.0.0.1:9/other"))
    assert sorted(c.id or "" for c in await client.alist_push_configs(task.task_id)) == ["cfg-g", "cfg-h"]
    await client.adelete_push_config(task.task_id, "cfg-g")
    assert [c.id for c in await client.alist_push_configs(task.task_id)] == ["cfg-h"]


async def test_v03_push_receiver_over_grpc(features_peer: A2APeer) -> None:
    client = A2AClient(v03_url(features_peer))
    async with client.push_receiver() as inbox:
        sent = await client.send_message("hello push over grpc", push=inbox, blocking=False)
        events = await asyncio.wait_for(collect(inbox), 30)
    assert client.dialect == "A2A v0.3 gRPC" and inbox.refused == []
    assert events and all(e.task_id == sent.task_id for e in events)
    assert events[-1].state is TaskState.completed
    assert "hello push over grpc" in inbox.result.content


async def collect(inbox: PushInbox) -> list[Any]:
    return [e async for e in inbox]
