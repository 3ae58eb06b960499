"""The streaming cell in a real JupyterLab page: kernel restart, refused connections, Retry, themes.

Plain ``def`` tests: the sync Playwright API refuses to run inside an asyncio loop.
"""

from __future__ import annotations

import os
import re
import signal
import socket
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.harness import Notebook, NotebookFactory
from tests.peers.agentos import AgentOSPeer

pytestmark = pytest.mark.peer

WAIT_MS = 30_000
SHOTS = "test-artifacts/issue16"


def start_cell(nb: Notebook, index: int) -> Locator:
    """Shift+Enter in cell ``index`` without waiting for it to finish (a stream keeps it busy)."""
    nb.cell(index).locator(".jp-InputArea-editor").click()
    nb.page.keyboard.press("Shift+Enter")
    return nb.output(index)


def a_port_nobody_listens_on() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --------------------------------------------------------------------------- kernel restart


def restart_kernel(nb: Notebook) -> None:
    """Command mode, "0" twice: JupyterLab's own shortcut; it asks in a dialog first."""
    nb.page.keyboard.press("Escape")
    nb.page.keyboard.press("0")
    nb.page.keyboard.press("0")
    expect(nb.page.locator(".jp-Dialog")).to_contain_text("Restart")


def test_a_kernel_restart_mid_stream_marks_the_view_disconnected(
    notebook: NotebookFactory, agentos: AgentOSPeer
) -> None:
    nb = notebook(
        [
            "from agentnb import RemoteAgent, stream\n"
            f"agent = RemoteAgent({agentos.base_url!r}, agent_id='assistant')\n"
            "out = await stream(agent, 'go slow please')"
        ]
    )
    output = start_cell(nb, 0)
    # The slow run lasts about 4 s: restart as soon as it is visibly running.
    expect(output.get_by_role("button", name="Stop")).to_be_visible(timeout=WAIT_MS)
    expect(output).to_contain_text("tick0", timeout=WAIT_MS)
    restart_kernel(nb)
    nb.screenshot(f"{SHOTS}/restart-dialog.png")
    nb.page.keyboard.press("Enter")  # the dialog's focused button is "Restart"
    expect(nb.page.locator(".jp-Dialog")).to_have_count(0)
    expect(output.get_by_text("disconnected: the kernel went away")).to_be_visible(timeout=WAIT_MS)
    expect(output.get_by_text("running", exact=True)).to_be_hidden()
    expect(output.get_by_role("button", name="Stop")).to_be_hidden()
    nb.wait_for_idle()
    text = output.locator(".agentnb-text").inner_text()
    assert "tick0" in text and "tick39" not in text  # the partial text stays readable
    nb.screenshot(f"{SHOTS}/restart-after.png")


def test_a_kernel_that_dies_mid_stream_marks_the_view_disconnected(
    notebook: NotebookFactory, agentos: AgentOSPeer
) -> None:
    """A crash, not a restart: ipywidgets only reacts to "restarting"; the view's watch sees it."""
    nb = notebook(
        [
            "import os\nos.getpid()",
            "from agentnb import RemoteAgent, stream\n"
            f"agent = RemoteAgent({agentos.base_url!r}, agent_id='assistant')\n"
            "out = await stream(agent, 'go slow please')",
        ]
    )
    nb.run_cell(0)
    pid = int(nb.outputs(0)[0]["data"]["text/plain"])
    output = start_cell(nb, 1)
    expect(output.get_by_role("button", name="Stop")).to_be_visible(timeout=WAIT_MS)
    expect(output).to_contain_text("tick0", timeout=WAIT_MS)
    os.kill(pid, signal.SIGKILL)  # the kernel this test's notebook started
    expect(output.get_by_text("disconnected: the kernel went away")).to_be_visible(timeout=WAIT_MS)
    expect(output.get_by_role("button", name="Stop")).to_be_hidden()
    nb.screenshot(f"{SHOTS}/crash-after.png")


# --------------------------------------------------------------------------- refused connection


