"""AgentOS (the directory of a server) and directory_table, on the real scripted AgentOS."""

from __future__ import annotations

import pytest

from agentnb import (
    A2AClient,
    AgentOS,
    RemoteAgent,
    RemoteTeam,
    RemoteWorkflow,
    TeamConfig,
    WorkflowConfig,
    directory_table,
)
from agentnb.tables import DIRECTORY_COLUMNS, adirectory_table
from agentnb.tables._frame import DESCRIPTION_CHARS
from tests.peers.agentos import PEER_AGENT_IDS, AgentOSPeer, free_port

pytestmark = pytest.mark.peer


def test_agentos_lists_everything_with_configs_and_hands_out_remote_objects(agentos: AgentOSPeer) -> None:
    os = AgentOS(agentos.base_url, auth_token="tok-should-not-show")
    assert "tok-should-not-show" not in repr(os)
    assert {a.id for a in os.agents} == PEER_AGENT_IDS
    (team,) = os.teams
    assert isinstance(team, TeamConfig) and team.id == "ops-team" and team.mode == "coordinate"
    workflows = {w.id: w for w in os.workflows}
    assert set(workflows) == {"cleanup-workflow", "publish-workflow"}
    assert isinstance(workflows["publish-workflow"], WorkflowConfig)
    assert [s["name"] for s in workflows["publish-workflow"].steps] == ["draft", "publish"]
    config = os.os_config
    assert config.os_id == "agentnb-test-os" and {t["id"] for t in config.teams} == {"ops-team"}

    agent, t, wf = os.agent("assistant"), os.team("ops-team"), os.workflow("publish-workflow")
    assert (type(agent), type(t), type(wf)) == (RemoteAgent, RemoteTeam, RemoteWorkflow)
    assert t.auth_token == "tok-should-not-show" and wf.base_url == agentos.base_url
    assert t.run("hello from the directory").is_completed


async def test_directory_table_mixes_agentos_servers_and_a2a_cards(agentos: AgentOSPeer) -> None:
    card_client = A2AClient(f"{agentos.base_url}/a2a/agents/assistant")
    card = await card_client.aget_agent_card()
    assert card is not None
    dead = f"http://127.0.0.1:{free_port()}"
    df = await adirectory_table(AgentOS(agentos.base_url), card, card_client, dead)
    assert tuple(df.columns) == DIRECTORY_COLUMNS
    agentos_rows = df[df["protocol"] == "agentos"]
    kinds = dict(zip(agentos_rows["id"], agentos_rows["kind"], strict=True))
    assert kinds == {
        **dict.fromkeys(PEER_AGENT_IDS, "agent"),
        "ops-team": "team",
        "cleanup-workflow": "workflow",
        "publish-workflow": "workflow",
    }
    team = agentos_rows[agentos_rows["id"] == "ops-team"].iloc[0]
    assert "publish_report" in team["tools"] and team["model"] == "scripted-v1" and team["db"]
    a2a_rows = df[df["protocol"] == "a2a"]
    assert len(a2a_rows) == 2 and set(a2a_rows["name"]) == {card.name}
    failed = df[df["server"] == dead]
    assert len(failed) == 1 and failed.iloc[0]["error"].startswith("RemoteServerUnavailableError")
    assert df["description"].dropna().str.len().max() <= DESCRIPTION_CHARS


def test_directory_table_sync_twin_takes_a_url(agentos: AgentOSPeer) -> None:
    df = directory_table(agentos.base_url)
    assert sorted(df["kind"].unique()) == ["agent", "team", "workflow"]
    assert df["error"].isna().all()


def test_directory_table_refuses_what_it_cannot_list() -> None:
    df = directory_table(42)  # type: ignore[arg-type]
    assert df.iloc[0]["error"].startswith("TypeError: expected an AgentOS")
