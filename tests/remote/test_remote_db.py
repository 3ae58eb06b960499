"""RemoteDb against the real scripted AgentOS, with and without a security key.

Each test uses its own user id, so tests sharing the session-scoped peers do not see each other's
memories or sessions.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Literal

import pytest

from agentnb import AuthenticationError, NotFoundError, RemoteAgent, RemoteDb, RequestValidationError
from agentnb.agentos.db_models import TraceDetail, TraceNode, TraceSessionStatsPage
from agentnb.demo.judge import JUDGE_PROVIDER, accuracy_score, criteria_verdict, summary_of
from agentnb.tables import aevals_table
from tests.conftest import SECURITY_KEY
from tests.peers.agentos import AgentOSPeer

pytestmark = pytest.mark.peer


@pytest.fixture(params=["open", "secured"])
def peer_and_token(
    request: pytest.FixtureRequest, agentos: AgentOSPeer, agentos_secured: AgentOSPeer
) -> Iterator[tuple[AgentOSPeer, str | None]]:
    if request.param == "open":
        yield agentos, None
    else:
        yield agentos_secured, SECURITY_KEY


def _user() -> str:
    return f"user-{uuid.uuid4().hex[:8]}"


async def _agent(
    peer_and_token: tuple[AgentOSPeer, str | None], agent_id: str = "memory-agent"
) -> RemoteAgent:
    peer, token = peer_and_token
    agent = RemoteAgent(peer.base_url, agent_id=agent_id, auth_token=token)
    await agent.get_agent_config()
    return agent


async def _db(peer_and_token: tuple[AgentOSPeer, str | None]) -> RemoteDb:
    db = (await _agent(peer_and_token)).db
    assert isinstance(db, RemoteDb)
    return db


async def test_db_is_live_cheap_and_stable(peer_and_token: tuple[AgentOSPeer, str | None]) -> None:
    agent = await _agent(peer_and_token)
    config = agent._config.latest
    assert config is not None and config.db_id
    db = agent.db
    assert isinstance(db, RemoteDb) and db.id == config.db_id
    assert agent.db is db  # no new object (and no request) per read
    assert agent.knowledge is None  # the memory agent has no knowledge base
    assert SECURITY_KEY not in repr(db)


async def test_memories_create_get_list_update_delete(peer_and_token: tuple[AgentOSPeer, str | None]) -> None:
    db, user = await _db(peer_and_token), _user()
    first = await db.create_memory("Likes green tea", ["drinks"], user)
    second = await db.create_memory("Lives in Berlin", ["places"], user)
    assert first.user_id == user and first.topics == ["drinks"]
    assert (await db.get_memory(first.memory_id, user_id=user)).memory == "Likes green tea"

    page = await db.get_memories(user_id=user)
    assert {m.memory for m in page.data} == {"Likes green tea", "Lives in Berlin"}
    assert page.meta.total_count == 2
    only_places = await db.get_memories(user_id=user, topics=["places"])
    assert [m.memory_id for m in only_places.data] == [second.memory_id]
    found = await db.get_memories(user_id=user, search_content="tea")
    assert [m.memory_id for m in found.data] == [first.memory_id]
    paged = await db.get_memories(user_id=user, limit=1, page=2)
    assert len(paged.data) == 1 and paged.meta.total_pages == 2

    # The undecoded page (what memories_table reads) answers the same query with the same rows.
    for filters in ({}, {"topics": ["places"]}, {"search_content": "tea"}, {"limit": 1, "page": 2}):
        models = await db.get_memories(user_id=user, **filters)
        as_json = await db.get_memories_json(user, **filters)
        assert [row["memory_id"] for row in as_json["data"]] == [m.memory_id for m in models.data]
        assert as_json["meta"]["total_pages"] == models.meta.total_pages
    assert db.get_memories_json_sync(user, topics=["drinks"])["data"][0]["memory_id"] == first.memory_id

    updated = await db.update_memory(first.memory_id, "Likes jasmine tea", user, ["drinks", "tea"])
    assert updated.memory == "Likes jasmine tea" and updated.topics == ["drinks", "tea"]
    assert {"drinks", "tea", "places"} <= set(await db.get_memory_topics(user_id=user))
    stats = await db.get_user_memory_stats(user_id=user)
    assert [(s.user_id, s.total_memories) for s in stats.data] == [(user, 2)]

    await db.delete_memory(second.memory_id, user_id=user)
    with pytest.raises(NotFoundError):
        await db.get_memory(second.memory_id, user_id=user)
    await db.delete_memories([first.memory_id], user_id=user)
    assert (await db.get_memories(user_id=user)).data == []


async def test_a_run_of_the_memory_agent_stores_a_memory(
    peer_and_token: tuple[AgentOSPeer, str | None],
) -> None:
    agent, user = await _agent(peer_and_token), _user()
    await agent.arun("I like oolong tea", user_id=user)
    assert agent.db is not None
    memories = (await agent.db.get_memories(user_id=user)).data
    assert [(m.memory, m.topics, m.agent_id) for m in memories] == [
        ("I like oolong tea", ["preferences"], "memory-agent")
    ]


def test_sync_twins_work_outside_a_loop(agentos: AgentOSPeer) -> None:
    agent = RemoteAgent(agentos.base_url, agent_id="memory-agent")
    db = agent.db
    assert db is not None
    user = _user()
    memory = db.create_memory_sync("Plays chess", ["games"], user)
    assert [m.memory_id for m in db.get_memories_sync(user_id=user).data] == [memory.memory_id]
    db.delete_memory_sync(memory.memory_id, user_id=user)


async def test_optimize_memories_refuses_an_unknown_provider(
    peer_and_token: tuple[AgentOSPeer, str | None],
) -> None:
    # The route builds its model from "provider:id"; an unknown provider is a 400 that quotes it.
    db, user = await _db(peer_and_token), _user()
    await db.create_memory("Likes tea", ["drinks"], user)
    with pytest.raises(RequestValidationError) as caught:
        await db.optimize_memories(user, model="no-such-provider:model", apply=False)
    assert "no-such-provider" in str(caught.value)
    assert len((await db.get_memories(user_id=user)).data) == 1  # nothing was applied


async def test_optimize_memories_summarises_with_the_offline_model(
    peer_and_token: tuple[AgentOSPeer, str | None],
) -> None:
    # The peer registers the provider "offline": its model summarises as agentnb.demo.judge says
    # (the memories sorted, each without the words an earlier one said, joined with ", ").
    db, user = await _db(peer_and_token), _user()
    first = await db.create_memory("Lives in Berlin", ["places"], user)
    second = await db.create_memory("Likes green tea and jasmine tea", ["drinks"], user)
    third = await db.create_memory("Likes green tea", ["drinks"], user)
    expected = summary_of(["Likes green tea and jasmine tea", "Lives in Berlin", "Likes green tea"])
    assert expected == "Likes green tea, and jasmine, Lives in Berlin"

    preview = await db.optimize_memories(user, model=f"{JUDGE_PROVIDER}:judge", apply=False)
    assert [m.memory for m in preview.memories] == [expected]
    assert set(preview.memories[0].topics or []) == {"places", "drinks"}
    assert (preview.memories_before, preview.memories_after) == (3, 1)
    assert preview.tokens_saved is not None and preview.tokens_saved > 0
    ids = {first.memory_id, second.memory_id, third.memory_id}
    kept = (await db.get_memories(user_id=user)).data
    assert {m.memory_id for m in kept} == ids  # apply=False: untouched

    applied = await db.optimize_memories(user, model=f"{JUDGE_PROVIDER}:judge")
    assert [m.memory for m in applied.memories] == [expected]
    after = (await db.get_memories(user_id=user)).data
    assert [(m.memory, m.user_id) for m in after] == [(expected, user)]
    assert after[0].memory_id not in ids


async def _judge_of(agent: RemoteAgent) -> dict[str, str]:
    # AgentOS judges with a copy of the evaluated agent's own model when the request names it.
    config = await agent.get_agent_config()
    assert config.model is not None and config.model.id and config.model.provider
    return {"model_id": config.model.id, "model_provider": config.model.provider}


async def test_accuracy_eval_is_judged_by_the_scripted_model(
    peer_and_token: tuple[AgentOSPeer, str | None],
) -> None:
    agent = await _agent(peer_and_token)
    db = agent.db
    assert db is not None
    # The memory agent answers "Noted: <input>"; 3 of the 4 expected words are in it.
    expected = "Noted: I like coffee"
    assert accuracy_score("Noted: I like tea", expected) == (8, 3, 4)
    run = await db.create_eval_run(
        "accuracy",
        "I like tea",
        agent_id="memory-agent",
        expected_output=expected,
        name="offline accuracy",
        **await _judge_of(agent),
    )
    assert run is not None and run.eval_type == "accuracy" and run.agent_id == "memory-agent"
    assert run.eval_data["avg_score"] == 8
    [result] = run.eval_data["results"]
    assert result["output"] == "Noted: I like tea"
    assert result["reason"] == "Offline judge: 3 of the 4 expected words are in the output."

    stored = await db.get_eval_run(run.id)
    assert stored.eval_type == "accuracy" and stored.model_provider == "Offline"
    table = await aevals_table(db, agent_id="memory-agent", eval_types=["accuracy"])
    row = table.set_index("id").loc[run.id]
    assert (row["eval_type"], row["score"], row["name"]) == ("accuracy", 8.0, "offline accuracy")
    await db.delete_eval_runs([run.id])


@pytest.mark.parametrize("scoring", ["binary", "numeric"])
async def test_agent_as_judge_eval_is_judged_by_the_scripted_model(
    peer_and_token: tuple[AgentOSPeer, str | None], scoring: Literal["binary", "numeric"]
) -> None:
    agent = await _agent(peer_and_token)
    db = agent.db
    assert db is not None
    judge = await _judge_of(agent)
    criteria = 'The answer repeats "oolong" and mentions "price"'
    assert criteria_verdict("Noted: I like oolong", criteria) == (5, ["oolong"], ["price"])

    failed_run = await db.create_eval_run(
        "agent_as_judge", "I like oolong", agent_id="memory-agent", criteria=criteria,
        scoring_strategy=scoring, threshold=5, **judge,
    )  # fmt: skip
    passed_run = await db.create_eval_run(
        "agent_as_judge", "oolong price list", agent_id="memory-agent", criteria=criteria,
        scoring_strategy=scoring, threshold=7, **judge,
    )  # fmt: skip
    assert failed_run is not None and passed_run is not None
    [first] = failed_run.eval_data["results"]
    [second] = passed_run.eval_data["results"]
    assert "missing ['price']" in first["reason"] and "missing nothing" in second["reason"]
    if scoring == "numeric":
        assert (first["score"], second["score"]) == (5, 10)
        assert (first["passed"], second["passed"]) == (True, True)  # 5 >= threshold 5; 10 >= 7
    else:
        assert (first["passed"], second["passed"]) == (False, True)

    table = await aevals_table(db, eval_types=["agent_as_judge"], limit=200)
    rows = table.set_index("id")
    assert rows.loc[passed_run.id, "passed"] == True  # noqa: E712 - a pandas nullable boolean
    # Numeric: 5 reached the threshold 5, so every iteration passed; binary: "price" was missing.
    assert rows.loc[failed_run.id, "passed"] == (scoring == "numeric")
    await db.delete_eval_runs([failed_run.id, passed_run.id])


async def test_a_judge_eval_without_its_criteria_is_refused(
    peer_and_token: tuple[AgentOSPeer, str | None],
) -> None:
    agent = await _agent(peer_and_token)
    assert agent.db is not None
    with pytest.raises(RequestValidationError) as caught:
        await agent.db.create_eval_run(
            "agent_as_judge", "hi", agent_id="memory-agent", **await _judge_of(agent)
        )
    assert "criteria" in str(caught.value)


async def test_sessions_through_the_db(peer_and_token: tuple[AgentOSPeer, str | None]) -> None:
    agent, user = await _agent(peer_and_token), _user()
    db = agent.db
    assert db is not None
    first = await agent.arun("hello", user_id=user)
    second = await agent.arun("again", user_id=user)
    assert first.session_id and second.session_id and first.run_id
    page = await db.get_sessions(user_id=user, component_id="memory-agent")
    assert {s.session_id for s in page.data} == {first.session_id, second.session_id}
    detail = await db.get_session(first.session_id, user_id=user)
    assert detail.session_id == first.session_id
    runs = await db.get_session_runs(first.session_id, user_id=user)
    assert [r.run_id for r in runs] == [first.run_id]
    run = await db.get_session_run(first.session_id, first.run_id, user_id=user)
    assert run.run_id == first.run_id

    renamed = await db.rename_session(first.session_id, "Tea talk", user_id=user)
    assert renamed.session_name == "Tea talk"
    updated = await db.update_session(first.session_id, session_state={"cups": 2}, user_id=user)
    assert updated.session_state == {"cups": 2}

    created = await db.create_session(user_id=user, agent_id="memory-agent", session_name="Empty")
    await db.delete_session(created.session_id, user_id=user)
    await db.delete_sessions([first.session_id, second.session_id], ["agent", "agent"], user_id=user)
    assert (await db.get_sessions(user_id=user)).data == []


async def test_traces_list_tree_stats_and_search(peer_and_token: tuple[AgentOSPeer, str | None]) -> None:
    agent, user = await _agent(peer_and_token), _user()
    db = agent.db
    assert db is not None
    out = await agent.arun("I like rooibos", user_id=user)
    page = await db.get_traces(user_id=user)
    assert len(page.data) == 1  # one run, one trace (FastAPI's request spans are off)
    summary = page.data[0]
    assert summary.run_id == out.run_id and summary.session_id == out.session_id
    detail = await db.get_trace(summary.trace_id)
    assert isinstance(detail, TraceDetail)
    spans = detail.spans()
    assert spans[0][0] == 0 and spans[0][1].type == "AGENT"
    assert any(node.name == "add_memory" and depth >= 1 for depth, node in spans)
    one_span = await db.get_trace(summary.trace_id, span_id=spans[-1][1].id)
    assert isinstance(one_span, TraceNode) and one_span.id == spans[-1][1].id

    stats = await db.get_trace_session_stats(user_id=user)
    assert [(s.session_id, s.total_traces) for s in stats.data] == [(out.session_id, 1)]
    found = await db.search_traces({"op": "EQ", "key": "user_id", "value": user})
    assert [t.trace_id for t in found.data] == [summary.trace_id]
    by_session = await db.search_traces({"op": "EQ", "key": "user_id", "value": user}, group_by="session")
    assert isinstance(by_session, TraceSessionStatsPage)
    assert [s.session_id for s in by_session.data] == [out.session_id]


async def test_evals_run_list_get_rename_delete(peer_and_token: tuple[AgentOSPeer, str | None]) -> None:
    db = await _db(peer_and_token)
    performance = await db.create_eval_run(
        "performance", "hello", agent_id="memory-agent", num_iterations=1, warmup_runs=0, name="perf"
    )
    assert performance is not None and performance.eval_type == "performance"
    assert performance.eval_data["run_times"]
    reliability = await db.create_eval_run(
        "reliability", "remember that I like tea", agent_id="assistant", expected_tool_calls=["get_weather"]
    )
    assert reliability is not None and reliability.eval_type == "reliability"

    listed = await db.get_eval_runs(agent_id="memory-agent", limit=100)
    assert performance.id in {e.id for e in listed.data}
    assert (await db.get_eval_run(performance.id)).id == performance.id
    renamed = await db.update_eval_run(performance.id, "renamed perf")
    assert renamed.name == "renamed perf"
    await db.delete_eval_runs([performance.id, reliability.id])
    with pytest.raises(NotFoundError):
        await db.get_eval_run(performance.id)


async def test_metrics_refresh_get_and_status(peer_and_token: tuple[AgentOSPeer, str | None]) -> None:
    agent = await _agent(peer_and_token)
    db = agent.db
    assert db is not None
    await agent.arun("count me", user_id=_user())
    days = await db.refresh_metrics()
    assert isinstance(days, list) and days and days[-1].agent_runs_count >= 1
    result = await db.get_metrics()
    assert result.metrics and result.metrics[-1].token_metrics.get("total_tokens", 0) > 0
    status = await db.get_metrics_refresh_status()
    assert status.status == "completed"
    background = await db.refresh_metrics(background=True)
    assert not isinstance(background, list) and background.status


async def test_migrate_database(peer_and_token: tuple[AgentOSPeer, str | None]) -> None:
    db = await _db(peer_and_token)
    await db.migrate_database()  # already current: the server says so and changes nothing
    assert (await db.get_memory_topics(user_id=_user())) == []


async def test_without_the_token_the_secured_db_refuses(agentos_secured: AgentOSPeer) -> None:
    agent = RemoteAgent(agentos_secured.base_url, agent_id="memory-agent", auth_token=SECURITY_KEY)
    await agent.get_agent_config()
    assert agent.db is not None
    with pytest.raises(AuthenticationError) as caught:
        await agent.db.get_memories(user_id="x", auth_token="wrong")
    assert "wrong" not in str(caught.value)


async def test_the_directory_hands_out_a_live_db_for_a_database_the_server_lists(
    agentos: AgentOSPeer,
) -> None:
    from agentnb import AgentOS

    server = AgentOS(agentos.base_url)
    databases = (await server.aget_os_config()).databases or []
    ids = [d if isinstance(d, str) else d.get("id") or d.get("db_id") for d in databases]
    agent_db = (await _agent((agentos, None))).db
    assert agent_db is not None and agent_db.id in ids
    db = server.db(agent_db.id)
    user = _user()
    made = await db.create_memory(memory="likes tea", user_id=user, topics=["drinks"])
    listed = await db.get_memories(user_id=user)
    assert [m.memory_id for m in listed.data] == [made.memory_id]
