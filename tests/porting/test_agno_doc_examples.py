"""Every code example of agno's RemoteAgent and A2AClient pages (../shared/reference/), run against
the real peers with only its imports changed (``agno.*`` -> ``agentnb``) and its URLs and ids
pointed at them. Each example is copied as published; comments mark the two lines that must differ.
"""

from __future__ import annotations

import pytest

from agentnb import (
    A2AClient,
    RemoteAgent,
    RemoteServerUnavailableError,
    ToolExecution,
)
from tests.conftest import SECURITY_KEY
from tests.peers.a2a_peers import A2APeer
from tests.peers.agentos import AgentOSPeer

pytestmark = pytest.mark.peer


# --------------------------------------------------------------------------- RemoteAgent page


async def test_basic_usage(agentos: AgentOSPeer, capsys: pytest.CaptureFixture[str]) -> None:
    agent = RemoteAgent(
        base_url=agentos.base_url,
        agent_id="assistant",
    )
    response = await agent.arun("What is the capital of France?")
    print(response.content)
    assert "What is the capital of France?" in capsys.readouterr().out


async def test_properties(agentos: AgentOSPeer, capsys: pytest.CaptureFixture[str]) -> None:
    agent = RemoteAgent(base_url=agentos.base_url, agent_id="assistant")
    await agent.get_agent_config()  # inside a running loop the properties read the cached config
    print(agent.id)
    print(agent.name)
    print(agent.description)
    print(agent.role)
    tools = agent.tools
    if tools:
        for tool in tools:
            print(tool["name"])
    if agent.db:
        print(f"Database ID: {agent.db.id}")
    if agent.knowledge:
        print("Agent has knowledge enabled")
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "assistant" and out[1] == "Assistant" and "get_weather" in out
    assert any(line.startswith("Database ID: ") for line in out)


async def test_arun_non_streaming_and_streaming(
    agentos: AgentOSPeer, capsys: pytest.CaptureFixture[str]
) -> None:
    agent = RemoteAgent(base_url=agentos.base_url, agent_id="assistant")
    # Non-streaming
    response = await agent.arun(
        "Tell me about Python",
        user_id="user-123",
        session_id="session-456",
    )
    print(response.content)

    # Streaming
    async for event in agent.arun(
        "Tell me a story",
        stream=True,
        user_id="user-123",
    ):
        if hasattr(event, "content") and event.content:
            print(event.content, end="", flush=True)
    out = capsys.readouterr().out
    assert "Tell me about Python" in out and "Tell me a story" in out
    assert response.session_id == "session-456" and response.user_id == "user-123"


async def test_acontinue_run(agentos: AgentOSPeer) -> None:
    agent = RemoteAgent(base_url=agentos.base_url, agent_id="external-agent")
    paused = await agent.arun("run ls please")  # the example needs a real paused run: its ids below
    run_id, call_id = paused.run_id, paused.tools[0].tool_call_id  # type: ignore[index]

    response = await agent.acontinue_run(
        run_id=run_id,  # the page's "run-123"
        updated_tools=[
            ToolExecution(
                tool_call_id=call_id,  # the page's "call-1"
                result="Tool result here",
            )
        ],
    )
    assert response.is_completed and "Tool result here" in response.text


async def test_cancel_run(agentos: AgentOSPeer, capsys: pytest.CaptureFixture[str]) -> None:
    agent = RemoteAgent(base_url=agentos.base_url, agent_id="assistant")
    async with agent.arun("slow please", stream=True) as stream:  # a run to cancel: its id below
        async for event in stream:
            if event.run_id:
                break
        success = await agent.cancel_run(run_id=event.run_id)
        if success:
            print("Run cancelled")
    assert capsys.readouterr().out == "Run cancelled\n"


async def test_get_agent_config_and_refresh_config(
    agentos: AgentOSPeer, capsys: pytest.CaptureFixture[str]
) -> None:
    agent = RemoteAgent(base_url=agentos.base_url, agent_id="assistant")
    config = await agent.get_agent_config()
    print(f"Agent name: {config.name}")
    print(f"Model: {config.model}")
    # The page writes ``config = agent.refresh_config()``; agno's refresh_config is a coroutine
    # (agno/agent/remote.py), so the line needs ``await`` there as here. ``reload_config()`` is our
    # sync twin.
    config = await agent.refresh_config()
    assert config.name == "Assistant" and agent.reload_config().name == "Assistant"
    out = capsys.readouterr().out
    assert "Agent name: Assistant" in out and "Model: " in out


async def test_a2a_on_agnos_a2a_interface(agentos: AgentOSPeer, capsys: pytest.CaptureFixture[str]) -> None:
    agent = RemoteAgent(
        base_url=f"{agentos.base_url}/a2a/agents/assistant",
        agent_id="assistant",
        protocol="a2a",
    )
    response = await agent.arun("Hello!")
    print(response.content)
    assert "Hello!" in capsys.readouterr().out and response.is_completed


async def test_a2a_json_rpc_like_google_adk(
    a2a_peers: dict[str, A2APeer], capsys: pytest.CaptureFixture[str]
) -> None:
    agent = RemoteAgent(
        base_url=a2a_peers["v03"].base_url,  # the page's ADK server on :8001
        agent_id="facts_agent",
        protocol="a2a",
        a2a_protocol="json-rpc",
    )
    response = await agent.arun("Tell me an interesting fact")
    print(response.content)
    # Streaming is also supported
    async for event in agent.arun("Tell me a story", stream=True):
        if hasattr(event, "content") and event.content:
            print(event.content, end="", flush=True)
    out = capsys.readouterr().out
    assert "interesting fact" in out and "story" in out


