"""ApprovalForm and ChatPane driven through their buttons, against the real peers."""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from agentnb import RemoteAgent, RunStatus
from agentnb.widgets import ApprovalForm, ChatPane, register_executor
from agentnb.widgets.approval import _Card
from agentnb.widgets.chat_bubbles import AgentBubble
from tests.conftest import SECURITY_KEY
from tests.peers.a2a_peers import A2APeer
from tests.peers.agentos import AgentOSPeer

pytestmark = pytest.mark.peer


def sid() -> str:
    return f"w-{uuid.uuid4().hex[:10]}"


async def until(predicate: Any, timeout: float = 20.0) -> None:
    """Let the loop run (button callbacks only schedule work) until ``predicate()`` holds."""
    for _ in range(int(timeout / 0.02)):
        if predicate():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("timed out waiting for the widget")


def card_of(form: ApprovalForm, index: int = 0) -> _Card:
    return form.cards[index]


# --------------------------------------------------------------------------- ApprovalForm


async def test_one_tool_one_click_approve_continues_in_place_once(agentos: AgentOSPeer) -> None:
    agent = RemoteAgent(agentos.base_url, agent_id="confirm-agent")
    paused = await agent.arun("please delete it", session_id=sid())
    sent: list[Any] = []
    original = agent.acontinue_run

    def spy(*args: Any, **kwargs: Any) -> Any:
        sent.append(args)
        return original(*args, **kwargs)

    agent.acontinue_run = spy  # type: ignore[method-assign]
    form = ApprovalForm(agent, paused)
    assert form.one_click and form.submit_button.layout.display == "none"
    assert "waiting for your decision" in form.title.value and not form.submitted
    card_of(form).approve.click()  # one click: sent at once, no Submit
    card_of(form).approve.click()  # a double click must not continue twice
    form.submit_button.click()
    assert form.submitted
    result = await form.wait()
    assert len(sent) == 1
    assert result.is_completed and "Deleted /tmp/important.txt" in result.text
    assert form.continuation is not None and "Deleted" in form.continuation.html.value
    assert card_of(form).approve.disabled
    # Collapsed to one line; nothing says "waiting" any more.
    assert form.children[0] is form.summary and form.title not in form.children
    assert "approved delete_file" in form.summary.value and "continued ✓" in form.summary.value


async def test_reject_with_note_and_two_tools_need_two_decisions(agentos: AgentOSPeer) -> None:
    agent = RemoteAgent(agentos.base_url, agent_id="confirm-agent")
    paused = await agent.arun("delete two files", session_id=sid())
    form = ApprovalForm(agent, paused, stream=False)
    assert len(form.cards) == 2 and not form.one_click
    assert form.submit_button.layout.display != "none" and form.approve_all_button.layout.display != "none"
    card_of(form, 0).approve.click()
    assert form.submit_button.disabled and not form.submitted  # the second tool is still undecided
    card_of(form, 1).note.value = "keep that one"
    card_of(form, 1).reject.click()
    form.submit_button.click()
    result = await form.wait()
    assert (
        result.is_completed and "Deleted /tmp/important.txt" in result.text and "keep that one" in result.text
    )
    assert "approved delete_file, rejected delete_file" in form.summary.value


async def test_approve_all_decides_every_tool_and_submit_stays(agentos: AgentOSPeer) -> None:
    agent = RemoteAgent(agentos.base_url, agent_id="confirm-agent")
    paused = await agent.arun("delete two files", session_id=sid())
    form = ApprovalForm(agent, paused)
    form.approve_all_button.click()
    assert [card.decision for card in form.cards] == ["approved", "approved"] and not form.submitted
    form.submit_button.click()
    result = await form.wait()
    assert result.is_completed and result.text.count("Deleted") == 2
    assert form.approve_all_button.disabled


async def test_user_input_fields_are_generated_and_validated(agentos: AgentOSPeer) -> None:
    agent = RemoteAgent(agentos.base_url, agent_id="input-agent")
    paused = await agent.arun("send an email", session_id=sid())
    form = ApprovalForm(agent, paused)
    card = card_of(form)
    assert set(card.fields) == {"to", "subject", "body"} and card.fields["subject"].value == "Hello"
    # Not touched yet: Submit waits for "to", and no problem is shown before the user acts.
    assert form.submit_button.disabled and form.message.value == ""
    card.fields["to"].value = "grace@example.com"
    assert not form.submit_button.disabled and form.message.value == ""
    form.submit_button.click()
    result = await form.wait()
    assert result.is_completed and "grace@example.com" in result.text


