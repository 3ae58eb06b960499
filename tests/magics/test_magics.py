"""%agent / %%agent driven through IPython's InteractiveShell against the real AgentOS peer."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest
from IPython.core.interactiveshell import InteractiveShell

from agentnb import RemoteAgent, RunOutput
from agentnb.magics import agent_magic
from agentnb.magics.agent_magic import AgentMagics
from tests.peers.agentos import AgentOSPeer, free_port

pytestmark = pytest.mark.peer

TOKEN = "tok-7d1e-never-shown"


@pytest.fixture(scope="module")
def shell() -> InteractiveShell:
    ip = InteractiveShell.instance()
    ip.run_line_magic("load_ext", "agentnb")
    return ip


@pytest.fixture
def magics(shell: InteractiveShell) -> Iterator[AgentMagics]:
    m: AgentMagics = shell.magics_manager.registry["AgentMagics"]
    m.named.agents.clear()
    m.widgets = False
    yield m
    m.widgets = None


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """What the magics display (in a kernel these would be widgets in the output area)."""
    seen: list[Any] = []

    def fake_display(obj: Any, **kwargs: Any) -> Any:
        seen.append(obj)
        return None

    monkeypatch.setattr(agent_magic, "display", fake_display)
    return seen


def connect(
    shell: InteractiveShell, peer: AgentOSPeer, name: str = "helper", agent_id: str = "assistant"
) -> None:
    shell.run_line_magic("agent", f"connect {name} {peer.base_url} --agent-id {agent_id}")


def test_connect_and_list_never_show_the_token(
    shell: InteractiveShell,
    magics: AgentMagics,
    agentos: AgentOSPeer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("MY_AGENT_TOKEN", TOKEN)
    shell.run_line_magic(
        "agent", f"connect helper {agentos.base_url} --agent-id assistant --token-env MY_AGENT_TOKEN"
    )
    shell.run_line_magic("agent", f"connect peer {agentos.base_url}/a2a/agents/assistant --a2a")
    table = shell.run_line_magic("agent", "list")
    assert isinstance(table, pd.DataFrame)
    assert table.to_dict("records") == [
        {
            "name": "helper",
            "url": agentos.base_url,
            "agent_id": "assistant",
            "protocol": "agentos",
            "token_env": "MY_AGENT_TOKEN",
        },
        {
            "name": "peer",
            "url": f"{agentos.base_url}/a2a/agents/assistant",
            "agent_id": "peer",
            "protocol": "a2a",
            "token_env": None,
        },
    ]
    out = capsys.readouterr()
    assert "token from $MY_AGENT_TOKEN" in out.out
    assert TOKEN not in out.out + out.err + table.to_string() + repr(magics.named.get("helper"))
    assert magics.named.get("helper").auth_token == TOKEN  # it is used, just never shown


def test_a_missing_token_variable_is_one_line(
    shell: InteractiveShell, magics: AgentMagics, capsys: pytest.CaptureFixture[str]
) -> None:
    shell.run_line_magic("agent", "connect helper http://127.0.0.1:9 --token-env AGENTNB_NOT_SET_ANYWHERE")
    err = capsys.readouterr().err
    assert (
        err.strip()
        == "%agent: the environment variable AGENTNB_NOT_SET_ANYWHERE is not set (the token comes from it)"
    )
    assert "helper" not in magics.named.agents


def test_cell_substitutes_variables_and_streams_text(
    shell: InteractiveShell, magics: AgentMagics, agentos: AgentOSPeer, capsys: pytest.CaptureFixture[str]
) -> None:
    connect(shell, agentos)
    shell.user_ns["who"] = "Ada"
    shell.run_cell_magic("agent", "helper", "Greet {who} with {{braces}}\n")
    answer = "Hello! You said: Greet Ada with {braces}. This is a deterministic streamed answer."
    out = capsys.readouterr()
    assert answer in out.out and out.err == ""
    result = shell.user_ns["_agent"]
    assert isinstance(result, RunOutput) and result.is_completed and result.content == answer


def test_session_user_out_and_no_stream(
    shell: InteractiveShell, magics: AgentMagics, agentos: AgentOSPeer, capsys: pytest.CaptureFixture[str]
) -> None:
    connect(shell, agentos)
    session = f"magic-{uuid.uuid4().hex[:8]}"
    shell.run_cell_magic(
        "agent", f"helper --session {session} --user ada --no-stream --out reply", "hi there"
    )
    reply = shell.user_ns["reply"]
    assert reply.session_id == session and reply.user_id == "ada" and "You said: hi there" in reply.content
    assert "You said: hi there" in capsys.readouterr().out
    runs = RemoteAgent(agentos.base_url, agent_id="assistant").get_session_runs(session)
    assert [r.run_id for r in runs] == [reply.run_id]


def test_widget_mode_streams_into_a_stream_view(
    shell: InteractiveShell, magics: AgentMagics, agentos: AgentOSPeer, shown: list[Any]
) -> None:
    magics.widgets = True
    connect(shell, agentos)
    shell.run_cell_magic("agent", "helper --out md", "markdown <b>please</b>")
    (view,) = shown
    assert view.state == "completed" and view.output is shell.user_ns["md"]
    assert "<h1>Scripted report</h1>" in view.html.value and "<b>please</b>" not in view.html.value
    assert view.stop_button.layout.display == "none"
    assert view.coalescer.flushes >= 2


def test_a_paused_run_shows_its_approval_form(
    shell: InteractiveShell,
    magics: AgentMagics,
    agentos: AgentOSPeer,
    shown: list[Any],
    capsys: pytest.CaptureFixture[str],
) -> None:
    connect(shell, agentos, "janitor", "confirm-agent")
    shell.run_cell_magic("agent", "janitor", "delete the file")
    assert "paused: waiting for delete_file" in capsys.readouterr().out
    magics.widgets = True
    shown.clear()
    shell.run_cell_magic("agent", "janitor", "delete the file")
    view, form = shown
    assert view.state == "paused"
    assert type(form).__name__ == "ApprovalForm" and form.paused is shell.user_ns["_agent"]
    assert [c.tool.tool_name for c in form.cards] == ["delete_file"]


@pytest.mark.parametrize(
    ("line", "cell", "expected"),
    [
        ("nobody", "hi", "%agent: no agent named 'nobody' (known: helper; use %agent connect)"),
        ("helper", "hi {missing}", "%agent: {missing}: no such variable (write {{ for a literal brace)"),
        (
            "helper",
            "hi {who.__class__}",
            "%agent: {who.__class__}: only plain variable names can be substituted",
        ),
        ("helper", "   ", "%agent: the cell is empty: nothing to send"),
        ("helper --bogus", "hi", "%agent: %%agent: unrecognized arguments: --bogus"),
        ("helper --out 1x", "hi", "%agent: --out '1x': not a variable name"),
    ],
)
def test_mistakes_are_one_line(
    shell: InteractiveShell,
    magics: AgentMagics,
    agentos: AgentOSPeer,
    capsys: pytest.CaptureFixture[str],
    line: str,
    cell: str,
    expected: str,
) -> None:
    connect(shell, agentos)
    capsys.readouterr()
    shell.user_ns["who"] = "Ada"
    shell.run_cell_magic("agent", line, cell)
    err = capsys.readouterr().err
    assert err.strip() == expected


def test_failures_are_one_line_not_a_traceback(
    shell: InteractiveShell, magics: AgentMagics, agentos: AgentOSPeer, capsys: pytest.CaptureFixture[str]
) -> None:
    shell.run_line_magic("agent", f"connect gone http://127.0.0.1:{free_port()} --agent-id assistant")
    shell.run_cell_magic("agent", "gone", "hello")
    err = capsys.readouterr().err.strip()
    assert (
        err.startswith("%agent: RemoteServerUnavailableError: ")
        and "\n" not in err
        and "Traceback" not in err
    )
    connect(shell, agentos)
    shell.run_cell_magic("agent", "helper", "please fail")
    err = capsys.readouterr().err.strip()
    assert err == "%agent: the run failed: ScriptedModel exploded on purpose"
    assert shell.user_ns["_agent"].is_error
    shell.run_line_magic("agent", "frobnicate")
    assert capsys.readouterr().err.startswith("%agent: usage: %agent connect NAME URL")


def test_cards_shows_a_table(shell: InteractiveShell, magics: AgentMagics, agentos: AgentOSPeer) -> None:
    table = shell.run_line_magic("agent", f"cards {agentos.base_url}/a2a/agents/assistant")
    assert isinstance(table, pd.DataFrame) and len(table) == 1
    assert table.loc[0, "name"] == "Assistant" and pd.isna(table.loc[0, "error"])
