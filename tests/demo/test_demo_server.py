"""``python -m agentnb.demo`` as a real process, driven with agentnb's own clients."""

from __future__ import annotations

import json
import os
import socket
import statistics
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from agentnb import (
    A2AClient,
    RemoteAgent,
    RunCancelled,
    RunCompleted,
    RunContent,
    RunError,
    RunPaused,
    RunStatus,
)
from agentnb.demo import cli
from tests.demo.demo_process import REPO, DemoProcess, demo_env, free_port_pair
from tests.demo.needs import need_module

pytestmark = pytest.mark.peer

AGENT_IDS = [
    "chat", "tools", "confirm", "email", "shell", "slow", "failing",
    "attachments", "picture", "memory-agent", "knowledge-agent",
]  # fmt: skip
COLD_STARTS: list[float] = []


@dataclass
class Demo:
    process: DemoProcess
    port: int
    data_dir: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def a2a_url(self) -> str:
        return f"http://127.0.0.1:{self.port + 1}"

    def agent(self, agent_id: str) -> RemoteAgent:
        return RemoteAgent(self.url, agent_id=agent_id)


def start_demo(data_dir: Path, *extra: str) -> Demo:
    port = free_port_pair()
    process = DemoProcess("--port", str(port), "--data-dir", str(data_dir), *extra)
    try:
        COLD_STARTS.append(process.wait_healthy(f"http://127.0.0.1:{port}"))
        process.wait_ready()
    except BaseException:
        process.terminate()
        raise
    return Demo(process, port, data_dir)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    running = start_demo(tmp_path_factory.mktemp("demo-data"))
    yield running
    running.process.terminate()


def sid() -> str:
    return f"demo-{uuid.uuid4().hex[:10]}"


def get(url: str) -> httpx.Response:
    return httpx.get(url, timeout=10, trust_env=False)


# --------------------------------------------------------------------------- startup


def test_ready_output_health_agents_and_cards(demo: Demo) -> None:
    out = demo.process.output
    assert f"ready: {demo.url}" in out
    assert f"AgentOS     : {demo.url}" in out
    assert f"{demo.url}/a2a/agents/chat/.well-known/agent-card.json" in out
    assert f"{demo.a2a_url}/.well-known/agent-card.json" in out
    assert "from agentnb import RemoteAgent, ChatPane" in out
    assert f'agent = RemoteAgent("{demo.url}", agent_id="chat")' in out and "ChatPane(agent)" in out
    assert out.index("\nready:") > out.index("ChatPane(agent)")
    assert "Traceback" not in out

    assert get(f"{demo.url}/health").json()["status"] == "ok"
    agents = get(f"{demo.url}/agents").json()
    assert [a["id"] for a in agents] == AGENT_IDS
    assert list(cli.AGENT_IDS) == AGENT_IDS  # the banner's literal copy says what the server serves
    assert f"teams and workflows: {', '.join(cli.TEAM_AND_WORKFLOW_IDS)}" in out
    served = [t["id"] for t in get(f"{demo.url}/teams").json()] + [
        w["id"] for w in get(f"{demo.url}/workflows").json()
    ]
    assert served == list(cli.TEAM_AND_WORKFLOW_IDS)
    assert get(f"{demo.url}/a2a/agents/chat/.well-known/agent-card.json").json()["name"] == "Chat Agent"
    card = get(f"{demo.a2a_url}/.well-known/agent-card.json").json()
    assert card["name"] == "facts" and card["protocolVersion"].startswith("0.3")
    assert card["url"] == f"{demo.a2a_url}/"
    assert sorted(p.name for p in (demo.data_dir / "sandbox").iterdir()) == [
        "draft.md",
        "notes.txt",
        "old.log",
    ]
    assert (demo.data_dir / "demo.db").is_file()


# --------------------------------------------------------------------------- agents


async def test_chat_streams_markdown_with_code_and_table(demo: Demo) -> None:
    agent, session = demo.agent("chat"), sid()
    async with agent.arun("Show me pandas", stream=True, session_id=session) as stream:
        events = [e async for e in stream]
    deltas = [e.content for e in events if isinstance(e, RunContent)]
    text = stream.output.text
    assert isinstance(events[-1], RunCompleted) and len(deltas) >= 5 and "".join(deltas) == text
    assert text.startswith("## ") and "Show me pandas" in text
    assert "```python\n" in text and "\n```\n" in text
    assert "| step | what happens |" in text and "| 1 |" in text
    assert "(turn 1 in this session)" in text
    again = await agent.arun("And numpy?", session_id=session)
    assert "(turn 2 in this session)" in again.text and "And numpy?" in again.text


