"""The widgets in a real JupyterLab page, against the real AgentOS test peer.

Plain ``def`` tests: the sync Playwright API refuses to run inside an asyncio loop.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, expect

from tests.browser.harness import Notebook, NotebookFactory
from tests.peers.agentos import AgentOSPeer

pytestmark = pytest.mark.peer

WAIT_MS = 30_000


def chat_cell(peer: AgentOSPeer, agent_id: str) -> str:
    return (
        "from agentnb import RemoteAgent\n"
        "from agentnb.widgets import ChatPane\n"
        f"pane = ChatPane(RemoteAgent({peer.base_url!r}, agent_id={agent_id!r}))\n"
        "pane"
    )


def open_chat(notebook: NotebookFactory, peer: AgentOSPeer, agent_id: str) -> tuple[Notebook, Locator]:
    nb = notebook([chat_cell(peer, agent_id)])
    out = nb.run_cell(0)
    box = out.locator("textarea.agentnb-chat-input")
    expect(box).to_be_visible(timeout=WAIT_MS)
    return nb, out


def say(out: Locator, text: str) -> None:
    box = out.locator("textarea.agentnb-chat-input")
    expect(box).to_be_enabled(timeout=WAIT_MS)
    box.fill(text)
    box.press("Enter")


def test_chat_type_send_and_see_the_streamed_answer(notebook: NotebookFactory, agentos: AgentOSPeer) -> None:
    nb, out = open_chat(notebook, agentos, "assistant")
    box = out.locator("textarea.agentnb-chat-input")
    box.fill("first line")
    box.press("Shift+Enter")  # a newline, not a send
    box.type("second line")
    expect(box).to_have_value("first line\nsecond line")
    box.press("Enter")
    expect(out).to_contain_text("Hello! You said: first line\nsecond line", timeout=WAIT_MS)
    expect(out.locator(".agentnb-user")).to_contain_text("second line")
    expect(out.get_by_role("button", name="Send")).to_be_visible(timeout=WAIT_MS)
    nb.screenshot("test-artifacts/browser/chat-answer.png")


def test_chat_stop_midway_keeps_the_partial_text(notebook: NotebookFactory, agentos: AgentOSPeer) -> None:
    _nb, out = open_chat(notebook, agentos, "assistant")
    say(out, "go slow please")
    expect(out).to_contain_text("tick2", timeout=WAIT_MS)
    out.get_by_role("button", name="Stop").click()
    expect(out).to_contain_text("stopped: the text above is partial", timeout=WAIT_MS)
    text = out.locator(".agentnb-text").last.inner_text()
    assert text.startswith("tick0 tick1 tick2") and "tick39" not in text
    expect(out.get_by_role("button", name="Send")).to_be_visible()


def test_chat_approve_a_paused_delete(notebook: NotebookFactory, agentos: AgentOSPeer) -> None:
    nb, out = open_chat(notebook, agentos, "confirm-agent")
    say(out, "please delete the file")
    expect(out).to_contain_text("waiting for your decision", timeout=WAIT_MS)
    # One tool: Approve sends at once (issue 16), there is no Submit to press.
    expect(out.get_by_role("button", name="Submit")).to_be_hidden()
    out.get_by_role("button", name="Approve").click()
    expect(out).to_contain_text("Deleted /tmp/important.txt", timeout=WAIT_MS)
    expect(out.get_by_role("button", name="Approve")).to_have_count(0)
    nb.screenshot("test-artifacts/browser/chat-approved.png")


def test_chat_reject_a_paused_delete(notebook: NotebookFactory, agentos: AgentOSPeer) -> None:
    _nb, out = open_chat(notebook, agentos, "confirm-agent")
    say(out, "please delete the file")
    # The note first: with one tool, Reject sends at once (issue 16).
    out.get_by_placeholder("optional note to the agent").fill("not that file", timeout=WAIT_MS)
    out.get_by_role("button", name="Reject").click()
    expect(out).to_contain_text("not that file", timeout=WAIT_MS)
    expect(out).not_to_contain_text("Deleted /tmp/important.txt")


def test_chat_fill_a_user_input_form(notebook: NotebookFactory, agentos: AgentOSPeer) -> None:
    nb, out = open_chat(notebook, agentos, "input-agent")
    say(out, "send an email")
    expect(out).to_contain_text("waiting for your decision", timeout=WAIT_MS)
    submit = out.get_by_role("button", name="Submit")
    # Nothing touched yet: no problem is shown, and Submit waits for "to".
    expect(submit).to_be_disabled()
    expect(out).not_to_contain_text("to is required")
    row = out.locator(".widget-hbox", has=out.page.locator("b", has_text=re.compile(r"^to$")))
    field = row.locator("input[type=text]").first
    field.fill("grace@example.com")
    field.press("Tab")  # ipywidgets Text syncs on input; Tab also blurs
    expect(submit).to_be_enabled(timeout=WAIT_MS)
    submit.click()
    expect(out).to_contain_text("grace@example.com", timeout=WAIT_MS)
    nb.screenshot("test-artifacts/browser/chat-user-input.png")


def test_hostile_reply_renders_as_text_and_runs_nothing(
    notebook: NotebookFactory, agentos: AgentOSPeer
) -> None:
    nb, out = open_chat(notebook, agentos, "assistant")
    hostile = (
        '<img src=x onerror="window.__pwned=1"> <script>window.__pwned=2</script> '
        "[click me](javascript:window.__pwned=3) <style>body{display:none}</style>"
    )
    say(out, hostile)
    # the agent echoes it back: both bubbles must show it as text
    expect(out.locator(".agentnb-text").last).to_contain_text(
        "<script>window.__pwned=2</script>", timeout=WAIT_MS
    )
    expect(out.locator(".agentnb-user").last).to_contain_text('<img src=x onerror="window.__pwned=1">')
    assert nb.page.evaluate("window.__pwned") is None
    assert out.locator("img, script, style").count() == 0
    assert nb.page.locator('a[href^="javascript" i]').count() == 0
    links = out.get_by_text("click me")
    if links.count():
        links.first.click()  # an inert text or a "#" link: nothing may run
    assert nb.page.evaluate("window.__pwned") is None
    # the <style> must not have applied: the notebook is still displayed
    assert nb.page.evaluate("getComputedStyle(document.body).display") != "none"
    expect(nb.panel).to_be_visible()


def test_stream_cell_with_stop_and_plain_text_fallback(
    notebook: NotebookFactory, agentos: AgentOSPeer
) -> None:
    nb = notebook(
        [
            "from agentnb import RemoteAgent, stream\n"
            f"agent = RemoteAgent({agentos.base_url!r}, agent_id='assistant')\n"
            "out = await stream(agent, 'go slow please')",
            "print(out.status.value, out.interrupted, out.text[:11])",
        ]
    )
    nb.cell(0).locator(".jp-InputArea-editor").click()
    nb.page.keyboard.press("Shift+Enter")
    output = nb.output(0)
    expect(output).to_contain_text("tick2", timeout=WAIT_MS)
    output.get_by_role("button", name="Stop").click()
    expect(output).to_contain_text("stopped", timeout=WAIT_MS)
    expect(nb.prompt(0)).to_have_text(re.compile(r"\[\d+\]"), timeout=WAIT_MS)
    printed = nb.run_cell(1)
    expect(printed).to_contain_text("CANCELLED True tick0 tick1")
