"""ChatPane in a real JupyterLab page, typed into like a person types (issue 16).

Each test names the issue item it covers. Plain ``def`` tests: the sync Playwright API refuses to
run inside an asyncio loop.
"""

from __future__ import annotations

import base64
import re
import socket
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Locator, expect

from tests.browser.harness import REPO_ROOT, Notebook, NotebookFactory
from tests.peers.a2a_peers import A2APeer
from tests.peers.agentos import AgentOSPeer

pytestmark = pytest.mark.peer

WAIT_MS = 30_000
SHOTS = REPO_ROOT / "test-artifacts" / "issue16"
BOX = "textarea.agentnb-chat-input"


def open_chat(
    notebook: NotebookFactory, base_url: str, agent: str, extra: str = "", cells: tuple[str, ...] = ()
) -> tuple[Notebook, Locator]:
    nb = notebook(
        [
            "from agentnb import RemoteAgent\n"
            "from agentnb.widgets import ChatPane\n"
            f"pane = ChatPane(RemoteAgent({base_url!r}, {agent}){extra})\n"
            "pane",
            *cells,
        ]
    )
    out = nb.run_cell(0)
    expect(out.locator(BOX)).to_be_visible(timeout=WAIT_MS)
    return nb, out


def type_and_enter(nb: Notebook, out: Locator, text: str) -> None:
    box = out.locator(BOX)
    expect(box).to_be_enabled(timeout=WAIT_MS)
    box.click()
    nb.page.keyboard.type(text)
    nb.page.keyboard.press("Enter")


def idle_answer(nb: Notebook, out: Locator, text: str) -> None:
    expect(out).to_contain_text(text, timeout=WAIT_MS)
    expect(out.get_by_role("button", name="Send")).to_be_visible(timeout=WAIT_MS)
    nb.wait_for_idle()


def test_enter_empties_the_box_and_a_second_enter_sends_nothing(
    notebook: NotebookFactory, agentos: AgentOSPeer
) -> None:
    """Item 1: on main the typed text came back after the answer and a second Enter resent it.

    The kernel is kept busy by another cell while the person types, as a long cell would: the
    browser then queues the keystrokes' updates behind the Enter, which is when the text came back.
    """
    nb, out = open_chat(
        notebook, agentos.base_url, "agent_id='assistant'", cells=("import time\ntime.sleep(4)",)
    )
    box = out.locator(BOX)
    for n, words in enumerate(["hello there, my agent", "and a second message"], start=1):
        nb.cell(1).locator(".jp-InputArea-editor").click()
        nb.page.keyboard.press("Shift+Enter")  # the kernel sleeps for 4 s
        expect(nb.prompt(1)).to_have_text(re.compile(r"\[\*\]"))
        type_and_enter(nb, out, words)
        idle_answer(nb, out, f"Hello! You said: {words}")
        nb.page.wait_for_timeout(500)  # room for any late update that would put the text back
        expect(box).to_have_value("")
        expect(out.locator(".agentnb-user")).to_have_count(n)
    box.click()
    nb.page.keyboard.press("Enter")  # nothing left to send
    expect(out).to_contain_text("nothing to send")
    nb.wait_for_idle()
    expect(out.locator(".agentnb-user")).to_have_count(2)


