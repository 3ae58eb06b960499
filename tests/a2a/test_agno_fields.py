"""Every field agno's A2AClient documentation names behaves as documented (agno-a2a-client-doc.md)."""

from __future__ import annotations

import httpx
import pytest

from agentnb import A2AClient, Artifact
from tests.peers.agentos import AgentOSPeer


def test_an_artifact_built_like_agnos_keeps_its_file_fields() -> None:
    png = Artifact(artifact_id="a1", name="chart.png", mime_type="image/png", content=b"\x89PNG")
    assert (png.artifact_id, png.name, png.mime_type, png.content, png.uri) == (
        "a1",
        "chart.png",
        "image/png",
        b"\x89PNG",
        None,
    )
    linked = Artifact(artifact_id="a2", description="the report", uri="https://example.test/r.pdf")
    assert linked.uri == "https://example.test/r.pdf" and linked.description == "the report"
    assert Artifact(artifact_id="a3", mime_type="text/csv").mime_type == "text/csv"
    assert Artifact(artifact_id="a4").mime_type is None


@pytest.mark.peer
async def test_card_and_results_fields_as_documented(agentos: AgentOSPeer) -> None:
    seen: list[str | None] = []

    class Log(httpx.AsyncBaseTransport):
        def __init__(self) -> None:
            self.inner = httpx.AsyncHTTPTransport()

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            seen.append(request.headers.get("x-trace"))
            return await self.inner.handle_async_request(request)

    client = A2AClient(f"{agentos.base_url}/a2a/agents/assistant", transport=Log())
    card = await client.aget_agent_card(headers={"x-trace": "abc"})
    assert card is not None and seen == ["abc"]
    assert card.name and card.url and isinstance(card.capabilities, dict)
    assert {"description", "version", "metadata"} <= set(type(card).model_fields)

    result = await client.send_message("hello there", user_id="user-123")
    assert result.task_id and result.context_id and isinstance(result.status, str)
    assert result.is_completed and not result.is_failed and not result.is_canceled
    assert "hello there" in result.content and isinstance(result.artifacts, list)

    stream = client.stream_message("hello again", context_id=result.context_id, user_id="user-123")
    events = [e async for e in stream]
    assert events[-1].is_final and events[-1].is_completed
    assert any(e.is_content and e.content for e in events)
    assert all(e.context_id == result.context_id for e in events if e.context_id)


@pytest.mark.peer
def test_sync_card_takes_headers_too(agentos: AgentOSPeer) -> None:
    card = A2AClient(f"{agentos.base_url}/a2a/agents/assistant").get_agent_card(headers={"x-trace": "1"})
    assert card is not None and card.name
