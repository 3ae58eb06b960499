"""AgentOS routes in issue 13's surface that agentnb did not call (found by comparing the peer's
OpenAPI paths with agentnb's), against the real scripted AgentOS: an agent's runs of a session,
forking a session, the trace filter schema, and refreshing knowledge content."""

from __future__ import annotations

import uuid

import pytest

from agentnb import (
    NotFoundError,
    RemoteAgent,
    RemoteDb,
    RemoteTeam,
    RemoteWorkflow,
    RequestValidationError,
)
from agentnb.agentos.db_models import TraceFilterSchema
from agentnb.agentos.models import RunRecord
from agentnb.remote.knowledge import RemoteKnowledge
from agentnb.runs.models import RunStatus
from tests.peers.agentos import AgentOSPeer

pytestmark = pytest.mark.peer


async def test_list_an_agents_runs_and_fork_its_session(agentos: AgentOSPeer) -> None:
    agent = RemoteAgent(agentos.base_url, agent_id="assistant")
    user, session = f"u-{uuid.uuid4().hex[:8]}", f"s-{uuid.uuid4().hex[:8]}"
    first = await agent.arun("one", user_id=user, session_id=session)
    second = await agent.arun("two", user_id=user, session_id=session)
    runs = await agent.alist_runs(session)
    assert [r.run_id for r in runs] == [first.run_id, second.run_id]
    assert all(r.status is RunStatus.completed for r in runs)
    assert await agent.alist_runs(session, status="ERROR") == []
    assert [r.run_id for r in agent.list_runs(session, status="COMPLETED")] == [first.run_id, second.run_id]

    fork = await agent.afork_session(session, user_id=user)
    assert fork != session
    copied = await agent.alist_runs(fork)
    # Every run copied, each with a fresh id, the same inputs; the source is untouched.
    assert len(copied) == 2 and not {r.run_id for r in copied} & {first.run_id, second.run_id}
    assert [r.content for r in copied] == [r.content for r in runs]
    assert len(await agent.alist_runs(session)) == 2

    with pytest.raises(NotFoundError, match="Session not found"):
        await agent.alist_runs("no-such-session")


async def test_trace_filter_schema(agentos: AgentOSPeer) -> None:
    agent = RemoteAgent(agentos.base_url, agent_id="memory-agent")
    await agent.get_agent_config()
    db = agent.db
    assert isinstance(db, RemoteDb)
    schema = await db.get_trace_filter_schema()
    assert isinstance(schema, TraceFilterSchema) and "AND" in schema.logical_operators
    keys = {field["key"] for field in schema.fields}
    assert {"status", "user_id"} <= keys
    status = next(f for f in schema.fields if f["key"] == "status")
    assert "EQ" in status["operators"] and set(status["values"]) >= {"OK", "ERROR"}


async def test_refresh_knowledge_content_reaches_the_route(agentos: AgentOSPeer) -> None:
    agent = RemoteAgent(agentos.base_url, agent_id="knowledge-agent")
    await agent.get_agent_config()
    knowledge = agent.knowledge
    assert isinstance(knowledge, RemoteKnowledge)
    word = uuid.uuid4().hex[:8]
    made = await knowledge.upload_content(name=f"note-{word}", text_content=f"refresh me {word}")
    await knowledge.wait_until_processed(made.id)
    # The peer is offline, so nothing here has a URL to fetch again: AgentOS says so (400), and
    # 404 for an id it does not hold. Both answers come from the refresh route itself.
    with pytest.raises(RequestValidationError, match="no source URL to refresh from"):
        await knowledge.refresh_content(made.id)
    with pytest.raises(NotFoundError, match="Content not found"):
        await knowledge.refresh_content("no-such-content")


async def test_team_and_workflow_runs_of_a_session_and_a_team_fork(agentos: AgentOSPeer) -> None:
    team = RemoteTeam(agentos.base_url, "ops-team", prefetch_config=False)
    session = f"s-{uuid.uuid4().hex[:8]}"
    out = await team.arun("what is the weather", session_id=session)
    runs = await team.alist_runs(session)
    assert [r.run_id for r in runs] == [out.run_id] and all(type(r) is RunRecord for r in runs)
    assert runs[0].status is RunStatus.completed and await team.alist_runs(session, status="ERROR") == []
    fork = await team.afork_session(session)
    assert fork != session
    copied = await team.alist_runs(fork)
    assert len(copied) == 1 and copied[0].run_id != out.run_id and copied[0].content == runs[0].content

    workflow = RemoteWorkflow(agentos.base_url, "publish-workflow", prefetch_config=False)
    wf_session = f"s-{uuid.uuid4().hex[:8]}"
    paused = await workflow.arun("write a memo", session_id=wf_session)
    listed = workflow.list_runs(wf_session)
    assert [r.run_id for r in listed] == [paused.run_id] and type(listed[0]) is RunRecord
    assert listed[0].status is paused.status
