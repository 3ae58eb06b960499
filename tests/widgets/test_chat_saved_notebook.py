"""A notebook executed without a front end (nbclient, as nbconvert --execute) saves the chat's
final transcript as text/html and text/plain next to the widget (issue 16, item 13)."""

from __future__ import annotations

import html

import nbformat
import pytest
from nbclient import NotebookClient

from tests.peers.agentos import AgentOSPeer

pytestmark = pytest.mark.peer


async def test_an_executed_notebook_keeps_the_final_transcript(agentos: AgentOSPeer) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "from agentnb import RemoteAgent\n"
            "from agentnb.widgets import ChatPane\n"
            f"pane = ChatPane(RemoteAgent({agentos.base_url!r}, agent_id='assistant'))\n"
            "pane"
        ),
        nbformat.v4.new_code_cell("await pane.send('keep me in the saved notebook')"),
    ]
    await NotebookClient(nb, timeout=120, kernel_name="python3").async_execute()
    outputs = nb.cells[0].outputs
    widget = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    fallback = [o for o in outputs if "text/html" in o.get("data", {})]
    assert len(widget) == 1 and len(fallback) == 1, outputs
    saved_html = html.unescape(fallback[0]["data"]["text/html"])
    assert "keep me in the saved notebook" in saved_html
    assert "Hello! You said: keep me in the saved notebook" in saved_html
    assert "Hello! You said: keep me in the saved notebook" in fallback[0]["data"]["text/plain"]
    assert not [o for o in nb.cells[1].outputs if o.get("output_type") in ("error", "stream")]
