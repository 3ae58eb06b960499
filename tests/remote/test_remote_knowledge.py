"""RemoteKnowledge against the real scripted AgentOS (LanceDB + hashing embedder), with and
without a security key. Uploads carry a unique word so that searches find exactly them."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from agentnb import AgentOSClient, ConfigurationError, RemoteAgent, RemoteKnowledge
from agentnb.demo.knowledge import DOCUMENTS
from agentnb.errors import EndpointNotServedError, NotFoundError
from tests.conftest import SECURITY_KEY
from tests.peers.agentos import AgentOSPeer

pytestmark = pytest.mark.peer


@pytest.fixture(params=["open", "secured"])
def peer_and_token(
    request: pytest.FixtureRequest, agentos: AgentOSPeer, agentos_secured: AgentOSPeer
) -> Iterator[tuple[AgentOSPeer, str | None]]:
    yield (agentos, None) if request.param == "open" else (agentos_secured, SECURITY_KEY)


async def _knowledge(peer_and_token: tuple[AgentOSPeer, str | None]) -> RemoteKnowledge:
    peer, token = peer_and_token
    agent = RemoteAgent(peer.base_url, agent_id="knowledge-agent", auth_token=token)
    await agent.get_agent_config()
    knowledge = agent.knowledge
    assert isinstance(knowledge, RemoteKnowledge)
    assert agent.knowledge is knowledge  # cheap: the same object, no request per read
    return knowledge


def _word() -> str:
    return "zq" + uuid.uuid4().hex[:10]


async def test_knowledge_is_bound_to_the_contents_db(peer_and_token: tuple[AgentOSPeer, str | None]) -> None:
    knowledge = await _knowledge(peer_and_token)
    peer, token = peer_and_token
    agent = RemoteAgent(peer.base_url, agent_id="knowledge-agent", auth_token=token)
    config = await agent.get_agent_config()
    assert knowledge.db_id == config.db_id and knowledge.knowledge_table
    assert RemoteAgent(peer.base_url, agent_id="assistant", auth_token=token).knowledge is None


async def test_search_finds_preloaded_documents_with_scores(
    peer_and_token: tuple[AgentOSPeer, str | None],
) -> None:
    knowledge = await _knowledge(peer_and_token)
    page = await knowledge.search_knowledge("refund card purchase", max_results=3)
    assert page.data[0].name == "refund-policy"
    scores = [r.score for r in page.data]
    assert all(isinstance(s, float) for s in scores)
    assert scores == sorted(scores, reverse=True)  # type: ignore[type-var]
    assert page.data[0].content == dict(DOCUMENTS)["refund-policy"]


async def test_upload_text_bytes_path_then_list_status_update_delete(
    peer_and_token: tuple[AgentOSPeer, str | None], tmp_path: Path
) -> None:
    knowledge = await _knowledge(peer_and_token)
    words = [_word() for _ in range(3)]
    text = await knowledge.upload_content(
        name=f"text-{words[0]}",
        text_content=f"The {words[0]} is a small blue bird.",
        metadata={"kind": "text"},
    )
    raw = await knowledge.upload_content(
        name=f"bytes-{words[1]}",
        file=f"The {words[1]} grows in the mountains.".encode(),
        filename="plant.txt",
    )
    path = tmp_path / "fish.txt"
    path.write_text(f"The {words[2]} swims in cold rivers.", encoding="utf-8")
    from_path = await knowledge.upload_content(file=path, description="a fish")
    for content in (text, raw, from_path):
        assert content.id
        status = await knowledge.wait_until_processed(content.id)
        assert status.status == "completed", status

    for word, content in zip(words, (text, raw, from_path), strict=True):
        hits = await knowledge.search_knowledge(word, max_results=1)
        assert word in hits.data[0].content, (word, content.id)

    stored = await knowledge.get_content_by_id(text.id)
    assert stored.name == f"text-{words[0]}" and (stored.metadata or {}).get("kind") == "text"
    assert stored.status == "completed"
    ids = await knowledge.list_content_ids()
    assert {text.id, raw.id, from_path.id} <= set(ids)
    first_page = await knowledge.get_content(limit=2, page=1)
    assert len(first_page.data) == 2 and first_page.meta.total_count >= len(DOCUMENTS) + 3

    updated = await knowledge.update_content(text.id, name=f"renamed-{words[0]}", description="a bird")
    assert updated.name == f"renamed-{words[0]}" and updated.description == "a bird"
    for content in (text, raw, from_path):
        await knowledge.delete_content_by_id(content.id)
    with pytest.raises(NotFoundError):
        await knowledge.get_content_by_id(text.id)


async def test_config_names_readers_and_the_vector_db(peer_and_token: tuple[AgentOSPeer, str | None]) -> None:
    config = await (await _knowledge(peer_and_token)).get_config()
    assert config.readers and config.vector_dbs
    assert config.model_extra is not None  # unknown fields are kept, not refused


async def test_delete_all_content_must_be_asked_by_name(
    peer_and_token: tuple[AgentOSPeer, str | None],
) -> None:
    knowledge = await _knowledge(peer_and_token)
    before = (await knowledge.get_content(limit=1)).meta.total_count
    with pytest.raises(ConfigurationError, match="confirm"):
        await knowledge.delete_all_content()
    with pytest.raises(ConfigurationError):
        await knowledge.delete_all_content(confirm="some-other-knowledge")
    assert (await knowledge.get_content(limit=1)).meta.total_count == before  # nothing was sent


async def test_delete_all_content_with_its_name(tmp_path: Path) -> None:
    # A peer of its own: deleting everything must not empty the shared peers' knowledge.
    from tests.peers.agentos import agentos_peer

    with agentos_peer(tmp_path) as peer:
        agent = RemoteAgent(peer.base_url, agent_id="knowledge-agent")
        await agent.get_agent_config()
        knowledge = agent.knowledge
        assert knowledge is not None and knowledge.db_id
        assert (await knowledge.get_content()).meta.total_count == len(DOCUMENTS)
        await knowledge.delete_all_content(confirm=knowledge.db_id)
        assert (await knowledge.get_content()).data == []
        assert (await knowledge.search_knowledge("refund")).data == []


async def test_a_route_the_server_does_not_serve_is_named(agentos: AgentOSPeer) -> None:
    # Mounted elsewhere, no knowledge or trace route matches: FastAPI's own 404 "Not Found".
    client = AgentOSClient(agentos.base_url + "/older-os")
    with pytest.raises(EndpointNotServedError) as caught:
        await client.asearch_knowledge("refund")
    assert caught.value.endpoint == "POST /knowledge/search"
    assert "POST /knowledge/search" in str(caught.value) and "does not serve" in str(caught.value)
    with pytest.raises(EndpointNotServedError, match="GET /traces"):
        await client.aget_traces()
    # A missing resource on a route that exists stays a plain NotFoundError with the detail.
    served = AgentOSClient(agentos.base_url)
    with pytest.raises(NotFoundError) as missing:
        await served.aget_knowledge_content("no-such-content")
    assert not isinstance(missing.value, EndpointNotServedError)


def test_sync_twins(agentos: AgentOSPeer) -> None:
    agent = RemoteAgent(agentos.base_url, agent_id="knowledge-agent")
    knowledge = agent.knowledge
    assert knowledge is not None
    hits = knowledge.search_knowledge_sync("shipping express Berlin", max_results=1)
    assert hits.data[0].name == "shipping"
