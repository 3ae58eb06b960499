"""sessions_table and runs_table for a RemoteTeam and a RemoteWorkflow, on the real peer."""

from __future__ import annotations

import uuid

import pytest

from agentnb import RemoteTeam, RemoteWorkflow
from agentnb.tables import RUN_COLUMNS, SESSION_COLUMNS, runs_table, sessions_table
from tests.peers.agentos import AgentOSPeer

pytestmark = pytest.mark.peer


def test_team_sessions_and_runs_tables(agentos: AgentOSPeer) -> None:
    team = RemoteTeam(agentos.base_url, "ops-team", prefetch_config=False)
    session = f"tt-{uuid.uuid4().hex[:8]}"
    out = team.run("what is the weather", session_id=session)
    df = sessions_table(team)
    assert tuple(df.columns) == SESSION_COLUMNS
    row = df[df["session_id"] == session].iloc[0]
    assert (row["session_type"], row["agent_id"]) == ("team", "ops-team")
    assert row["total_tokens"] > 0
    assert set(df["session_type"]) == {"team"}  # an agent's sessions are not listed here
    runs = runs_table(team, session)
    assert tuple(runs.columns) == RUN_COLUMNS
    # the team's run and its member's run are both stored
    assert out.run_id in set(runs["run_id"]) and len(runs) == 2
    assert set(runs["status"]) == {"COMPLETED"} and set(runs["model"]) == {"scripted-v1"}


def test_workflow_sessions_and_runs_tables(agentos: AgentOSPeer) -> None:
    wf = RemoteWorkflow(agentos.base_url, "cleanup-workflow", prefetch_config=False)
    session = f"wt-{uuid.uuid4().hex[:8]}"
    out = wf.run("sweep the hall", session_id=session)
    df = sessions_table(wf)
    row = df[df["session_id"] == session].iloc[0]
    assert (row["session_type"], row["agent_id"]) == ("workflow", "cleanup-workflow")
    runs = runs_table(wf, session)
    assert list(runs["run_id"]) == [out.run_id] and runs.iloc[0]["content"] == out.content
