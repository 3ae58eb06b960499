"""RemoteAgent against a real Agno AgentOS (scripted offline model), every method end to end."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from agentnb import (
    AuthenticationError,
    File,
    Image,
    NotFoundError,
    RemoteAgent,
    RequestValidationError,
    RunCancelled,
    RunCompleted,
    RunContent,
    RunContinued,
    RunError,
    RunPaused,
    RunStarted,
    RunStatus,
    ToolCallCompleted,
    ToolCallStarted,
    UnresolvedToolsError,
)
from tests.conftest import SECURITY_KEY
from tests.peers.agentos import AgentOSPeer

pytestmark = pytest.mark.peer

ANSWER = "Hello! You said: {}. This is a deterministic streamed answer."


def sid() -> str:
    return f"it-{uuid.uuid4().hex[:10]}"


def remote(peer: AgentOSPeer, agent_id: str = "assistant", **kwargs: Any) -> RemoteAgent:
    return RemoteAgent(peer.base_url, agent_id=agent_id, **kwargs)


class SentSignal(httpx.AsyncBaseTransport):
    """A real HTTP transport that sets ``sent`` once a run request's body has gone out to the server."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.sent = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and request.url.path.endswith("/runs"):
            request.stream = _Announcing(request.stream, self.sent)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


class _Announcing(httpx.AsyncByteStream):
    def __init__(self, body: Any, sent: asyncio.Event) -> None:
        self.body, self.sent = body, sent

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self.body:
            yield chunk
        self.sent.set()  # httpcore asks for more only after writing the last chunk


async def stream_all(stream: Any) -> list[Any]:
    events = []
    async with stream:
        async for event in stream:
            events.append(event)
    return events


# --------------------------------------------------------------------------- runs


async def test_non_stream_run(agentos: AgentOSPeer) -> None:
    out = await remote(agentos).arun("Hello there", session_id=sid(), user_id="u1")
    assert out.status is RunStatus.completed and out.content == ANSWER.format("Hello there")
    assert out.run_id and out.agent_id == "assistant" and out.metrics and out.metrics["output_tokens"] == 11


async def test_stream_run_yields_typed_events_in_order(agentos: AgentOSPeer) -> None:
    stream = remote(agentos).arun("Hello stream", stream=True, session_id=sid())
    events = await stream_all(stream)
    kinds = [type(e) for e in events]
    assert kinds[0] is RunStarted and kinds[-1] is RunCompleted
    deltas = [e.content for e in events if isinstance(e, RunContent)]
    assert len(deltas) >= 4 and "".join(deltas) == ANSWER.format("Hello stream")
    assert stream.output.content == ANSWER.format("Hello stream") and stream.output.is_completed
    assert stream.output.model == "scripted-v1" and stream.output.run_id == events[0].run_id


async def test_text_stream_helper(agentos: AgentOSPeer) -> None:
    async with remote(agentos).arun("Hi", stream=True) as stream:
        text = "".join([piece async for piece in stream.text_stream()])
    assert text == ANSWER.format("Hi") == stream.output.content


async def test_multi_turn_keeps_the_session(agentos: AgentOSPeer) -> None:
    session = sid()
    agent = remote(agentos)
    first = await agent.arun("first message", session_id=session)
    second = await agent.arun("second message", session_id=session)
    assert first.session_id == second.session_id == session
    runs = await agent.aget_session_runs(session)
    assert [r.run_id for r in runs] == [first.run_id, second.run_id]


async def test_tool_call_events_and_output_tools(agentos: AgentOSPeer) -> None:
    stream = remote(agentos).arun("what is the weather", stream=True)
    events = await stream_all(stream)
    started = [e for e in events if isinstance(e, ToolCallStarted)]
    done = [e for e in events if isinstance(e, ToolCallCompleted)]
    assert started[0].tool and started[0].tool.tool_name == "get_weather"
    assert done[0].tool and done[0].tool.result == "It is 21C and sunny in Berlin."
    assert stream.output.tools and stream.output.tools[0].result == "It is 21C and sunny in Berlin."
    assert "It is 21C and sunny in Berlin." in stream.output.text


async def test_structured_input_and_media_are_accepted(agentos: AgentOSPeer) -> None:
    out = await remote(agentos).arun(
        {"question": "hello"},
        images=[Image(content=b"\x89PNG\r\n\x1a\n", mime_type="image/png")],
        files=[File(content=b"a,b\n1,2\n", mime_type="text/csv", filename="t.csv")],
        metadata={"source": "test"},
        session_state={"n": 1},
    )
    assert out.is_completed and '{"question": "hello"}' in out.text


