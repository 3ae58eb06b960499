"""RemoteAgent's own behaviour: arguments, the wire form, auth, properties, continue and cancel."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
import respx
from pydantic import BaseModel

from agentnb import (
    ConfigurationError,
    Image,
    Message,
    NotFoundError,
    RemoteAgent,
    RemoteServerUnavailableError,
    RunAlreadyContinuedError,
    RunOutput,
    ToolExecution,
    UnresolvedToolsError,
)

BASE = "http://agentos.test"
CONFIG = {"id": "assistant", "name": "Assistant", "role": "helper", "description": "d", "db_id": "db1"}


def agent(**kwargs: Any) -> RemoteAgent:
    return RemoteAgent(BASE, agent_id="assistant", prefetch_config=False, **kwargs)


def form_of(request: httpx.Request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(request.content.decode(), keep_blank_values=True).items()}


def paused_output(*tools: dict[str, Any]) -> dict[str, Any]:
    return {"run_id": "r1", "session_id": "s1", "user_id": "u1", "status": "PAUSED", "tools": list(tools)}


CONFIRM = {
    "tool_call_id": "c1",
    "tool_name": "delete_file",
    "tool_args": {"path": "/x"},
    "requires_confirmation": True,
}
CONFIRM2 = {**CONFIRM, "tool_call_id": "c2", "tool_args": {"path": "/y"}}


# --------------------------------------------------------------------------- arguments


def test_constructor_follows_the_seed_and_refuses_bad_values() -> None:
    a = RemoteAgent(BASE, "assistant", "agentos", "rest", 12.0, 30.0)
    assert (a.id, a.protocol, a.a2a_protocol, a.timeout, a.config_ttl) == (
        "assistant",
        "agentos",
        "rest",
        12.0,
        30.0,
    )
    assert RemoteAgent(BASE, "assistant", 5.0).timeout == 5.0  # type: ignore[arg-type]  # agno's code order
    with pytest.raises(ConfigurationError, match="protocol"):
        RemoteAgent(BASE, "x", protocol="grpc")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="agent_id"):
        RemoteAgent(BASE, "")


def test_unknown_keyword_arguments_are_refused_before_anything_is_sent() -> None:
    with respx.mock(assert_all_called=False) as mock:
        route = mock.post(f"{BASE}/agents/assistant/runs")
        with pytest.raises(TypeError, match="updated_tools"):
            agent().arun("hi", updated_tools=[])  # type: ignore[call-overload]
    assert route.call_count == 0


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"session_state": "{}"}, "session_state must be a dict"),
        ({"metadata": [1]}, "metadata must be a dict"),
        ({"retries": "3"}, "retries must be a non-negative int"),
        ({"retries": -1}, "retries must be a non-negative int"),
        ({"stream_events": "yes"}, "stream_events must be True or False"),
        ({"session_id": 42}, "session_id must be a string"),
        ({"images": "cat.png"}, "expected a list of media"),
    ],
)
def test_bad_argument_types_are_clear_errors(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(ConfigurationError, match=match):
        agent().arun("hi", **kwargs)


async def test_form_encoding_matches_what_agentos_parses() -> None:
    with respx.mock:
        route = respx.post(f"{BASE}/agents/assistant/runs").respond(200, json={"status": "COMPLETED"})
        await agent().arun(
            {"question": "q"},
            user_id="u1",
            session_id="s1",
            session_state={"n": 1},
            metadata={"tag": "x"},
            add_history_to_context=True,
            stream_events=False,
            retries=2,
            images=[Image(content=b"\x89PNG", mime_type="image/png")],
        )
    form = form_of(route.calls.last.request)
    assert json.loads(form["message"]) == {"question": "q"}
    assert (
        form["stream"] == "false"
        and form["add_history_to_context"] == "true"
        and form["stream_events"] == "false"
    )
    assert json.loads(form["session_state"]) == {"n": 1} and json.loads(form["metadata"]) == {"tag": "x"}
    assert form["retries"] == "2" and form["user_id"] == "u1" and form["session_id"] == "s1"
    assert json.loads(form["images"]) == [{"mime_type": "image/png", "content": "iVBORw=="}]
    assert "knowledge_filters" not in form and "files" not in form


class Question(BaseModel):
    text: str


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("plain", "plain"),
        (Message(role="user", content="from a message"), "from a message"),
        (Question(text="q"), '{"text":"q"}'),
        ([Message(content="a"), Message(role="assistant", content="b")], None),
    ],
)
async def test_every_input_type_is_serialised(value: Any, expected: str | None) -> None:
    with respx.mock:
        route = respx.post(f"{BASE}/agents/assistant/runs").respond(200, json={"status": "COMPLETED"})
        await agent().arun(value)
    message = form_of(route.calls.last.request)["message"]
    if expected is None:
        assert json.loads(message) == [
            {"role": "user", "content": "a"},
            {"role": "assistant", "content": "b"},
        ]
    else:
        assert message == expected


# --------------------------------------------------------------------------- auth


async def test_default_and_per_call_tokens_reach_every_endpoint() -> None:
    a = agent(auth_token="default-token")
    with respx.mock:
        config = respx.get(f"{BASE}/agents/assistant").respond(200, json=CONFIG)
        sessions = respx.get(f"{BASE}/sessions").respond(200, json={"data": [], "meta": {}})
        run = respx.post(f"{BASE}/agents/assistant/runs").respond(200, json={"status": "COMPLETED"})
        cancel = respx.post(f"{BASE}/agents/assistant/runs/r9/cancel").respond(200, json={})
        await a.get_agent_config()
        await a.refresh_config()
        await a.alist_sessions()
        await a.arun("hi")
        await a.arun("hi", auth_token="per-call")
        await a.cancel_run("r9")
    assert config.calls.last.request.headers["authorization"] == "Bearer default-token"
    assert sessions.calls.last.request.headers["authorization"] == "Bearer default-token"
    assert [c.request.headers["authorization"] for c in run.calls] == [
        "Bearer default-token",
        "Bearer per-call",
    ]
    assert cancel.calls.last.request.headers["authorization"] == "Bearer default-token"


def test_tokens_never_appear_in_reprs() -> None:
    a = agent(auth_token="tok-123456")
    assert "tok-123456" not in repr(a) and "tok-123456" not in repr(a.agentos_client.http)
    assert "<hidden>" in repr(a.agentos_client.http)


# --------------------------------------------------------------------------- properties


class SlowConfigHandler(BaseHTTPRequestHandler):
    delay = 1.0

    def do_GET(self) -> None:
        time.sleep(self.delay)
        body = json.dumps({**CONFIG, "tools": {"tools": [{"name": "get_weather"}]}}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def slow_config_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), SlowConfigHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


async def test_properties_never_stall_a_running_loop(slow_config_server: str) -> None:
    # agno's .name blocks the loop for the whole request (1 s here): a heartbeat stalls with it.
    gaps: list[float] = []
    stop = asyncio.Event()

    async def heartbeat() -> None:
        last = time.perf_counter()
        while not stop.is_set():
            await asyncio.sleep(0.02)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    beat = asyncio.create_task(heartbeat())
    await asyncio.sleep(0.05)
    a = RemoteAgent(slow_config_server, agent_id="assistant")
    names = [a.name, a.description, a.role, a.tools, a.db]
    assert names == ["assistant", "", None, None, None]  # agno's fallbacks while loading
    assert not a.config_loaded
    for _ in range(100):
        if a.config_loaded:
            break
        await asyncio.sleep(0.05)
    stop.set()
    await beat
    assert a.config_loaded
    assert max(gaps) < 0.5, f"the loop stalled for {max(gaps):.2f} s"
    assert (a.name, a.role, a.tools, a.db and a.db.id) == (
        "Assistant",
        "helper",
        [{"name": "get_weather"}],
        "db1",
    )


def test_properties_fetch_synchronously_without_a_running_loop() -> None:
    with respx.mock:
        route = respx.get(f"{BASE}/agents/assistant").respond(200, json=CONFIG)
        a = agent(config_ttl=300.0)
        assert (a.name, a.description, a.role) == ("Assistant", "d", "helper")
        assert route.call_count == 1  # cached for config_ttl


def test_properties_fall_back_instead_of_raising() -> None:
    # agno's properties raise network errors (rough edge 2).
    with respx.mock:
        respx.get(f"{BASE}/agents/assistant").respond(404, json={"detail": "Agent not found"})
        a = agent()
        assert (a.name, a.description, a.tools, a.knowledge) == ("assistant", "", None, None)
    assert isinstance(a.config_error, NotFoundError)


def test_stale_config_is_refetched_after_the_ttl() -> None:
    with respx.mock:
        route = respx.get(f"{BASE}/agents/assistant")
        route.side_effect = [
            httpx.Response(200, json=CONFIG),
            httpx.Response(200, json={**CONFIG, "name": "New"}),
        ]
        a = agent(config_ttl=0.0)
        assert a.name == "Assistant"
        assert a.name == "New"


# --------------------------------------------------------------------------- continue


async def test_continue_refuses_undecided_tools_and_sends_nothing() -> None:
    with respx.mock(assert_all_called=False) as mock:
        mock.post(f"{BASE}/agents/assistant/runs").respond(200, json=paused_output(CONFIRM, CONFIRM2))
        route = mock.post(f"{BASE}/agents/assistant/runs/r1/continue")
        a = agent()
        paused = await a.arun("delete two")
        paused.tools[0].confirm()  # type: ignore[index]
        with pytest.raises(
            UnresolvedToolsError, match=r"delete_file \(c2\): needs confirm\(\) or reject\(\)"
        ) as info:
            await a.acontinue_run(paused.run_id, [paused.tools[0]])  # type: ignore[arg-type,index]
        with pytest.raises(UnresolvedToolsError):
            await a.acontinue_run("r1")
    assert [t.tool_call_id for t in info.value.pending] == ["c2"]
    assert route.call_count == 0


async def test_continue_supplies_session_and_user_from_the_paused_run() -> None:
    with respx.mock:
        respx.post(f"{BASE}/agents/assistant/runs").respond(200, json=paused_output(CONFIRM))
        route = respx.post(f"{BASE}/agents/assistant/runs/r1/continue").respond(
            200, json={"run_id": "r1", "status": "COMPLETED", "content": "done"}
        )
        a = agent()
        paused = await a.arun("delete")
        paused.requirements[0].confirm()  # type: ignore[index]
        out = await a.acontinue_run(paused.run_id, requirements=paused.requirements)  # type: ignore[arg-type]
    form = form_of(route.calls.last.request)
    assert out.content == "done" and form["session_id"] == "s1" and form["user_id"] == "u1"
    assert form["stream"] == "false"
    sent = json.loads(form["tools"])
    assert sent[0]["tool_call_id"] == "c1" and sent[0]["confirmed"] is True


async def test_continue_seed_style_with_tool_executions_and_no_history_needs_session_id() -> None:
    tool = ToolExecution(
        tool_call_id="c1", tool_name="delete_file", requires_confirmation=True, confirmed=False
    )
    with respx.mock:
        route = respx.post(f"{BASE}/agents/assistant/runs/r7/continue").respond(
            200, json={"status": "COMPLETED"}
        )
        # Not paused in this process: the agent asks the server for the run; this one has none.
        respx.get(f"{BASE}/agents/assistant/runs/r7").respond(404, json={"detail": "Run not found"})
        a = agent()
        with pytest.raises(ConfigurationError, match="needs its session_id"):
            await a.acontinue_run("r7", updated_tools=[tool])
        await a.acontinue_run("r7", updated_tools=[tool], session_id="s7")
    assert json.loads(form_of(route.calls.last.request)["tools"])[0]["confirmed"] is False


async def test_a_second_continue_of_the_same_run_is_refused() -> None:
    with respx.mock:
        respx.post(f"{BASE}/agents/assistant/runs").respond(200, json=paused_output(CONFIRM))
        route = respx.post(f"{BASE}/agents/assistant/runs/r1/continue").respond(
            200, json={"run_id": "r1", "status": "COMPLETED"}
        )
        a = agent()
        paused = await a.arun("delete")
        paused.tools[0].confirm()  # type: ignore[index]
        await a.acontinue_run(paused)
        with pytest.raises(RunAlreadyContinuedError):
            await a.acontinue_run(paused)
    assert route.call_count == 1


async def test_a_failed_continue_can_be_tried_again() -> None:
    with respx.mock:
        respx.post(f"{BASE}/agents/assistant/runs").respond(200, json=paused_output(CONFIRM))
        route = respx.post(f"{BASE}/agents/assistant/runs/r1/continue")
        route.side_effect = [
            httpx.Response(500, json={"detail": "boom"}),
            httpx.Response(200, json={"status": "COMPLETED"}),
        ]
        a = agent()
        paused = await a.arun("delete")
        paused.tools[0].confirm()  # type: ignore[index]
        with pytest.raises(httpx.HTTPStatusError):
            await a.acontinue_run(paused)
        assert (await a.acontinue_run(paused)).is_completed


# --------------------------------------------------------------------------- cancel


async def test_cancel_raises_on_refusal_instead_of_returning_false() -> None:
    # agno's acancel_run turns every failure into False (rough edge 7).
    with respx.mock:
        respx.post(f"{BASE}/agents/assistant/runs/r1/cancel").respond(404, json={"detail": "Agent not found"})
        with pytest.raises(NotFoundError, match="Agent not found"):
            await agent().cancel_run("r1")
    with pytest.raises(RemoteServerUnavailableError):
        await RemoteAgent("http://127.0.0.1:9", agent_id="a", prefetch_config=False).cancel_run("r1")


async def test_cancel_of_a_run_already_seen_ending_is_false_without_a_request() -> None:
    with respx.mock(assert_all_called=False) as mock:
        mock.post(f"{BASE}/agents/assistant/runs").respond(200, json={"run_id": "r1", "status": "COMPLETED"})
        route = mock.post(f"{BASE}/agents/assistant/runs/r1/cancel").respond(200, json={})
        a = agent()
        await a.arun("hi")
        assert await a.cancel_run("r1") is False
    assert route.call_count == 0


# --------------------------------------------------------------------------- sync twins


async def test_sync_twins_work_inside_a_running_loop() -> None:
    # A notebook cell runs inside the kernel's loop: asyncio.run() would fail there.
    with respx.mock:
        respx.post(f"{BASE}/agents/assistant/runs").respond(
            200, json={"status": "COMPLETED", "content": "ok"}
        )
        respx.get(f"{BASE}/agents/assistant").respond(200, json=CONFIG)
        respx.post(f"{BASE}/agents/assistant/runs/r5/cancel").respond(200, json={})
        a = agent()
        assert a.run("hi").content == "ok"
        assert a.agent_config().name == "Assistant"
        assert a.cancel("r5") is True


def test_paused_output_round_trips_through_continue_argument() -> None:
    paused = RunOutput.from_wire(paused_output(CONFIRM))
    assert paused.is_paused and [t.tool_call_id for t in paused.tools_requiring_confirmation] == ["c1"]
