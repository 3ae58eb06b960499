"""The A2A test peers work, proven with raw httpx (no A2A client library).

Peers: a2a-sdk 0.3.x (``v03``), a2a-sdk 1.x v1.0-only (``v1``) and a2a-sdk 1.x with its v0.3
compatibility layer (``compat``). The v0.3 tests run against ``v03`` and ``compat``; the v1.0 tests
against ``v1`` and ``compat``. Wire shapes are recorded in ``A2A_PEERS.md``.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

import httpx
import pytest

from .a2a_peers import A2APeer

pytestmark = pytest.mark.peer

JSON = dict[str, Any]
V1_HEADERS = {"A2A-Version": "1.0"}
TIMEOUT = httpx.Timeout(15.0)


# ----------------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def peers(a2a_peers: dict[str, A2APeer]) -> dict[str, A2APeer]:
    """The session's a2a-sdk peers (tests/conftest.py starts each on first use)."""
    return a2a_peers


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=TIMEOUT, trust_env=False) as c:
        yield c


@pytest.fixture(params=["v03", "compat"])
def v03_peer(request: pytest.FixtureRequest, peers: dict[str, A2APeer]) -> A2APeer:
    """A peer that speaks A2A v0.3 (native a2a-sdk 0.3.x, or a2a-sdk 1.x compat mode)."""
    return peers[request.param]


@pytest.fixture(params=["v1", "compat"])
def v1_peer(request: pytest.FixtureRequest, peers: dict[str, A2APeer]) -> A2APeer:
    """A peer that speaks A2A v1.0 (a2a-sdk 1.x, compat off or on)."""
    return peers[request.param]


# ------------------------------------------------------------------------------------------ helpers


def sse_events(lines: Iterable[str]) -> Iterator[JSON]:
    """Parse SSE lines into JSON payloads (multi-line ``data:`` fields joined with ``\\n``)."""
    data: list[str] = []
    for line in lines:
        if line == "":
            if data:
                yield json.loads("\n".join(data))
                data = []
        elif line.startswith("data:"):
            value = line[5:]
            data.append(value[1:] if value.startswith(" ") else value)
    if data:
        yield json.loads("\n".join(data))


def envelope(method: str, params: JSON, request_id: int | str = 1) -> JSON:
    return {"jsonrpc": "2.0", "id": request_id, "method": method, "params": params}


def rpc(
    client: httpx.Client, peer: A2APeer, method: str, params: JSON, headers: dict[str, str] | None = None
) -> JSON:
    response = client.post(peer.base_url + "/", json=envelope(method, params), headers=headers)
    assert response.status_code == 200, response.text
    body: JSON = response.json()
    assert body["jsonrpc"] == "2.0"
    return body


def rpc_stream(
    client: httpx.Client, peer: A2APeer, method: str, params: JSON, headers: dict[str, str] | None = None
) -> list[JSON]:
    with client.stream("POST", peer.base_url + "/", json=envelope(method, params), headers=headers) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        return list(sse_events(r.iter_lines()))


def rest_stream(
    client: httpx.Client, url: str, body: JSON, headers: dict[str, str] | None = None
) -> list[JSON]:
    with client.stream("POST", url, json=body, headers=headers) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        return list(sse_events(r.iter_lines()))


def msg_v03(text: str, **ids: str) -> JSON:
    """v0.3 JSON-RPC ``MessageSendParams``."""
    message: JSON = {
        "kind": "message",
        "messageId": str(uuid.uuid4()),
        "role": "user",
        "parts": [{"kind": "text", "text": text}],
    }
    return {"message": {**message, **ids}}


def msg_v03_rest(text: str, **extra: Any) -> JSON:
    """v0.3 REST body (proto3 JSON of the v0.3 proto: ``content``, ``ROLE_USER``)."""
    message = {"messageId": str(uuid.uuid4()), "role": "ROLE_USER", "content": [{"text": text}]}
    return {"message": message, **extra}


def msg_v1(text: str, **ids: str) -> JSON:
    """v1.0 ``SendMessageRequest`` (JSON-RPC params and REST body alike)."""
    message: JSON = {"messageId": str(uuid.uuid4()), "role": "ROLE_USER", "parts": [{"text": text}]}
    return {"message": {**message, **ids}}