async def test_model_failure_is_an_error_status_not_an_exception(agentos: AgentOSPeer) -> None:
    agent = remote(agentos)
    out = await agent.arun("please fail")
    assert out.status is RunStatus.error and "exploded on purpose" in out.text
    stream = agent.arun("please fail", stream=True)
    events = await stream_all(stream)
    assert isinstance(events[-1], RunError) and events[-1].error_type == "RuntimeError"
    assert stream.output.is_error and stream.output.error_type == "RuntimeError"


def test_sync_twins_without_a_running_loop(agentos: AgentOSPeer) -> None:
    agent = remote(agentos)
    assert agent.run("sync hello").content == ANSWER.format("sync hello")
    events = list(agent.run("sync stream", stream=True))
    assert isinstance(events[-1], RunCompleted) and events[-1].content == ANSWER.format("sync stream")
    assert agent.agent_config().name == "Assistant"
    # a second and third event loop in the same process keep working (agno's global client does not)
    assert asyncio.run(agent.arun("again")).is_completed
    assert asyncio.run(agent.arun("and again")).is_completed


async def test_sync_twins_inside_a_running_loop(agentos: AgentOSPeer) -> None:
    agent = remote(agentos)
    assert agent.run("in loop").content == ANSWER.format("in loop")
    events = list(agent.run("in loop stream", stream=True))
    assert isinstance(events[-1], RunCompleted)


# --------------------------------------------------------------------------- human in the loop


async def test_confirmation_approved_non_stream(agentos: AgentOSPeer) -> None:
    agent = remote(agentos, "confirm-agent")
    paused = await agent.arun("please delete the file", session_id=sid())
    assert paused.is_paused and [t.tool_name for t in paused.tools_requiring_confirmation] == ["delete_file"]
    paused.active_requirements[0].confirm()
    done = await agent.acontinue_run(paused.run_id, requirements=paused.requirements)  # type: ignore[arg-type]
    assert done.is_completed and done.run_id == paused.run_id
    assert "Deleted /tmp/important.txt" in done.text


async def test_confirmation_rejected_streamed_seed_style(agentos: AgentOSPeer) -> None:
    agent = remote(agentos, "confirm-agent")
    stream = agent.arun("please delete the file", stream=True, session_id=sid())
    events = await stream_all(stream)
    assert isinstance(events[-1], RunPaused)
    paused = stream.output
    tool = paused.tools[0]  # type: ignore[index]
    tool.reject("not today")
    # the seed documents acontinue_run(run_id, updated_tools=[ToolExecution]); agno's code 500s on it
    cont = agent.acontinue_run(paused.run_id, updated_tools=[tool], stream=True)  # type: ignore[arg-type]
    cont_events = await stream_all(cont)
    assert isinstance(cont_events[0], RunContinued) and isinstance(cont_events[-1], RunCompleted)
    assert "not today" in cont.output.text and cont.output.is_completed


async def test_two_tools_one_approved_one_rejected(agentos: AgentOSPeer) -> None:
    agent = remote(agentos, "confirm-agent")
    paused = await agent.arun("delete two files", session_id=sid())
    assert len(paused.active_requirements) == 2
    first, second = paused.active_requirements
    first.confirm()
    with pytest.raises(UnresolvedToolsError, match="needs confirm"):
        await agent.acontinue_run(paused)
    second.reject()
    done = await agent.acontinue_run(paused)
    assert done.is_completed
    assert "Deleted /tmp/important.txt" in done.text and "rejected" in done.text


async def test_user_input_pause_and_continue(agentos: AgentOSPeer) -> None:
    agent = remote(agentos, "input-agent")
    paused = await agent.arun("send an email", session_id=sid())
    requirement = paused.active_requirements[0]
    assert requirement.needs_user_input and requirement.user_input_schema
    fields = {f.name: f.value for f in requirement.user_input_schema}
    assert fields == {"to": None, "subject": "Hello", "body": "Hi from agno"}
    requirement.provide_user_input({"to": "ada@example.com"})
    done = await agent.acontinue_run(paused)
    assert done.is_completed and "ada@example.com" in done.text


async def test_external_execution_pause_and_streamed_continue(agentos: AgentOSPeer) -> None:
    agent = remote(agentos, "external-agent")
    paused = await agent.arun("run the shell command", session_id=sid())
    requirement = paused.active_requirements[0]
    assert requirement.needs_external_execution and requirement.tool_execution.tool_args == {"command": "ls"}
    requirement.set_external_execution_result("notes.txt report.pdf")
    cont = agent.acontinue_run(paused, stream=True)
    events = await stream_all(cont)
    assert isinstance(events[-1], RunCompleted) and "notes.txt report.pdf" in cont.output.text


def test_sync_continue(agentos: AgentOSPeer) -> None:
    agent = remote(agentos, "confirm-agent")
    paused = agent.run("please delete", session_id=sid())
    paused.tools[0].confirm()
    assert agent.continue_run(paused).is_completed


