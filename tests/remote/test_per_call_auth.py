"""A per-call ``auth_token=`` reaches every call over both protocols (it used to be dropped over A2A
by ``get_agent_config`` and ``cancel_run``), and never shows in a repr."""

from __future__ import annotations

import httpx
import pytest

from agentnb import A2AHTTPError, AuthenticationError, RemoteAgent
from tests.conftest import SECURITY_KEY
from tests.peers.agentos import AgentOSPeer

pytestmark = pytest.mark.peer


class HeaderLog(httpx.AsyncBaseTransport):
    """The real HTTP transport, noting which requests carried an Authorization header (not its value)."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.seen: list[tuple[str, str, bool]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append((request.method, request.url.path, "authorization" in request.headers))
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def a2a_agent(peer: AgentOSPeer, log: HeaderLog) -> RemoteAgent:
    return RemoteAgent(
        f"{peer.base_url}/a2a/agents/assistant",
        agent_id="assistant",
        protocol="a2a",
        prefetch_config=False,
        transport=log,
    )


async def test_a2a_config_run_and_cancel_carry_the_per_call_token(agentos_secured: AgentOSPeer) -> None:
    log = HeaderLog()
    agent = a2a_agent(agentos_secured, log)
    config = await agent.get_agent_config(auth_token=SECURITY_KEY)
    card_requests = [auth for method, path, auth in log.seen if path.endswith("agent-card.json")]
    assert config.name and card_requests and all(card_requests)

    async with agent.arun("slow please", stream=True, auth_token=SECURITY_KEY) as stream:
        async for event in stream:
            if event.run_id:
                break
        log.seen.clear()
        assert await agent.cancel_run(event.run_id, auth_token=SECURITY_KEY) is True
    cancels = [auth for method, _, auth in log.seen if method == "POST"]
    assert cancels == [True]
    assert SECURITY_KEY not in repr(agent) and SECURITY_KEY not in repr(agent.http)


async def test_a2a_cancel_without_the_token_is_refused(agentos_secured: AgentOSPeer) -> None:
    log = HeaderLog()
    agent = a2a_agent(agentos_secured, log)
    with pytest.raises(AuthenticationError) as refused:
        await agent.cancel_run("some-task")
    # One error, both readings: an HTTP 401 (AuthenticationError) and an A2A error with its code.
    assert isinstance(refused.value, A2AHTTPError) and refused.value.response.status_code == 401
    assert [auth for method, _, auth in log.seen if method == "POST"] == [False]


async def test_agentos_config_and_cancel_carry_the_per_call_token(agentos_secured: AgentOSPeer) -> None:
    log = HeaderLog()
    agent = RemoteAgent(agentos_secured.base_url, agent_id="assistant", prefetch_config=False, transport=log)
    assert (await agent.get_agent_config(auth_token=SECURITY_KEY)).name
    assert await agent.cancel_run("no-such-run", auth_token=SECURITY_KEY) is True
    assert log.seen and all(auth for _, _, auth in log.seen)