def text_of(parts: list[JSON]) -> str:
    return "".join(str(p["text"]) for p in parts if "text" in p)


def artifact(task: JSON, name: str) -> JSON:
    matches: list[JSON] = [a for a in task.get("artifacts", []) if a.get("name") == name]
    assert len(matches) == 1, task
    return matches[0]


# ============================================================================== v0.3 (JSON-RPC)


def test_v03_card(client: httpx.Client, peers: dict[str, A2APeer]) -> None:
    peer = peers["v03"]
    card = client.get(peer.card_url).json()
    assert card["protocolVersion"] == "0.3.0"
    assert card["preferredTransport"] == "JSONRPC"
    assert card["url"] == peer.base_url + "/"
    assert card["additionalInterfaces"] == [{"transport": "HTTP+JSON", "url": peer.base_url}]
    assert card["capabilities"]["streaming"] is True
    assert "supportedInterfaces" not in card
    assert client.get(peer.base_url + "/.well-known/agent.json").status_code == 200


def test_v03_send_and_multi_turn(client: httpx.Client, v03_peer: A2APeer) -> None:
    first = rpc(client, v03_peer, "message/send", msg_v03("hello"))["result"]
    assert first["kind"] == "task"
    assert first["status"]["state"] == "completed"
    answer = artifact(first, "answer")
    assert len(answer["parts"]) >= 4
    assert all(p["kind"] == "text" for p in answer["parts"])
    assert "You said: hello." in text_of(answer["parts"])
    assert "previous:" not in text_of(answer["parts"])

    second = rpc(client, v03_peer, "message/send", msg_v03("again", contextId=first["contextId"]))["result"]
    assert second["contextId"] == first["contextId"]
    assert second["id"] != first["id"]
    assert "previous: hello" in text_of(artifact(second, "answer")["parts"])


def test_v03_stream_artifact_chunks_file_and_data(client: httpx.Client, v03_peer: A2APeer) -> None:
    events = [e["result"] for e in rpc_stream(client, v03_peer, "message/stream", msg_v03("hello file"))]
    assert events[0]["kind"] == "task"
    assert events[0]["status"]["state"] == "submitted"
    chunks = [e for e in events if e["kind"] == "artifact-update" and e["artifact"]["name"] == "answer"]
    assert len(chunks) >= 4
    assert [c["append"] for c in chunks] == [False] + [True] * (len(chunks) - 1)
    assert [c["lastChunk"] for c in chunks] == [False] * (len(chunks) - 1) + [True]
    assert len({c["artifact"]["artifactId"] for c in chunks}) == 1
    assert "You said: hello file." in "".join(text_of(c["artifact"]["parts"]) for c in chunks)

    (file_event,) = [
        e for e in events if e["kind"] == "artifact-update" and e["artifact"]["name"] == "report.txt"
    ]
    (file_part,) = file_event["artifact"]["parts"]
    assert file_part["kind"] == "file"
    assert file_part["file"]["name"] == "report.txt"
    assert file_part["file"]["mimeType"] == "text/plain"
    assert base64.b64decode(file_part["file"]["bytes"]) == b"hello file"
    (data_event,) = [e for e in events if e["kind"] == "artifact-update" and e["artifact"]["name"] == "data"]
    assert data_event["artifact"]["parts"] == [{"kind": "data", "data": {"answer": 42, "ratio": 0.5}}]

    last = events[-1]
    assert last["kind"] == "status-update"
    assert last["status"]["state"] == "completed"
    assert last["final"] is True


def test_v03_input_required_then_reply(client: httpx.Client, v03_peer: A2APeer) -> None:
    task = rpc(client, v03_peer, "message/send", msg_v03("please ask me for input"))["result"]
    assert task["status"]["state"] == "input-required"
    assert text_of(task["status"]["message"]["parts"]) == "What is your name?"
    assert task["status"]["message"]["role"] == "agent"

    done = rpc(
        client, v03_peer, "message/send", msg_v03("Alice", taskId=task["id"], contextId=task["contextId"])
    )["result"]
    assert done["id"] == task["id"]
    assert done["status"]["state"] == "completed"
    text = text_of(artifact(done, "answer")["parts"])
    assert "Alice" in text
    assert "previous: please ask me for input" in text


