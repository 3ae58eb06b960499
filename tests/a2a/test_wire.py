"""A2A wire quirks (reference/a2a-protocol.md §5–§7) and card negotiation, with mocked peers."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from agentnb import A2AError, RemoteHTTPError, StreamInterruptedError
from agentnb.a2a import A2AClient, AgentCard, AgentInterface, TaskState
from agentnb.a2a.card import card_from_wire, choose_dialect

BASE = "http://peer.test"

V03_CARD = {
    "name": "v03",
    "url": f"{BASE}/",
    "preferredTransport": "JSONRPC",
    "protocolVersion": "0.3.0",
    "additionalInterfaces": [{"transport": "HTTP+JSON", "url": BASE}],
    "capabilities": {"streaming": True},
}
V10_CARD = {
    "name": "v10",
    "supportedInterfaces": [
        {"url": f"{BASE}/", "protocolBinding": "JSONRPC", "protocolVersion": "1.0"},
        {"url": BASE, "protocolBinding": "HTTP+JSON", "protocolVersion": "1.0"},
    ],
    "capabilities": {"streaming": True},
}
AGNO_CARD = {
    "name": "Assistant",
    "url": f"{BASE}/a2a/agents/assistant/v1/message:stream",
    "preferredTransport": "JSONRPC",
    "protocolVersion": "0.3.0",
}


Handler = Callable[[httpx.Request], httpx.Response]


def peer(
    card: dict[str, Any] | None, handler: Handler, **kwargs: Any
) -> tuple[A2AClient, list[httpx.Request]]:
    """A client whose peer serves ``card`` and answers everything else with ``handler``."""
    seen: list[httpx.Request] = []

    def route(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/.well-known/agent-card.json"):
            return httpx.Response(200, json=card) if card is not None else httpx.Response(404)
        if request.url.path.endswith("/.well-known/agent.json"):
            return httpx.Response(404)
        seen.append(request)
        return handler(request)

    base = kwargs.pop("base", BASE)
    return A2AClient(base, transport=httpx.MockTransport(route), **kwargs), seen


def sse_body(*payloads: Any, crlf: bool = True, pretty: bool = False) -> bytes:
    end = "\r\n" if crlf else "\n"
    out = []
    for payload in payloads:
        text = json.dumps(payload, indent=2 if pretty else None)
        out.append("".join(f"data: {line}{end}" for line in text.split("\n")) + end)
    return "".join(out).encode()


def sse(body: bytes, then: Exception | None = None) -> httpx.Response:
    async def chunks() -> AsyncIterator[bytes]:
        for i in range(0, len(body), 37):  # arbitrary chunking: frames split mid-line
            yield body[i : i + 37]
        if then is not None:
            raise then

    return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=chunks())


def rpc(result: Any, rid: str = "1") -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": rid, "result": result}


# --------------------------------------------------------------------------- negotiation


def test_card_variants_choose_the_right_dialect() -> None:
    v03 = card_from_wire(V03_CARD, "x")
    assert choose_dialect(v03, BASE).label == "A2A v0.3 JSON-RPC"
    assert choose_dialect(v03, BASE, protocol="rest").label == "A2A v0.3 REST"
    v10 = card_from_wire(V10_CARD, "x")
    assert choose_dialect(v10, BASE).label == "A2A v1.0 JSON-RPC"
    assert choose_dialect(v10, BASE, protocol="rest").label == "A2A v1.0 REST"
    agno = choose_dialect(card_from_wire(AGNO_CARD, "x"), f"{BASE}/a2a/agents/assistant")
    assert agno.label == "Agno A2A" and agno.url == f"{BASE}/a2a/agents/assistant"


def test_v10_card_with_compat_prefers_v10_but_an_explicit_version_wins() -> None:
    compat = card_from_wire(
        {**V10_CARD, **V03_CARD, "supportedInterfaces": V10_CARD["supportedInterfaces"]}, "x"
    )
    assert choose_dialect(compat, BASE).version == "1.0"
    assert choose_dialect(compat, BASE, version="0.3").label == "A2A v0.3 JSON-RPC"


def test_explicit_binding_the_card_lacks_still_wins() -> None:
    adk = AgentCard(interfaces=[AgentInterface(url=f"{BASE}/", binding="JSONRPC", protocol_version="1.0")])
    codec = choose_dialect(adk, BASE, protocol="rest")
    assert codec.label == "A2A v1.0 REST" and codec.url == BASE


def test_no_card_falls_back_to_the_hint_and_v03() -> None:
    assert choose_dialect(None, BASE).label == "A2A v0.3 REST"
    assert choose_dialect(None, f"{BASE}/a2a/agents/x").label == "Agno A2A"
    assert choose_dialect(None, BASE, protocol="json-rpc", version="1.0").label == "A2A v1.0 JSON-RPC"


async def test_card_is_read_relative_to_the_base_url_in_json_rpc_mode_too() -> None:
    client, _ = peer(V03_CARD, lambda r: httpx.Response(500), protocol="json-rpc")
    card = await client.aget_agent_card()
    assert card is not None and card.name == "v03" and card.card_url == f"{BASE}/.well-known/agent-card.json"


async def test_missing_card_is_none_not_an_error() -> None:
    client, _ = peer(None, lambda r: httpx.Response(500))
    assert await client.aget_agent_card() is None


# --------------------------------------------------------------------------- version header


async def test_a2a_version_header_on_v10_calls_only() -> None:
    task = {"task": {"id": "t1", "contextId": "c1", "status": {"state": "TASK_STATE_COMPLETED"}}}
    v10, seen10 = peer(V10_CARD, lambda r: httpx.Response(200, json=rpc(task)))
    await v10.send_message("hi")
    assert seen10[0].headers["A2A-Version"] == "1.0"
    assert json.loads(seen10[0].content)["method"] == "SendMessage"
    legacy = {"kind": "task", "id": "t1", "contextId": "c1", "status": {"state": "completed"}}
    v03, seen03 = peer(V03_CARD, lambda r: httpx.Response(200, json=rpc(legacy)))
    await v03.send_message("hi")
    assert "A2A-Version" not in seen03[0].headers
    assert json.loads(seen03[0].content)["method"] == "message/send"


# --------------------------------------------------------------------------- content and quirks


async def test_text_from_artifacts_and_from_agent_messages() -> None:
    artifact_task = {
        "task": {
            "id": "t1",
            "contextId": "c1",
            "status": {
                "state": "TASK_STATE_COMPLETED",
                "message": {"role": "ROLE_AGENT", "parts": [{"text": "done"}]},
            },
            "artifacts": [{"artifactId": "a", "parts": [{"text": "Hello"}, {"text": ", world"}]}],
            "history": [
                {"role": "ROLE_USER", "parts": [{"text": "hi"}]},
                {"role": "ROLE_AGENT", "parts": [{"text": "working"}]},
            ],
        }
    }
    client, _ = peer(V10_CARD, lambda r: httpx.Response(200, json=rpc(artifact_task)))
    result = await client.send_message("hi")
    assert (
        result.content == "Hello, world"
        and result.is_completed
        and result.artifacts[0].text == "Hello, world"
    )
    agno_task = {
        "kind": "task",
        "id": "t2",
        "contextId": "c2",
        "status": {"state": "completed"},
        "history": [
            {"kind": "message", "role": "agent", "parts": [{"kind": "text", "text": "from history"}]}
        ],
    }
    client, _ = peer(V03_CARD, lambda r: httpx.Response(200, json=rpc(agno_task)))
    assert (await client.send_message("hi")).content == "from history"


async def test_v03_rest_double_base64_files_and_cancelled_spelling() -> None:
    raw = b"report for: hello\n"
    twice = base64.b64encode(base64.b64encode(raw)).decode()
    task = {
        "task": {
            "id": "t1",
            "contextId": "c1",
            "status": {"state": "TASK_STATE_CANCELLED"},
            "artifacts": [
                {
                    "artifactId": "f",
                    "name": "report.txt",
                    "parts": [
                        {"file": {"fileWithBytes": twice, "mimeType": "text/plain", "name": "report.txt"}}
                    ],
                }
            ],
        }
    }
    client, seen = peer(V03_CARD, lambda r: httpx.Response(200, json=task), protocol="rest")
    result = await client.send_message("file please")
    assert result.is_canceled and result.status == "canceled"
    artifact = result.artifacts[0]
    assert artifact.content == raw and artifact.mime_type == "text/plain" and artifact.name == "report.txt"
    body = json.loads(seen[0].content)
    assert seen[0].url.path == "/v1/message:send" and body["configuration"] == {"blocking": True}
    assert body["message"]["role"] == "ROLE_USER" and body["message"]["content"] == [{"text": "file please"}]


async def test_v10_file_parts_data_floats_and_outgoing_media() -> None:
    task = {
        "task": {
            "id": "t1",
            "contextId": "c1",
            "status": {"state": "TASK_STATE_COMPLETED"},
            "artifacts": [
                {
                    "artifactId": "f",
                    "parts": [
                        {
                            "raw": base64.b64encode(b"hi").decode(),
                            "mediaType": "text/plain",
                            "filename": "a.txt",
                        }
                    ],
                },
                {"artifactId": "u", "parts": [{"url": "https://x.invalid/a.png", "mediaType": "image/png"}]},
                {"artifactId": "d", "parts": [{"data": {"answer": 42.0, "ratio": 0.5}}]},
            ],
        }
    }
    from agentnb import Image

    client, seen = peer(V10_CARD, lambda r: httpx.Response(200, json=task), protocol="rest")
    result = await client.send_message(
        "x", images=[Image(url="https://x.invalid/in.png", mime_type="image/png")]
    )
    by_id = {a.artifact_id: a for a in result.artifacts}
    assert by_id["f"].content == b"hi" and by_id["f"].mime_type == "text/plain"
    assert by_id["u"].uri == "https://x.invalid/a.png" and by_id["u"].content is None
    assert by_id["d"].data == [{"answer": 42.0, "ratio": 0.5}]
    sent = json.loads(seen[0].content)["message"]["parts"]
    assert sent == [{"text": "x"}, {"url": "https://x.invalid/in.png", "mediaType": "image/png"}]


async def test_streamed_artifact_chunks_are_joined_by_id_crlf_and_pretty_multiline() -> None:
    def update(text: str, append: bool, last: bool) -> dict[str, Any]:
        return {
            "artifactUpdate": {
                "taskId": "t1",
                "contextId": "c1",
                "artifact": {"artifactId": "a", "parts": [{"text": text}]},
                "append": append,
                "lastChunk": last,
            }
        }

    events = [
        {"task": {"id": "t1", "contextId": "c1", "status": {"state": "TASK_STATE_SUBMITTED"}}},
        update("Hel", False, False),
        update("lo", True, False),
        update("!", True, True),
        {
            "statusUpdate": {
                "taskId": "t1",
                "contextId": "c1",
                "status": {"state": "TASK_STATE_COMPLETED"},
                "final": True,
            }
        },
    ]
    # a2a-sdk 0.3.26's REST pretty-prints each event over many data: lines
    client, _ = peer(V03_CARD, lambda r: sse(sse_body(*events, pretty=True)), protocol="rest")
    stream = client.stream_message("hi")
    got = [(e.event_type, e.content) async for e in stream]
    assert got == [
        ("started", None),
        ("content", "Hel"),
        ("content", "lo"),
        ("content", "!"),
        ("completed", None),
    ]
    assert stream.result.content == "Hello!" and [p.text for p in stream.result.artifacts[0].parts] == [
        "Hel",
        "lo",
        "!",
    ]


async def test_input_required_with_final_false_then_close_ends_the_stream() -> None:
    events = [
        rpc({"kind": "task", "id": "t1", "contextId": "c1", "status": {"state": "submitted"}}),
        rpc(
            {
                "kind": "status-update",
                "taskId": "t1",
                "contextId": "c1",
                "final": False,
                "status": {
                    "state": "input-required",
                    "message": {
                        "kind": "message",
                        "role": "agent",
                        "parts": [{"kind": "text", "text": "Your name?"}],
                    },
                },
            }
        ),
    ]
    client, _ = peer(V03_CARD, lambda r: sse(sse_body(*events)))
    stream = client.stream_message("hi")
    got = [e async for e in stream]
    assert got[-1].event_type == "input-required" and got[-1].is_final
    assert stream.result.is_input_required and stream.result.prompt == "Your name?"


async def test_agno_extra_task_event_after_final_is_not_yielded() -> None:
    base = f"{BASE}/a2a/agents/assistant"
    events = [
        rpc(
            {
                "kind": "status-update",
                "taskId": "t1",
                "contextId": "c1",
                "final": False,
                "status": {"state": "working"},
            }
        ),
        rpc(
            {
                "kind": "message",
                "messageId": "m",
                "role": "agent",
                "taskId": "t1",
                "parts": [{"kind": "text", "text": "Echo"}],
            }
        ),
        rpc(
            {
                "kind": "status-update",
                "taskId": "t1",
                "contextId": "c1",
                "final": True,
                "status": {"state": "completed"},
            }
        ),
        rpc({"kind": "task", "id": "t1", "contextId": "c1", "status": {"state": "completed"}, "history": []}),
    ]
    client, seen = peer(AGNO_CARD, lambda r: sse(sse_body(*events, crlf=False)), base=base)
    stream = client.stream_message("hi")
    got = [e.event_type async for e in stream]
    assert got == ["working", "content", "completed"] and stream.result.content == "Echo"
    assert len(stream.trailing) == 1 and seen[0].url.path == "/a2a/agents/assistant/v1/message:stream"


# --------------------------------------------------------------------------- errors


async def test_json_rpc_errors_are_typed_never_a_silent_unknown_status() -> None:
    # agno's client turns this into TaskResult(status="unknown", content="") without raising.
    error = {"jsonrpc": "2.0", "id": "1", "error": {"code": -32601, "message": "Method not found"}}
    client, _ = peer(V03_CARD, lambda r: httpx.Response(200, json=error))
    with pytest.raises(A2AError) as info:
        await client.send_message("hi")
    assert info.value.code == -32601 and "Method not found" in str(info.value)


async def test_v10_error_details_give_the_reason() -> None:
    details = [
        {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            "reason": "TASK_NOT_FOUND",
            "domain": "a2a-protocol.org",
        }
    ]
    error = {
        "jsonrpc": "2.0",
        "id": "1",
        "error": {"code": -32001, "message": "Task not found", "data": details},
    }
    client, _ = peer(V10_CARD, lambda r: httpx.Response(200, json=error))
    with pytest.raises(A2AError) as info:
        await client.aget_task("nope")
    assert info.value.code == -32001 and info.value.reason == "TASK_NOT_FOUND" and info.value.data == details


async def test_v10_rest_error_object_is_an_a2a_error_and_an_http_error() -> None:
    body = {
        "error": {
            "code": 404,
            "status": "NOT_FOUND",
            "message": "Task not found",
            "details": [{"reason": "TASK_NOT_FOUND"}],
        }
    }
    client, _ = peer(V10_CARD, lambda r: httpx.Response(404, json=body), protocol="rest")
    with pytest.raises(A2AError) as info:
        await client.aget_task("nope")
    assert isinstance(info.value, httpx.HTTPStatusError) and isinstance(info.value, RemoteHTTPError)
    assert (
        info.value.code == -32001
        and info.value.reason == "TASK_NOT_FOUND"
        and "Task not found" in str(info.value)
    )


async def test_error_before_the_first_event_comes_as_plain_json() -> None:
    error = {"jsonrpc": "2.0", "id": "1", "error": {"code": -32602, "message": "Invalid params"}}
    client, _ = peer(V03_CARD, lambda r: httpx.Response(200, json=error))
    with pytest.raises(A2AError, match="Invalid params"):
        async for _ in client.stream_message("hi"):
            pass


async def test_a_stream_dropped_midway_raises_and_keeps_what_arrived() -> None:
    events = [
        rpc({"kind": "task", "id": "t1", "contextId": "c1", "status": {"state": "submitted"}}),
        rpc(
            {
                "kind": "artifact-update",
                "taskId": "t1",
                "contextId": "c1",
                "artifact": {"artifactId": "a", "parts": [{"kind": "text", "text": "partial answ"}]},
            }
        ),
    ]
    drop = httpx.RemoteProtocolError("peer closed connection without sending complete message body")
    client, _ = peer(V03_CARD, lambda r: sse(sse_body(*events), then=drop))
    with pytest.raises(StreamInterruptedError) as info:
        async for _ in client.stream_message("hi"):
            pass
    assert info.value.partial.content == "partial answ" and info.value.partial.task_id == "t1"


async def test_a_clean_close_before_a_final_state_is_an_interruption() -> None:
    events = [
        rpc(
            {
                "kind": "status-update",
                "taskId": "t1",
                "contextId": "c1",
                "final": False,
                "status": {"state": "working"},
            }
        )
    ]
    client, _ = peer(V03_CARD, lambda r: sse(sse_body(*events)))
    with pytest.raises(StreamInterruptedError, match="before the task reached a final state"):
        async for _ in client.stream_message("hi"):
            pass


def test_task_state_spellings() -> None:
    assert TaskState.parse("TASK_STATE_CANCELLED") is TaskState.canceled
    assert TaskState.parse("TASK_STATE_INPUT_REQUIRED") is TaskState.input_required
    assert TaskState.parse("TaskState.completed") is TaskState.completed
    assert TaskState.parse("auth-required").is_interrupted
    assert TaskState.parse("bogus") is TaskState.unknown


async def test_auth_required_is_a_state_not_an_error() -> None:
    events = [
        {"task": {"id": "t1", "contextId": "c1", "status": {"state": "TASK_STATE_SUBMITTED"}}},
        {
            "statusUpdate": {
                "taskId": "t1",
                "contextId": "c1",
                "status": {
                    "state": "TASK_STATE_AUTH_REQUIRED",
                    "message": {"role": "ROLE_AGENT", "parts": [{"text": "Sign in at https://x.invalid"}]},
                },
            }
        },
    ]
    client, _ = peer(V10_CARD, lambda r: sse(sse_body(*(rpc(e) for e in events))))
    stream = client.stream_message("hi")
    got = [e async for e in stream]
    assert got[-1].event_type == "auth-required" and got[-1].is_final
    assert stream.result.is_auth_required and stream.result.prompt == "Sign in at https://x.invalid"


@pytest.mark.parametrize(
    ("card", "protocol", "expected"),
    [
        (
            V03_CARD,
            "json-rpc",
            {"kind": "file", "file": {"bytes": "aGk=", "mimeType": "text/plain", "name": "a.txt"}},
        ),
        (
            V03_CARD,
            "rest",
            {
                "file": {
                    "fileWithBytes": base64.b64encode(b"aGk=").decode(),
                    "mimeType": "text/plain",
                    "name": "a.txt",
                }
            },
        ),
        (V10_CARD, "json-rpc", {"raw": "aGk=", "mediaType": "text/plain", "filename": "a.txt"}),
    ],
)
async def test_outgoing_bytes_become_file_parts_in_each_dialect(
    card: dict[str, Any], protocol: str, expected: dict[str, Any]
) -> None:
    from agentnb import File

    v03_task = {"kind": "task", "id": "t1", "contextId": "c1", "status": {"state": "completed"}}
    proto_task = {"task": {"id": "t1", "contextId": "c1", "status": {"state": "TASK_STATE_COMPLETED"}}}
    if protocol == "rest":
        answer: Any = proto_task
    else:
        answer = rpc(v03_task if card is V03_CARD else proto_task)
    client, seen = peer(card, lambda r: httpx.Response(200, json=answer), protocol=protocol)
    await client.send_message(
        "see file", files=[File(content=b"hi", mime_type="text/plain", filename="a.txt")]
    )
    body = json.loads(seen[0].content)
    message = body["params"]["message"] if "params" in body else body["message"]
    parts = message.get("parts") or message.get("content")
    assert parts[1] == expected


async def test_v10_rest_tenant_prefix_from_the_card() -> None:
    card = {
        **V10_CARD,
        "supportedInterfaces": [
            {"url": BASE, "protocolBinding": "HTTP+JSON", "protocolVersion": "1.0", "tenant": "acme"}
        ],
    }
    done = {"task": {"id": "t1", "contextId": "c1", "status": {"state": "TASK_STATE_COMPLETED"}}}
    client, seen = peer(card, lambda r: httpx.Response(200, json=done))
    await client.send_message("hi")
    await client.aget_task("t1")
    assert [r.url.path for r in seen] == ["/acme/message:send", "/acme/tasks/t1"]