def test_a_refused_connection_shows_one_short_message_and_one_retry_that_reruns(
    notebook: NotebookFactory, agentos: AgentOSPeer
) -> None:
    port = a_port_nobody_listens_on()
    peer_port = int(agentos.base_url.rsplit(":", 1)[1].split("/")[0])
    nb = notebook(
        [
            "from agentnb import RemoteAgent, stream\n"
            f"agent = RemoteAgent('http://127.0.0.1:{port}', agent_id='assistant')\n"
            "agent.run('hello')",
            "out = await stream(agent, 'hello again')\nout.status.value",
            # A tiny TCP forwarder from the refused port to the real peer: now the port answers.
            "import asyncio\n"
            "async def pipe(reader, writer):\n"
            "    try:\n"
            "        while data := await reader.read(65536):\n"
            "            writer.write(data)\n"
            "            await writer.drain()\n"
            "    finally:\n"
            "        writer.close()\n"
            "async def forward(reader, writer):\n"
            f"    up_reader, up_writer = await asyncio.open_connection('127.0.0.1', {peer_port})\n"
            "    asyncio.ensure_future(pipe(reader, up_writer))\n"
            "    asyncio.ensure_future(pipe(up_reader, writer))\n"
            f"server = await asyncio.start_server(forward, '127.0.0.1', {port})",
        ]
    )
    # 1. A plain call: the short message, not 200 lines of chained httpx errors.
    plain = nb.run_cell(0, allow_error=True)
    expect(plain).to_contain_text("RemoteServerUnavailableError")
    shown = plain.inner_text()
    assert "Traceback" not in shown and "httpx" not in shown and "ConnectError" not in shown, shown
    assert len([line for line in shown.splitlines() if line.strip()]) <= 3, shown
    errors = [o for o in nb.outputs(0) if o.get("output_type") == "error"]
    assert len(errors) == 1 and len(errors[0]["traceback"]) <= 3

    # 2. The streaming cell: one message, one Retry, no traceback under it.
    view_out = nb.run_cell(1)
    expect(view_out.locator(".agentnb-stream")).to_be_visible()
    expect(view_out).to_contain_text("ERROR")  # the cell's value: the run's status
    message = view_out.get_by_text(re.compile(r"^⚠"))
    expect(message).to_have_count(1)
    expect(message).to_contain_text(f"127.0.0.1:{port}")
    retry = view_out.get_by_role("button", name="Retry")
    expect(retry).to_have_count(1)
    expect(retry).to_be_visible()
    assert view_out.get_by_role("button", name="Stop").is_hidden()
    assert "RemoteServerUnavailableError" not in view_out.inner_text()  # said once, in the view
    assert not [o for o in nb.outputs(1) if o.get("output_type") in ("error", "stream")]
    nb.screenshot(f"{SHOTS}/refused-after.png")

    # 3. Retry re-runs the same prompt: once the port answers, the answer to "hello again" arrives.
    nb.run_cell(2)
    retry.click()
    expect(view_out).to_contain_text("You said: hello again", timeout=WAIT_MS)
    expect(view_out.get_by_text("completed", exact=True)).to_be_visible()
    expect(view_out.get_by_text(re.compile(r"^⚠"))).to_have_count(0)
    expect(view_out.get_by_role("button", name="Retry")).to_have_count(0)
    nb.screenshot(f"{SHOTS}/refused-retried.png")


# --------------------------------------------------------------------------- themes

MARKDOWN = "| name | value |\n|---|--:|\n| alpha | 1 |\n\n```python\ndef f(x):\n    return 'hi'\n```\n"

STYLE_JS = """
el => {
  const cs = getComputedStyle(el);
  return {style: cs.borderTopStyle, width: cs.borderTopWidth, border: cs.borderTopColor,
          background: cs.backgroundColor, color: cs.color};
}
"""

VAR_JS = """
([name, property]) => {
  const probe = document.createElement("div");
  probe.style[property] = `var(${name})`;
  document.body.appendChild(probe);
  const value = getComputedStyle(probe)[property];
  probe.remove();
  return value;
}
"""


def rgb(value: str) -> tuple[float, float, float]:
    numbers = [float(n) for n in re.findall(r"[\d.]+", value)[:3]]
    assert len(numbers) == 3, value
    return numbers[0], numbers[1], numbers[2]


