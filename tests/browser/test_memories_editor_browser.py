"""MemoriesEditor in a real JupyterLab page, against the real AgentOS test peer: a person types a
memory and its topics, adds it, selects a row and deletes it.

Plain ``def`` tests: the sync Playwright API refuses to run inside an asyncio loop.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.harness import NotebookFactory
from tests.peers.agentos import AgentOSPeer

pytestmark = pytest.mark.peer

WAIT_MS = 60_000


def test_memories_editor_add_and_delete_by_a_person(notebook: NotebookFactory, agentos: AgentOSPeer) -> None:
    setup = (
        "import uuid\n"
        "from agentnb import RemoteAgent\n"
        "from agentnb.widgets import MemoriesEditor\n"
        f"agent = RemoteAgent({agentos.base_url!r}, agent_id='memory-agent')\n"
        "await agent.get_agent_config()\n"
        "user = 'browser-' + uuid.uuid4().hex[:6]\n"
        "await agent.db.create_memory('Lives in <b>Berlin</b>', ['places'], user)\n"
        "editor = MemoriesEditor(agent, user_id=user)\n"
        "editor"
    )
    nb = notebook([setup, "sorted(m.memory for m in (await agent.db.get_memories(user_id=user)).data)"])
    out = nb.run_cell(0, timeout_ms=WAIT_MS)
    table = out.locator("table.anb-memories")
    expect(table).to_contain_text("Lives in <b>Berlin</b>", timeout=WAIT_MS)  # markup shown as text
    expect(table.locator("b", has_text="Berlin")).to_have_count(0)

    out.get_by_placeholder("A new memory, e.g. Likes green tea").click()
    nb.page.keyboard.type("Plays the cello")
    out.get_by_placeholder("topics, comma separated").click()
    nb.page.keyboard.type("music, hobbies")
    out.get_by_role("button", name="Add").click()
    expect(table.locator("tr", has_text="Plays the cello")).to_contain_text("music, hobbies", timeout=WAIT_MS)
    expect(out).to_contain_text("Added: Plays the cello")
    expect(out.get_by_placeholder("A new memory, e.g. Likes green tea")).to_have_value("")
    nb.screenshot("test-artifacts/browser/memories-editor-added.png")

    out.locator("select option", has_text="Lives in").click()
    out.get_by_role("button", name="Delete selected").click()
    expect(out).to_contain_text("Deleted 1 memory.", timeout=WAIT_MS)
    expect(table.locator("tr", has_text="Lives in")).to_have_count(0)
    expect(out.locator("select option")).to_have_count(1)
    nb.screenshot("test-artifacts/browser/memories-editor-deleted.png")

    check = nb.run_cell(1, timeout_ms=WAIT_MS)
    expect(check).to_contain_text("['Plays the cello']")
