"""``async with RemoteAgent(...)`` / ``aclose()`` close what the agent owns: the streams it opened."""

from __future__ import annotations

import pytest

from agentnb import RemoteAgent, RunContent
from tests.peers.agentos import AgentOSPeer

pytestmark = pytest.mark.peer


async def test_leaving_the_agent_closes_its_open_streams(agentos: AgentOSPeer) -> None:
    async with RemoteAgent(agentos.base_url, agent_id="assistant", prefetch_config=False) as agent:
        stream = agent.arun("slow please", stream=True)
        first = [e async for e in _first_content(stream)]
        untouched = agent.arun("never read", stream=True)  # not opened: nothing to close
    assert first and isinstance(first[0], RunContent)
    assert stream.output.interrupted and stream.output.text.startswith("tick0")
    assert [e async for e in stream] == []  # closed: iterating again yields nothing
    assert untouched.event_count == 0


async def test_an_agent_left_open_keeps_its_streams_and_others_are_untouched(agentos: AgentOSPeer) -> None:
    keeper = RemoteAgent(agentos.base_url, agent_id="assistant", prefetch_config=False)
    other = RemoteAgent(agentos.base_url, agent_id="assistant", prefetch_config=False)
    async with keeper.arun("hello there", stream=True) as stream:
        await other.aclose()  # closes only what *other* opened
        out = await stream.get_final_output()
    assert out.is_completed and "hello there" in out.text


async def _first_content(stream):  # type: ignore[no-untyped-def]
    async for event in stream:
        if isinstance(event, RunContent):
            yield event
            return