def test_v03_stream_input_required_ends_stream(client: httpx.Client, v03_peer: A2APeer) -> None:
    events = [e["result"] for e in rpc_stream(client, v03_peer, "message/stream", msg_v03("input please"))]
    assert [e["kind"] for e in events] == ["task", "status-update"]
    assert events[-1]["status"]["state"] == "input-required"
    # native 0.3.26 says final:true here, the a2a-sdk 1.x compat layer final:false (stream closes anyway)
    assert isinstance(events[-1]["final"], bool)


def test_v03_cancel_slow_stream(client: httpx.Client, v03_peer: A2APeer) -> None:
    events: list[JSON] = []
    cancel_result: JSON = {}
    with (
        httpx.Client(timeout=TIMEOUT, trust_env=False) as other,
        client.stream(
            "POST", v03_peer.base_url + "/", json=envelope("message/stream", msg_v03("slow please"), 7)
        ) as response,
    ):
        for event in sse_events(response.iter_lines()):
            assert event["id"] == 7
            events.append(event["result"])
            chunks = [e for e in events if e["kind"] == "artifact-update"]
            if len(chunks) == 2 and not cancel_result:
                cancel_result = rpc(other, v03_peer, "tasks/cancel", {"id": events[0]["id"]})
    task = cancel_result["result"]
    assert task["kind"] == "task"
    assert task["status"]["state"] == "canceled"
    assert 2 <= len(artifact(task, "answer")["parts"]) < 50
    last = events[-1]
    assert last["kind"] == "status-update"
    assert last["status"]["state"] == "canceled"
    assert last["final"] is True
    assert sum(e["kind"] == "artifact-update" for e in events) < 50

    again = rpc(client, v03_peer, "tasks/cancel", {"id": task["id"]})
    assert again["error"]["code"] == -32002
    got = rpc(client, v03_peer, "tasks/get", {"id": task["id"]})["result"]
    assert got["status"]["state"] == "canceled"


def test_v03_fail(client: httpx.Client, v03_peer: A2APeer) -> None:
    task = rpc(client, v03_peer, "message/send", msg_v03("please fail"))["result"]
    assert task["status"]["state"] == "failed"
    assert "failed" in text_of(task["status"]["message"]["parts"])
    events = [e["result"] for e in rpc_stream(client, v03_peer, "message/stream", msg_v03("fail"))]
    assert events[-1]["status"]["state"] == "failed"
    assert events[-1]["final"] is True


def test_v03_direct_message_and_errors(client: httpx.Client, v03_peer: A2APeer) -> None:
    reply = rpc(client, v03_peer, "message/send", msg_v03("direct"))["result"]
    assert reply["kind"] == "message"
    assert reply["role"] == "agent"
    assert text_of(reply["parts"]).startswith("Direct reply:")

    assert rpc(client, v03_peer, "tasks/get", {"id": "no-such-task"})["error"]["code"] == -32001
    assert rpc(client, v03_peer, "tasks/cancel", {"id": "no-such-task"})["error"]["code"] == -32001
    assert rpc(client, v03_peer, "frobnicate", {})["error"]["code"] == -32601


def test_v03_server_refuses_v1_method(client: httpx.Client, peers: dict[str, A2APeer]) -> None:
    body = rpc(client, peers["v03"], "SendMessage", msg_v1("hi"), V1_HEADERS)
    assert body["error"]["code"] == -32601


# ================================================================================== v0.3 (REST)


def test_v03_rest_send_blocking(client: httpx.Client, v03_peer: A2APeer) -> None:
    body = msg_v03_rest("hello rest file", configuration={"blocking": True})
    response = client.post(v03_peer.base_url + "/v1/message:send", json=body)
    assert response.status_code == 200, response.text
    task = response.json()["task"]
    assert task["status"]["state"] == "TASK_STATE_COMPLETED"
    assert "You said: hello rest file." in text_of(artifact(task, "answer")["parts"])
    assert task["history"][0]["content"] == [{"text": "hello rest file"}]
    (file_part,) = artifact(task, "report.txt")["parts"]
    # v0.3 REST base64-encodes the (already base64) bytes string once more
    assert base64.b64decode(file_part["file"]["fileWithBytes"]) == base64.b64encode(b"hello file")
    assert artifact(task, "data")["parts"] == [{"data": {"data": {"answer": 42.0, "ratio": 0.5}}}]


