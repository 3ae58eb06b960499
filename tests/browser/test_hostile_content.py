"""Untrusted content in every widget and repr stays inert in a real page: agent text, tool names
and arguments, artifact names, agent-card fields, form fields, markdown reprs, tables."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.harness import NotebookFactory

HOSTILE = (
    '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
    '<a href="javascript:window.__pwned=3">js link</a> [md link](javascript:window.__pwned=4) '
    "[data link](data:text/html,<script>parent.__pwned=5</script>) "
    '<svg onload="window.__pwned=6"></svg><iframe src="javascript:parent.__pwned=7"></iframe>'
    '<style>body{display:none}</style><div style="position:fixed;inset:0" onmouseover="window.__pwned=8">cover</div>'
)

CELLS = [
    f"H = {HOSTILE!r}",
    # core reprs, HTML and Markdown
    "from IPython.display import Markdown, display\n"
    "from agentnb import AgentCard, RunContent, RunOutput, TaskResult\n"
    "from agentnb.a2a import Artifact, Part\n"
    "card = AgentCard(name=H, description=H, skills=[{'name': H, 'description': H}])\n"
    "result = TaskResult(task_id=H, status='completed', content=H,\n"
    "                    artifacts=[Artifact(artifact_id=H, name=H, parts=[Part.of_text(H)])])\n"
    "for obj in (card, result, RunOutput(content=H, status='COMPLETED'), RunContent(event='RunContent', content=H)):\n"
    "    display(obj)\n"
    "    display(Markdown(obj._repr_markdown_()))",
    # a streamed answer with a hostile tool call
    "from agentnb import StreamView, ToolExecution\n"
    "from agentnb.runs.events import RunCompleted, RunContent, ToolCallCompleted, ToolCallStarted\n"
    "view = StreamView(title=H)\n"
    "display(view)\n"
    "tool = ToolExecution(tool_call_id='c1', tool_name=H, tool_args={H: H}, result=H)\n"
    "for event in (ToolCallStarted(event='ToolCallStarted', tool=tool), ToolCallCompleted(event='ToolCallCompleted', tool=tool),\n"
    "              RunContent(event='RunContent', content=H, reasoning_content=H), RunCompleted(event='RunCompleted', content=H)):\n"
    "    view.handle(event)\n"
    "view.flush()",
    # an approval form whose tool, arguments and fields are hostile
    "from agentnb import ApprovalForm, RunOutput\n"
    "paused = RunOutput.from_wire({'run_id': 'r', 'session_id': 's', 'status': 'PAUSED', 'tools': [\n"
    "    {'tool_call_id': 'a', 'tool_name': H, 'tool_args': {'path': H}, 'requires_confirmation': True},\n"
    "    {'tool_call_id': 'b', 'tool_name': H, 'requires_user_input': True,\n"
    "     'user_input_schema': [{'name': H, 'field_type': 'str', 'description': H, 'value': H}]}]})\n"
    "ApprovalForm(None, paused)",
    # a table of agent cards
    "import pandas as pd\n"
    "from agentnb.tables import AGENT_CARD_COLUMNS\n"
    "pd.DataFrame([{c: H for c in AGENT_CARD_COLUMNS}])",
]


def test_hostile_content_is_inert_everywhere(notebook: NotebookFactory) -> None:
    nb = notebook(CELLS)
    for index in range(len(CELLS)):
        nb.run_cell(index)
    page = nb.page
    outputs = page.locator(".jp-Cell-outputArea")
    expect(outputs.nth(2)).to_contain_text("<script>window.__pwned=2</script>")  # shown as text
    expect(outputs.nth(3)).to_contain_text("waiting for your decision")
    page.mouse.move(600, 400)  # hover where a fixed overlay would be
    for candidate in page.get_by_text("js link").all()[:3] + page.get_by_text("md link").all()[:3]:
        candidate.click(force=True)  # if anything were a live link, this would fire it
    assert page.evaluate("window.__pwned") is None
    # data-icon: JupyterLab's own icons
    found = outputs.locator("img, script, iframe, svg:not([data-icon])")
    assert found.count() == 0, [
        found.nth(i).evaluate("e => e.outerHTML.slice(0, 200)") for i in range(found.count())
    ]
    assert outputs.locator("[onerror], [onload], [onmouseover], [onclick]").count() == 0
    styles = outputs.locator("style").all_inner_texts()  # pandas brings its own scoped table style
    assert not [css for css in styles if "display:none" in css.replace(" ", "")]
    assert (
        page.locator(
            '.jp-Cell-outputArea a[href^="javascript" i], .jp-Cell-outputArea a[href^="data" i]'
        ).count()
        == 0
    )
    assert page.evaluate("getComputedStyle(document.body).display") != "none"
    assert page.evaluate("parent.__pwned") is None
    nb.screenshot("test-artifacts/browser/hostile-everywhere.png")
