"""Servers that read the A2A spec loosely (issue 14, item 8), in v0.3 and v1.0 shapes.

No test peer does these (a2a-sdk reads the spec strictly), so httpx.MockTransport plays the server.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from agentnb import A2AError, AuthenticationError
from agentnb.a2a import TaskResult, TaskState
from agentnb.a2a import tasks as task_module
from agentnb.a2a.card import card_from_wire
from tests.a2a.test_wire import BASE, V03_CARD, V10_CARD, peer, rpc, sse, sse_body

# --------------------------------------------------------------------------- shapes


def v03_task(state: str, text: str | None = None, *, status_text: str | None = None) -> dict[str, Any]:
    task: dict[str, Any] = {"kind": "task", "id": "t1", "contextId": "c1", "status": {"state": state}}
    if text is not None:
        task["artifacts"] = [{"artifactId": "a1", "parts": [{"kind": "text", "text": text}]}]
    if status_text is not None:
        task["status"]["message"] = {
            "kind": "message",
            "messageId": "s",
            "role": "agent",
            "parts": [{"kind": "text", "text": status_text}],
        }
    return task


def v10_task(state: str, text: str | None = None, *, status_text: str | None = None) -> dict[str, Any]:
    task: dict[str, Any] = {"id": "t1", "contextId": "c1", "status": {"state": f"TASK_STATE_{state.upper()}"}}
    if text is not None:
        task["artifacts"] = [{"artifactId": "a1", "parts": [{"text": text}]}]
    if status_text is not None:
        task["status"]["message"] = {"messageId": "s", "role": "ROLE_AGENT", "parts": [{"text": status_text}]}
    return task


def v03_chunk(text: str, *, append: bool, last: bool = False, artifact_id: str = "a1") -> dict[str, Any]:
    return rpc(
        {
            "kind": "artifact-update",
            "taskId": "t1",
            "contextId": "c1",
            "append": append,
            "lastChunk": last,
            "artifact": {"artifactId": artifact_id, "parts": [{"kind": "text", "text": text}]},
        }
    )


def v10_chunk(text: str, *, append: bool, last: bool = False, artifact_id: str = "a1") -> dict[str, Any]:
    update: dict[str, Any] = {
        "taskId": "t1",
        "contextId": "c1",
        "artifact": {"artifactId": artifact_id, "parts": [{"text": text}]},
    }
    # v1.0 proto-JSON omits false booleans.
    if append:
        update["append"] = True
    if last:
        update["lastChunk"] = True
    return rpc({"artifactUpdate": update})


def v03_done() -> dict[str, Any]:
    return rpc(
        {
            "kind": "status-update",
            "taskId": "t1",
            "contextId": "c1",
            "final": True,
            "status": {"state": "completed"},
        }
    )


def v10_done() -> dict[str, Any]:
    return rpc(
        {"statusUpdate": {"taskId": "t1", "contextId": "c1", "status": {"state": "TASK_STATE_COMPLETED"}}}
    )


SHAPES = {
    "v0.3": (V03_CARD, v03_task, v03_chunk, v03_done, "message/send", "tasks/get"),
    "v1.0": (V10_CARD, v10_task, v10_chunk, v10_done, "SendMessage", "GetTask"),
}


def wrap(version: str, task: dict[str, Any]) -> dict[str, Any]:
    return rpc(task if version == "v0.3" else {"task": task})


@pytest.fixture
def quick_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    """Poll without the real 0.2 s waits: the backoff's values are tested on their own below."""
    monkeypatch.setattr(task_module, "POLL_FIRST_S", 0.001)
    monkeypatch.setattr(task_module, "POLL_MAX_S", 0.001)


# --------------------------------------------------------------------------- blocking send, early answer


@pytest.mark.parametrize("version", SHAPES)
@pytest.mark.usefixtures("quick_polls")
async def test_a_blocking_send_answered_early_polls_until_the_task_ends(version: str) -> None:
    card, task, _, _, send_method, get_method = SHAPES[version]
    states = iter(["working", "working", "completed"])

    def serve(request: httpx.Request) -> httpx.Response:
        method = json.loads(request.content)["method"]
        if method == send_method:
            return httpx.Response(200, json=wrap(version, task("submitted")))
        state = next(states)
        return httpx.Response(200, json=wrap(version, task(state, "done" if state == "completed" else None)))

    client, seen = peer(card, serve)
    result = await client.send_message("slow please")
    assert result.status == "completed" and result.content == "done" and result.task_id == "t1"
    methods = [json.loads(r.content)["method"] for r in seen]
    assert methods == [send_method, get_method, get_method, get_method]
    assert all(json.loads(r.content)["params"]["id"] == "t1" for r in seen[1:])


