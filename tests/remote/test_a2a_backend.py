"""RemoteAgent(protocol="a2a") on real peers: the same runs and events as over AgentOS."""

from __future__ import annotations

import pytest

from agentnb import (
    ConfigurationError,
    RemoteAgent,
    RunCancelled,
    RunCompleted,
    RunContent,
    RunPaused,
    RunStarted,
    RunStatus,
)
from tests.peers.a2a_peers import A2APeer
from tests.peers.agentos import AgentOSPeer

pytestmark = pytest.mark.peer

PEERS = ["v03", "v1", "compat", "agno"]


@pytest.fixture(params=PEERS)
def a2a_url(request: pytest.FixtureRequest, a2a_peers: dict[str, A2APeer], agentos: AgentOSPeer) -> str:
    if request.param == "agno":
        return f"{agentos.base_url}/a2a/agents/assistant"
    return a2a_peers[request.param].base_url


async def test_arun_maps_a_completed_task_to_a_completed_run(a2a_url: str) -> None:
    agent = RemoteAgent(a2a_url, agent_id="assistant", protocol="a2a")
    out = await agent.arun("hello agent")
    # agno's RemoteAgent reports RUNNING here (rough edge 16)
    assert out.status is RunStatus.completed and "hello agent" in out.text
    assert out.run_id == out.a2a.task_id and out.session_id == out.a2a.context_id
    again = await agent.arun("and again", session_id=out.session_id)
    assert again.session_id == out.session_id


async def test_stream_yields_the_agentos_event_types(a2a_url: str) -> None:
    agent = RemoteAgent(a2a_url, agent_id="assistant", protocol="a2a")
    async with agent.arun("hello stream", stream=True) as stream:
        events = [event async for event in stream]
    assert isinstance(events[0], RunStarted) and isinstance(events[-1], RunCompleted)
    deltas = [e.content for e in events if isinstance(e, RunContent)]
    assert len(deltas) >= 4 and "".join(deltas) == stream.output.content == events[-1].content
    assert stream.output.is_completed and stream.run_id and stream.session_id


async def test_name_and_description_come_from_the_card(a2a_url: str) -> None:
    agent = RemoteAgent(a2a_url, agent_id="assistant", protocol="a2a")
    config = await agent.get_agent_config()
    card = await agent.a2a_client.aget_agent_card()  # type: ignore[union-attr]
    assert card is not None and config.name == card.name and agent.name == card.name
    assert agent.description == (card.description or "")


@pytest.mark.parametrize("peer", ["v03", "v1", "compat"])
async def test_continue_answers_an_input_required_task(peer: str, a2a_peers: dict[str, A2APeer]) -> None:
    agent = RemoteAgent(a2a_peers[peer].base_url, agent_id="x", protocol="a2a")
    paused = await agent.arun("input please")
    assert paused.is_paused and paused.text == "What is your name?"
    done = await agent.acontinue_run(paused, input="Grace")
    assert done.is_completed and done.run_id == paused.run_id and "Grace" in done.text
    stream = agent.arun("input please", stream=True)
    async with stream:
        events = [e async for e in stream]
    assert isinstance(events[-1], RunPaused) and stream.output.is_paused
    cont = agent.acontinue_run(stream.run_id, input="Alan", stream=True)  # type: ignore[arg-type]
    async with cont:
        tail = [e async for e in cont]
    assert isinstance(tail[-1], RunCompleted) and "Alan" in cont.output.text


async def test_cancel_run_cancels_the_task(a2a_url: str) -> None:
    agent = RemoteAgent(a2a_url, agent_id="assistant", protocol="a2a")
    stream = agent.arun("slow please", stream=True)
    async with stream:
        async for event in stream:
            if isinstance(event, RunContent):
                assert await agent.cancel_run(stream.run_id) is True  # type: ignore[arg-type]
    assert isinstance(stream.terminal, RunCancelled) and stream.output.is_cancelled
    assert await agent.cancel_run(stream.run_id) is False  # type: ignore[arg-type]


async def test_failed_task_is_an_error_run_with_its_reason(a2a_url: str) -> None:
    out = await RemoteAgent(a2a_url, agent_id="assistant", protocol="a2a").arun("please fail")
    assert out.is_error and out.text and out.error_type == "A2ATaskFailed"


async def test_agentos_only_features_are_refused_clearly(a2a_url: str) -> None:
    agent = RemoteAgent(a2a_url, agent_id="assistant", protocol="a2a", prefetch_config=False)
    with pytest.raises(ConfigurationError, match="session_state"):
        agent.arun("hi", session_state={"a": 1})
    with pytest.raises(ConfigurationError, match="AgentOS endpoint"):
        await agent.alist_sessions()
