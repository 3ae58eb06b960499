"""``jupyter nbconvert --to html --execute`` of notebook 02 shows every answer without a network.

The exported page draws widget outputs with a renderer it loads from a CDN; offline those cells are
blank. A StreamView's output must end as plain HTML, so the page shows the final text, the tool
cards and the status in its markup, outside any <script>.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from agentnb import RemoteAgent
from agentnb.widgets.render import render_markdown
from tests.demo.demo_process import DemoProcess, demo_env, free_port_pair

pytestmark = pytest.mark.peer

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "02_streaming_and_stop.ipynb"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    port = free_port_pair()
    process = DemoProcess(
        "--port", str(port), "--data-dir", str(tmp_path_factory.mktemp("demo")), env=demo_env()
    )
    process.wait_ready()
    yield f"http://127.0.0.1:{port}", f"http://127.0.0.1:{port + 1}"
    process.terminate()


class VisibleText(HTMLParser):
    """The text a browser shows without running any script: <script>/<style> contents left out."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)

    @classmethod
    def of(cls, html: str) -> str:
        parser = cls()
        parser.feed(html)
        return re.sub(r"\s+", " ", " ".join(parser.parts))


@pytest.fixture(scope="module")
def exported(demo: tuple[str, str], tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    out_dir = tmp_path_factory.mktemp("export")
    env = demo_env(AGENTNB_DEMO_URL=demo[0], AGENTNB_DEMO_A2A_URL=demo[1])
    command = [sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", "--execute"]
    command += [str(NOTEBOOK), "--output-dir", str(out_dir), "--ExecutePreprocessor.timeout=120"]
    subprocess.run(command, env=env, cwd=out_dir, check=True, capture_output=True, timeout=600)
    # the executed notebook as well, to look at the outputs nbconvert rendered from
    command = [sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute"]
    command += [str(NOTEBOOK), "--output-dir", str(out_dir), "--ExecutePreprocessor.timeout=120"]
    subprocess.run(command, env=env, cwd=out_dir, check=True, capture_output=True, timeout=600)
    return out_dir / f"{NOTEBOOK.stem}.html", out_dir / NOTEBOOK.name


def test_the_exported_page_shows_each_final_answer_and_status(
    exported: tuple[Path, Path], demo: tuple[str, str]
) -> None:
    shown = VisibleText.of(exported[0].read_text(encoding="utf-8"))
    # The same prompts again, straight to the demo: what each view should show at its end.
    for agent_id, prompt in (
        ("chat", "Explain Python list comprehensions"),
        ("tools", "Look up the capital of France"),
    ):
        answer = RemoteAgent(demo[0], agent_id=agent_id).run(prompt).text
        assert answer
        assert VisibleText.of(render_markdown(answer)).strip() in shown, (agent_id, answer[:200])
    assert shown.count("completed") >= 2
    assert "stopped: the text above is partial" in shown  # the display(view) cell, stopped by code
    assert "lookup" in shown  # the tool card


def test_no_view_output_is_left_needing_the_widget_renderer(exported: tuple[Path, Path]) -> None:
    book = nbformat.read(exported[1], as_version=4)
    views = [
        output
        for cell in book.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if "agentnb-text" in str(output.get("data", {}).get("text/html", ""))
    ]
    assert len(views) == 4  # three stream() cells (one is the stop-by-hand run) and the display(view) cell
    for output in views:
        assert WIDGET_VIEW not in output["data"]
        assert not output["data"]["text/plain"].startswith("[waiting]")