@pytest.mark.parametrize("version", SHAPES)
@pytest.mark.usefixtures("quick_polls")
async def test_polling_stops_at_an_interrupted_state(version: str) -> None:
    card, task, _, _, send_method, _ = SHAPES[version]

    def serve(request: httpx.Request) -> httpx.Response:
        if json.loads(request.content)["method"] == send_method:
            return httpx.Response(200, json=wrap(version, task("working")))
        return httpx.Response(200, json=wrap(version, task("input_required", status_text="Your name?")))

    client, seen = peer(card, serve)
    result = await client.send_message("hi")
    assert result.state is TaskState.input_required and result.prompt == "Your name?" and len(seen) == 2


@pytest.mark.parametrize("version", SHAPES)
async def test_blocking_false_keeps_its_meaning(version: str) -> None:
    card, task, _, _, _, _ = SHAPES[version]
    client, seen = peer(card, lambda r: httpx.Response(200, json=wrap(version, task("submitted"))))
    result = await client.send_message("slow please", blocking=False)
    assert result.status == "submitted" and len(seen) == 1  # answered as is, never polled
    configuration = json.loads(seen[0].content)["params"]["configuration"]
    assert configuration.get("blocking") is False or configuration.get("returnImmediately") is True


async def test_polling_is_bounded_by_the_client_timeout() -> None:
    card, task, *_ = SHAPES["v1.0"]
    client, seen = peer(card, lambda r: httpx.Response(200, json=wrap("v1.0", task("working"))), timeout=0.5)
    result = await client.send_message("never ends")
    # The task as last seen (its id kept for a later poll or resubscribe), not an exception.
    assert result.status == "working" and result.task_id == "t1"
    # Waits of 0.2 s then 0.4 s fit in 0.5 s: at most three asks after the send.
    assert 2 <= len(seen) <= 4


async def test_the_backoff_doubles_from_a_fifth_of_a_second_to_two_seconds() -> None:
    waits: list[float] = []
    answers = iter([*["working"] * 7, "completed"])

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    async def fetch(_: TaskResult) -> TaskResult:
        return TaskResult(task_id="t1", status=next(answers))

    result = await task_module.settle(TaskResult(task_id="t1", status="submitted"), fetch, 600, sleep=sleep)
    assert result.status == "completed"
    assert waits == pytest.approx([0.2, 0.4, 0.8, 1.6, 2.0, 2.0, 2.0, 2.0])
    # A finished or id-less answer is returned as it is.
    assert (await task_module.settle(TaskResult(status="working"), fetch, 600, sleep=sleep)).task_id == ""


# --------------------------------------------------------------------------- artifacts


@pytest.mark.parametrize("version", SHAPES)
async def test_append_false_for_a_known_artifact_replaces_it(version: str) -> None:
    card, _, chunk, done, _, _ = SHAPES[version]
    events = [
        chunk("Draft ", append=False),
        chunk("answer", append=True),
        chunk("Final answer", append=False, last=True),
        done(),
    ]
    client, _ = peer(card, lambda r: sse(sse_body(*events)))
    stream = client.stream_message("hi")
    contents = [e.content async for e in stream if e.event_type == "content"]
    assert contents == ["Draft ", "answer", "Final answer"]
    assert stream.result.content == "Final answer" and len(stream.result.artifacts) == 1
    assert [p.text for p in stream.result.artifacts[0].parts] == ["Final answer"]


@pytest.mark.parametrize("version", SHAPES)
@pytest.mark.parametrize("resend", ["append", "replace", "new id"])
async def test_a_final_artifact_resent_whole_is_not_doubled(version: str, resend: str) -> None:
    card, _, chunk, done, _, _ = SHAPES[version]
    whole = {
        "append": chunk("Hello, world", append=True, last=True),
        "replace": chunk("Hello, world", append=False, last=True),
        "new id": chunk("Hello, world", append=False, last=True, artifact_id="a2"),
    }[resend]
    events = [
        chunk("Hello", append=False),
        chunk(", ", append=True),
        chunk("world", append=True),
        whole,
        done(),
    ]
    client, _ = peer(card, lambda r: sse(sse_body(*events)))
    stream = client.stream_message("hi")
    result = await stream.get_final_result()
    assert result.content == "Hello, world" and result.is_completed


@pytest.mark.parametrize("version", SHAPES)
async def test_a_repeated_single_chunk_is_kept(version: str) -> None:
    # "ha" + "ha" may be meant: only a last chunk repeating two or more chunks is a re-send.
    card, _, chunk, done, _, _ = SHAPES[version]
    events = [chunk("ha", append=False), chunk("ha", append=True, last=True), done()]
    client, _ = peer(card, lambda r: sse(sse_body(*events)))
    assert (await client.stream_message("laugh").get_final_result()).content == "haha"


