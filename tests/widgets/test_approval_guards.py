"""ApprovalForm guards: wrong agent, a run already continued, full labels, empty arguments."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest

from agentnb import RemoteAgent, RunAlreadyContinuedError, RunOutput
from agentnb.widgets import ApprovalForm, register_executor
from tests.peers.agentos import AgentOSPeer
from tests.widgets.conftest import updates

pytestmark = pytest.mark.peer


def sid() -> str:
    return f"g-{uuid.uuid4().hex[:10]}"


async def until(predicate: Any, timeout: float = 20.0) -> None:
    for _ in range(int(timeout / 0.02)):
        if predicate():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("timed out waiting for the widget")


async def test_a_form_submitted_to_another_agent_is_refused_before_sending(agentos: AgentOSPeer) -> None:
    confirm = RemoteAgent(agentos.base_url, agent_id="confirm-agent")
    paused = await confirm.arun("delete it", session_id=sid())
    other = RemoteAgent(agentos.base_url, agent_id="input-agent")
    sent: list[Any] = []
    original = other.acontinue_run

    def spy(*args: Any, **kwargs: Any) -> Any:
        sent.append(args)
        return original(*args, **kwargs)

    other.acontinue_run = spy  # type: ignore[method-assign]
    form = ApprovalForm(other, paused)
    form.cards[0].approve.click()
    form.submit_button.click()
    await asyncio.sleep(0.2)
    assert sent == [] and not form.submitted and form.continuation is None
    assert "confirm-agent" in form.message.value and "input-agent" in form.message.value
    assert form.message.value.count("⚠") == 1


async def test_a_run_already_continued_shows_the_error_once(agentos: AgentOSPeer) -> None:
    agent = RemoteAgent(agentos.base_url, agent_id="confirm-agent")
    paused = await agent.arun("delete it", session_id=sid())
    first = ApprovalForm(agent, paused, stream=False)
    first.cards[0].approve.click()
    first.submit_button.click()
    result = await first.wait()
    assert result.is_completed
    second = ApprovalForm(agent, paused)
    second.cards[0].approve.click()
    second.submit_button.click()
    await asyncio.sleep(0.2)
    assert "already continued" in second.message.value
    assert second.message.value.count("⚠") == 1 and second.continuation is None
    assert second.continuation is None and not second.submitted


async def test_a_run_continued_outside_the_form_shows_the_agents_error_once(agentos: AgentOSPeer) -> None:
    agent = RemoteAgent(agentos.base_url, agent_id="confirm-agent")
    paused = await agent.arun("delete it", session_id=sid())
    form = ApprovalForm(agent, paused)  # streaming: the error must not also appear in a StreamView
    paused.paused_tools[0].confirm()
    assert (await agent.acontinue_run(paused)).is_completed
    form.cards[0].approve.click()
    form.submit_button.click()
    with pytest.raises(RunAlreadyContinuedError):
        await form.wait()
    assert "already continued" in form.message.value and form.message.value.count("⚠") == 1
    assert form.continuation is None


async def test_run_button_shows_the_full_tool_name(agentos: AgentOSPeer) -> None:
    register_executor("run_shell_command", lambda command: "ok")
    agent = RemoteAgent(agentos.base_url, agent_id="external-agent")
    paused = await agent.arun("run ls please", session_id=sid())
    form = ApprovalForm(agent, paused)
    button = form.cards[0].run_button
    assert button.description == "Run run_shell_command here"
    assert button.layout.width == "auto"
    assert button.layout.max_width in (None, "", "none")


def _paused_without_args() -> RunOutput:
    return RunOutput.from_wire(
        {
            "run_id": "r1",
            "session_id": "s1",
            "agent_id": "a",
            "status": "PAUSED",
            "tools": [{"tool_call_id": "c1", "tool_name": "reboot", "requires_confirmation": True}],
        }
    )


def test_a_tool_without_arguments_shows_no_empty_braces() -> None:
    form = ApprovalForm(agent=None, paused=_paused_without_args())
    header = form.cards[0].widget.children[0]
    assert "reboot" in header.value and "{}" not in header.value and "<pre>" not in header.value
    assert not any("{}" in str(m) for m in updates(header))


async def test_input_problems_show_only_after_touching_or_submit(agentos: AgentOSPeer) -> None:
    agent = RemoteAgent(agentos.base_url, agent_id="input-agent")
    paused = await agent.arun("send an email", session_id=sid())
    form = ApprovalForm(agent, paused)
    card = form.cards[0]
    assert form.message.value == "" and form.submit_button.disabled  # nothing touched yet
    form.submit_button.click()  # pressing Submit reveals the problems, and sends nothing
    assert "to is required" in form.message.value and not form.submitted
    card.fields["to"].value = "grace@example.com"
    assert form.message.value == "" and not form.submit_button.disabled
    form.submit_button.click()
    result = await form.wait()
    assert result.is_completed and "grace@example.com" in result.text