def test_v03_rest_default_blocking_differs(
    client: httpx.Client, v03_peer: A2APeer, peers: dict[str, A2APeer]
) -> None:
    response = client.post(v03_peer.base_url + "/v1/message:send", json=msg_v03_rest("hello"))
    assert response.status_code == 200
    state = response.json()["task"]["status"]["state"]
    # a2a-sdk 0.3.26 REST: no configuration => blocking=false (proto default); 1.x compat blocks.
    expected = "TASK_STATE_SUBMITTED" if v03_peer is peers.get("v03") else "TASK_STATE_COMPLETED"
    assert state == expected


def test_v03_rest_stream(client: httpx.Client, v03_peer: A2APeer) -> None:
    events = rest_stream(client, v03_peer.base_url + "/v1/message:stream", msg_v03_rest("hello stream"))
    assert "task" in events[0]
    chunks = [e["artifactUpdate"] for e in events if "artifactUpdate" in e]
    assert len(chunks) >= 4
    assert not chunks[0].get("append", False)
    assert all(c["append"] for c in chunks[1:])
    assert chunks[-1]["lastChunk"] is True
    assert "You said: hello stream." in "".join(text_of(c["artifact"]["parts"]) for c in chunks)
    last = events[-1]["statusUpdate"]
    assert last["status"]["state"] == "TASK_STATE_COMPLETED"
    assert last["final"] is True


def test_v03_rest_cancel_and_errors(client: httpx.Client, v03_peer: A2APeer) -> None:
    body = msg_v03_rest("slow rest", configuration={"blocking": False})
    task = client.post(v03_peer.base_url + "/v1/message:send", json=body).json()["task"]
    response = client.post(f"{v03_peer.base_url}/v1/tasks/{task['id']}:cancel", json={})
    assert response.status_code == 200, response.text
    assert response.json()["status"]["state"] == "TASK_STATE_CANCELLED"  # sic, double L in v0.3 REST
    again = client.post(f"{v03_peer.base_url}/v1/tasks/{task['id']}:cancel", json={})
    assert again.status_code in (400, 409)  # 0.3.26: 409 {"message"}; 1.x compat: 400 {"error"}
    missing = client.get(v03_peer.base_url + "/v1/tasks/no-such-task")
    assert missing.status_code == 404


# ============================================================================== v1.0 (JSON-RPC)


def test_v1_card(client: httpx.Client, v1_peer: A2APeer, peers: dict[str, A2APeer]) -> None:
    card = client.get(v1_peer.card_url, headers=V1_HEADERS).json()
    interfaces = {(i["protocolBinding"], i["protocolVersion"]): i["url"] for i in card["supportedInterfaces"]}
    assert interfaces[("JSONRPC", "1.0")] == v1_peer.base_url + "/"
    assert interfaces[("HTTP+JSON", "1.0")] == v1_peer.base_url
    if v1_peer is peers.get("compat"):
        assert interfaces[("JSONRPC", "0.3")] == v1_peer.base_url + "/"
        assert interfaces[("HTTP+JSON", "0.3")] == v1_peer.base_url
        assert card["url"] == v1_peer.base_url + "/"
        assert card["preferredTransport"] == "JSONRPC"
        assert card["protocolVersion"] == "0.3"
    else:
        assert len(interfaces) == 2
        assert "url" not in card
        assert "protocolVersion" not in card
    assert client.get(v1_peer.base_url + "/.well-known/agent.json").status_code == 404


def test_v1_send_and_multi_turn(client: httpx.Client, v1_peer: A2APeer) -> None:
    first = rpc(client, v1_peer, "SendMessage", msg_v1("hello"), V1_HEADERS)["result"]["task"]
    assert first["status"]["state"] == "TASK_STATE_COMPLETED"
    answer = artifact(first, "answer")
    assert len(answer["parts"]) >= 4
    assert "kind" not in answer["parts"][0]
    assert "You said: hello." in text_of(answer["parts"])

    second = rpc(client, v1_peer, "SendMessage", msg_v1("again", contextId=first["contextId"]), V1_HEADERS)
    task = second["result"]["task"]
    assert task["contextId"] == first["contextId"]
    assert "previous: hello" in text_of(artifact(task, "answer")["parts"])