async def test_a_final_agent_message_repeating_the_streamed_chunks_is_not_doubled() -> None:
    def message(text: str) -> dict[str, Any]:
        return rpc(
            {"kind": "message", "messageId": text, "role": "agent", "parts": [{"kind": "text", "text": text}]}
        )

    events = [message("Hel"), message("lo"), message("Hello")]
    client, _ = peer(V03_CARD, lambda r: sse(sse_body(*events)))
    stream = client.stream_message("hi")
    got = [e async for e in stream]
    # Each message outside a task is a finished answer: the stream ends at the first one.
    assert got[0].is_final and stream.result.content == "Hel"
    from agentnb.a2a.tasks import TaskAssembler
    from agentnb.a2a.v03_objects import decode_item

    assembler = TaskAssembler()
    for event in events:
        assembler.absorb(decode_item(event["result"]))
    assert assembler.content == "Hello"


# --------------------------------------------------------------------------- status messages


@pytest.mark.parametrize("version", SHAPES)
async def test_a_status_message_with_text_and_no_artifacts_is_the_answer(version: str) -> None:
    card, task, *_ = SHAPES[version]
    answer = wrap(version, task("completed", status_text="The answer is 42."))
    client, _ = peer(card, lambda r: httpx.Response(200, json=answer))
    result = await client.send_message("question")
    assert result.content == "The answer is 42." and result.is_completed and result.artifacts == []


@pytest.mark.parametrize("version", SHAPES)
async def test_a_streamed_final_status_message_is_the_answer(version: str) -> None:
    card, *_ = SHAPES[version]
    if version == "v0.3":
        final = rpc(
            {
                "kind": "status-update",
                "taskId": "t1",
                "contextId": "c1",
                "final": True,
                "status": v03_task("completed", status_text="Streamed answer")["status"],
            }
        )
    else:
        status = v10_task("completed", status_text="Streamed answer")["status"]
        final = rpc({"statusUpdate": {"taskId": "t1", "contextId": "c1", "status": status}})
    client, _ = peer(card, lambda r: sse(sse_body(final)))
    stream = client.stream_message("question")
    events = [e async for e in stream]
    assert events[-1].is_final and events[-1].content == "Streamed answer"
    assert stream.result.content == "Streamed answer"


# --------------------------------------------------------------------------- cards


@pytest.mark.parametrize(
    "card",
    [
        {"name": "no url", "protocolVersion": "0.3.0", "capabilities": {"streaming": True}},
        {"name": "no capabilities", "url": f"{BASE}/", "protocolVersion": "0.3.0"},
        {
            "name": "v1 no capabilities",
            "supportedInterfaces": [{"url": f"{BASE}/", "protocolBinding": "JSONRPC"}],
        },
        {
            "name": "unknown fields",
            "protocolVersion": "0.3.0",
            "capabilities": None,
            "iconUrl": {"not": "a string"},
            "x-vendor": [1, 2, 3],
            "defaultInputModes": "text/plain",
            "skills": ["not a skill", {"id": "s", "name": "Real skill"}],
        },
    ],
    ids=lambda c: c["name"],
)
async def test_loose_cards_decode_and_the_client_talks_to_where_the_card_was(card: dict[str, Any]) -> None:
    done = (
        rpc(v03_task("completed", "ok"))
        if "supportedInterfaces" not in card
        else rpc({"task": v10_task("completed", "ok")})
    )
    client, seen = peer(card, lambda r: httpx.Response(200, json=done), protocol="json-rpc")
    decoded = await client.aget_agent_card()
    assert decoded is not None and decoded.name == card["name"]
    assert decoded.url.rstrip("/") == BASE  # a card without url: where it was fetched from
    assert isinstance(decoded.capabilities, dict) and decoded.supports_streaming is ("streaming" in str(card))
    assert decoded.raw == card  # unknown fields kept as received
    assert all(isinstance(m, str) for m in decoded.default_input_modes)
    assert (await client.send_message("hi")).content == "ok"
    assert str(seen[0].url).rstrip("/") == BASE


def test_a_card_without_url_falls_back_to_the_url_it_was_fetched_from() -> None:
    legacy = card_from_wire({"name": "x"}, "http://agent.test/a/b/.well-known/agent.json")
    assert legacy.url == "http://agent.test/a/b" and legacy.interfaces == []
    elsewhere = card_from_wire({"name": "x"}, "http://agent.test/cards/x.json")
    assert elsewhere.url == "http://agent.test/cards/x.json"
    skills = card_from_wire({"skills": ["junk", {"name": "ok"}], "defaultOutputModes": "text/plain"}, "u")
    assert skills.skills == [{"name": "ok"}] and skills.default_output_modes == ["text/plain"]


# --------------------------------------------------------------------------- errors


EXTENDED_CARD = {**V10_CARD, "capabilities": {"extendedAgentCard": True}}
V03_EXTENDED_CARD = {**V03_CARD, "supportsAuthenticatedExtendedCard": True}


