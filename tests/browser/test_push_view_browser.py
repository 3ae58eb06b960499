"""PushView in a real JupyterLab: a task's pushed updates appear live, escaped (issue 14, item 2)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.harness import NotebookFactory
from tests.peers.a2a_peers import A2APeer, start_a2a_v1_features

pytestmark = pytest.mark.peer

WAIT_MS = 30_000


@pytest.fixture(scope="module")
def push_peer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[A2APeer]:
    peer = start_a2a_v1_features(Path(tmp_path_factory.mktemp("a2a-features-browser")))
    yield peer
    peer.stop()


def test_push_view_fills_as_the_agent_pushes(notebook: NotebookFactory, push_peer: A2APeer) -> None:
    nb = notebook(
        [
            "from agentnb.a2a import A2AClient\n"
            "from agentnb.widgets.push_view import PushView\n"
            f"client = A2AClient({push_peer.base_url!r})\n"
            "inbox = await client.push_receiver().start()\n"
            "view = PushView(inbox)\n"
            "view",
            "",
            "print(view.state, view.events, inbox.refused)",
        ],
        name="push-view",
    )
    out = nb.run_cell(0)
    expect(out).to_contain_text("pushed updates", timeout=WAIT_MS)
    expect(out).to_contain_text("waiting")
    # Type the send like a person would, in the empty cell below.
    nb.cell(1).locator(".jp-InputArea-editor").click()
    nb.page.keyboard.type(
        "sent = await client.send_message('hello <b>push</b> file', push=inbox, blocking=False)"
    )
    nb.page.keyboard.press("Shift+Enter")
    expect(nb.prompt(1)).to_have_text(re.compile(r"\[\d+\]"), timeout=WAIT_MS)
    expect(out).to_contain_text("completed", timeout=WAIT_MS)
    expect(out).to_contain_text("You said: hello <b>push</b> file.")  # shown as text, not bold
    assert out.locator("b", has_text=re.compile(r"^push$")).count() == 0
    nb.screenshot("test-artifacts/browser/push-view.png")
    printed = nb.run_cell(2)
    expect(printed).to_contain_text(re.compile(r"completed \d+ \[\]"))