async def test_tools_agent_answers_with_the_lookup_result(demo: Demo) -> None:
    out = await demo.agent("tools").arun("What is the capital of France?")
    assert out.is_completed and "The capital of France is Paris." in out.text
    assert out.tools and out.tools[0].tool_name == "lookup" and out.tools[0].tool_args == {"topic": "france"}


async def test_confirm_approve_deletes_and_reject_keeps(demo: Demo) -> None:
    agent, sandbox = demo.agent("confirm"), demo.data_dir / "sandbox"
    assert (sandbox / "old.log").exists()
    paused = await agent.arun("delete old.log", session_id=sid())
    assert paused.is_paused and [t.tool_name for t in paused.tools_requiring_confirmation] == ["delete_file"]
    assert (sandbox / "old.log").exists()  # nothing happens before the approval
    paused.active_requirements[0].confirm()
    done = await agent.acontinue_run(paused)
    assert done.is_completed and "Deleted old.log" in done.text and not (sandbox / "old.log").exists()

    stream = agent.arun("please delete draft.md", stream=True, session_id=sid())
    async with stream:
        events = [e async for e in stream]
    assert isinstance(events[-1], RunPaused)
    stream.output.active_requirements[0].reject("keep it")
    kept = await agent.acontinue_run(stream.output)
    assert kept.is_completed and "keep it" in kept.text and (sandbox / "draft.md").exists()

    listed = await agent.arun("list the files")
    assert listed.is_completed and "draft.md" in listed.text and "old.log" not in listed.text


async def test_confirm_refuses_paths_outside_the_sandbox(demo: Demo) -> None:
    agent = demo.agent("confirm")
    paused = await agent.arun("delete ../demo.db")
    paused.active_requirements[0].confirm()
    done = await agent.acontinue_run(paused)
    assert "Refused" in done.text and (demo.data_dir / "demo.db").exists()


async def test_email_form_fields_and_outbox(demo: Demo) -> None:
    agent = demo.agent("email")
    paused = await agent.arun("send an email to the team", session_id=sid())
    requirement = paused.active_requirements[0]
    assert paused.is_paused and requirement.needs_user_input and requirement.user_input_schema
    fields = {f.name: f.field_type for f in requirement.user_input_schema}
    assert fields == {"to": "str", "subject": "str", "urgent": "bool"}
    requirement.provide_user_input({"to": "ada@example.com", "subject": "Launch", "urgent": True})
    done = await agent.acontinue_run(paused)
    assert done.is_completed and "ada@example.com" in done.text
    records = [json.loads(line) for line in (demo.data_dir / "outbox.jsonl").read_text().splitlines()]
    assert {"to": "ada@example.com", "subject": "Launch", "urgent": True}.items() <= records[-1].items()


async def test_shell_pauses_for_external_execution_and_summarises(demo: Demo) -> None:
    agent = demo.agent("shell")
    paused = await agent.arun("please run `ls -l`", session_id=sid())
    requirement = paused.active_requirements[0]
    assert requirement.needs_external_execution
    assert requirement.tool_execution.tool_args == {"command": "ls -l"}
    requirement.set_external_execution_result("notes.txt\nreport.pdf")
    stream = agent.acontinue_run(paused, stream=True)
    async with stream:
        events = [e async for e in stream]
    assert isinstance(events[-1], RunCompleted)
    assert "`ls -l` printed 2 line(s)" in stream.output.text and "report.pdf" in stream.output.text
    assert (await agent.arun("list files")).active_requirements[0].tool_execution.tool_args == {
        "command": "ls"
    }


async def test_slow_agent_can_be_cancelled_mid_stream(demo: Demo) -> None:
    agent = demo.agent("slow")
    stream = agent.arun("count", stream=True, session_id=sid())
    events = []
    started = time.monotonic()
    async with stream:
        async for event in stream:
            events.append(event)
            if isinstance(event, RunContent) and event.content == "tick 2 ":
                assert await agent.cancel_run(stream.run_id or "") is True
    assert isinstance(events[-1], RunCancelled) and stream.output.is_cancelled
    assert stream.output.text.startswith("tick 0 tick 1 tick 2 ") and "tick 59" not in stream.output.text
    assert time.monotonic() - started < 3


