"""TraceView and KnowledgePanel in a real JupyterLab page, against the real AgentOS test peer.

Plain ``def`` tests: the sync Playwright API refuses to run inside an asyncio loop.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.harness import NotebookFactory
from tests.peers.agentos import AgentOSPeer

pytestmark = pytest.mark.peer

WAIT_MS = 60_000


def test_trace_view_opens_a_span_on_click(notebook: NotebookFactory, agentos: AgentOSPeer) -> None:
    run = (
        "import uuid\n"
        "from agentnb import RemoteAgent, TraceView\n"
        f"agent = RemoteAgent({agentos.base_url!r}, agent_id='memory-agent')\n"
        "await agent.get_agent_config()\n"
        "db = agent.db\n"
        "user = 'browser-' + uuid.uuid4().hex[:6]\n"
        "out = await agent.arun('I like <b>bold</b> tea', user_id=user)"
    )
    show = (
        "summary = (await db.get_traces(user_id=user)).data[0]\n"
        "view = TraceView(await db.get_trace(summary.trace_id))\n"
        "view"
    )
    nb = notebook([run, show])
    nb.run_cell(0, timeout_ms=WAIT_MS)
    out = nb.run_cell(1, timeout_ms=WAIT_MS)
    rows = out.locator("details.anb-span")
    expect(rows.first).to_be_visible(timeout=WAIT_MS)
    assert rows.count() >= 2
    expect(out.locator(".anb-trace")).to_contain_text("Memory_Agent.arun")
    tool_row = out.locator("details.anb-span", has_text="add_memory")
    expect(tool_row.locator("table")).to_be_hidden()
    tool_row.locator("summary").click()
    expect(tool_row.locator("table")).to_be_visible()
    # The user's markup arrives as text, never as an element.
    expect(out.locator(".anb-trace b", has_text="bold")).to_have_count(0)
    expect(out.locator(".anb-trace")).to_contain_text("<b>bold</b>")
    nb.screenshot("test-artifacts/browser/trace-view.png")
    out.get_by_role("button", name="Close all").click()
    expect(tool_row.locator("table")).to_be_hidden(timeout=WAIT_MS)


def test_knowledge_panel_search_typed_by_a_person(notebook: NotebookFactory, agentos: AgentOSPeer) -> None:
    setup = (
        "from agentnb import RemoteAgent, KnowledgePanel\n"
        f"agent = RemoteAgent({agentos.base_url!r}, agent_id='knowledge-agent')\n"
        "await agent.get_agent_config()\n"
        "panel = KnowledgePanel(agent.knowledge, max_results=2)\n"
        "panel"
    )
    nb = notebook([setup])
    out = nb.run_cell(0, timeout_ms=WAIT_MS)
    box = out.get_by_placeholder("Search the knowledge…")
    expect(box).to_be_visible(timeout=WAIT_MS)
    box.click()
    nb.page.keyboard.type("refund card")
    nb.page.keyboard.press("Enter")
    cards = out.locator(".anb-card")
    expect(cards.first).to_contain_text("refund-policy", timeout=WAIT_MS)
    expect(cards).to_have_count(2)
    expect(cards.first).to_contain_text("score ")
    nb.screenshot("test-artifacts/browser/knowledge-search.png")