async def test_continue_of_an_unknown_run_names_it(agentos: AgentOSPeer) -> None:
    agent = remote(agentos, "confirm-agent")
    from agentnb import ToolExecution

    tool = ToolExecution(
        tool_call_id="call_x", tool_name="delete_file", requires_confirmation=True, confirmed=True
    )
    with pytest.raises(NotFoundError, match="No runs found for run ID nonexistent-run") as info:
        await agent.acontinue_run("nonexistent-run", [tool], session_id=sid())
    assert "run 'nonexistent-run'" in str(info.value)


# --------------------------------------------------------------------------- cancel and disconnect


async def test_cancel_mid_stream_first_terminal_wins(agentos: AgentOSPeer) -> None:
    agent = remote(agentos)
    stream = agent.arun("go slow please", stream=True, session_id=sid())
    events = []
    async with stream:
        async for event in stream:
            events.append(event)
            if isinstance(event, RunContent) and event.content == "tick2 ":
                assert await agent.cancel_run(stream.run_id) is True  # type: ignore[arg-type]
    assert isinstance(events[-1], RunCancelled)
    assert not any(isinstance(e, RunCompleted) for e in events)  # AgentOS sends one after; not yielded
    assert any(isinstance(e, RunCompleted) for e in stream.trailing_events)
    assert stream.output.is_cancelled and stream.output.text.startswith("tick0 tick1 tick2 ")
    assert await agent.cancel_run(stream.run_id) is False  # type: ignore[arg-type]  # it has ended


async def test_cancel_a_non_streamed_run_by_choosing_its_run_id(agentos: AgentOSPeer) -> None:
    transport = SentSignal()
    agent = remote(agentos, transport=transport)
    run_id = f"client-{uuid.uuid4().hex[:8]}"
    task = asyncio.ensure_future(agent.arun("slow non-stream", run_id=run_id))
    # No stream to watch and nothing stored before the run ends: wait until the whole request is on
    # the wire. A cancel that reaches agno before it registers the run is kept and applied at start.
    await asyncio.wait_for(transport.sent.wait(), 30)
    assert agent.cancel(run_id) is True
    out = await task
    assert out.status is RunStatus.cancelled


async def test_leaving_a_stream_early_disconnects_and_the_server_cancels(agentos: AgentOSPeer) -> None:
    agent = remote(agentos)
    session = sid()
    async with agent.arun("slow and steady", stream=True, session_id=session) as stream:
        async for event in stream:
            if isinstance(event, RunContent):
                break
    run_id = stream.run_id
    assert stream.output.interrupted
    status = None
    for _ in range(60):
        runs = []
        with contextlib.suppress(NotFoundError):  # stored only once the run ends
            runs = await agent.aget_session_runs(session)
        if runs:
            status = runs[0].status
            break
        await asyncio.sleep(0.1)
    assert runs and runs[0].run_id == run_id and status is RunStatus.cancelled


async def test_cancel_on_an_unknown_agent_raises(agentos: AgentOSPeer) -> None:
    with pytest.raises(NotFoundError, match="Agent not found"):
        await remote(agentos, "no-such-agent", prefetch_config=False).cancel_run("r1")


# --------------------------------------------------------------------------- config, agents, sessions


async def test_config_and_properties(agentos: AgentOSPeer) -> None:
    agent = remote(agentos)
    config = await agent.get_agent_config()
    assert (config.id, config.name, config.role) == ("assistant", "Assistant", "General assistant")
    assert agent.name == "Assistant" and agent.role == "General assistant" and agent.description
    assert agent.tools and agent.tools[0]["name"] == "get_weather"
    assert agent.db is not None and agent.db.id == config.db_id
    assert agent.knowledge is None and agent.model is None
    assert await agent.aget_tools() == agent.tools
    assert (await agent.refresh_config()).name == "Assistant"


async def test_unknown_agent_is_a_not_found_error_naming_agent_and_url(agentos: AgentOSPeer) -> None:
    agent = remote(agentos, "ghost", prefetch_config=False)
    with pytest.raises(NotFoundError) as info:
        await agent.arun("hi")
    assert "agent 'ghost'" in str(info.value) and f"{agentos.base_url}/agents/ghost/runs" in str(info.value)
    with pytest.raises(NotFoundError):
        async with agent.arun("hi", stream=True) as stream:
            async for _ in stream:
                pass
    assert agent.name == "ghost"  # the fallback; the fetch runs in the background
    for _ in range(100):
        if agent.config_error is not None:
            break
        await asyncio.sleep(0.05)
    assert isinstance(agent.config_error, NotFoundError) and agent.name == "ghost"


