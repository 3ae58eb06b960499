"""The scripted AgentOS peer behaves as /work/shared/reference/agentos-protocol.md describes.

Raw httpx only: nothing from ``agentnb``'s client is used here (the expected texts come from the
scripted model the peer runs, ``agentnb.demo.plans``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from agentnb.demo.plans import ERROR_TEXT, default_answer

from .agentos import PEER_AGENT_IDS, AgentOSPeer
from .agentos_server import WEATHER_RESULT

pytestmark = pytest.mark.peer

AGENT_IDS = set(PEER_AGENT_IDS)


@pytest.fixture(scope="module")
def peer(agentos: AgentOSPeer) -> AgentOSPeer:
    """The session's scripted AgentOS (tests/conftest.py)."""
    return agentos


@pytest.fixture(scope="module")
def secured_peer(agentos_secured: AgentOSPeer) -> AgentOSPeer:
    """The session's scripted AgentOS behind a security key."""
    return agentos_secured


@pytest.fixture
def client(peer: AgentOSPeer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=peer.base_url, timeout=30.0) as c:
        yield c


def parse_sse(lines: Iterator[str]) -> Iterator[dict[str, Any]]:
    """Yield the JSON payload of each ``event:``/``data:`` frame, checking both agree."""
    name: str | None = None
    for line in lines:
        if line.startswith("event: "):
            name = line[len("event: ") :]
        elif line.startswith("data: "):
            payload = json.loads(line[len("data: ") :])
            assert payload["event"] == name
            yield payload
            name = None


def stream_run(client: httpx.Client, agent_id: str, message: str, session_id: str) -> list[dict[str, Any]]:
    data = {"message": message, "stream": "true", "session_id": session_id}
    with client.stream("POST", f"/agents/{agent_id}/runs", data=data) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        return list(parse_sse(r.iter_lines()))


def run(client: httpx.Client, agent_id: str, message: str, session_id: str) -> dict[str, Any]:
    r = client.post(
        f"/agents/{agent_id}/runs", data={"message": message, "stream": "false", "session_id": session_id}
    )
    assert r.status_code == 200, r.text
    out: dict[str, Any] = r.json()
    return out


def continue_run(
    client: httpx.Client, agent_id: str, paused: dict[str, Any], tools: list[dict[str, Any]]
) -> dict[str, Any]:
    r = client.post(
        f"/agents/{agent_id}/runs/{paused['run_id']}/continue",
        data={"tools": json.dumps(tools), "session_id": paused["session_id"], "stream": "false"},
    )
    assert r.status_code == 200, r.text
    out: dict[str, Any] = r.json()
    assert out["run_id"] == paused["run_id"]
    return out


def names(events: list[dict[str, Any]]) -> list[str]:
    return [e["event"] for e in events]


def test_health_and_agents(client: httpx.Client) -> None:
    health = client.get("/health")
    assert health.status_code == 200
    assert health.json()["status"] == "ok"

    agents = client.get("/agents")
    assert agents.status_code == 200
    by_id = {a["id"]: a for a in agents.json()}
    assert set(by_id) == AGENT_IDS
    assert by_id["assistant"]["name"] == "Assistant"
    assert by_id["confirm-agent"]["name"] == "Confirm Agent"
    assert all(a.get("description") for a in by_id.values())
    assert client.get("/agents/nope").status_code == 404


def test_non_stream_run(client: httpx.Client) -> None:
    out = run(client, "assistant", "Hi there", "peer-ns-1")
    assert out["status"] == "COMPLETED"
    assert out["content"] == default_answer("Hi there")
    assert out["model"] == "scripted-v1"
    assert out["model_provider"] == "Offline"
    assert out["metrics"]["input_tokens"] > 0
    assert out["metrics"]["output_tokens"] > 0


def test_stream_run(client: httpx.Client) -> None:
    events = stream_run(client, "assistant", "Hello again", "peer-s-1")
    kinds = names(events)
    assert kinds[0] == "RunStarted"
    assert kinds[-1] == "RunCompleted"
    contents = [e["content"] for e in events if e["event"] == "RunContent"]
    assert len(contents) >= 4
    assert contents[0] == "Hello! You "
    assert "".join(contents) == default_answer("Hello again")
    done = events[-1]
    assert done["content"] == default_answer("Hello again")
    assert done["metrics"]["output_tokens"] == len(contents)
    assert len({e["run_id"] for e in events}) == 1


def test_markdown_stream(client: httpx.Client) -> None:
    events = stream_run(client, "assistant", "show me markdown", "peer-md-1")
    text = events[-1]["content"]
    assert events[-1]["event"] == "RunCompleted"
    assert text.startswith("# ")
    assert "```python" in text
    assert "| city | temp |" in text
    assert sum(1 for e in events if e["event"] == "RunContent") >= 4


def test_weather_tool_call(client: httpx.Client) -> None:
    events = stream_run(client, "assistant", "What is the weather?", "peer-w-1")
    kinds = names(events)
    assert kinds.index("ToolCallStarted") < kinds.index("ToolCallCompleted") < kinds.index("RunCompleted")
    completed = events[kinds.index("ToolCallCompleted")]
    assert completed["tool"]["tool_name"] == "get_weather"
    assert completed["tool"]["tool_args"] == {"city": "Berlin"}
    assert completed["tool"]["result"] == WEATHER_RESULT
    assert completed["tool"]["tool_call_id"].startswith("call_")
    assert WEATHER_RESULT in events[-1]["content"]


