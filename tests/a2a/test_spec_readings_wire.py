"""Readings of A2A's transports the test peers never produce: SSE framing, JSON-RPC envelopes,
content types and error bodies (v0.3 and v1.0, JSON-RPC and REST).

a2a-sdk frames with sse-starlette (CRLF, ``data:`` only) and answers errors with HTTP 200; other
spec-following servers name events, send keep-alive comments, end lines with LF or CR, answer
errors with HTTP 4xx/5xx, echo ids as numbers, and so on. httpx.MockTransport plays them.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from agentnb import A2AError
from agentnb.errors import A2AHTTPError, NotFoundError, ServerError
from tests.a2a.test_wire import V03_CARD, V10_CARD, peer, rpc

V10_TASK = {"id": "t1", "contextId": "c1", "status": {"state": "TASK_STATE_SUBMITTED"}}
V10_CHUNK = {
    "artifactUpdate": {
        "taskId": "t1",
        "contextId": "c1",
        "artifact": {"artifactId": "a", "parts": [{"text": "Hel\nlo"}]},
    }
}
V10_DONE = {"statusUpdate": {"taskId": "t1", "contextId": "c1", "status": {"state": "TASK_STATE_COMPLETED"}}}


def chunked(body: bytes, size: int, content_type: str = "text/event-stream") -> httpx.Response:
    async def chunks() -> AsyncIterator[bytes]:
        for i in range(0, len(body), size):
            yield body[i : i + size]

    return httpx.Response(200, headers={"content-type": content_type}, content=chunks())


def frames(style: str) -> bytes:
    """The same three events in one of the framings a spec-following server may use."""
    payloads = [json.dumps(rpc(p, rid=7)) for p in (V10_TASK, V10_CHUNK, V10_DONE)]  # type: ignore[arg-type]
    if style == "lf":
        return "".join(f"data: {p}\n\n" for p in payloads).encode()
    if style == "cr":
        return "".join(f"data: {p}\r\r" for p in payloads).encode()
    if style == "named-with-ids":
        return "".join(f"event: message\nid: {i}\ndata: {p}\n\n" for i, p in enumerate(payloads)).encode()
    if style == "keepalive-comments":
        return (": hello\n\n" + "".join(f": ping\ndata: {p}\n\n: ping\n\n" for p in payloads)).encode()
    if style == "no-space-after-colon":
        return "".join(f"data:{p}\r\n\r\n" for p in payloads).encode()
    if style == "multi-line":
        pretty = [json.dumps(json.loads(p), indent=1) for p in payloads]
        return "".join("".join(f"data: {line}\n" for line in p.split("\n")) + "\n" for p in pretty).encode()
    if style == "no-blank-line-at-eof":
        return ("".join(f"data: {p}\n\n" for p in payloads[:2]) + f"data: {payloads[2]}\n").encode()
    if style == "bom":
        return b"\xef\xbb\xbf" + "".join(f"data: {p}\n\n" for p in payloads).encode()
    raise AssertionError(style)


STYLES = [
    "lf",
    "cr",
    "named-with-ids",
    "keepalive-comments",
    "no-space-after-colon",
    "multi-line",
    "no-blank-line-at-eof",
    "bom",
]


@pytest.mark.parametrize("size", [1, 5, 4096])
@pytest.mark.parametrize("style", STYLES)
async def test_sse_framings_give_the_same_events(style: str, size: int) -> None:
    client, _ = peer(V10_CARD, lambda r: chunked(frames(style), size, "text/event-stream; charset=utf-8"))
    stream = client.stream_message("hi")
    events = [e async for e in stream]
    assert [e.event_type for e in events] == ["started", "content", "completed"]
    assert events[1].content == "Hel\nlo"
    result = await stream.get_final_result()
    assert result.content == "Hel\nlo" and result.is_completed and not stream.interrupted


async def test_a_finished_task_resubscribed_answers_one_task_then_closes() -> None:
    """A server may answer SubscribeToTask for a finished task with its snapshot and close."""
    done = {
        **V10_TASK,
        "status": {"state": "TASK_STATE_COMPLETED"},
        "artifacts": [{"artifactId": "a", "parts": [{"text": "old"}]}],
    }
    body = f"data: {json.dumps(rpc({'task': done}))}\n\n".encode()
    client, seen = peer(V10_CARD, lambda r: chunked(body, 4096))
    stream = client.resubscribe("t1")
    events = [e async for e in stream]
    assert json.loads(seen[0].content)["method"] == "SubscribeToTask"
    assert [e.event_type for e in events] == ["task"] and events[0].is_final
    assert (await stream.get_final_result()).content == "old" and not stream.interrupted


async def test_a_stream_answered_with_plain_json_task_is_one_final_event() -> None:
    """A server without streaming may answer message/stream with a plain JSON-RPC response."""
    task = {
        "kind": "task",
        "id": "t1",
        "contextId": "c1",
        "status": {"state": "completed"},
        "artifacts": [{"artifactId": "a", "parts": [{"kind": "text", "text": "whole"}]}],
    }
    client, _ = peer(V03_CARD, lambda r: httpx.Response(200, json=rpc(task)))
    stream = client.stream_message("hi")
    events = [e async for e in stream]
    assert len(events) == 1 and events[0].is_final
    assert (await stream.get_final_result()).content == "whole"


# --------------------------------------------------------------------------- JSON-RPC envelopes


@pytest.mark.parametrize("rid", ["1", 1, None])
@pytest.mark.parametrize(
    "content_type", ["application/json", "application/json; charset=utf-8", "application/a2a+json"]
)
async def test_ids_and_content_types_of_an_answer(rid: Any, content_type: str) -> None:
    body = json.dumps(
        {
            "jsonrpc": "2.0",
            "id": rid,
            "result": {"task": {**V10_TASK, "status": {"state": "TASK_STATE_COMPLETED"}}},
        }
    )
    client, _ = peer(
        V10_CARD, lambda r: httpx.Response(200, content=body, headers={"content-type": content_type})
    )
    assert (await client.send_message("hi")).is_completed


@pytest.mark.parametrize(
    "data",
    [
        None,
        "a plain string",
        {"why": "a dict"},
        ["not", "objects"],
        42,
        [{"@type": "x", "reason": "TASK_NOT_FOUND"}],
    ],
)
@pytest.mark.parametrize("rid", ["1", 1, None])
async def test_a_json_rpc_error_with_any_data_and_id(data: Any, rid: Any) -> None:
    error = {"code": -32001, "message": "Task not found", "data": data}
    client, _ = peer(
        V03_CARD, lambda r: httpx.Response(200, json={"jsonrpc": "2.0", "id": rid, "error": error})
    )
    with pytest.raises(A2AError) as caught:
        await client.aget_task("t1")
    assert caught.value.code == -32001 and caught.value.reason == "TASK_NOT_FOUND"
    assert caught.value.data == data


@pytest.mark.parametrize("status", [400, 404, 500])
@pytest.mark.parametrize("card", [V03_CARD, V10_CARD], ids=["v0.3", "v1.0"])
async def test_a_json_rpc_error_sent_with_an_http_error_status(status: int, card: dict[str, Any]) -> None:
    error = {"code": -32602, "message": "Invalid params: id is required", "data": {"field": "id"}}
    client, _ = peer(
        card, lambda r: httpx.Response(status, json={"jsonrpc": "2.0", "id": None, "error": error})
    )
    with pytest.raises(A2AError) as caught:
        await client.aget_task("t1")
    assert isinstance(caught.value, A2AHTTPError) and caught.value.status_code == status
    assert caught.value.code == -32602 and caught.value.reason == "INVALID_PARAMS"
    assert caught.value.data == {"field": "id"}
    assert "Invalid params" in str(caught.value)


async def test_cancel_of_a_finished_task_is_not_cancelable() -> None:
    error = {"code": -32002, "message": "Task cannot be canceled", "data": None}
    client, seen = peer(
        V03_CARD, lambda r: httpx.Response(200, json={"jsonrpc": "2.0", "id": "1", "error": error})
    )
    with pytest.raises(A2AError) as caught:
        await client.acancel_task("t1")
    assert json.loads(seen[0].content)["method"] == "tasks/cancel"
    assert caught.value.code == -32002 and caught.value.reason == "TASK_NOT_CANCELABLE"


# --------------------------------------------------------------------------- REST error bodies


REST_V10 = {
    "name": "rest",
    "supportedInterfaces": [
        {"url": "http://peer.test", "protocolBinding": "HTTP+JSON", "protocolVersion": "1.0"}
    ],
}
REST_V03 = {
    "name": "rest03",
    "url": "http://peer.test",
    "preferredTransport": "HTTP+JSON",
    "protocolVersion": "0.3.0",
}


@pytest.mark.parametrize(
    ("status", "body", "code", "cls"),
    [
        (  # google.rpc.Status as the v1.0 HTTP+JSON binding writes it
            404,
            {
                "error": {
                    "code": 404,
                    "status": "NOT_FOUND",
                    "message": "Task not found",
                    "details": [
                        {
                            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                            "reason": "TASK_NOT_FOUND",
                            "domain": "a2a-protocol.org",
                        }
                    ],
                }
            },
            -32001,
            NotFoundError,
        ),
        (  # google.rpc.Status with the gRPC code number and no details
            409,
            {"error": {"code": 9, "status": "FAILED_PRECONDITION", "message": "Task cannot be canceled"}},
            -32002,
            A2AHTTPError,
        ),
        (  # a bare google.rpc.Status, as grpc-gateway writes it (no "error" wrapper)
            400,
            {
                "code": 9,
                "message": "t1 is done",
                "details": [
                    {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "TASK_NOT_CANCELABLE"}
                ],
            },
            -32002,
            A2AHTTPError,
        ),
        (404, {"message": "Task not found"}, -32001, NotFoundError),  # a2a-sdk 0.3 REST
        (404, {"detail": "Task not found"}, -32001, NotFoundError),  # FastAPI
        (500, {"error": "Internal error"}, None, ServerError),  # a bare string under "error"
    ],
)
@pytest.mark.parametrize("card", [REST_V10, REST_V03], ids=["v1.0", "v0.3"])
async def test_rest_error_bodies(
    status: int, body: Any, code: int | None, cls: type[Exception], card: dict[str, Any]
) -> None:
    client, _ = peer(card, lambda r: httpx.Response(status, json=body))
    with pytest.raises(A2AHTTPError) as caught:
        await client.acancel_task("t1")
    assert isinstance(caught.value, cls) and caught.value.status_code == status
    assert caught.value.code == code


# --------------------------------------------------------------------------- REST verbs and paths


#: The HTTP rules of the v1.0 proto (lf.a2a.v1.A2AService): a strict server routes only these.
V10_RULES = {
    ("POST", "/message:send"),
    ("POST", "/message:stream"),
    ("GET", "/tasks/t1"),
    ("GET", "/tasks"),
    ("POST", "/tasks/t1:cancel"),
    ("GET", "/tasks/t1:subscribe"),
}


@pytest.mark.parametrize("tenant", [None, "acme"])
async def test_v10_rest_calls_use_the_protos_verbs_and_paths(tenant: str | None) -> None:
    iface: dict[str, Any] = {
        "url": "http://peer.test",
        "protocolBinding": "HTTP+JSON",
        "protocolVersion": "1.0",
    }
    if tenant:
        iface["tenant"] = tenant
    prefix = f"/{tenant}" if tenant else ""
    done = {"id": "t1", "contextId": "c1", "status": {"state": "TASK_STATE_COMPLETED"}}
    seen: list[tuple[str, str]] = []

    def strict(request: httpx.Request) -> httpx.Response:
        route = (request.method, request.url.path.removeprefix(prefix))
        seen.append(route)
        if route not in V10_RULES or not request.url.path.startswith(prefix):
            return httpx.Response(405 if route[1] in {p for _, p in V10_RULES} else 404)
        if route[1].endswith((":stream", ":subscribe")):
            return chunked(f"data: {json.dumps({'task': done})}\n\n".encode(), 4096)
        if route == ("GET", "/tasks"):
            return httpx.Response(200, json={"tasks": [done], "nextPageToken": ""})
        return httpx.Response(200, json={"task": done} if route[1].startswith("/message") else done)

    client, _ = peer({"name": "strict", "supportedInterfaces": [iface]}, strict)
    assert (await client.send_message("hi")).is_completed
    assert (await client.aget_task("t1", history_length=2)).is_completed
    assert (await client.acancel_task("t1")).is_completed
    assert len((await client.alist_tasks()).tasks) == 1
    for stream in (client.stream_message("hi"), client.resubscribe("t1")):
        assert [e.event_type async for e in stream] == ["task"]
    assert set(seen) == V10_RULES


# --------------------------------------------------------------------------- errors on a stream

ERROR = {"code": -32004, "message": "This operation is not supported", "data": "streaming is off"}


@pytest.mark.parametrize("where", ["plain-json", "first-frame", "mid-stream", "http-400"])
async def test_a_stream_refused_or_failing_with_a_json_rpc_error(where: str) -> None:
    failure = {"jsonrpc": "2.0", "id": 1, "error": ERROR}
    if where == "plain-json":
        answer = httpx.Response(200, json=failure)
    elif where == "http-400":
        answer = httpx.Response(400, json=failure)
    else:
        before = [rpc({"task": V10_TASK})] if where == "mid-stream" else []
        body = "".join(f"data: {json.dumps(p)}\n\n" for p in [*before, failure]).encode()
        answer = chunked(body, 4096)
    client, _ = peer(V10_CARD, lambda r: answer)
    stream = client.stream_message("hi")
    with pytest.raises(A2AError) as caught:
        _ = [e async for e in stream]
    assert caught.value.code == -32004 and caught.value.reason == "UNSUPPORTED_OPERATION"
    assert caught.value.data == "streaming is off"


@pytest.mark.parametrize("content_type", ["Text/Event-Stream; Charset=UTF-8", "TEXT/EVENT-STREAM"])
async def test_the_event_stream_media_type_in_any_case(content_type: str) -> None:
    client, _ = peer(V10_CARD, lambda r: chunked(frames("lf"), 4096, content_type))
    stream = client.stream_message("hi")
    assert [e.event_type async for e in stream] == ["started", "content", "completed"]
