"""What tests/porting/test_agno_signatures.py found missing, used against the real AgentOS: agno's
BaseRemote accessors, RemoteDb's run filters and ``table``, RemoteKnowledge's ``vector_db_ids``
and arun's ``additional_data``."""

from __future__ import annotations

import time
import uuid

import pytest

from agentnb import (
    ConfigurationError,
    NotFoundError,
    RemoteAgent,
    RemoteDb,
    RemoteWorkflow,
    RequestValidationError,
)
from agentnb.agentos.client import AgentOSClient
from agentnb.agentos.forms import run_form
from agentnb.agentos.models import OSConfig
from agentnb.remote.knowledge import RemoteKnowledge
from tests.peers.agentos import AgentOSPeer

pytestmark = pytest.mark.peer


async def test_base_remote_accessors_over_agentos(agentos: AgentOSPeer) -> None:
    agent = RemoteAgent(agentos.base_url, agent_id="assistant")
    assert agent.get_os_client() is agent.agentos_client
    assert isinstance(agent.get_os_client(), AgentOSClient)
    assert await agent.aget_agent_card() is None  # as agno: no card over AgentOS
    with pytest.raises(ConfigurationError, match="protocol='a2a'"):
        agent.get_a2a_client()
    config = await agent.refresh_os_config()
    assert isinstance(config, OSConfig) and "assistant" in [a.id for a in config.agents]
    workflow = RemoteWorkflow(agentos.base_url, workflow_id="cleanup-workflow")
    assert workflow.get_os_client() is workflow.agentos_client
    assert await workflow.aget_agent_card() is None


async def test_base_remote_accessors_over_a2a(agentos: AgentOSPeer) -> None:
    agent = RemoteAgent(f"{agentos.base_url}/a2a/agents/assistant", agent_id="assistant", protocol="a2a")
    assert agent.get_a2a_client() is agent.a2a_client
    card = await agent.aget_agent_card()
    assert card is not None and card.name
    with pytest.raises(ConfigurationError):
        agent.get_os_client()


async def _db_with_a_run(agentos: AgentOSPeer) -> tuple[RemoteDb, str, str, str]:
    agent = RemoteAgent(agentos.base_url, agent_id="memory-agent")
    user, session = f"u-{uuid.uuid4().hex[:8]}", f"s-{uuid.uuid4().hex[:8]}"
    out = await agent.arun("remember nothing", user_id=user, session_id=session)
    await agent.get_agent_config()
    db = agent.db
    assert isinstance(db, RemoteDb) and out.run_id
    return db, user, session, out.run_id


async def test_remote_db_run_filters_and_session_type(agentos: AgentOSPeer) -> None:
    db, user, session, run_id = await _db_with_a_run(agentos)
    now = int(time.time()) + 5
    assert [r.run_id for r in await db.get_session_runs(session, user_id=user, created_before=now)] == [
        run_id
    ]
    assert await db.get_session_runs(session, user_id=user, created_after=now) == []
    assert await db.get_session_runs(session, user_id=user, status=["ERROR"]) == []
    run = await db.get_session_run(session, run_id, session_type="agent", user_id=user)
    assert run.run_id == run_id
    renamed = await db.rename_session(session, "renamed", session_type="agent", user_id=user)
    assert renamed.session_name == "renamed"


async def test_remote_db_sends_table(agentos: AgentOSPeer) -> None:
    db, user, session, run_id = await _db_with_a_run(agentos)
    # The database's own session table (GET /config names it agno_sessions) reads the same as no
    # table; another name is refused by the server, which proves the parameter is sent.
    detail = await db.get_session(session, user_id=user, table="agno_sessions")
    assert detail.session_id == session
    with pytest.raises(NotFoundError) as err:
        await db.get_session(session, user_id=user, table="no_such_table")
    assert "has table 'no_such_table'" in str(err.value.detail)
    with pytest.raises(NotFoundError):
        await db.get_session_runs(session, user_id=user, table="no_such_table")
    runs = await db.get_session_runs(session, user_id=user, table="agno_sessions")
    assert [r.run_id for r in runs] == [run_id]


def test_additional_data_goes_out_as_json() -> None:
    form = run_form("hi", additional_data={"source": "notebook"})
    assert form["additional_data"] == {"source": "notebook"}
    with pytest.raises(ConfigurationError, match="additional_data must be a dict"):
        run_form("hi", additional_data="notebook")  # type: ignore[arg-type]


async def test_workflow_run_with_additional_data_completes(agentos: AgentOSPeer) -> None:
    workflow = RemoteWorkflow(agentos.base_url, workflow_id="publish-workflow")
    out = await workflow.arun("draft a note", additional_data={"source": "notebook"})
    assert out.status.value in ("COMPLETED", "PAUSED")


async def test_knowledge_search_takes_vector_db_ids(agentos: AgentOSPeer) -> None:
    agent = RemoteAgent(agentos.base_url, agent_id="knowledge-agent")
    await agent.get_agent_config()
    knowledge = agent.knowledge
    assert isinstance(knowledge, RemoteKnowledge)
    everything = await knowledge.search_knowledge("refund")
    assert everything.data  # the demo knowledge base has refund policy text
    # AgentOS checks the ids against its knowledge base's vector db: the parameter is sent.
    with pytest.raises(RequestValidationError, match="no-such-vector-db"):
        await knowledge.search_knowledge("refund", vector_db_ids=["no-such-vector-db"])


async def test_agno_codes_positional_requirements_continue_an_agent_run(agentos: AgentOSPeer) -> None:
    # agno 3.1.10's RemoteAgent.acontinue_run(run_id, requirements, ...): our second positional
    # parameter is the documented updated_tools, which reads RunRequirements as their tools.
    agent = RemoteAgent(agentos.base_url, agent_id="confirm-agent")
    paused = await agent.arun("delete it", session_id=f"s-{uuid.uuid4().hex[:8]}")
    assert paused.is_paused and paused.requirements
    paused.requirements[0].confirm()
    assert paused.run_id is not None
    done = await agent.acontinue_run(paused.run_id, paused.requirements, session_id=paused.session_id)
    assert done.is_completed and done.tools and done.tools[0].confirmed is True