def test_confirmation_pause_and_continue(client: httpx.Client) -> None:
    events = stream_run(client, "confirm-agent", "delete it", "peer-c-1")
    assert events[-1]["event"] == "RunPaused"
    paused_tool = events[-1]["tools"][0]
    assert paused_tool["requires_confirmation"] is True
    assert paused_tool["confirmed"] is None
    assert events[-1]["requirements"][0]["tool_execution"]["tool_call_id"] == paused_tool["tool_call_id"]

    paused = run(client, "confirm-agent", "delete it", "peer-c-2")
    assert paused["status"] == "PAUSED"
    tool = dict(paused["tools"][0], confirmed=True)
    out = continue_run(client, "confirm-agent", paused, [tool])
    assert out["status"] == "COMPLETED"
    assert "Deleted /tmp/important.txt" in out["content"]


def test_confirmation_rejected(client: httpx.Client) -> None:
    paused = run(client, "confirm-agent", "delete it", "peer-c-3")
    tool = dict(paused["tools"][0], confirmed=False, confirmation_note="keep it please")
    out = continue_run(client, "confirm-agent", paused, [tool])
    assert out["status"] == "COMPLETED"
    assert "keep it please" in out["content"]
    assert "Deleted" not in out["content"]


def test_two_confirmations(client: httpx.Client) -> None:
    paused = run(client, "confirm-agent", "delete two files", "peer-c-4")
    assert paused["status"] == "PAUSED"
    tools = paused["tools"]
    assert len(tools) == 2
    assert len({t["tool_call_id"] for t in tools}) == 2
    assert {t["tool_args"]["path"] for t in tools} == {"/tmp/important.txt", "/tmp/other.txt"}
    first, second = dict(tools[0], confirmed=True), dict(tools[1], confirmed=False)
    out = continue_run(client, "confirm-agent", paused, [first, second])
    assert out["status"] == "COMPLETED"
    assert f"Deleted {first['tool_args']['path']}" in out["content"]
    assert "rejected" in out["content"]


def test_user_input_pause(client: httpx.Client) -> None:
    paused = run(client, "input-agent", "send an email", "peer-i-1")
    assert paused["status"] == "PAUSED"
    tool = paused["tools"][0]
    assert tool["tool_name"] == "send_email"
    assert tool["requires_user_input"] is True
    schema = {f["name"]: f for f in tool["user_input_schema"]}
    assert schema["to"]["value"] is None
    assert schema["subject"]["value"] == "Hello"
    schema["to"]["value"] = "bob@example.com"
    out = continue_run(client, "input-agent", paused, [dict(tool, answered=True)])
    assert out["status"] == "COMPLETED"
    assert "bob@example.com" in out["content"]


def test_external_execution_pause(client: httpx.Client) -> None:
    paused = run(client, "external-agent", "run ls in the shell", "peer-x-1")
    assert paused["status"] == "PAUSED"
    tool = paused["tools"][0]
    assert tool["tool_name"] == "run_shell_command"
    assert tool["external_execution_required"] is True
    out = continue_run(client, "external-agent", paused, [dict(tool, result="a.txt b.txt")])
    assert out["status"] == "COMPLETED"
    assert "a.txt b.txt" in out["content"]


def test_failure(client: httpx.Client) -> None:
    events = stream_run(client, "assistant", "please fail", "peer-f-1")
    assert events[-1]["event"] == "RunError"
    assert events[-1]["content"] == ERROR_TEXT
    assert events[-1]["error_type"] == "RuntimeError"

    out = run(client, "assistant", "please explode", "peer-f-2")
    assert out["status"] == "ERROR"
    assert ERROR_TEXT in out["content"]


def test_cancel_slow_stream(client: httpx.Client) -> None:
    events: list[dict[str, Any]] = []
    data = {"message": "slow please", "stream": "true", "session_id": "peer-cancel-1"}
    with client.stream("POST", "/agents/assistant/runs", data=data) as r:
        assert r.status_code == 200
        for event in parse_sse(r.iter_lines()):
            events.append(event)
            if event["event"] == "RunContent" and names(events).count("RunContent") == 3:
                cancel = client.post(f"/agents/assistant/runs/{event['run_id']}/cancel")
                assert cancel.status_code == 200
                assert cancel.json() == {}
    kinds = names(events)
    assert "RunCancelled" in kinds
    cancelled = events[kinds.index("RunCancelled")]
    assert cancelled["content"].startswith("tick0 tick1 tick2 ")
    assert "tick39" not in cancelled["content"]
    assert cancelled["reason"] == f"Run {cancelled['run_id']} was cancelled"


def test_security_key(secured_peer: AgentOSPeer) -> None:
    with httpx.Client(base_url=secured_peer.base_url, timeout=30.0) as c:
        assert c.get("/health").status_code == 200
        missing = c.get("/agents")
        assert missing.status_code == 401
        assert missing.json() == {"detail": "Authorization header required"}
        wrong = c.get("/agents", headers={"Authorization": "Bearer wrong"})
        assert wrong.status_code == 401
        ok = c.get("/agents", headers=secured_peer.headers)
        assert ok.status_code == 200
        assert {a["id"] for a in ok.json()} == AGENT_IDS
        card = c.get("/a2a/agents/assistant/.well-known/agent-card.json", headers=secured_peer.headers)
        assert card.status_code == 200
        assert card.json()["name"] == "Assistant"
