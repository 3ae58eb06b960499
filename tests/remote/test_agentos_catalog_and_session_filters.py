"""AgentOSClient routes agno's AgentOSClient has and ours lacked (GET /teams, /workflows, a
session's run previews, the run filters and ``table``), against the real scripted AgentOS."""

from __future__ import annotations

import time
import uuid

import pytest

from agentnb import NotFoundError, RemoteAgent, RequestValidationError
from agentnb.agentos.client import AgentOSClient
from agentnb.agentos.models import RunPreview, TeamConfig, WorkflowConfig
from agentnb.runs.models import RunStatus
from tests.peers.agentos import AgentOSPeer

pytestmark = pytest.mark.peer


async def test_teams_and_workflows_are_listed_and_read(agentos: AgentOSPeer) -> None:
    client = AgentOSClient(agentos.base_url)
    teams = await client.alist_teams()
    assert all(type(t) is TeamConfig for t in teams)
    assert "ops-team" in [t.id for t in teams]
    team = await client.aget_team("ops-team")
    assert team.id == "ops-team" and team.members  # the demo team has members
    workflows = await client.alist_workflows()
    assert {"cleanup-workflow", "publish-workflow"} <= {w.id for w in workflows}
    workflow = await client.aget_workflow("cleanup-workflow")
    assert type(workflow) is WorkflowConfig and workflow.id == "cleanup-workflow" and workflow.steps
    with pytest.raises(NotFoundError) as err:
        await client.aget_team("no-such-team")
    assert "no-such-team" in str(err.value)
    # The sync twins, outside a loop's reach, read the same.
    assert [w.id for w in client.list_workflows()] == [w.id for w in workflows]


async def test_session_run_previews_and_run_filters(agentos: AgentOSPeer) -> None:
    user, session = f"u-{uuid.uuid4().hex[:8]}", f"s-{uuid.uuid4().hex[:8]}"
    agent = RemoteAgent(agentos.base_url, agent_id="assistant")
    before = int(time.time()) - 5
    out = await agent.arun("hello previews", user_id=user, session_id=session)
    assert out.is_completed
    client = AgentOSClient(agentos.base_url)

    previews = await client.aget_session_run_previews(session, user_id=user)
    assert [type(p) for p in previews] == [RunPreview]
    preview = previews[0]
    assert preview.run_id == out.run_id and preview.agent_id == "assistant"
    assert preview.status is RunStatus.completed and "hello previews" in (preview.run_input or "")
    assert preview.content_preview and preview.content_preview in (out.content or "")

    runs = await client.aget_session_runs(session, user_id=user, created_after=before, status=["completed"])
    assert [r.run_id for r in runs] == [out.run_id]
    # Each filter is sent: a window in the past or a status no run has finds nothing.
    assert await client.aget_session_runs(session, user_id=user, created_before=before) == []
    assert await client.aget_session_runs(session, user_id=user, status=["ERROR", "CANCELLED"]) == []
    assert await client.aget_session_run_previews(session, user_id=user, status=["PAUSED"]) == []

    # ``table`` reaches the server: AgentOS wants a db_id with it, and says so.
    assert (await client.aget_session(session, user_id=user)).session_id == session
    for call in (client.aget_session, client.aget_session_runs, client.aget_session_run_previews):
        with pytest.raises(RequestValidationError) as err:
            await call(session, user_id=user, table="other_table")
        assert "db_id" in str(err.value.detail) and "table=other_table" in str(err.value.request.url)