def test_long_answers_scroll_inside_a_bounded_pane_that_follows_unless_scrolled_up(
    notebook: NotebookFactory, agentos: AgentOSPeer
) -> None:
    """Item 2: on main one long answer made the pane thousands of pixels tall, the box out of sight."""
    nb, out = open_chat(notebook, agentos.base_url, "agent_id='assistant'")
    history = out.locator(".agentnb-chat-history")
    box = out.locator(BOX)
    long_text = "\n".join(f"line {i} of a long message" for i in range(150))
    box.fill(long_text)  # 150 typed lines would only slow the test down; Enter is pressed for real
    box.press("Enter")
    idle_answer(nb, out, "line 149 of a long message")
    expect(box).to_be_in_viewport()
    expect(out.get_by_role("button", name="Send")).to_be_in_viewport()
    height = history.evaluate("h => h.getBoundingClientRect().height")
    assert 100 < height <= 430, height
    assert history.evaluate("h => h.scrollHeight") > 3 * height  # the rest scrolls inside
    at_bottom = "h => h.scrollHeight - h.scrollTop - h.clientHeight < 40"
    assert history.evaluate(at_bottom), "the newest message is not in view"
    expect(out.locator(".agentnb-text").last).to_contain_text("line 149")
    nb.screenshot(SHOTS / "after" / "chat-long-answer.png")

    # The reader scrolls up to read: a new answer must not pull the view down.
    history.hover()
    nb.page.mouse.wheel(0, -2500)
    nb.page.wait_for_timeout(300)
    top = history.evaluate("h => h.scrollTop")
    assert not history.evaluate(at_bottom)
    box.fill("another\n" + long_text)
    box.press("Enter")
    idle_answer(nb, out, "Hello! You said: another")
    assert abs(history.evaluate("h => h.scrollTop") - top) < 5
    expect(box).to_be_in_viewport()

    # Resizable: drag the corner down and the history grows.
    rect = history.evaluate("h => { const r = h.getBoundingClientRect(); return [r.right, r.bottom]; }")
    nb.page.mouse.move(rect[0] - 4, rect[1] - 4)
    nb.page.mouse.down()
    nb.page.mouse.move(rect[0] - 4, rect[1] + 200, steps=8)
    nb.page.mouse.up()
    assert history.evaluate("h => h.getBoundingClientRect().height") > height + 100


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_until(check: Callable[[], bool], timeout_s: float = WAIT_MS / 1000) -> None:
    deadline = time.monotonic() + timeout_s
    while not check():
        assert time.monotonic() < deadline, "timed out waiting for the page"
        time.sleep(0.2)


def _refused_and_idle(out: Locator) -> bool:
    text = out.inner_text()
    send = out.get_by_role("button", name="Send")
    return "Cannot connect to" in text and "running ·" not in text and send.count() == 1 and send.is_visible()


def test_a_refused_connection_shows_one_short_message_and_one_retry(notebook: NotebookFactory) -> None:
    """Item 12: on main the message showed twice (answer view and an extra row) with two Retry buttons."""
    url = f"http://127.0.0.1:{_free_port()}"  # nobody listens there
    nb, out = open_chat(notebook, url, "agent_id='assistant', prefetch_config=False")
    type_and_enter(nb, out, "hello?")
    # Wait for the settled page, not the first sight of the message: under load the answer can
    # still read "running" for a while (CI once saw the text, then the turn still running with
    # Stop shown), so the pane must also be idle again (Send back in place of Stop).
    _wait_until(lambda: _refused_and_idle(out))
    nb.wait_for_idle()
    text = out.inner_text()
    assert text.count("Cannot connect to") == 1, text
    assert "Traceback" not in text and "httpx" not in text
    retry = out.get_by_role("button", name="Retry")
    expect(retry).to_have_count(1)
    expect(retry).to_be_enabled()
    nb.screenshot(SHOTS / "after" / "chat-refused.png")
    retry.click()  # the retry fails the same way and replaces the failed attempt
    # The failed turn is removed and sent again: wait until its message is back, then check that
    # it stays single once the kernel is idle (the old code settled with two).
    _wait_until(lambda: _refused_and_idle(out) and "you ·" in out.inner_text())
    nb.wait_for_idle()
    nb.page.wait_for_timeout(500)
    expect(out.locator(".agentnb-user")).to_have_count(1)
    assert out.inner_text().count("Cannot connect to") == 1
    expect(out.get_by_role("button", name="Retry")).to_have_count(1)


def test_one_click_approve_continues_and_leaves_no_waiting_state(
    notebook: NotebookFactory, agentos: AgentOSPeer
) -> None:
    """Items 4 and 5: on main Approve did nothing until Submit, and "waiting" stayed after the run."""
    nb, out = open_chat(notebook, agentos.base_url, "agent_id='confirm-agent'")
    type_and_enter(nb, out, "please delete the file")
    expect(out).to_contain_text("waiting for your decision", timeout=WAIT_MS)
    expect(out).to_contain_text("waiting for you")
    expect(out.get_by_role("button", name="Submit")).to_be_hidden()
    nb.screenshot(SHOTS / "after" / "approval-waiting.png")
    out.get_by_role("button", name="Approve").click()
    idle_answer(nb, out, "Deleted /tmp/important.txt")
    expect(out).to_contain_text("approved delete_file · continued ✓")
    expect(out).not_to_contain_text("waiting for your decision")
    expect(out).not_to_contain_text("waiting for you")
    expect(out.get_by_role("button", name="Approve")).to_have_count(0)
    nb.screenshot(SHOTS / "after" / "approval-continued.png")


