"""A notebook saved after its runs shows their final state when reopened without the old kernel.

Widget outputs store only a model id; once the kernel that held the model is gone, JupyterLab shows
nothing (or "model not found"). The StreamView output must therefore end as plain HTML and text.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.harness import JupyterLab, NotebookFactory
from tests.peers.agentos import AgentOSPeer

pytestmark = pytest.mark.peer

WAIT_MS = 30_000
SHOTS = "test-artifacts/issue16"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def joined(value: str | list[str]) -> str:
    """nbformat stores multi-line strings as lists of lines."""
    return value if isinstance(value, str) else "".join(value)


def saved_outputs(lab: JupyterLab, name: str, cells: int) -> list[list[dict[str, Any]]]:
    """The outputs of the notebook as saved on disk, once ``cells`` cells have some."""
    deadline = time.monotonic() + WAIT_MS / 1000
    while True:
        book = json.loads((lab.root_dir / name).read_text(encoding="utf-8"))
        outputs = [cell.get("outputs", []) for cell in book["cells"][:cells]]
        if all(outputs) or time.monotonic() > deadline:
            return outputs
        time.sleep(0.2)


def test_a_saved_notebook_shows_the_final_answers_after_the_kernel_is_gone(
    notebook: NotebookFactory, agentos: AgentOSPeer, jupyter_lab: JupyterLab
) -> None:
    nb = notebook(
        [
            "from agentnb import RemoteAgent, StreamView, stream\n"
            f"agent = RemoteAgent({agentos.base_url!r}, agent_id='assistant')\n"
            "out = await stream(agent, 'hello saved notebook')",
            # display(view) by hand, a run with a tool card
            "view = StreamView(title='shown by hand')\n"
            "display(view)\n"
            "answer = await view.run(agent.arun('what is the weather in Berlin', stream=True), agent=agent)",
        ]
    )
    first, second = nb.run_cell(0), nb.run_cell(1)
    expect(first).to_contain_text("You said: hello saved notebook", timeout=WAIT_MS)
    expect(second.get_by_text("completed", exact=True)).to_be_visible(timeout=WAIT_MS)
    answer = second.locator(".agentnb-text").inner_text().strip()
    assert answer

    nb.cell(1).locator(".jp-InputArea-editor").click()
    nb.page.keyboard.press("Escape")
    nb.page.keyboard.press("Control+s")  # save as a person does
    outputs = saved_outputs(jupyter_lab, nb.name, 2)
    for cell in outputs:
        (output,) = cell  # one output per cell: the view, nothing printed beside it
        data = {mime: joined(value) for mime, value in output["data"].items() if mime != WIDGET_VIEW}
        assert WIDGET_VIEW not in output["data"], output["data"].keys()  # nothing needs the old kernel
        assert "completed" in data["text/plain"] and "[waiting]" not in data["text/plain"]
        assert "completed" in data["text/html"]
    assert "You said: hello saved notebook" in joined(outputs[0][0]["data"]["text/plain"])
    assert "get_weather" in joined(outputs[1][0]["data"]["text/html"])

    jupyter_lab.shutdown_sessions(nb.name)  # the kernel that held the widget models goes away
    nb.page.reload()
    expect(nb.panel).to_be_visible(timeout=WAIT_MS)
    first, second = nb.output(0), nb.output(1)
    expect(first).to_contain_text("You said: hello saved notebook", timeout=WAIT_MS)
    expect(first.get_by_text("completed", exact=True)).to_be_visible()
    expect(second.get_by_text("completed", exact=True)).to_be_visible()
    expect(second).to_contain_text("get_weather")  # the tool card
    expect(second).to_contain_text(answer)
    expect(nb.page.get_by_text("model not found")).to_have_count(0)
    nb.screenshot(f"{SHOTS}/saved-reopened.png")
