"""The attachment picker and a returned image in a real JupyterLab page, against the AgentOS peer.

The last two tests do it in the ChatPane itself: attach, type, Enter, and the answer names the file;
the picture agent's image shows under its answer.
Plain ``def`` tests: the sync Playwright API refuses to run inside an asyncio loop.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.harness import NotebookFactory
from tests.peers.agentos import AgentOSPeer

pytestmark = pytest.mark.peer

WAIT_MS = 30_000
NOTES = b"Shopping list\nmilk\neggs\n"


def attach_cell(peer: AgentOSPeer) -> str:
    return (
        "import asyncio\n"
        "import ipywidgets as w\n"
        "from agentnb import RemoteAgent, StreamView\n"
        "from agentnb.widgets import AttachmentBar\n"
        f"agent = RemoteAgent({peer.base_url!r}, agent_id='attachments')\n"
        "bar = AttachmentBar(max_bytes=1000)\n"
        "view = StreamView(title='answer')\n"
        "send = w.Button(description='Send files')\n"
        "def _send(_b):\n"
        "    asyncio.ensure_future(view.run(agent.arun('What did I attach?', stream=True, **bar.run_kwargs()), agent=agent))\n"
        "send.on_click(_send)\n"
        "w.VBox([bar, send, view])"
    )


def test_attach_files_see_chips_and_the_agent_naming_them(
    notebook: NotebookFactory, agentos: AgentOSPeer
) -> None:
    nb = notebook([attach_cell(agentos)])
    out = nb.run_cell(0)
    attach = out.get_by_role("button", name="Attach")
    expect(attach).to_be_visible(timeout=WAIT_MS)
    with nb.page.expect_file_chooser() as chooser:  # the browser's own file dialog
        attach.click()
    chooser.value.set_files(
        [
            {"name": "notes.txt", "mimeType": "text/plain", "buffer": NOTES},
            {"name": "<b>bold</b>.txt", "mimeType": "text/plain", "buffer": b"x"},
            {"name": "huge.bin", "mimeType": "application/octet-stream", "buffer": b"0" * 5000},
        ]
    )
    chips = out.locator(".agentnb-chips")
    expect(chips).to_contain_text("notes.txt", timeout=WAIT_MS)
    expect(chips).to_contain_text("(text/plain, 24 B)")
    expect(chips).to_contain_text("<b>bold</b>.txt")  # the name is text, not markup
    assert chips.locator("b").count() == 0
    expect(out.locator(".agentnb-attach-notice")).to_contain_text(
        "refused huge.bin: 4.9 KB is over the 1000 B limit"
    )
    send = out.get_by_role("button", name="Send files")
    send.focus()
    nb.page.keyboard.press("Enter")  # as a person would, from the keyboard
    answer = out.locator(".agentnb-stream")
    expect(answer).to_contain_text("You attached 2 file(s)", timeout=WAIT_MS)
    expect(answer).to_contain_text("notes.txt (text/plain; 24 bytes; first line: 'Shopping list')")
    nb.screenshot("test-artifacts/browser/attachments-answer.png")
    out.get_by_role("button", name="Clear").click()
    expect(chips).not_to_contain_text("notes.txt", timeout=WAIT_MS)


def test_a_returned_image_shows_inline(notebook: NotebookFactory, agentos: AgentOSPeer) -> None:
    nb = notebook(
        [
            "from agentnb import RemoteAgent\n"
            "from agentnb.widgets import MediaView\n"
            f"picture = RemoteAgent({agentos.base_url!r}, agent_id='picture').run('draw me something')\n"
            "MediaView(picture)"
        ]
    )
    out = nb.run_cell(0)
    image = out.locator("img.agentnb-media-image")
    expect(image).to_be_visible(timeout=WAIT_MS)
    expect(image).to_have_attribute("src", __import__("re").compile(r"^data:image/png;base64,"))
    # The browser decoded the PNG the agent painted: 48 x 48 pixels.
    assert image.evaluate("img => [img.complete, img.naturalWidth, img.naturalHeight]") == [True, 48, 48]
    nb.screenshot("test-artifacts/browser/returned-image.png")


def test_attach_a_file_in_the_chat_pane_and_the_agent_names_it(
    notebook: NotebookFactory, agentos: AgentOSPeer
) -> None:
    nb = notebook(
        [
            "from agentnb import RemoteAgent\n"
            "from agentnb.widgets import ChatPane\n"
            f"pane = ChatPane(RemoteAgent({agentos.base_url!r}, agent_id='attachments'))\n"
            "pane"
        ]
    )
    out = nb.run_cell(0)
    attach = out.get_by_role("button", name="Attach")
    expect(attach).to_be_visible(timeout=WAIT_MS)
    with nb.page.expect_file_chooser() as chooser:
        attach.click()
    chooser.value.set_files([{"name": "notes.txt", "mimeType": "text/plain", "buffer": NOTES}])
    expect(out.locator(".agentnb-chips")).to_contain_text("notes.txt", timeout=WAIT_MS)
    box = out.locator("textarea.agentnb-chat-input")
    box.click()
    nb.page.keyboard.type("What did I attach?")
    nb.page.keyboard.press("Enter")
    expect(out.locator(".agentnb-user .agentnb-chip")).to_contain_text("notes.txt", timeout=WAIT_MS)
    expect(out.locator(".agentnb-text").last).to_contain_text(
        "notes.txt (text/plain; 24 bytes; first line: 'Shopping list')", timeout=WAIT_MS
    )
    expect(out.locator(".agentnb-chips")).not_to_contain_text("notes.txt")  # sent: the bar is empty
    nb.screenshot("test-artifacts/browser/chat-attachment-answer.png")


def test_the_chat_pane_shows_a_returned_image(notebook: NotebookFactory, agentos: AgentOSPeer) -> None:
    nb = notebook(
        [
            "from agentnb import RemoteAgent\n"
            "from agentnb.widgets import ChatPane\n"
            f"pane = ChatPane(RemoteAgent({agentos.base_url!r}, agent_id='picture'))\n"
            "pane"
        ]
    )
    out = nb.run_cell(0)
    box = out.locator("textarea.agentnb-chat-input")
    expect(box).to_be_enabled(timeout=WAIT_MS)
    box.click()
    nb.page.keyboard.type("draw me something")
    nb.page.keyboard.press("Enter")
    image = out.locator(".agentnb-chat-history img.agentnb-media-image")
    expect(image).to_be_visible(timeout=WAIT_MS)
    assert image.evaluate("img => [img.complete, img.naturalWidth, img.naturalHeight]") == [True, 48, 48]
    nb.screenshot("test-artifacts/browser/chat-returned-image.png")
