"""Binder's steps, reproduced: a fresh virtualenv, binder/requirements.txt, postBuild, then start
with a command that checks the demo answers and executes notebook 01."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.demo.demo_process import free_port_pair

pytestmark = pytest.mark.peer

REPO = Path(__file__).resolve().parents[2]

CHECK = r"""
import json, os, sys, urllib.request
import nbformat
from nbclient import NotebookClient

demo = os.environ["AGENTNB_DEMO_URL"]
with urllib.request.urlopen(demo + "/agents", timeout=10) as answer:
    ids = sorted(a["id"] for a in json.load(answer))
print("agents:", ids)
book = nbformat.read(os.path.join("notebooks", "01_quickstart.ipynb"), as_version=4)
NotebookClient(book, timeout=120, kernel_name="python3").execute()
errors = [o for c in book.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
print("notebook 01 cells:", len(book.cells), "errors:", len(errors))
sys.exit(1 if errors else 0)
"""


def run(command: list[str], env: dict[str, str], timeout: float) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{command} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def test_binder_steps_in_a_fresh_virtualenv(tmp_path: Path) -> None:
    venv = tmp_path / "binder-venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bin_dir = venv / "bin"
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "VIRTUAL_ENV": str(venv)}
    env.pop("PYTHONPATH", None)
    run([str(bin_dir / "python"), "-m", "pip", "install", "-q", "-r", "binder/requirements.txt"], env, 900)
    run(["bash", "binder/postBuild"], env, 900)
    port = free_port_pair()
    pidfile = tmp_path / "demo.pid"
    env |= {
        "AGENTNB_DEMO_PORT": str(port),
        "AGENTNB_DEMO_PIDFILE": str(pidfile),
        "AGENTNB_DEMO_LOG": str(tmp_path / "demo.log"),
    }
    try:
        started = time.monotonic()
        result = run(["bash", "binder/start", "python", "-c", CHECK], env, 300)
        print(f"binder start + notebook 01: {time.monotonic() - started:.1f} s")
    finally:
        if pidfile.exists():
            pid = int(pidfile.read_text())
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
    assert "'chat'" in result.stdout and "errors: 0" in result.stdout
    assert (
        str(venv)
        in subprocess.run(
            [str(bin_dir / "python"), "-c", "import agentnb, sys; print(sys.prefix)"],
            capture_output=True,
            text=True,
            env=env,
        ).stdout
    )
