"""Every teaching notebook runs top to bottom, headless, against a demo server the test starts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tests.demo.demo_process import DemoProcess, demo_env, free_port_pair

pytestmark = pytest.mark.peer

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    port = free_port_pair()
    process = DemoProcess(
        "--port", str(port), "--data-dir", str(tmp_path_factory.mktemp("demo")), env=demo_env()
    )
    process.wait_ready()
    yield f"http://127.0.0.1:{port}", f"http://127.0.0.1:{port + 1}"
    process.terminate()


def test_there_are_seven_numbered_notebooks() -> None:
    assert [p.name[:3] for p in PATHS] == ["01_", "02_", "03_", "04_", "05_", "06_", "07_"]


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_outputs_are_stripped_in_git(path: Path) -> None:
    book = nbformat.read(path, as_version=4)
    code = [c for c in book.cells if c.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code)


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_notebook_runs_top_to_bottom(
    path: Path, demo: tuple[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("AGENTNB_DEMO_URL", demo[0])
    monkeypatch.setenv("AGENTNB_DEMO_A2A_URL", demo[1])
    monkeypatch.setenv("MPLBACKEND", "agg")
    book = nbformat.read(path, as_version=4)
    client = NotebookClient(
        book, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()  # raises CellExecutionError with the traceback if any cell fails
    outputs = [o for c in book.cells if c.cell_type == "code" for o in c.outputs]
    assert outputs and not [o for o in outputs if o.output_type == "error"]
    text = "\n".join(str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert "Traceback" not in text