@pytest.mark.parametrize(
    ("card", "error"),
    [
        (
            EXTENDED_CARD,
            {
                "code": -32603,
                "message": "Unauthenticated",
                "data": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "UNAUTHENTICATED"}],
            },
        ),
        (V03_EXTENDED_CARD, {"code": 401, "message": "Bearer token required"}),
        (V03_EXTENDED_CARD, {"code": -32000, "message": "denied", "data": {"httpStatus": 401}}),
        (EXTENDED_CARD, {"code": -32600, "message": "x", "status": "PERMISSION_DENIED"}),
    ],
)
async def test_an_unauthenticated_json_rpc_error_is_an_authentication_error(
    card: dict[str, Any], error: dict[str, Any]
) -> None:
    client, seen = peer(
        card,
        lambda r: httpx.Response(200, json={"jsonrpc": "2.0", "id": "1", "error": error}),
        auth_token="s3cret",
    )
    with pytest.raises(AuthenticationError) as info:
        await client.aget_extended_agent_card()
    refusal = info.value
    assert isinstance(refusal, A2AError) and refusal.status_code in (401, 403)
    assert refusal.reason in ("UNAUTHENTICATED", "PERMISSION_DENIED")
    assert (
        "JSON-RPC error" in str(refusal) and "value hidden" in str(refusal) and "s3cret" not in str(refusal)
    )
    assert refusal.response.status_code == 200 and client.extended_card is None and len(seen) == 1


async def test_other_json_rpc_errors_stay_a2a_errors_with_the_spec_reason() -> None:
    errors = {
        -32001: "TASK_NOT_FOUND",
        -32002: "TASK_NOT_CANCELABLE",
        -32003: "PUSH_NOTIFICATION_NOT_SUPPORTED",
        -32004: "UNSUPPORTED_OPERATION",
        -32005: "CONTENT_TYPE_NOT_SUPPORTED",
        -32006: "INVALID_AGENT_RESPONSE",
        -32007: "EXTENDED_AGENT_CARD_NOT_CONFIGURED",
        -32008: "EXTENSION_SUPPORT_REQUIRED",
        -32009: "VERSION_NOT_SUPPORTED",
    }
    for code, reason in errors.items():
        answer = {"jsonrpc": "2.0", "id": "1", "error": {"code": code, "message": "no"}}  # v0.3: no data
        client, _ = peer(V03_CARD, lambda r, a=answer: httpx.Response(200, json=a))
        with pytest.raises(A2AError) as info:
            await client.aget_task("t1")
        assert not isinstance(info.value, AuthenticationError)
        assert (info.value.code, info.value.reason) == (code, reason)


@pytest.mark.parametrize(
    ("card", "send_path", "get_path"),
    [(V10_CARD, "/message:send", "/tasks/t1"), (V03_CARD, "/v1/message:send", "/v1/tasks/t1")],
    ids=["v1.0-rest", "v0.3-rest"],
)
@pytest.mark.usefixtures("quick_polls")
async def test_polling_over_rest(card: dict[str, Any], send_path: str, get_path: str) -> None:
    states = iter(["working", "completed"])

    def serve(request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and request.url.path == send_path:
            return httpx.Response(200, json={"task": v10_task("submitted")})
        assert (request.method, request.url.path) == ("GET", get_path)
        state = next(states)
        # GET answers the bare Task (proto-JSON) in both versions; a send wraps it in {"task": ...}.
        return httpx.Response(200, json=v10_task(state, "done" if state == "completed" else None))

    client, seen = peer(card, serve, protocol="rest")
    result = await client.send_message("slow please")
    assert result.status == "completed" and result.content == "done" and len(seen) == 3


@pytest.mark.parametrize("card", [V03_CARD, V10_CARD], ids=["v0.3", "v1.0"])
@pytest.mark.parametrize("as_sse", [True, False], ids=["in an SSE frame", "as a plain JSON body"])
async def test_a_stream_refused_inside_a_json_rpc_error_is_an_authentication_error(
    card: dict[str, Any], as_sse: bool
) -> None:
    answer = {"jsonrpc": "2.0", "id": "1", "error": {"code": -32600, "message": "Unauthenticated",
                                                     "data": {"reason": "UNAUTHENTICATED"}}}  # fmt: skip

    def handler(request: httpx.Request) -> httpx.Response:
        return sse(sse_body(answer)) if as_sse else httpx.Response(200, json=answer)

    client, seen = peer(card, handler)
    with pytest.raises(AuthenticationError) as info:
        async with client.stream_message("hello") as stream:
            async for _ in stream:
                pass
    refusal = info.value
    assert isinstance(refusal, A2AError) and refusal.status_code == 401 and refusal.reason == "UNAUTHENTICATED"
    assert "No Authorization header was sent" in str(refusal) and len(seen) == 1
