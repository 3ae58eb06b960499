"""memories/traces/evals/metrics/knowledge/search tables against the real scripted AgentOS.

Every table is read with a tiny page size, so that "every server page" is really exercised, and
each test uses its own user id (the peer is shared by the whole run).
"""

from __future__ import annotations

import uuid

import pandas as pd
import pytest

from agentnb import ConfigurationError, RemoteAgent
from agentnb.demo.knowledge import DOCUMENTS
from agentnb.tables import (
    EVAL_COLUMNS,
    KNOWLEDGE_COLUMNS,
    MEMORY_COLUMNS,
    METRICS_COLUMNS,
    SEARCH_COLUMNS,
    TRACE_COLUMNS,
    aevals_table,
    aknowledge_table,
    amemories_table,
    ametrics_table,
    asearch_table,
    atraces_table,
    memories_table,
    metrics_plot,
)
from agentnb.tables.traces import duration_ms
from tests.peers.agentos import AgentOSPeer

pytestmark = pytest.mark.peer

UTC_TIME = "datetime64[ns, UTC]"


def _user() -> str:
    return f"user-{uuid.uuid4().hex[:8]}"


async def _agent(peer: AgentOSPeer, agent_id: str = "memory-agent") -> RemoteAgent:
    agent = RemoteAgent(peer.base_url, agent_id=agent_id)
    await agent.get_agent_config()
    return agent


async def test_memories_table_reads_every_page_with_typed_columns(agentos: AgentOSPeer) -> None:
    agent, user = await _agent(agentos), _user()
    assert agent.db is not None
    for i in range(5):
        await agent.db.create_memory(f"fact number {i}", ["facts", f"n{i}"], user)
    df = await amemories_table(agent, user_id=user, page_size=2)
    assert tuple(df.columns) == MEMORY_COLUMNS
    assert len(df) == 5  # three pages of two
    assert set(df["memory"]) == {f"fact number {i}" for i in range(5)}
    assert str(df["updated_at"].dtype) == UTC_TIME and str(df["memory"].dtype) == "string"
    assert df.loc[df["memory"] == "fact number 3", "topics"].item() == "facts, n3"
    assert len(await amemories_table(agent.db, user_id=user, page_size=2, limit=3)) == 3
    only = await amemories_table(agent, user_id=user, topics=["n1"])
    assert list(only["memory"]) == ["fact number 1"]


def test_memories_table_sync_twin_and_empty_table(agentos: AgentOSPeer) -> None:
    agent = RemoteAgent(agentos.base_url, agent_id="memory-agent")
    df = memories_table(agent, user_id=_user())
    assert tuple(df.columns) == MEMORY_COLUMNS and df.empty
    assert str(df["updated_at"].dtype) == UTC_TIME  # typed even when empty


def test_a_source_without_a_database_is_refused(agentos: AgentOSPeer) -> None:
    with pytest.raises(ConfigurationError, match="no database"):
        memories_table(object())


async def test_traces_table_one_row_per_run(agentos: AgentOSPeer) -> None:
    agent, user = await _agent(agentos), _user()
    outs = [await agent.arun(f"I like tea number {i}", user_id=user) for i in range(3)]
    df = await atraces_table(agent, user_id=user, page_size=2)
    assert tuple(df.columns) == TRACE_COLUMNS
    assert sorted(df["run_id"]) == sorted(o.run_id for o in outs)
    assert (df["duration_ms"] > 0).all() and str(df["duration_ms"].dtype) == "float64"
    assert str(df["start_time"].dtype) == UTC_TIME and str(df["total_spans"].dtype) == "Int64"
    assert (df["total_spans"] >= 2).all()  # the agent and its add_memory tool


def test_duration_text_in_milliseconds() -> None:
    assert duration_ms("604.98ms") == pytest.approx(604.98)
    assert duration_ms("1.5s") == pytest.approx(1500.0)
    assert duration_ms("30ms") == 30.0 and duration_ms(None) is None and duration_ms("soon") is None


async def test_evals_table(agentos: AgentOSPeer) -> None:
    agent = await _agent(agentos)
    assert agent.db is not None
    name = f"perf-{uuid.uuid4().hex[:6]}"
    run = await agent.db.create_eval_run(
        "performance", "hi", agent_id="memory-agent", name=name, warmup_runs=0
    )
    assert run is not None
    df = await aevals_table(agent, agent_id="memory-agent", page_size=1)
    assert tuple(df.columns) == EVAL_COLUMNS
    row = df[df["id"] == run.id]
    assert row["name"].item() == name and row["eval_type"].item() == "performance"
    assert row["avg_run_time_s"].item() > 0


async def test_metrics_table_and_plot(agentos: AgentOSPeer) -> None:
    agent = await _agent(agentos)
    await agent.arun("one more run", user_id=_user())
    df = await ametrics_table(agent, refresh=True)
    assert tuple(df.columns) == METRICS_COLUMNS
    assert str(df["date"].dtype) == UTC_TIME and str(df["agent_runs"].dtype) == "Int64"
    assert df["agent_runs"].sum() >= 1 and df["total_tokens"].sum() > 0
    figure = metrics_plot(df)
    axes = figure.get_axes()
    assert [ax.get_ylabel() for ax in axes] == ["runs", "tokens", "users"]
    bars = [patch.get_height() for patch in axes[0].patches]
    assert sum(bars) == df[["agent_runs", "team_runs", "workflow_runs"]].to_numpy().sum()


async def test_knowledge_table_and_search_table(agentos: AgentOSPeer) -> None:
    agent = await _agent(agentos, "knowledge-agent")
    df = await aknowledge_table(agent, page_size=2)
    assert tuple(df.columns) == KNOWLEDGE_COLUMNS
    assert {name for name, _ in DOCUMENTS} <= set(df["name"])
    assert (df.loc[df["name"].isin([n for n, _ in DOCUMENTS]), "status"] == "completed").all()
    assert str(df["size_bytes"].dtype) == "Int64" and str(df["created_at"].dtype) == UTC_TIME

    hits = await asearch_table(agent, "express shipping Berlin", max_results=3)
    assert tuple(hits.columns) == SEARCH_COLUMNS
    assert hits["name"].iloc[0] == "shipping" and list(hits["rank"]) == [1, 2, 3]
    assert hits["score"].is_monotonic_decreasing and hits["score"].notna().all()
    assert isinstance(hits, pd.DataFrame) and str(hits["score"].dtype) == "float64"
