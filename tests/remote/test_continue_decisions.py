"""agno's documented continue call: partial ToolExecutions merged into the paused tools they name,
for every pause kind, on the real AgentOS; a decision naming no paused tool is a clear error; a run
paused by another process (not in this agent's memory) is fetched from the server first."""

from __future__ import annotations

import pytest

from agentnb import ConfigurationError, RemoteAgent, ToolExecution, UnresolvedToolsError, UserInputField
from tests.peers.agentos import AgentOSPeer

pytestmark = pytest.mark.peer


def remote(peer: AgentOSPeer, agent_id: str) -> RemoteAgent:
    return RemoteAgent(peer.base_url, agent_id=agent_id, prefetch_config=False)


async def test_documented_external_execution_call_completes_the_run(agentos: AgentOSPeer) -> None:
    agent = remote(agentos, "external-agent")
    paused = await agent.arun("run ls please")
    assert paused.is_paused
    tid, sid = paused.tools[0].tool_call_id, paused.session_id  # type: ignore[index]
    out = await agent.acontinue_run(
        run_id=paused.run_id,
        updated_tools=[ToolExecution(tool_call_id=tid, result="total 0")],
        session_id=sid,
    )
    assert out.is_completed, out.status
    assert "total 0" in out.text


async def test_documented_confirmation_call_completes_the_run(agentos: AgentOSPeer) -> None:
    agent = remote(agentos, "confirm-agent")
    paused = await agent.arun("delete it")
    tid = paused.tools[0].tool_call_id  # type: ignore[index]
    out = await agent.acontinue_run(
        run_id=paused.run_id,
        updated_tools=[ToolExecution(tool_call_id=tid, confirmed=False)],
        session_id=paused.session_id,
    )
    assert out.is_completed and "rejected" in out.text.lower()


async def test_documented_user_input_call_completes_the_run(agentos: AgentOSPeer) -> None:
    agent = remote(agentos, "input-agent")
    paused = await agent.arun("send an email")
    assert paused.is_paused
    tid = paused.tools[0].tool_call_id  # type: ignore[index]
    answer = ToolExecution(
        tool_call_id=tid, user_input_schema=[UserInputField(name="to", value="ada@example.com")]
    )
    out = await agent.acontinue_run(
        run_id=paused.run_id, updated_tools=[answer], session_id=paused.session_id
    )
    assert out.is_completed, out.status
    assert "ada@example.com" in out.text


async def test_a_decision_for_no_paused_tool_names_the_known_ids(agentos: AgentOSPeer) -> None:
    agent = remote(agentos, "external-agent")
    paused = await agent.arun("run ls please")
    known = paused.tools[0].tool_call_id  # type: ignore[index]
    with pytest.raises(ConfigurationError, match="no paused tool has tool_call_id 'nope'") as error:
        await agent.acontinue_run(
            run_id=paused.run_id,
            updated_tools=[ToolExecution(tool_call_id="nope", result="x")],
            session_id=paused.session_id,
        )
    assert str(known) in str(error.value)
    # Nothing was sent: the run can still be continued properly.
    out = await agent.acontinue_run(
        paused, updated_tools=[ToolExecution(tool_call_id=known, result="total 0")]
    )
    assert out.is_completed


async def test_a_run_paused_by_another_process_is_fetched_from_the_server(agentos: AgentOSPeer) -> None:
    paused = await remote(agentos, "external-agent").arun("run ls please")
    tid = paused.tools[0].tool_call_id  # type: ignore[index]
    elsewhere = remote(agentos, "external-agent")  # knows nothing of the run
    out = await elsewhere.acontinue_run(
        run_id=paused.run_id,
        updated_tools=[ToolExecution(tool_call_id=tid, result="total 0")],
        session_id=paused.session_id,
    )
    assert out.is_completed, out.status


async def test_a_run_paused_elsewhere_still_refuses_an_undecided_tool(agentos: AgentOSPeer) -> None:
    paused = await remote(agentos, "confirm-agent").arun("delete it")
    elsewhere = remote(agentos, "confirm-agent")
    other = ToolExecution(tool_call_id=paused.tools[0].tool_call_id)  # type: ignore[index]
    with pytest.raises(UnresolvedToolsError, match="undecided"):
        async with elsewhere.acontinue_run(
            run_id=paused.run_id, updated_tools=[other], session_id=paused.session_id, stream=True
        ) as stream:
            async for _ in stream:
                pass