async def test_error_handling(capsys: pytest.CaptureFixture[str]) -> None:
    from tests.peers.agentos import free_port

    agent = RemoteAgent(
        base_url=f"http://127.0.0.1:{free_port()}", agent_id="assistant", prefetch_config=False
    )
    try:
        response = await agent.arun("Hello")
    except RemoteServerUnavailableError as e:
        print(f"Remote server unavailable: {e.message}")
    assert capsys.readouterr().out.startswith("Remote server unavailable: Cannot connect to")
    assert "response" not in locals()


async def test_authentication(agentos_secured: AgentOSPeer) -> None:
    agent = RemoteAgent(base_url=agentos_secured.base_url, agent_id="assistant", prefetch_config=False)
    response = await agent.arun(
        "Hello",
        auth_token=SECURITY_KEY,  # the page's "your-jwt-token"
    )
    assert response.is_completed


# --------------------------------------------------------------------------- A2AClient page


async def test_a2a_client_basic_usage_and_agno_server(
    agentos: AgentOSPeer, capsys: pytest.CaptureFixture[str]
) -> None:
    client = A2AClient(f"{agentos.base_url}/a2a/agents/assistant")
    result = await client.send_message(message="Hello!")
    print(result.content)
    result = await client.send_message(message="What can you help me with?")
    print(result.content)
    out = capsys.readouterr().out
    assert "Hello!" in out and "What can you help me with?" in out


async def test_a2a_client_json_rpc_like_google_adk(
    a2a_peers: dict[str, A2APeer], capsys: pytest.CaptureFixture[str]
) -> None:
    client = A2AClient(a2a_peers["v03"].base_url + "/", protocol="json-rpc")
    result = await client.send_message(message="Tell me an interesting fact")
    print(result.content)
    assert "interesting fact" in capsys.readouterr().out and client.dialect == "A2A v0.3 JSON-RPC"


async def test_a2a_client_send_message(agentos: AgentOSPeer, capsys: pytest.CaptureFixture[str]) -> None:
    client = A2AClient(f"{agentos.base_url}/a2a/agents/assistant")
    result = await client.send_message(
        message="What is the capital of France?",
        user_id="user-123",
        context_id="session-456",
    )
    print(result.content)
    print(f"Task ID: {result.task_id}")
    print(f"Context ID: {result.context_id}")
    out = capsys.readouterr().out
    assert f"Task ID: {result.task_id}" in out and "Context ID: session-456" in out


async def test_a2a_client_stream_message(agentos: AgentOSPeer, capsys: pytest.CaptureFixture[str]) -> None:
    client = A2AClient(f"{agentos.base_url}/a2a/agents/assistant")
    async for event in client.stream_message(
        message="Tell me a story",
        user_id="user-123",
    ):
        if event.is_content and event.content:
            print(event.content, end="", flush=True)
        if event.is_final:
            print("\n--- Stream complete ---")
    out = capsys.readouterr().out
    assert "Tell me a story" in out and out.endswith("--- Stream complete ---\n")


async def test_a2a_client_agent_card(agentos: AgentOSPeer, capsys: pytest.CaptureFixture[str]) -> None:
    client = A2AClient(f"{agentos.base_url}/a2a/agents/assistant")
    card = await client.aget_agent_card()
    if card:
        print(f"Agent: {card.name}")
        print(f"Description: {card.description}")
        print(f"Capabilities: {card.capabilities}")
    assert "Agent: " in capsys.readouterr().out


def test_a2a_client_agent_card_sync(agentos: AgentOSPeer, capsys: pytest.CaptureFixture[str]) -> None:
    client = A2AClient(f"{agentos.base_url}/a2a/agents/assistant")
    card = client.get_agent_card()
    if card:
        print(f"Agent: {card.name}")
    assert capsys.readouterr().out.startswith("Agent: ")


async def test_a2a_client_multi_turn(agentos: AgentOSPeer, capsys: pytest.CaptureFixture[str]) -> None:
    client = A2AClient(f"{agentos.base_url}/a2a/agents/assistant")
    # First message - no context_id
    result1 = await client.send_message(
        message="My name is Alice and I love Python.",
    )
    print(f"Agent: {result1.content}")
    # Get context_id from response
    context_id = result1.context_id
    # Follow-up message - include context_id
    result2 = await client.send_message(
        message="What is my name?",
        context_id=context_id,
    )
    print(f"Agent: {result2.content}")
    assert result2.context_id == context_id and "What is my name?" in capsys.readouterr().out


async def test_a2a_client_error_handling(capsys: pytest.CaptureFixture[str]) -> None:
    from httpx import HTTPStatusError

    from tests.peers.agentos import free_port

    client = A2AClient(f"http://127.0.0.1:{free_port()}/a2a/agents/my-agent")
    try:
        result = await client.send_message(message="Hello")
    except RemoteServerUnavailableError as e:
        print(f"Server unavailable: {e.message}")
        print(f"URL: {e.base_url}")
    except HTTPStatusError as e:
        print(f"HTTP error: {e.response.status_code}")
    out = capsys.readouterr().out
    assert out.startswith("Server unavailable: ") and "URL: http://127.0.0.1:" in out
    assert "result" not in locals()


async def test_a2a_client_http_error(agentos: AgentOSPeer, capsys: pytest.CaptureFixture[str]) -> None:
    from httpx import HTTPStatusError

    client = A2AClient(f"{agentos.base_url}/a2a/agents/no-such-agent")
    try:
        await client.send_message(message="Hello")
    except RemoteServerUnavailableError as e:
        print(f"Server unavailable: {e.message}")
    except HTTPStatusError as e:
        print(f"HTTP error: {e.response.status_code}")
    assert capsys.readouterr().out == "HTTP error: 404\n"