async def test_external_execution_runs_a_registered_callable(agentos: AgentOSPeer) -> None:
    calls: list[dict[str, Any]] = []

    def fake_shell(command: str) -> str:
        calls.append({"command": command})
        return "notes.txt report.pdf"

    register_executor("run_shell_command", fake_shell)
    agent = RemoteAgent(agentos.base_url, agent_id="external-agent")
    paused = await agent.arun("run the shell command", session_id=sid())
    form = ApprovalForm(agent, paused)
    card = card_of(form)
    assert form.submit_button.disabled
    card.run_button.click()
    await until(lambda: card.result_box.value)
    assert calls == [{"command": "ls"}] and not form.submit_button.disabled
    form.submit_button.click()
    result = await form.wait()
    assert result.is_completed and "notes.txt report.pdf" in result.text


async def test_a2a_input_required_gets_a_reply_box(a2a_peers: dict[str, A2APeer]) -> None:
    agent = RemoteAgent(a2a_peers["v1"].base_url, agent_id="x", protocol="a2a")
    paused = await agent.arun("input please")
    form = ApprovalForm(agent, paused)
    assert "What is your name?" in form.children[1].value and form.submit_button.disabled
    # Over A2A the agent asks a question: there is no "decision" to make.
    assert "decision" not in form.title.value and "question" in form.title.value
    assert not form.one_click
    form.reply.value = "Ada"
    form.submit_button.click()
    result = await form.wait()
    assert result.is_completed and "Ada" in result.text
    assert "answered" in form.summary.value and "continued ✓" in form.summary.value
    assert form.title not in form.children


async def test_a_run_that_is_not_paused_is_refused(agentos: AgentOSPeer) -> None:
    agent = RemoteAgent(agentos.base_url, agent_id="assistant")
    done = await agent.arun("hi")
    with pytest.raises(ValueError, match="not paused"):
        ApprovalForm(agent, done)


# --------------------------------------------------------------------------- ChatPane


async def test_chat_send_stream_multi_turn_and_timestamps(agentos: AgentOSPeer) -> None:
    pane = ChatPane(RemoteAgent(agentos.base_url, agent_id="assistant"), user_id="chat-user")
    pane.input.value = "first question"
    pane.input.submit()  # what Enter does
    assert pane.busy and pane.send_button.description == "Stop" and pane.input.disabled
    await pane.running
    assert not pane.busy and pane.send_button.description == "Send" and pane.input.value == ""
    first_session = pane.session_id
    assert first_session and "first question" in pane.history.children[0].value
    answer = pane.history.children[1]
    assert isinstance(answer, AgentBubble) and "Hello! You said: first question." in answer.content.html.value
    # A live answer gets the same stamp and Copy as a reloaded one.
    assert "agent · " in answer.stamp.value and answer.copy_button.text.startswith(
        "Hello! You said: first question."
    )
    pane.input.value = "second question"
    pane.send_button.click()
    await pane.running
    assert pane.session_id == first_session and len(pane.transcript) == 4
    assert [m["role"] for m in pane.transcript] == ["user", "agent", "user", "agent"]
    assert "you · " in pane.history.children[0].value


def test_an_empty_or_blank_message_is_not_sent_and_says_why() -> None:
    pane = ChatPane(RemoteAgent("http://127.0.0.1:9", agent_id="a", prefetch_config=False))
    pane.input.value = "   \n\t "
    pane.send_button.click()
    assert pane.running is None and not pane.busy and pane.transcript == []
    assert pane.input.value == "" and "nothing to send" in pane.status.value
    pane.input.value = "  "
    pane.input.submit()  # Enter: the same
    assert pane.input.value == "" and pane.transcript == []


async def test_chat_stop_midway_keeps_partial_text(agentos: AgentOSPeer) -> None:
    pane = ChatPane(RemoteAgent(agentos.base_url, agent_id="assistant"))
    task = pane.send("go slow please")
    await until(lambda: pane.current_view is not None and pane.current_view.chunk_count >= 3)
    pane.send_button.click()  # Send is Stop while running
    await task
    view = pane.history.children[1].content
    assert view.state == "stopped" and view.text.startswith("tick0 tick1 tick2 ")
    assert pane.send_button.description == "Send" and not pane.retry_button.disabled


