"""ChatPane with attachments, against the real AgentOS peer: files go with the message, the user's
bubble shows them, Retry re-sends them, the next message doesn't, and returned images show inline."""

from __future__ import annotations

import pytest

from agentnb import RemoteAgent
from agentnb.demo.media_agents import picture_png
from agentnb.widgets import ChatPane
from tests.peers.agentos import AgentOSPeer

pytestmark = pytest.mark.peer

NOTES = b"Shopping list\nmilk\n"


def _html_of(pane: ChatPane) -> str:
    return "".join(str(getattr(child, "value", "")) for child in pane.history.children)


async def test_attached_files_go_with_the_message_and_only_with_it(agentos: AgentOSPeer) -> None:
    pane = ChatPane(RemoteAgent(agentos.base_url, agent_id="attachments"))
    assert pane.attachments in pane.children  # the picker sits under the input row
    assert pane.attachments.add("notes.txt", NOTES, "text/plain")
    assert pane.attachments.add("pic.png", picture_png(8), "image/png")
    pane.input.value = "What did I attach?"
    task = pane.send()
    assert task is not None
    assert pane.attachments.attachments == []  # the bar empties as the message leaves
    await task
    user, answer = pane.transcript[0], pane.transcript[1]
    assert user["attachments"] == ["notes.txt", "pic.png"]
    assert "You attached 2 file(s):" in answer["text"]
    assert "notes.txt (text/plain; 19 bytes; first line: 'Shopping list')" in answer["text"]
    html = _html_of(pane)  # in the user's bubble: a thumbnail for the image, a chip for the text file
    assert '<img class="agentnb-thumb" alt="pic.png"' in html
    assert 'class="agentnb-chip"' in html and "notes.txt" in html

    retried = pane.retry()  # the same message again: the same files
    assert retried is not None
    await retried
    assert "You attached 2 file(s):" in pane.transcript[-1]["text"]

    nxt = pane.send("And now?")  # a new message without attaching: no files
    assert nxt is not None
    await nxt
    assert "attachments" not in pane.transcript[-2]
    assert pane.transcript[-1]["text"].startswith("You attached no files.")


async def test_a_returned_image_shows_inline_under_the_answer(agentos: AgentOSPeer) -> None:
    pane = ChatPane(RemoteAgent(agentos.base_url, agent_id="picture"))
    task = pane.send("draw me something")
    assert task is not None
    await task
    assert pane.transcript[-1]["status"] == "COMPLETED"
    html = _html_of(pane)
    assert '<img class="agentnb-media-image"' in html
    assert "data:image/png;base64," in html
