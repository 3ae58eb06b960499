"""The demo's pieces in-process: scripts, facts, paths, tools, --model checks, ports, banner."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from agno.models.message import Message

from agentnb.demo import paths as demo_paths
from agentnb.demo.agents import AGENT_IDS, email_tool, file_tools
from agentnb.demo.facts import find_topic, lookup_fact
from agentnb.demo.paths import DemoPaths
from agentnb.demo.ports import PortBusyError, base_url, bind, suggest_port
from agentnb.demo.providers import ModelSpecError, model_factory
from agentnb.demo.scripted import SLOW_TICKS, plan_for
from tests.demo.needs import need_module


def user(text: str) -> Message:
    return Message(role="user", content=text)


def tool_calls(plan_args: dict[str, object], name: str) -> list[dict[str, object]]:
    return [
        {"id": "call_1", "type": "function", "function": {"name": name, "arguments": json.dumps(plan_args)}}
    ]


def test_agent_ids_are_the_fixed_names() -> None:
    assert AGENT_IDS == ["chat", "tools", "confirm", "email", "shell", "slow", "failing"]


def test_chat_counts_turns_and_always_has_code_and_a_table() -> None:
    plan = plan_for("chat", [user("one"), Message(role="assistant", content="x"), user("two")])
    assert plan.kind == "text" and len(plan.chunks) > 5
    assert "(turn 2 in this session)" in plan.text and "```python" in plan.text and "| 1 |" in plan.text


@pytest.mark.parametrize(
    ("script", "text", "name", "args"),
    [
        ("tools", "What is the capital of Germany?", "lookup", {"topic": "germany"}),
        ("tools", "look up zebras", "lookup", {"topic": "zebras"}),
        ("confirm", "delete the file notes.txt please", "delete_file", {"name": "notes.txt"}),
        ("confirm", "delete something", "delete_file", {"name": "something"}),
        ("confirm", "list", "list_files", {}),
        ("confirm", "restore the files", "restore_files", {}),
        ("email", "mail the team", "send_email", {}),
        ("shell", "run pwd", "run_shell_command", {"command": "pwd"}),
        ("shell", "what is here?", "run_shell_command", {"command": "ls"}),
    ],
)
def test_scripts_call_their_tools(script: str, text: str, name: str, args: dict[str, object]) -> None:
    plan = plan_for(script, [user(text)])
    assert plan.kind == "tools"
    assert [c["function"]["name"] for c in plan.tool_calls] == [name]
    assert json.loads(plan.tool_calls[0]["function"]["arguments"]) == args


def test_tool_results_are_answered() -> None:
    calls = tool_calls({"command": "ls"}, "run_shell_command")
    messages = [
        user("run ls"),
        Message(role="assistant", tool_calls=calls),
        Message(role="tool", tool_call_id="call_1", tool_name="run_shell_command", content="a\nb"),
    ]
    assert plan_for("shell", messages).text.startswith("`ls` printed 2 line(s)")
    rejected = Message(
        role="tool", tool_call_id="call_1", tool_name="delete_file", content="nope", tool_call_error=True
    )
    assert plan_for("confirm", [user("delete x"), rejected]).text == "I did not run delete_file: nope"


def test_slow_and_failing() -> None:
    slow = plan_for("slow", [user("go")])
    assert slow.kind == "slow" and len(slow.chunks) == SLOW_TICKS and slow.chunks[-1] == "tick 59 "
    assert plan_for("failing", [user("go")]).kind == "error"


def test_facts() -> None:
    assert find_topic("Tell me about Japan!") == "japan" and "Tokyo" in lookup_fact("JAPAN")
    assert find_topic("what is quantum foam?") == "quantum foam"
    assert "I know about" in lookup_fact("quantum foam")


def test_default_data_dir_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(demo_paths.sys, "platform", "linux")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert demo_paths.default_data_dir() == tmp_path / "agentnb"
    monkeypatch.delenv("XDG_DATA_HOME")
    assert demo_paths.default_data_dir() == Path.home() / ".local" / "share" / "agentnb"
    monkeypatch.setattr(demo_paths.sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path))
    assert demo_paths.default_data_dir() == tmp_path / "agentnb"


def test_paths_and_db_override(tmp_path: Path) -> None:
    paths = DemoPaths.create(tmp_path / "data", tmp_path / "elsewhere" / "s.db")
    assert paths.db_file == (tmp_path / "elsewhere" / "s.db").resolve() and paths.db_file.parent.is_dir()
    assert paths.seed_sandbox() == ["notes.txt", "draft.md", "old.log"] and paths.seed_sandbox() == []


def test_file_tools_stay_inside_the_sandbox(tmp_path: Path) -> None:
    paths = DemoPaths.create(tmp_path, None)
    paths.seed_sandbox()
    (tmp_path / "secret.txt").write_text("x")
    list_files, delete_file, restore_files = (t.entrypoint for t in file_tools(paths))
    assert list_files() == "Files in the sandbox: draft.md, notes.txt, old.log."  # type: ignore[misc]
    for escape in ("../secret.txt", str(tmp_path / "secret.txt"), ".", ""):
        assert delete_file(escape).startswith("Refused")  # type: ignore[misc]
    assert (tmp_path / "secret.txt").exists()
    assert delete_file("old.log") == "Deleted old.log from the sandbox."  # type: ignore[misc]
    assert "no file named 'old.log'" in delete_file("old.log")  # type: ignore[misc]
    assert restore_files() == "Restored: old.log."  # type: ignore[misc]


def test_send_email_appends_to_the_outbox(tmp_path: Path) -> None:
    paths = DemoPaths.create(tmp_path, None)
    send = email_tool(paths).entrypoint
    assert "ada@example.com" in send(to="ada@example.com", subject="Hi", urgent=False)  # type: ignore[misc]
    record = json.loads(paths.outbox.read_text())
    assert (record["to"], record["subject"], record["urgent"]) == ("ada@example.com", "Hi", False)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("nosuch:model", "unknown provider 'nosuch'"),
        ("openai", "provider:name"),
        ("openai:gpt-4o-mini", "OPENAI_API_KEY"),
        ("anthropic:claude-sonnet-4-5", "ANTHROPIC_API_KEY"),
    ],
)
def test_model_spec_errors(spec: str, message: str) -> None:
    with pytest.raises(ModelSpecError, match=message):
        model_factory(spec, environ={})


def test_model_spec_builds_the_provider_class_when_the_key_is_there() -> None:
    need_module("openai", "building agno's OpenAIChat")
    make = model_factory("openai:gpt-4o-mini", environ={"OPENAI_API_KEY": "sk-test"})
    model = make()
    assert type(model).__name__ == "OpenAIChat" and model.id == "gpt-4o-mini" and make() is not model


def test_bind_reports_a_busy_port_and_suggests_a_free_one() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        with pytest.raises(PortBusyError) as info:
            bind("127.0.0.1", port)
        assert info.value.port == port and f"port {port}" in str(info.value)
        suggested = suggest_port("127.0.0.1", port)
        assert suggested is not None and suggested > port
    assert base_url("0.0.0.0", 1) == "http://127.0.0.1:1" and base_url("::1", 2) == "http://[::1]:2"


def test_a2a_facts_answers() -> None:
    from agentnb.demo.a2a_server import answer_chunks, choose_mode

    assert "".join(answer_chunks("Tell me about Spain", None)).endswith("The capital of Spain is Madrid.")
    greeting = answer_chunks("Send me a file", "hi")
    assert len(greeting) >= 4 and "You said: Send me a file." in "".join(greeting)
    assert greeting[-1] == " (previous: hi)"
    assert [choose_mode(t) for t in ("please fail", "I need your input", "slow", "hi")] == [
        "fail",
        "input",
        "slow",
        "default",
    ]
