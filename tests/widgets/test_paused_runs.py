"""approve_paused: a batch's paused runs open as ApprovalForms one after another (real AgentOS peer)."""

from __future__ import annotations

import asyncio

import pytest

from agentnb import RemoteAgent
from agentnb.widgets import PausedRuns
from tests.peers.agentos import AgentOSPeer

pytestmark = pytest.mark.peer


async def test_paused_runs_of_a_batch_are_approved_one_after_another(agentos: AgentOSPeer) -> None:
    agent = RemoteAgent(agentos.base_url, agent_id="confirm-agent")
    frame = await agent.abatch(["delete the file", "hello", "delete it again"], progress=False)
    assert frame["status"].tolist() == ["paused", "completed", "paused"]
    queue = PausedRuns(agent, frame)
    assert len(queue.runs) == 2 and "paused run 1 of 2" in queue.header.value
    first = queue.form
    assert first is not None and first.paused.run_id == frame.loc[0, "run_id"]
    first.cards[0].approve.click()
    first.submit_button.click()
    await first.wait()
    await asyncio.sleep(0)  # the queue opens the next form once the first run has ended
    second = queue.form
    assert second is not None and second is not first and second.paused.run_id == frame.loc[2, "run_id"]
    assert "paused run 2 of 2" in queue.header.value
    second.cards[0].reject.click()
    second.submit_button.click()
    results = await asyncio.wait_for(queue.wait(), 30)
    assert [r.run_id for r in results] == [frame.loc[0, "run_id"], frame.loc[2, "run_id"]]
    assert "Deleted /tmp/important.txt" in results[0].text and "rejected" in results[1].text
    assert queue.form is None and "2 paused run(s) continued" in queue.header.value
