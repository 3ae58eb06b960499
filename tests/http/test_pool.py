"""The connection pool's size: ``max_connections=`` / ``limits=`` reach the httpx pool.

Against the benchmark server (benchmarks/_server.py, a real HTTP server on 127.0.0.1): more
concurrent streams than connections all finish, over no more connections than allowed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from agentnb import A2AClient, ConfigurationError, RemoteAgent
from agentnb._http import client_for_running_loop
from agentnb._http.loops import DEFAULT_LIMITS
from benchmarks._common import local_server


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with local_server() as base:
        yield base


def pool_of(client: httpx.AsyncClient) -> Any:
    return client._transport._pool  # type: ignore[attr-defined]  # httpcore's AsyncConnectionPool


async def test_max_connections_reaches_the_pool_and_caps_concurrent_streams(server: str) -> None:
    agent = RemoteAgent(server, agent_id="frame-30", prefetch_config=False, max_connections=3)
    assert agent.agentos_client is not None
    limits = agent.agentos_client.http.limits
    assert (limits.max_connections, limits.max_keepalive_connections) == (3, 3)
    most_open = 0

    async def one() -> str:
        nonlocal most_open
        text = []
        async for event in agent.arun("hi", stream=True):
            pool = pool_of(await client_for_running_loop(None, limits))
            most_open = max(most_open, len(pool.connections))
            text.append(getattr(event, "content", None) or "")
        return "".join(text)

    answers = await asyncio.gather(*(one() for _ in range(8)))
    pool = pool_of(await client_for_running_loop(None, limits))
    assert (pool._max_connections, pool._max_keepalive_connections) == (3, 3)
    assert all(answers) and len(set(answers)) == 1  # every stream finished, none starved
    assert 1 <= most_open <= 3


async def test_a2a_client_takes_httpx_limits(server: str) -> None:
    limits = httpx.Limits(max_connections=2, max_keepalive_connections=1)
    client = A2AClient(f"{server}/a2a03-frame-5", limits=limits)
    results = await asyncio.gather(*(client.stream_message("hi").until_done() for _ in range(4)))
    assert all(r.is_completed for r in results)
    pool = pool_of(await client_for_running_loop(None, limits))
    assert (pool._max_connections, pool._max_keepalive_connections) == (2, 1)
    assert len(pool.connections) <= 2
    agent = RemoteAgent(f"{server}/a2a10-frame-5", agent_id="x", protocol="a2a", max_connections=5)
    assert agent.a2a_client is not None and agent.a2a_client.http.limits.max_connections == 5


async def test_the_default_pool_and_bad_values() -> None:
    agent = RemoteAgent("http://127.0.0.1:9", agent_id="a", prefetch_config=False)
    assert agent.agentos_client is not None and agent.agentos_client.http.limits is DEFAULT_LIMITS
    pool = pool_of(await client_for_running_loop(None, DEFAULT_LIMITS))
    assert (pool._max_connections, pool._max_keepalive_connections) == (200, 20)
    with pytest.raises(ConfigurationError, match="not both"):
        A2AClient("http://127.0.0.1:9", max_connections=2, limits=httpx.Limits(max_connections=2))
    with pytest.raises(ConfigurationError, match="at least 1"):
        RemoteAgent("http://127.0.0.1:9", agent_id="a", prefetch_config=False, max_connections=0)