async def test_chat_paused_run_shows_the_form_inline_and_continues(agentos: AgentOSPeer) -> None:
    pane = ChatPane(RemoteAgent(agentos.base_url, agent_id="confirm-agent"))
    task = pane.send("please delete the file")
    await until(lambda: any(isinstance(c, ApprovalForm) for c in pane.history.children))
    form = next(c for c in pane.history.children if isinstance(c, ApprovalForm))
    assert pane.busy
    card_of(form).approve.click()
    form.submit_button.click()
    await task
    assert form.result is not None and form.result.status is RunStatus.completed
    assert pane.transcript[-1]["status"] == "COMPLETED" and "Deleted" in pane.transcript[-1]["text"]


async def test_chat_error_is_shown_once_with_one_retry(agentos: AgentOSPeer) -> None:
    pane = ChatPane(RemoteAgent(agentos.base_url, agent_id="no-such-agent", prefetch_config=False))
    await pane.send("hello?")
    assert len(pane.history.children) == 2  # the question and the answer's bubble, no extra error row
    view = pane.history.children[1].content
    assert view.error is not None and "Agent not found" in view.error
    assert view.html.value.count("Agent not found") == 1
    assert not pane.retry_button.disabled and pane.retry_button.button_style == "warning"
    pane.retry_button.click()
    await pane.running
    # Retry replaces the failed attempt: still one question, one error.
    assert len(pane.history.children) == 2 and pane.history.children[1].content is not view
    assert [m["role"] for m in pane.transcript].count("error") == 2


async def test_session_picker_and_loading_a_session(agentos: AgentOSPeer) -> None:
    agent = RemoteAgent(agentos.base_url, agent_id="assistant")
    user = f"picker-{uuid.uuid4().hex[:6]}"
    session = sid()
    await agent.arun("remember me", session_id=session, user_id=user)
    pane = ChatPane(agent, user_id=user)
    await pane.refresh_sessions()
    values = [value for _label, value in pane.sessions.options]
    assert values == ["(new session)", session]
    pane.sessions.value = session
    await until(lambda: len(pane.history.children) >= 2)
    assert "remember me" in pane.history.children[0].value and pane.session_id == session
    pane.new_button.click()
    assert pane.session_id is None and pane.history.children == ()


async def test_export_redacts_tokens(agentos_secured: AgentOSPeer, tmp_path: Path) -> None:
    agent = RemoteAgent(agentos_secured.base_url, agent_id="assistant", auth_token=SECURITY_KEY)
    pane = ChatPane(agent, export_dir=tmp_path)
    await pane.send(f"my key is {SECURITY_KEY} and Bearer abc.def")
    exported = pane.export_json() + pane.export_markdown()
    assert SECURITY_KEY not in exported and "Bearer abc.def" not in exported and "[redacted]" in exported
    assert json.loads(pane.export_json())["messages"][0]["role"] == "user"
    pane.export_md_button.click()
    files = list(tmp_path.glob("chat-assistant-*.md"))
    assert len(files) == 1 and SECURITY_KEY not in files[0].read_text()


async def test_chat_over_a2a(a2a_peers: dict[str, A2APeer]) -> None:
    pane = ChatPane(RemoteAgent(a2a_peers["compat"].base_url, agent_id="x", protocol="a2a"))
    assert pane.sessions.layout.display == "none"
    await pane.send("first")
    await pane.send("second")
    assert "previous: first" in pane.transcript[-1]["text"] and pane.session_id


async def test_awaiting_a_form_shows_it_and_returns_the_final_output(agentos: AgentOSPeer) -> None:
    agent = RemoteAgent(agentos.base_url, agent_id="confirm-agent")
    paused = await agent.arun("please delete", session_id=sid())
    form = ApprovalForm(agent, paused)

    async def user_clicks() -> None:
        await until(lambda: True)
        card_of(form).reject.click()
        form.submit_button.click()

    clicker = asyncio.ensure_future(user_clicks())
    result = await form  # what a notebook cell does: display, then wait for the decision
    await clicker
    assert result.is_completed and "rejected" in result.text