def test_v1_needs_version_header(client: httpx.Client, v1_peer: A2APeer) -> None:
    body = rpc(client, v1_peer, "SendMessage", msg_v1("no header"))
    assert body["error"]["code"] == -32009
    assert body["error"]["data"][0]["reason"] == "VERSION_NOT_SUPPORTED"


def test_v1_stream_artifact_chunks_file_and_data(client: httpx.Client, v1_peer: A2APeer) -> None:
    raw = rpc_stream(client, v1_peer, "SendStreamingMessage", msg_v1("hello file"), V1_HEADERS)
    events = [e["result"] for e in raw]
    assert all(
        len(e) == 1 for e in events
    )  # StreamResponse: exactly one of task/message/statusUpdate/artifactUpdate
    assert events[0]["task"]["status"]["state"] == "TASK_STATE_SUBMITTED"
    updates = [e["artifactUpdate"] for e in events if "artifactUpdate" in e]
    chunks = [u for u in updates if u["artifact"]["name"] == "answer"]
    assert len(chunks) >= 4
    assert "append" not in chunks[0]  # false booleans are omitted
    assert all(c["append"] is True for c in chunks[1:])
    assert chunks[-1]["lastChunk"] is True
    assert not any(c.get("lastChunk") for c in chunks[:-1])
    assert "You said: hello file." in "".join(text_of(c["artifact"]["parts"]) for c in chunks)

    (file_update,) = [u for u in updates if u["artifact"]["name"] == "report.txt"]
    (file_part,) = file_update["artifact"]["parts"]
    assert file_part["filename"] == "report.txt"
    assert file_part["mediaType"] == "text/plain"
    assert base64.b64decode(file_part["raw"]) == b"hello file"
    (data_update,) = [u for u in updates if u["artifact"]["name"] == "data"]
    assert data_update["artifact"]["parts"] == [{"data": {"answer": 42.0, "ratio": 0.5}}]

    last = events[-1]["statusUpdate"]
    assert last["status"]["state"] == "TASK_STATE_COMPLETED"
    assert "final" not in last


def test_v1_input_required_then_reply(client: httpx.Client, v1_peer: A2APeer) -> None:
    task = rpc(client, v1_peer, "SendMessage", msg_v1("need input"), V1_HEADERS)["result"]["task"]
    assert task["status"]["state"] == "TASK_STATE_INPUT_REQUIRED"
    assert task["status"]["message"]["role"] == "ROLE_AGENT"
    assert text_of(task["status"]["message"]["parts"]) == "What is your name?"

    params = msg_v1("Bob", taskId=task["id"], contextId=task["contextId"])
    events = [e["result"] for e in rpc_stream(client, v1_peer, "SendStreamingMessage", params, V1_HEADERS)]
    assert "task" not in events[0]  # resuming starts with a status update, not a Task snapshot
    text = "".join(text_of(e["artifactUpdate"]["artifact"]["parts"]) for e in events if "artifactUpdate" in e)
    assert "Bob" in text
    assert "previous: need input" in text
    assert events[-1]["statusUpdate"]["status"]["state"] == "TASK_STATE_COMPLETED"


def test_v1_cancel_slow_stream(client: httpx.Client, v1_peer: A2APeer) -> None:
    events: list[JSON] = []
    cancel_result: JSON = {}
    body = envelope("SendStreamingMessage", msg_v1("slow please"), "s-1")
    with (
        httpx.Client(timeout=TIMEOUT, trust_env=False) as other,
        client.stream("POST", v1_peer.base_url + "/", json=body, headers=V1_HEADERS) as response,
    ):
        for event in sse_events(response.iter_lines()):
            assert event["id"] == "s-1"
            events.append(event["result"])
            if sum("artifactUpdate" in e for e in events) == 2 and not cancel_result:
                task_id = events[0]["task"]["id"]
                cancel_result = rpc(other, v1_peer, "CancelTask", {"id": task_id}, V1_HEADERS)
    task = cancel_result["result"]  # the bare Task, no {"task": ...} wrapper
    assert task["status"]["state"] == "TASK_STATE_CANCELED"
    assert 2 <= len(artifact(task, "answer")["parts"]) < 50
    assert events[-1]["statusUpdate"]["status"]["state"] == "TASK_STATE_CANCELED"
    assert sum("artifactUpdate" in e for e in events) < 50

    again = rpc(client, v1_peer, "CancelTask", {"id": task["id"]}, V1_HEADERS)
    assert again["error"]["code"] == -32002
    assert again["error"]["data"][0]["reason"] == "TASK_NOT_CANCELABLE"
    got = rpc(client, v1_peer, "GetTask", {"id": task["id"]}, V1_HEADERS)["result"]
    assert got["status"]["state"] == "TASK_STATE_CANCELED"


