"""tasks_table (issue 14): v1.0 ListTasks with filters and every cursor page; v0.3: the tasks seen."""

from __future__ import annotations

import json
import uuid

import pandas as pd
import pytest

from agentnb.a2a import A2AClient
from agentnb.tables import TASK_COLUMNS, atasks_table, tasks_table
from tests.a2a.features import RecordingTransport
from tests.peers.a2a_peers import A2APeer

pytestmark = pytest.mark.peer

DTYPES = {
    "task_id": "string",
    "context_id": "string",
    "status": "string",
    "final": "boolean",
    "updated_at": "datetime64[ns, UTC]",
    "artifacts": "Int64",
    "messages": "Int64",
    "content": "string",
    "prompt": "string",
    "source": "string",
    "error": "string",
}


def assert_typed(df: pd.DataFrame) -> None:
    assert tuple(df.columns) == TASK_COLUMNS
    assert {c: str(t) for c, t in df.dtypes.items()} == DTYPES


@pytest.mark.parametrize("protocol", ["json-rpc", "rest"])
async def test_v1_lists_every_page_with_filters(protocol: str, a2a_peers: dict[str, A2APeer]) -> None:
    transport = RecordingTransport()
    client = A2AClient(a2a_peers["v1"].base_url, protocol=protocol, transport=transport)  # type: ignore[arg-type]
    context = f"ctx-{uuid.uuid4()}"
    done = [await client.send_message(f"hello {i}", context_id=context) for i in range(3)]
    asking = await client.send_message("input please", context_id=context)
    assert asking.is_input_required
    sent_before = len(transport.seen)

    df = await atasks_table(client, context_id=context, page_size=2)
    assert_typed(df)
    assert set(df["task_id"]) == {r.task_id for r in [*done, asking]} and len(df) == 4
    assert set(df["source"]) == {"listed"} and set(df["context_id"]) == {context}
    assert sorted(df["status"]) == ["completed", "completed", "completed", "input-required"]
    assert df["updated_at"].notna().all() and str(df["updated_at"].dt.tz) == "UTC"
    row = df[df["task_id"] == done[0].task_id].iloc[0]
    assert row["content"] == done[0].content[:80] and row["artifacts"] == len(done[0].artifacts)
    assert df[df["status"] == "input-required"].iloc[0]["prompt"] == asking.prompt
    # Four tasks, two a page: the cursor was followed to the end (two or three list calls).
    assert 2 <= len(transport.seen) - sent_before <= 3

    only = await atasks_table(client, context_id=context, status="input-required")
    assert list(only["task_id"]) == [asking.task_id]
    assert_typed(await atasks_table(client, context_id=f"ctx-{uuid.uuid4()}"))  # empty, same columns


async def test_v03_shows_the_tasks_this_client_has_seen(a2a_peers: dict[str, A2APeer]) -> None:
    transport = RecordingTransport()
    client = A2AClient(a2a_peers["v03"].base_url, transport=transport)
    first = await client.send_message("hello one")
    second = await client.send_message("input please", context_id=first.context_id)
    other = await client.send_message("hello elsewhere")
    streamed = await client.stream_message("hello streamed").get_final_result()
    df = await atasks_table(client)
    assert_typed(df)
    assert list(df["task_id"]) == [first.task_id, second.task_id, other.task_id, streamed.task_id]
    assert set(df["source"]) == {"seen"} and df["error"].isna().all()
    assert list(df["status"]) == ["completed", "input-required", "completed", "completed"]
    # The listing was refused once, then each task was asked for again (its state is current).
    methods = [json.loads(b)["method"] for b in transport.bodies if b]
    assert methods[-5:].count("tasks/get") == 4

    by_context = await atasks_table(client, context_id=first.context_id)
    assert list(by_context["task_id"]) == [first.task_id, second.task_id]
    waiting = await atasks_table(client, status="input-required")
    assert list(waiting["task_id"]) == [second.task_id] and waiting.iloc[0]["prompt"] == second.prompt


async def test_v03_a_task_the_peer_forgot_keeps_its_row_with_the_reason(
    a2a_peers: dict[str, A2APeer],
) -> None:
    client = A2AClient(a2a_peers["v03"].base_url)
    known = await client.send_message("hello again")
    client.seen_tasks.note_ids("no-such-task", "c")
    df = await atasks_table(client)
    rows = df.set_index("task_id")
    assert rows.loc[known.task_id, "status"] == "completed"
    assert (
        pd.isna(rows.loc["no-such-task", "status"]) and "Task not found" in rows.loc["no-such-task", "error"]
    )


def test_the_sync_twin(a2a_peers: dict[str, A2APeer]) -> None:
    client = A2AClient(a2a_peers["v03"].base_url)
    sent = client.send("hello sync")
    df = tasks_table(client, status="completed")
    assert list(df["task_id"]) == [sent.task_id] and list(df["content"]) == [sent.content[:80]]


def test_the_seen_tasks_are_bounded() -> None:
    from agentnb.a2a.tasks import SeenTasks

    seen = SeenTasks(limit=3)
    for i in range(5):
        seen.note_ids(f"t{i}", "c")
    seen.note_ids("t2", "c")  # seen again: newest now
    seen.note_ids("", None)  # no id: nothing to remember
    assert [t for t, _ in seen] == ["t3", "t4", "t2"] and len(seen) == 3


async def test_a_streamed_task_is_seen_without_building_its_result(a2a_peers: dict[str, A2APeer]) -> None:
    from agentnb.a2a._build import TextJoin

    client = A2AClient(a2a_peers["v03"].base_url)
    stream = client.stream_message("tell me a story")
    events = [e async for e in stream]
    held = list(stream.reader.assembler._artifacts.values())
    assert any(type(h) is TextJoin for h in held)  # the peer streamed its answer in chunks
    # the end noted the ids only: no chunk's Part model was built for a result nobody read
    assert all(h.live is None for h in held if type(h) is TextJoin)
    assert list(client.seen_tasks) == [(events[-1].task_id, events[-1].context_id)]
    result = stream.result  # read now: built now, whole
    assert result.task_id == events[-1].task_id and result.content == "".join(
        e.content for e in events if e.event_type == "content" and e.content
    )