def test_several_tools_keep_submit_with_approve_all(notebook: NotebookFactory, agentos: AgentOSPeer) -> None:
    """Item 5: with two tools, "Approve all" decides both and Submit sends them together."""
    _nb, out = open_chat(notebook, agentos.base_url, "agent_id='confirm-agent'")
    type_and_enter(_nb, out, "delete two files")
    submit = out.get_by_role("button", name="Submit")
    expect(submit).to_be_disabled(timeout=WAIT_MS)
    out.get_by_role("button", name="Approve all").click()
    expect(submit).to_be_enabled()
    submit.click()
    expect(out).to_contain_text("approved delete_file, approved delete_file · continued ✓", timeout=WAIT_MS)
    expect(out).not_to_contain_text("waiting for")


def test_a2a_question_is_not_a_decision_and_collapses_after_the_reply(
    notebook: NotebookFactory, a2a_peers: dict[str, A2APeer]
) -> None:
    """Item 4 over A2A: on main the reply form said "waiting for your decision" and kept saying it."""
    nb, out = open_chat(notebook, a2a_peers["v1"].base_url, "agent_id='x', protocol='a2a'")
    type_and_enter(nb, out, "input please")
    expect(out).to_contain_text("What is your name?", timeout=WAIT_MS)
    expect(out).not_to_contain_text("decision")
    expect(out).to_contain_text("asks you a question")
    out.get_by_placeholder("your answer").click()
    nb.page.keyboard.type("Ada")
    out.get_by_role("button", name="Submit").click()
    idle_answer(nb, out, "Ada")
    expect(out).to_contain_text("answered the agent's question · continued ✓")
    expect(out).not_to_contain_text("waiting for you")
    expect(out).not_to_contain_text("asks you a question")


def test_copy_edit_last_labelled_user_id_and_one_look_for_answers(
    notebook: NotebookFactory, agentos: AgentOSPeer
) -> None:
    """Items 3 and 8."""
    nb, out = open_chat(notebook, agentos.base_url, "agent_id='assistant'", ", user_id='ada'")
    nb.page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    expect(out.get_by_label("user_id")).to_have_value("ada")
    type_and_enter(nb, out, "first try")
    idle_answer(nb, out, "Hello! You said: first try")
    bubble = out.locator(".agentnb-bubble-box.agentnb-agent").last
    expect(bubble).to_contain_text(re.compile(r"agent · \d\d:\d\d:\d\d"))
    assert bubble.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(243, 244, 246)"
    bubble.get_by_role("button", name="Copy").click()
    expect(bubble.get_by_role("button", name="Copied ✓")).to_be_visible()
    copied = nb.page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Hello! You said: first try")
    out.get_by_role("button", name="Edit last").click()
    box = out.locator(BOX)
    expect(box).to_have_value("first try")
    expect(box).to_be_focused()
    nb.page.keyboard.type(", edited")
    nb.page.keyboard.press("Enter")
    idle_answer(nb, out, "Hello! You said: first try, edited")
    nb.screenshot(SHOTS / "after" / "chat-answers.png")


def test_export_offers_a_download_with_tokens_redacted(
    notebook: NotebookFactory, agentos_secured: AgentOSPeer, tmp_path: Path
) -> None:
    """Item 7: on main the file went to the kernel's working folder and no link was shown."""
    from tests.conftest import SECURITY_KEY

    nb, out = open_chat(
        notebook, agentos_secured.base_url, f"agent_id='assistant', auth_token={SECURITY_KEY!r}"
    )
    type_and_enter(nb, out, f"my key is {SECURITY_KEY}")
    idle_answer(nb, out, "Hello! You said: my key is")
    out.get_by_role("button", name="Markdown").click()
    link = out.locator("a.agentnb-download")
    expect(link).to_contain_text(re.compile(r"chat-assistant-\d{8}-\d{6}\.md"))
    with nb.page.expect_download() as caught:
        link.click()
    download = caught.value
    assert re.fullmatch(r"chat-assistant-\d{8}-\d{6}\.md", download.suggested_filename)
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    text = saved.read_text(encoding="utf-8")
    assert "my key is [redacted]" in text and SECURITY_KEY not in text
    href = link.get_attribute("href") or ""
    assert SECURITY_KEY not in base64.b64decode(href.split(",", 1)[1]).decode()
    assert not list(nb.lab.root_dir.glob("chat-*"))  # nothing written next to the notebook