def test_v1_fail_direct_and_errors(client: httpx.Client, v1_peer: A2APeer) -> None:
    task = rpc(client, v1_peer, "SendMessage", msg_v1("fail"), V1_HEADERS)["result"]["task"]
    assert task["status"]["state"] == "TASK_STATE_FAILED"
    assert "failed" in text_of(task["status"]["message"]["parts"])

    message = rpc(client, v1_peer, "SendMessage", msg_v1("direct"), V1_HEADERS)["result"]["message"]
    assert message["role"] == "ROLE_AGENT"
    assert text_of(message["parts"]).startswith("Direct reply:")

    missing = rpc(client, v1_peer, "GetTask", {"id": "no-such-task"}, V1_HEADERS)["error"]
    assert missing["code"] == -32001
    assert missing["data"][0]["reason"] == "TASK_NOT_FOUND"
    assert rpc(client, v1_peer, "Frobnicate", {}, V1_HEADERS)["error"]["code"] == -32601


def test_v1_only_refuses_v03_methods(client: httpx.Client, peers: dict[str, A2APeer]) -> None:
    peer = peers["v1"]
    assert rpc(client, peer, "message/send", msg_v03("hi"))["error"]["code"] == -32601
    # without compat, /v1/... lands in the /{tenant} mount (tenant "v1") and fails the version check
    response = client.post(peer.base_url + "/v1/message:send", json=msg_v03_rest("hi"))
    assert response.status_code == 400
    assert response.json()["error"]["details"][0]["reason"] == "VERSION_NOT_SUPPORTED"


def test_compat_v03_method_rejects_v1_header(client: httpx.Client, peers: dict[str, A2APeer]) -> None:
    body = rpc(client, peers["compat"], "message/send", msg_v03("hi"), V1_HEADERS)
    assert body["error"]["code"] == -32603
    assert "Expected version '0.3'" in body["error"]["message"]


# ================================================================================== v1.0 (REST)


def test_v1_rest_send_stream_cancel_errors(client: httpx.Client, v1_peer: A2APeer) -> None:
    base = v1_peer.base_url
    response = client.post(base + "/message:send", json=msg_v1("hello rest"), headers=V1_HEADERS)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/a2a+json")
    task = response.json()["task"]
    assert task["status"]["state"] == "TASK_STATE_COMPLETED"
    assert "You said: hello rest." in text_of(artifact(task, "answer")["parts"])

    events = rest_stream(client, base + "/message:stream", msg_v1("hello stream"), V1_HEADERS)
    assert "task" in events[0]
    chunks = [e["artifactUpdate"] for e in events if "artifactUpdate" in e]
    assert len(chunks) >= 4
    assert chunks[-1]["lastChunk"] is True
    assert events[-1]["statusUpdate"]["status"]["state"] == "TASK_STATE_COMPLETED"

    slow = msg_v1("slow rest")
    slow["configuration"] = {"returnImmediately": True}
    task = client.post(base + "/message:send", json=slow, headers=V1_HEADERS).json()["task"]
    assert task["status"]["state"] == "TASK_STATE_SUBMITTED"
    cancelled = client.post(f"{base}/tasks/{task['id']}:cancel", json={}, headers=V1_HEADERS)
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"]["state"] == "TASK_STATE_CANCELED"

    missing = client.get(base + "/tasks/no-such-task", headers=V1_HEADERS)
    assert missing.status_code == 404
    assert missing.json()["error"]["status"] == "NOT_FOUND"
    no_header = client.post(base + "/message:send", json=msg_v1("hi"))
    assert no_header.status_code == 400
    assert no_header.json()["error"]["details"][0]["reason"] == "VERSION_NOT_SUPPORTED"