async def test_failing_agent_reports_an_error(demo: Demo) -> None:
    agent = demo.agent("failing")
    out = await agent.arun("hello")
    assert out.status is RunStatus.error and "failed on purpose" in out.text
    async with agent.arun("hello", stream=True) as stream:
        events = [e async for e in stream]
    assert isinstance(events[-1], RunError) and "failed on purpose" in (events[-1].content or "")
    assert events[-1].error_type == "RuntimeError"


# --------------------------------------------------------------------------- A2A


async def test_agno_a2a_interface_completes(demo: Demo) -> None:
    agent = RemoteAgent(f"{demo.url}/a2a/agents/chat", agent_id="chat", protocol="a2a")
    out = await agent.arun("hello over A2A")
    assert out.is_completed and "```python" in out.text and "hello over A2A" in out.text


async def test_a2a_sdk_server_send_stream_input_required_and_file(demo: Demo) -> None:
    client = A2AClient(demo.a2a_url)
    sent = await client.send_message("Tell me about Japan")
    assert sent.is_completed and "The capital of Japan is Tokyo." in sent.content
    assert client.dialect == "A2A v0.3 JSON-RPC"

    again = await client.send_message("and Italy?", context_id=sent.context_id)
    assert "Rome" in again.content and "previous: Tell me about Japan" in again.content

    stream = client.stream_message("facts about jupyter")
    events = [e async for e in stream]
    chunks = [e.content for e in events if e.is_content]
    assert len(chunks) >= 4 and events[-1].is_completed and "IPython" in stream.result.content

    asked = await client.send_message("ask me for input")
    assert asked.is_input_required and asked.prompt == "What is your name?"
    answered = await client.areply(asked, "Grace")
    assert answered.is_completed and answered.task_id == asked.task_id and "Grace" in answered.content

    with_file = await client.send_message("send me a file about python")
    files = [a for a in with_file.artifacts if a.content is not None]
    assert files and files[0].name == "facts.txt" and b"python:" in files[0].content  # type: ignore[operator]


# --------------------------------------------------------------------------- lifecycle


def _listen_on(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", port))
    sock.listen(1)
    return sock


@pytest.mark.parametrize("busy", ["agentos", "a2a"])
def test_busy_port_exits_3_with_a_clear_message(busy: str, tmp_path: Path) -> None:
    port = free_port_pair()
    taken = port if busy == "agentos" else port + 1
    with _listen_on(taken):
        process = DemoProcess("--port", str(port), "--data-dir", str(tmp_path))
        code = process.wait_exit(30)
    out = process.output.strip()
    assert code == 3, out
    assert out.count("\n") == 0 and f"port {taken}" in out and "--port" in out and "Traceback" not in out


def _stream_in_background(url: str, ready: threading.Event, **kwargs: object) -> threading.Thread:
    def run() -> None:
        try:
            with httpx.stream("POST", url, timeout=30, trust_env=False, **kwargs) as response:  # type: ignore[arg-type]
                for _ in response.iter_lines():
                    ready.set()
        except httpx.HTTPError:
            pass  # the server went away, as it should

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_sigterm_stops_cleanly_even_mid_stream(tmp_path: Path) -> None:
    running = start_demo(tmp_path)
    agentos_streaming, a2a_streaming = threading.Event(), threading.Event()
    message = {
        "kind": "message",
        "messageId": "m1",
        "role": "user",
        "parts": [{"kind": "text", "text": "slow"}],
    }
    readers = [
        _stream_in_background(
            f"{running.url}/agents/slow/runs", agentos_streaming, data={"message": "count", "stream": "true"}
        ),
        _stream_in_background(
            f"{running.a2a_url}/",
            a2a_streaming,
            json={"jsonrpc": "2.0", "id": 1, "method": "message/stream", "params": {"message": message}},
        ),
    ]
    assert agentos_streaming.wait(15) and a2a_streaming.wait(15)
    started = time.monotonic()
    code = running.process.terminate()
    elapsed = time.monotonic() - started
    for reader in readers:
        reader.join(10)
    out = running.process.output
    assert code == 0, out
    # The slow agent streams for a minute: stopping well before that means the open streams were
    # ended, not waited for (a wide margin: this is a behaviour check on a shared, loaded machine).
    assert elapsed < 20, elapsed
    assert "Traceback" not in out and "ERROR" not in out and out.rstrip().endswith("agentnb demo: stopped")


def test_no_a2a_and_a_security_key(tmp_path: Path) -> None:
    key = "demo-key-5b1e"
    running = start_demo(tmp_path, "--no-a2a", "--security-key", key)
    try:
        out = running.process.output
        assert "A2A" not in out and "A2AClient" not in out and key not in out
        assert 'auth_token="<your --security-key>"' in out
        with pytest.raises(httpx.ConnectError):
            get(f"{running.a2a_url}/.well-known/agent-card.json")
        assert get(f"{running.url}/health").status_code == 200
        assert get(f"{running.url}/agents").status_code == 401
        headers = {"Authorization": f"Bearer {key}"}
        agents = httpx.get(f"{running.url}/agents", headers=headers, trust_env=False, timeout=10)
        assert [a["id"] for a in agents.json()] == AGENT_IDS
        card = f"{running.url}/a2a/agents/chat/.well-known/agent-card.json"
        assert httpx.get(card, headers=headers, trust_env=False, timeout=10).status_code == 404
        out = RemoteAgent(running.url, agent_id="tools", auth_token=key).run("capital of Spain")
        assert "Madrid" in out.text
    finally:
        assert running.process.terminate() == 0


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("nosuch:model", "unknown provider 'nosuch'"),
        ("openai:gpt-4o-mini", "OPENAI_API_KEY"),
        ("gpt-4o", "provider:name"),
    ],
)
def test_bad_model_is_a_clear_error(spec: str, message: str, tmp_path: Path) -> None:
    env = demo_env()
    env.pop("OPENAI_API_KEY", None)
    process = DemoProcess(
        "--port", str(free_port_pair()), "--data-dir", str(tmp_path), "--model", spec, env=env
    )
    code = process.wait_exit(30)
    assert code == 2 and message in process.output and "Traceback" not in process.output


