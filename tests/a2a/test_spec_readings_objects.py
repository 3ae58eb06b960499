"""Readings of the A2A spec's objects (v0.3 and v1.0) that the test peers never produce.

a2a-sdk answers every send with a Task whose answer sits in text artifacts, spells v1.0 enums as
proto names and v0.3 ones in lower case. Other servers following the spec may answer with a bare
Message, put only data or file parts in artifacts, spell enums the other way, leave ``final`` out
or send int64 fields as JSON strings. httpx.MockTransport plays such a server.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import pytest

from agentnb.a2a import TaskState
from tests.a2a.test_wire import V03_CARD, V10_CARD, peer, rpc, sse, sse_body

PNG = b"\x89PNG\r\n\x1a\nfake"


def answer(version: str, result: Any) -> httpx.Response:
    return httpx.Response(200, json=rpc(result))


# --------------------------------------------------------------------------- a Message for an answer


@pytest.mark.parametrize(
    ("card", "result"),
    [
        (
            V03_CARD,
            {
                "kind": "message",
                "messageId": "m1",
                "role": "agent",
                "contextId": "c9",
                "parts": [{"kind": "text", "text": "direct answer"}],
            },
        ),
        (
            V10_CARD,
            {
                "message": {
                    "messageId": "m1",
                    "role": "ROLE_AGENT",
                    "contextId": "c9",
                    "parts": [{"text": "direct answer"}],
                }
            },
        ),
    ],
    ids=["v0.3", "v1.0"],
)
async def test_a_send_answered_with_a_message_is_a_completed_answer(
    card: dict[str, Any], result: dict[str, Any]
) -> None:
    client, seen = peer(card, lambda r: httpx.Response(200, json=rpc(result)))
    got = await client.send_message("hi")
    assert got.content == "direct answer"
    assert got.context_id == "c9"
    assert got.message is not None and got.message.role == "agent"
    assert len(seen) == 1  # a Message ends the exchange: nothing to poll


# --------------------------------------------------------------------------- artifacts of data or file parts


V03_PARTS = [
    {"kind": "data", "data": {"rows": [1, 2]}},
    {"kind": "file", "file": {"uri": "https://files.test/a.png", "mimeType": "image/png", "name": "a.png"}},
    {"kind": "file", "file": {"bytes": base64.b64encode(PNG).decode(), "mimeType": "image/png"}},
]
V10_PARTS = [
    {"data": {"rows": [1.0, 2.0]}, "mediaType": "application/json"},
    {"url": "https://files.test/a.png", "mediaType": "image/png", "filename": "a.png"},
    {"raw": base64.b64encode(PNG).decode(), "mediaType": "image/png"},
]


@pytest.mark.parametrize(
    ("card", "parts", "wrap"),
    [(V03_CARD, V03_PARTS, False), (V10_CARD, V10_PARTS, True)],
    ids=["v0.3", "v1.0"],
)
async def test_artifacts_holding_only_data_and_file_parts(
    card: dict[str, Any], parts: list[dict[str, Any]], wrap: bool
) -> None:
    state = "TASK_STATE_COMPLETED" if wrap else "completed"
    task: dict[str, Any] = {
        "id": "t1",
        "contextId": "c1",
        "status": {"state": state},
        "artifacts": [{"artifactId": f"a{i}", "parts": [p]} for i, p in enumerate(parts)],
    }
    if not wrap:
        task["kind"] = "task"
    client, _ = peer(card, lambda r: httpx.Response(200, json=rpc({"task": task} if wrap else task)))
    got = await client.send_message("hi")
    assert got.is_completed and got.content == ""
    data, link, blob = got.artifacts
    assert data.parts[0].kind == "data" and data.parts[0].data == {"rows": [1, 2]}
    assert link.parts[0].kind == "file" and link.parts[0].uri == "https://files.test/a.png"
    assert link.parts[0].mime_type == "image/png" and link.parts[0].filename == "a.png"
    assert blob.parts[0].content == PNG and blob.content == PNG
    assert got.refused == []  # data and file parts are read, not reported


# --------------------------------------------------------------------------- enum spellings


@pytest.mark.parametrize(
    ("card", "state", "role", "wrap"),
    [
        (V10_CARD, "completed", "agent", True),  # v1.0 JSON with v0.3's lower-case spellings
        (V10_CARD, "TASK_STATE_COMPLETED", "ROLE_AGENT", True),
        (V03_CARD, "TASK_STATE_COMPLETED", "ROLE_AGENT", False),  # v0.3 with proto names
        (V03_CARD, "COMPLETED", "AGENT", False),
    ],
)
async def test_state_and_role_spellings_of_either_version(
    card: dict[str, Any], state: str, role: str, wrap: bool
) -> None:
    message: dict[str, Any] = {"messageId": "m", "role": role, "parts": [{"text": "ok"}]}
    task: dict[str, Any] = {"id": "t1", "contextId": "c1", "status": {"state": state, "message": message}}
    if not wrap:
        task["kind"] = "task"
        message["kind"] = "message"
        message["parts"] = [{"kind": "text", "text": "ok"}]
    client, _ = peer(card, lambda r: httpx.Response(200, json=rpc({"task": task} if wrap else task)))
    got = await client.send_message("hi")
    assert got.state is TaskState.completed and got.content == "ok"
    assert got.task is not None and got.task.status.message is not None
    assert got.task.status.message.role == "agent"


def test_every_state_spelling_parses() -> None:
    for wire, state in [
        ("TASK_STATE_INPUT_REQUIRED", TaskState.input_required),
        ("input-required", TaskState.input_required),
        ("INPUT_REQUIRED", TaskState.input_required),
        ("task_state_auth_required", TaskState.auth_required),
        ("TASK_STATE_REJECTED", TaskState.rejected),
        ("TASK_STATE_UNSPECIFIED", TaskState.unknown),
    ]:
        assert TaskState.parse(wire) is state, wire


# --------------------------------------------------------------------------- final, int64, timestamps


@pytest.mark.parametrize(
    "stamp", ["2026-11-21T11:45:42Z", "2026-11-21T11:45:42.490312Z", "2026-11-21T11:45:42+00:00"]
)
async def test_v10_stream_without_final_ends_at_the_terminal_state(stamp: str) -> None:
    frames = [
        rpc({"task": {"id": "t1", "contextId": "c1", "status": {"state": "TASK_STATE_SUBMITTED"}}}),
        rpc(
            {
                "artifactUpdate": {
                    "taskId": "t1",
                    "contextId": "c1",
                    "artifact": {"artifactId": "a", "parts": [{"text": "hello"}]},
                    "lastChunk": True,
                }
            }
        ),
        rpc(
            {
                "statusUpdate": {
                    "taskId": "t1",
                    "contextId": "c1",
                    "status": {"state": "TASK_STATE_COMPLETED", "timestamp": stamp},
                }
            }
        ),
        # a server that keeps the connection a moment longer: sent after the end, never yielded
        rpc({"statusUpdate": {"taskId": "t1", "contextId": "c1", "status": {"state": "TASK_STATE_WORKING"}}}),
    ]
    client, _ = peer(V10_CARD, lambda r: sse(sse_body(*frames)))
    stream = client.stream_message("hi")
    events = [e async for e in stream]
    assert [e.event_type for e in events] == ["started", "content", "completed"]
    assert events[-1].is_final
    result = await stream.get_final_result()
    assert result.content == "hello" and result.is_completed
    last = events[-1].item
    assert last is not None and last.status.timestamp == stamp  # kept as sent


async def test_v10_int64_fields_sent_as_strings() -> None:
    """proto3-JSON may write int64 as strings (ListTasks ``totalSize``, ``pageSize``)."""
    page = {
        "tasks": [{"id": "t1", "contextId": "c1", "status": {"state": "TASK_STATE_COMPLETED"}}],
        "nextPageToken": "p2",
        "pageSize": "50",
        "totalSize": "123",
    }
    client, seen = peer(V10_CARD, lambda r: httpx.Response(200, json=rpc(page)))
    listed = await client.alist_tasks(page_size=50, history_length=2)
    assert [t.task_id for t in listed.tasks] == ["t1"] and listed.next_page_token == "p2"
    params = json.loads(seen[0].content)["params"]
    assert params["pageSize"] == 50 and params["historyLength"] == 2


# --------------------------------------------------------------------------- get, cancel, resubscribe


@pytest.mark.parametrize(("card", "method"), [(V03_CARD, "tasks/get"), (V10_CARD, "GetTask")])
async def test_get_task_sends_history_length_and_reads_a_trimmed_history(
    card: dict[str, Any], method: str
) -> None:
    v10 = card is V10_CARD
    msg = {"messageId": "m2", "role": "ROLE_AGENT" if v10 else "agent", "parts": [{"text": "last"}]}
    if not v10:
        msg |= {"kind": "message", "parts": [{"kind": "text", "text": "last"}]}
    task = {"id": "t1", "contextId": "c1", "status": {"state": "completed"}, "history": [msg]}
    client, seen = peer(
        card, lambda r: httpx.Response(200, json=rpc(task if v10 else {**task, "kind": "task"}))
    )
    got = await client.aget_task("t1", history_length=1)
    body = json.loads(seen[0].content)
    assert body["method"] == method and body["params"] == {"id": "t1", "historyLength": 1}
    assert got.task is not None and [m.text for m in got.task.history] == ["last"]


# --------------------------------------------------------------------------- unwrapped and draft shapes

REST_V10 = {
    "name": "rest",
    "supportedInterfaces": [
        {"url": "http://peer.test", "protocolBinding": "HTTP+JSON", "protocolVersion": "1.0"}
    ],
}


@pytest.mark.parametrize("card", [V10_CARD, REST_V10], ids=["json-rpc", "rest"])
async def test_a_v10_send_answered_with_an_unwrapped_message(card: dict[str, Any]) -> None:
    """SendMessageResponse wraps the Message; a server that leaves the wrapper out still answers."""
    bare = {"messageId": "m1", "role": "ROLE_AGENT", "parts": [{"text": "no wrapper"}]}
    body = rpc(bare) if card is V10_CARD else bare
    client, _ = peer(card, lambda r: httpx.Response(200, json=body))
    got = await client.send_message("hi")
    assert got.content == "no wrapper" and got.message is not None


async def test_a_v10_part_in_the_drafts_file_shape() -> None:
    """The v1.0 drafts (and v0.3's proto) nest files as ``{"file": {"fileWithUri"|"fileWithBytes"}}``."""
    parts = [
        {"file": {"fileWithUri": "https://files.test/a.png", "mediaType": "image/png", "name": "a.png"}},
        {"file": {"fileWithBytes": base64.b64encode(PNG).decode(), "mimeType": "image/png"}},
    ]
    task = {
        "id": "t1",
        "contextId": "c1",
        "status": {"state": "TASK_STATE_COMPLETED"},
        "artifacts": [{"artifactId": "a", "parts": parts}],
    }
    client, _ = peer(V10_CARD, lambda r: httpx.Response(200, json=rpc({"task": task})))
    link, blob = (await client.send_message("hi")).artifacts[0].parts
    assert (link.kind, link.uri, link.mime_type, link.filename) == (
        "file",
        "https://files.test/a.png",
        "image/png",
        "a.png",
    )
    assert (blob.kind, blob.content, blob.mime_type) == ("file", PNG, "image/png")


async def test_a_v03_resubscribe_to_a_finished_task_answers_one_task_then_closes() -> None:
    task = {
        "kind": "task",
        "id": "t1",
        "contextId": "c1",
        "status": {"state": "completed"},
        "artifacts": [{"artifactId": "a", "parts": [{"kind": "text", "text": "old"}]}],
    }
    client, seen = peer(V03_CARD, lambda r: sse(sse_body(rpc(task), crlf=False)))
    stream = client.resubscribe("t1")
    events = [e async for e in stream]
    assert json.loads(seen[0].content) | {"id": None} == {
        "jsonrpc": "2.0",
        "id": None,
        "method": "tasks/resubscribe",
        "params": {"id": "t1"},
    }
    assert [e.event_type for e in events] == ["task"] and events[0].is_final
    assert (await stream.get_final_result()).content == "old" and not stream.interrupted


@pytest.mark.parametrize(
    ("number", "state"),
    [
        (3, TaskState.completed),
        (6, TaskState.input_required),
        (0, TaskState.unknown),
        (42, TaskState.unknown),
    ],
)
async def test_v10_enums_written_as_numbers(number: int, state: TaskState) -> None:
    """proto3-JSON parsers take enum numbers, and some writers print them (e.g. UseEnumNumbers)."""
    message = {"messageId": "m", "role": 2, "parts": [{"text": "ok"}]}
    task = {"id": "t1", "contextId": "c1", "status": {"state": number, "message": message}}
    client, _ = peer(V10_CARD, lambda r: httpx.Response(200, json=rpc({"task": task})))
    got = await client.send_message("hi", blocking=False)
    assert got.state is state
    assert got.task is not None and got.task.status.message is not None
    assert got.task.status.message.role == "agent"


@pytest.mark.parametrize(
    ("card", "item"),
    [
        (
            V03_CARD,
            {
                "kind": "message",
                "messageId": "m",
                "role": "agent",
                "parts": [{"kind": "text", "text": "one"}],
            },
        ),
        (V10_CARD, {"message": {"messageId": "m", "role": "ROLE_AGENT", "parts": [{"text": "one"}]}}),
    ],
    ids=["v0.3", "v1.0"],
)
async def test_a_stream_of_one_message_is_the_whole_answer(
    card: dict[str, Any], item: dict[str, Any]
) -> None:
    """The spec lets a server answer message/stream with a single Message and close."""
    client, _ = peer(card, lambda r: sse(sse_body(rpc(item))))
    stream = client.stream_message("hi")
    events = [e async for e in stream]
    assert [(e.event_type, e.content, e.is_final) for e in events] == [("content", "one", True)]
    assert (await stream.get_final_result()).content == "one" and not stream.interrupted


@pytest.mark.parametrize("encode", [base64.b64encode, base64.urlsafe_b64encode], ids=["standard", "url-safe"])
@pytest.mark.parametrize("padded", [True, False])
async def test_v10_raw_bytes_in_either_base64_alphabet_with_or_without_padding(
    encode: Any, padded: bool
) -> None:
    """proto3-JSON: bytes are written in standard base64, read in standard or URL-safe, padded or not."""
    blob = bytes(range(256)) + b"\xfb"  # every byte, and 257 of them: '+' '/' (or '-' '_') and '=' occur
    text = encode(blob).decode()
    assert text.endswith("=") and {"+", "/"} & set(text) | {"-", "_"} & set(text)
    text = text if padded else text.rstrip("=")
    task = {
        "id": "t1",
        "contextId": "c1",
        "status": {"state": "TASK_STATE_COMPLETED"},
        "artifacts": [{"artifactId": "a", "parts": [{"raw": text, "mediaType": "application/octet-stream"}]}],
    }
    client, _ = peer(V10_CARD, lambda r: httpx.Response(200, json=rpc({"task": task})))
    assert (await client.send_message("hi")).artifacts[0].content == blob


# --------------------------------------------------------------------------- parts of an unknown kind


@pytest.mark.parametrize(
    ("card", "wrap", "unknown"),
    [
        (V03_CARD, False, {"kind": "image", "image": {"pixels": "..."}}),
        (V10_CARD, True, {"hologram": {"uri": "h://1"}}),
    ],
    ids=["v0.3", "v1.0"],
)
async def test_a_part_of_an_unknown_kind_is_kept_and_reported_not_lost_quietly(
    card: dict[str, Any], wrap: bool, unknown: dict[str, Any]
) -> None:
    text = {"text": "seen"} if wrap else {"kind": "text", "text": "seen"}
    task: dict[str, Any] = {
        "id": "t1",
        "contextId": "c1",
        "status": {"state": "TASK_STATE_COMPLETED" if wrap else "completed"},
        "artifacts": [{"artifactId": "a1", "parts": [text, unknown]}],
    }
    if not wrap:
        task["kind"] = "task"
    client, _ = peer(card, lambda r: httpx.Response(200, json=rpc({"task": task} if wrap else task)))
    got = await client.send_message("hi")
    assert got.content == "seen" and got.artifacts[0].parts[1].raw == unknown
    assert got.refused == ["1 artifact part(s) of a kind agentnb does not read: kept on part.raw"]

    # parts the codecs read (text, even empty, data, files) are not reported
    task["artifacts"][0]["parts"] = [text, {"text": ""} if wrap else {"kind": "text", "text": ""}]
    assert (await client.send_message("hi")).refused == []
