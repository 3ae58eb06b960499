"""tables.py against the real peers: AgentOS sessions and runs, a2a-sdk artifacts, agent cards."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pandas as pd
import pytest

from agentnb import A2AClient, RemoteAgent
from agentnb.tables import (
    AGENT_CARD_COLUMNS,
    ARTIFACT_COLUMNS,
    RUN_COLUMNS,
    SESSION_COLUMNS,
    aagent_cards_table,
    aartifacts_table,
    agent_cards_table,
    artifact_frame,
    aruns_table,
    asessions_table,
    runs_table,
    sessions_table,
)
from tests.peers.a2a_peers import A2APeer
from tests.peers.agentos import AgentOSPeer

pytestmark = pytest.mark.peer


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


async def test_sessions_table_follows_every_page(agentos: AgentOSPeer) -> None:
    agent = RemoteAgent(agentos.base_url, agent_id="assistant")
    user = unique("tables-user")
    sessions = [unique("tables") for _ in range(3)]
    for n, session_id in enumerate(sessions):
        assert (await agent.arun(f"table message {n}", session_id=session_id, user_id=user)).is_completed

    df = await asessions_table(agent, user_id=user, page_size=1)  # three server pages
    assert tuple(df.columns) == SESSION_COLUMNS and len(df) == 3
    assert sorted(df["session_id"]) == sorted(sessions)
    assert set(df["user_id"]) == {user} and set(df["agent_id"]) == {"assistant"}
    assert str(df["created_at"].dtype) == "datetime64[ns, UTC]" and df["created_at"].notna().all()
    assert str(df["total_tokens"].dtype) == "Int64" and (df["total_tokens"] > 0).all()
    assert (df["input_tokens"] == 10).all()

    limited = await asessions_table(agent, user_id=user, page_size=1, limit=2)
    assert len(limited) == 2
    # The sync twin, called from inside this running loop, goes through the IO thread.
    assert sorted(sessions_table(agent, user_id=user)["session_id"]) == sorted(sessions)
    empty = await asessions_table(agent, user_id=unique("nobody"))
    assert empty.shape == (0, len(SESSION_COLUMNS))
    assert str(empty["updated_at"].dtype) == "datetime64[ns, UTC]"


async def test_runs_table_shows_completed_runs_with_tokens_and_timings(agentos: AgentOSPeer) -> None:
    agent = RemoteAgent(agentos.base_url, agent_id="assistant")
    session_id = unique("tables-runs")
    await agent.arun("Hello table", session_id=session_id)
    async with agent.arun("Hello streamed table", stream=True, session_id=session_id) as stream:
        async for _ in stream:
            pass
    await agent.arun("what is the weather", session_id=session_id)

    df = await aruns_table(agent, session_id)
    assert tuple(df.columns) == RUN_COLUMNS and len(df) == 3
    assert list(df["status"]) == ["COMPLETED"] * 3
    assert df["content"].iloc[0] == "Hello! You said: Hello table. This is a deterministic streamed answer."
    assert (df["input_tokens"] >= 10).all()
    assert (df["total_tokens"] == df["input_tokens"] + df["output_tokens"]).all()
    assert (df["duration_s"] > 0).all() and (df["time_to_first_token_s"] > 0).all()
    assert str(df["duration_s"].dtype) == "float64" and set(df["model"]) == {"scripted-v1"}
    assert list(df["tool_calls"]) == [0, 0, 1]
    assert df["created_at"].notna().all() and str(df["created_at"].dtype) == "datetime64[ns, UTC]"
    assert runs_table(agent, session_id).equals(df)


async def test_artifacts_table_lists_a_v1_peers_tasks(a2a_peers: dict[str, A2APeer]) -> None:
    client = A2AClient(a2a_peers["v1"].base_url)
    sent = await client.send_message("file please")
    assert sent.is_completed

    from_result = await aartifacts_table(sent)
    listed = await aartifacts_table(client, page_size=2)  # small pages: the table follows the tokens
    for df in (from_result, listed):
        assert tuple(df.columns) == ARTIFACT_COLUMNS
        mine = df[df["task_id"] == sent.task_id]
        report = mine[mine["name"] == "report.txt"]
        assert len(report) == 1
        row = report.iloc[0]
        assert row["size_bytes"] == 10 and row["mime_type"] == "text/plain" and row["kind"] == "file"
        data = mine[mine["kind"] == "data"]
        # protobuf's Struct turns 42 into 42.0 (and may reorder keys): compare the values.
        assert len(data) == 1 and json.loads(data.iloc[0]["preview"]) == {"answer": 42, "ratio": 0.5}
    by_context = await aartifacts_table(client, context_id=sent.context_id)
    assert set(by_context["task_id"]) == {sent.task_id}


async def test_listed_rows_read_like_decoded_tasks(a2a_peers: dict[str, A2APeer]) -> None:
    """The listing's rows come from its JSON without models; they must equal the decoded tasks' rows."""
    client = A2AClient(a2a_peers["v1"].base_url)
    for prompt in ("file please", "hello there", "data please"):
        await client.send_message(prompt)
    listed = await aartifacts_table(client, page_size=3)
    decoded: list[Any] = []
    token: str | None = None
    while True:
        page = await client.alist_tasks(page_size=3, page_token=token, include_artifacts=True)
        decoded += page.tasks
        token = page.next_page_token
        if not token:
            break
    from_models = artifact_frame(decoded)
    assert len(listed) >= 3 and set(listed["kind"]) >= {"file", "data"}
    pd.testing.assert_frame_equal(listed, from_models)


async def test_artifacts_table_on_a_v03_peer_asks_for_results(a2a_peers: dict[str, A2APeer]) -> None:
    client = A2AClient(a2a_peers["v03"].base_url)
    sent = await client.send_message("file please")
    with pytest.raises(ValueError, match=r"A2A v1\.0"):
        await aartifacts_table(client)
    df = await aartifacts_table([sent])
    assert "report.txt" in set(df["name"])
    assert df.loc[df["name"] == "report.txt", "size_bytes"].iloc[0] == 10


async def test_artifacts_table_of_a_remote_agent_run(a2a_peers: dict[str, A2APeer]) -> None:
    agent = RemoteAgent(a2a_peers["v1"].base_url, agent_id="x", protocol="a2a")
    out = await agent.arun("file please")
    df = await aartifacts_table(out)
    assert set(df["task_id"]) == {out.run_id} and "report.txt" in set(df["name"])


async def test_agent_cards_table_over_every_kind_of_peer(
    agentos: AgentOSPeer, a2a_peers: dict[str, A2APeer]
) -> None:
    dead = "http://127.0.0.1:9"
    sources = [
        a2a_peers["v03"].base_url,
        a2a_peers["v1"].base_url,
        f"{agentos.base_url}/a2a/agents/assistant",
        dead,
    ]
    df = await aagent_cards_table(sources, timeout=5.0)
    assert tuple(df.columns) == AGENT_CARD_COLUMNS and list(df["url"]) == sources
    assert df["error"].iloc[:3].isna().all() and df["name"].iloc[:3].notna().all()
    assert df["dialect"].iloc[:3].notna().all() and (df["skills"].iloc[:3] >= 0).all()
    v03, v1, agno, down = df.to_dict("records")
    assert "0.3" in v03["dialect"] and "1.0" in v1["dialect"]
    assert "1.0" in v1["interfaces"] and v03["protocol_version"].startswith("0.3")
    assert agno["name"]
    assert str(df["streaming"].dtype) == "boolean"
    assert down["error"].startswith("RemoteServerUnavailableError") and pd.isna(down["name"])

    # A client already in hand works too, through the sync twin.
    one = agent_cards_table([A2AClient(a2a_peers["v1"].base_url)])
    assert one.loc[0, "name"] == v1["name"] and pd.isna(one.loc[0, "error"])