async def test_list_agents_and_os_config(agentos: AgentOSPeer) -> None:
    agent = remote(agentos)
    ids = {a.id for a in await agent.alist_agents()}
    assert {"assistant", "confirm-agent", "input-agent", "external-agent"} <= ids
    config = await agent.aget_os_config()
    assert {a.id for a in config.agents} == ids


async def test_sessions_list_page_get_rename_delete(agentos: AgentOSPeer) -> None:
    agent = remote(agentos)
    user = f"user-{uuid.uuid4().hex[:6]}"
    sessions = [sid() for _ in range(3)]
    outputs = [await agent.arun(f"message {i}", session_id=s, user_id=user) for i, s in enumerate(sessions)]
    page = await agent.alist_sessions(user_id=user, limit=2)
    assert page.meta.total_count == 3 and page.meta.total_pages == 2 and len(page.data) == 2
    every = [s.session_id async for s in agent.aiter_sessions(user_id=user, page_size=1)]
    assert sorted(every) == sorted(sessions)
    detail = await agent.aget_session(sessions[0], user_id=user)
    assert detail.session_id == sessions[0] and detail.agent_id == "assistant"
    renamed = await agent.arename_session(sessions[0], "Renamed!", user_id=user)
    assert renamed.session_name == "Renamed!"
    stored = await agent.aget_run(outputs[1].run_id, sessions[1])  # type: ignore[arg-type]
    assert stored.content == outputs[1].content and stored.status is RunStatus.completed
    await agent.adelete_session(sessions[2], user_id=user)
    with pytest.raises(NotFoundError):
        await agent.aget_session(sessions[2], user_id=user)
    assert agent.list_sessions(user_id=user).meta.total_count == 2


async def test_run_lookup_needs_existing_session_and_reports_the_servers_words(agentos: AgentOSPeer) -> None:
    with pytest.raises(NotFoundError, match="Run not found"):
        await remote(agentos).aget_run("no-such-run", sid())


# --------------------------------------------------------------------------- auth


async def test_secured_server_without_token(agentos_secured: AgentOSPeer) -> None:
    agent = remote(agentos_secured, prefetch_config=False)
    with pytest.raises(AuthenticationError, match="No Authorization header was sent") as info:
        await agent.arun("hi")
    assert isinstance(info.value, httpx.HTTPStatusError) and info.value.status_code == 401
    with pytest.raises(AuthenticationError, match="Authorization header required"):
        async with agent.arun("hi", stream=True) as stream:
            async for _ in stream:
                pass


async def test_secured_server_default_token_reaches_config_sessions_and_runs(
    agentos_secured: AgentOSPeer,
) -> None:
    agent = remote(agentos_secured, auth_token=SECURITY_KEY)
    config = await agent.get_agent_config()
    assert config.name == "Assistant" and agent.name == "Assistant"
    session = sid()
    assert (await agent.arun("secure hi", session_id=session)).is_completed
    events = await stream_all(agent.arun("secure stream", stream=True))
    assert isinstance(events[-1], RunCompleted)
    assert any(s.session_id == session for s in (await agent.alist_sessions()).data)
    assert (await agent.aget_session(session)).session_id == session
    assert await agent.cancel_run("unknown-run") is True
    paused = await remote(agentos_secured, "confirm-agent", auth_token=SECURITY_KEY).arun("delete it")
    assert paused.is_paused


async def test_secured_server_wrong_token_hides_the_value(agentos_secured: AgentOSPeer) -> None:
    agent = remote(agentos_secured, prefetch_config=False)
    with pytest.raises(AuthenticationError) as info:
        await agent.arun("hi", auth_token="wrong-token-value")
    assert "Invalid authentication token" in str(info.value) and "value hidden" in str(info.value)
    assert "wrong-token-value" not in str(info.value)
    assert (await agent.arun("hi", auth_token=SECURITY_KEY)).is_completed


async def test_bad_request_detail_comes_through(agentos: AgentOSPeer) -> None:
    # AgentOS answers 400 for a metadata value that is not a JSON object; we refuse it earlier,
    # so send it raw through the low-level client to see the server's own detail carried along.
    client = remote(agentos).agentos_client
    with pytest.raises(RequestValidationError, match="expected a JSON object"):
        await client.create_run("assistant", {"message": "hi", "metadata": [1, 2]})


async def test_stream_without_run_events_still_assembles_the_answer(agentos: AgentOSPeer) -> None:
    # stream_events=False makes AgentOS drop RunStarted/RunCompleted: content frames only.
    stream = remote(agentos).arun("quiet stream", stream=True, stream_events=False, retries=1)
    events = await stream_all(stream)
    assert events and all(isinstance(e, RunContent) for e in events)
    assert stream.output.content == ANSWER.format("quiet stream") and stream.output.is_completed