def test_help_and_a_missing_command() -> None:
    from agentnb.demo.cli import main

    assert main(["demo", "--help"]) == 0
    assert main([]) == 2


def _lab_args(port: int) -> list[str]:
    args = ["--", f"--port={port}", "--IdentityProvider.token=demo-test", "--ServerApp.port_retries=0"]
    return [*args, "--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else args


def test_lab_starts_with_the_demo_and_stops_with_it(tmp_path: Path) -> None:
    need_module("jupyterlab", "agentnb demo --lab")
    lab_port = free_port_pair()
    running = start_demo(tmp_path, "--lab", "--no-browser", *_lab_args(lab_port))
    lab_url = f"http://127.0.0.1:{lab_port}"
    try:
        deadline = time.monotonic() + 45
        status = 0
        while time.monotonic() < deadline and status != 200:
            try:
                status = get(f"{lab_url}/api/status?token=demo-test").status_code
            except httpx.HTTPError:
                time.sleep(0.2)
        assert status == 200, running.process.output
        assert "starting JupyterLab" in running.process.output
        notebooks = REPO / "notebooks"
        if notebooks.is_dir():
            assert f"--notebook-dir={notebooks}" in running.process.output
    finally:
        code = running.process.terminate()
    assert code == 0, running.process.output
    with pytest.raises(httpx.ConnectError):
        get(f"{lab_url}/api/status")


def test_lab_exiting_stops_the_demo(tmp_path: Path) -> None:
    need_module("jupyterlab", "agentnb demo --lab")
    port = free_port_pair()
    process = DemoProcess(
        "--port", str(port), "--data-dir", str(tmp_path), "--lab", "--no-browser", "--", "--port=notaport"
    )
    code = process.wait_exit(60)
    assert code == 1 and "JupyterLab exited (code 1)" in process.output, process.output
    assert "Traceback" not in process.output


def test_cold_start_report(capsys: pytest.CaptureFixture[str]) -> None:
    """Process start to /health OK, measured on the starts above (printed, not asserted)."""
    if not COLD_STARTS:
        # Not a missing dependency: only this test was selected (-k), so there is nothing to report.
        pytest.skip("no demo was started")
    with capsys.disabled():
        times = ", ".join(f"{t:.2f}" for t in COLD_STARTS)
        print(f"\ndemo cold start (s): {times}; median {statistics.median(COLD_STARTS):.2f}")