def contrast(a: str, b: str) -> float:
    def luminance(color: str) -> float:
        channels = [c / 255 for c in rgb(color)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def theme_var(page: Page, name: str, prop: str = "color") -> str:
    return str(page.evaluate(VAR_JS, [name, prop]))


def check_markdown_styles(page: Page, where: Locator) -> dict[str, Any]:
    td = where.locator("td").first
    pre = where.locator("pre").first
    keyword = pre.locator("span", has_text="def").first
    cell: dict[str, Any] = td.evaluate(STYLE_JS)
    block: dict[str, Any] = pre.evaluate(STYLE_JS)
    word: dict[str, Any] = keyword.evaluate(STYLE_JS)
    assert cell["style"] == "solid" and cell["width"] == "1px", cell
    assert cell["border"] == theme_var(page, "--jp-border-color1"), cell
    assert block["background"] == theme_var(page, "--jp-layout-color2", "backgroundColor"), block
    assert contrast(block["color"], block["background"]) >= 4.5, block
    assert contrast(word["color"], block["background"]) >= 3.0, (word, block)
    return {"td": cell, "pre": block, "keyword": word}


def switch_theme(page: Page, name: str) -> None:
    page.locator(".lm-MenuBar-item", has_text=re.compile(r"^Settings$")).click()
    page.locator(".lm-Menu-item:not(.lm-mod-hidden)", has_text=re.compile(r"^Theme")).hover()
    page.get_by_role("menuitem", name=name, exact=True).click()
    light = "true" if "Light" in name else "false"
    expect(page.locator(f"body[data-jp-theme-light='{light}']")).to_have_count(1, timeout=WAIT_MS)


def test_markdown_tables_and_code_are_readable_in_light_and_dark_themes(
    notebook: NotebookFactory, agentos: AgentOSPeer
) -> None:
    nb = notebook(
        [
            # a live view (the widget)
            "from agentnb import StreamView\n"
            "from agentnb.runs.events import RunContent\n"
            "view = StreamView(title='live')\n"
            "display(view)\n"
            f"view.handle(RunContent(event='RunContent', content={MARKDOWN!r}))\n"
            "view.flush()",
            # a finished run (its output is the final HTML)
            "from agentnb import RemoteAgent, stream\n"
            f"agent = RemoteAgent({agentos.base_url!r}, agent_id='assistant')\n"
            "out = await stream(agent, 'markdown please')",
        ]
    )
    live = nb.run_cell(0)
    done = nb.run_cell(1)
    expect(done.get_by_text("completed", exact=True)).to_be_visible(timeout=WAIT_MS)
    expect(live.locator(".agentnb-stream td").first).to_be_visible()
    seen: dict[str, Any] = {}
    try:
        for theme in ("JupyterLab Light", "JupyterLab Dark"):
            if theme != "JupyterLab Light":
                switch_theme(nb.page, theme)
            seen[theme] = [check_markdown_styles(nb.page, out) for out in (live, done)]
            nb.screenshot(f"{SHOTS}/markdown-{theme.split()[-1].lower()}.png")
    finally:
        if nb.page.locator("body[data-jp-theme-light='false']").count():
            switch_theme(nb.page, "JupyterLab Light")  # the theme is a user setting: leave it as found
    light, dark = seen["JupyterLab Light"][0]["pre"], seen["JupyterLab Dark"][0]["pre"]
    assert light["background"] != dark["background"] and light["color"] != dark["color"]


# --------------------------------------------------------------------------- a long streamed answer

LONG_ANSWER_CELL = """import asyncio
from agentnb import StreamView
from agentnb.runs.events import RunCompleted, RunContent, RunStarted
parts = []
for i in range(16):
    parts += [
        f"## Section {i}", "",
        f"Paragraph {i} with **bold** words, `inline code` and a [link](https://example.com/{i}).", "",
        "- first point", "- second point", "",
        "```python", f"def f{i}(x: int) -> int:", f"    return x + {i}", "```", "",
        "| a | b |", "|---|---|", f"| {i} | {i * i} |", "",
        f"A closing paragraph for section {i}, long enough to wrap once or twice in a narrow page. " * 2, "",
    ]
text = "\\n".join(parts) + "The end."
base = dict(run_id="run-long", session_id="s-long", agent_id="assistant")
view = StreamView(title="a long streamed answer")
display(view)
view.handle(RunStarted(event="RunStarted", **base))
for i in range(0, len(text), 12):
    view.handle(RunContent(event="RunContent", content=text[i : i + 12], **base))
    await asyncio.sleep(0.004)
view.flush()"""

#: For each pair of neighbouring block widgets: the gap between the last element of one and the
#: first of the next, that last element's bottom margin, the first one's top margin. Margins
#: that collapse give a gap of the larger of the two; widgets that kept them apart, their sum.
SEAMS_JS = """root => {
  const contents = [...root.querySelectorAll(".widget-html-content")].filter(c => c.firstElementChild);
  const seams = [];
  for (let k = 1; k < contents.length; k++) {
    const last = contents[k - 1].lastElementChild, first = contents[k].firstElementChild;
    seams.push([
      first.getBoundingClientRect().top - last.getBoundingClientRect().bottom,
      parseFloat(getComputedStyle(last).marginBottom),
      parseFloat(getComputedStyle(first).marginTop),
    ]);
  }
  return seams;
}"""


def test_a_long_streamed_answer_is_one_seamless_text(notebook: NotebookFactory) -> None:
    """Issue 15: while it streams, the answer is many HTML widgets (finished blocks sent once);
    the reader must see one text: no doubled margins where one widget ends and the next begins.
    (Once the run ends, the output becomes the final HTML: one piece.)"""
    nb = notebook([LONG_ANSWER_CELL, 'view.handle(RunCompleted(event="RunCompleted", content=text, **base))'])
    output = nb.run_cell(0, timeout_ms=WAIT_MS * 2)
    answer = output.locator(".agentnb-text")
    expect(answer).to_contain_text("Section 15")
    text = answer.inner_text()
    assert "Section 0" in text and "return x + 15" in text and "The end." in text
    assert "**" not in text and "```" not in text  # rendered, not shown as source
    seams = answer.evaluate(SEAMS_JS)
    assert len(seams) >= 3, seams  # the answer really is several widgets
    for gap, bottom, top in seams:
        assert abs(gap - max(bottom, top)) <= 1.5, seams  # margins collapse as in one page
    assert any(bottom and top for _, bottom, top in seams), seams  # (so two would show)
    nb.page.set_viewport_size({"width": 1280, "height": 8000})
    nb.page.wait_for_timeout(500)
    nb.screenshot("test-artifacts/issue15/long-answer-page.png")
    output.screenshot(path="test-artifacts/issue15/long-answer-live.png")
    nb.run_cell(1)
    expect(output.get_by_text("completed", exact=True)).to_be_visible(timeout=WAIT_MS)
    assert answer.inner_text() == text  # the final HTML reads the same as the live widgets
    output.screenshot(path="test-artifacts/issue15/long-answer-final.png")
