"""Real-browser test harness: a JupyterLab 4 server and notebook pages driven by Playwright (sync API).

The pytest fixtures built on this live in ``conftest.py`` next to it. Selectors below were checked against
JupyterLab 4.6 and ipywidgets 8.1.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from playwright.sync_api import BrowserContext, Locator, Page, ViewportSize, expect

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS_DIR = REPO_ROOT / "test-artifacts" / "browser"

CHROMIUM = os.environ.get("AGENTNB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT: ViewportSize = {"width": 1280, "height": 900}

LAB_STARTUP_TIMEOUT = 60.0
LAB_STOP_TIMEOUT = 10.0
KERNEL_IDLE_TIMEOUT_MS = 60_000
CELL_TIMEOUT_MS = 30_000

# Assertions in a page on a loaded 2-core machine: 5 s (Playwright's default) is too tight.
expect.set_options(timeout=15_000)

# --------------------------------------------------------------------------- selectors (JupyterLab 4)

#: The kernel status item of the status bar reads "<kernel display name> | <Status>".
KERNEL_STATUS = "#jp-main-statusbar .jp-StatusBar-TextItem"
KERNEL_IDLE_TEXT = re.compile(r"\|\s*Idle\s*$")
#: Each notebook page opens exactly one notebook in its own workspace, so there is one panel.
NOTEBOOK_PANEL = ".jp-NotebookPanel"
CELL = ".jp-Notebook .jp-Cell"
#: "[ ]:" never run, "[*]:" queued or running, "[3]:" done.
INPUT_PROMPT = ".jp-InputArea-prompt"
DONE_PROMPT = re.compile(r"^\s*\[\d+\]:\s*$")
EDITOR = ".jp-InputArea-editor .cm-content"
#: The cell's own OutputArea (an ipywidgets ``Output`` nests further ``.jp-OutputArea``s inside it).
OUTPUT_AREA = ".jp-Cell-outputArea"

# The server runs with ``--LabApp.expose_app_in_browser=True``; this reads a cell's outputs (nbformat
# JSON) from the notebook model. The DOM cannot tell an error from stderr: both render as
# ``data-mime-type="application/vnd.jupyter.stderr"``.
CELL_OUTPUTS_JS = """
([path, index]) => {
  for (const widget of window.jupyterapp.shell.widgets("main")) {
    if (widget.context && widget.context.path === path && widget.content && widget.content.widgets) {
      const cell = widget.content.widgets[index];
      if (!cell) return null;
      return cell.model.outputs ? cell.model.outputs.toJSON() : [];
    }
  }
  return null;
}
"""

# JupyterLab user settings written before the server starts: no news prompt or update check, no
# autosave racing the tests' own files, and every cell attached to the DOM (no virtual windowing) so
# locators find off-screen cells.
LAB_USER_SETTINGS: dict[str, dict[str, Any]] = {
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
}


# --------------------------------------------------------------------------- JupyterLab server


def _free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def _log_tail(path: Path, lines: int = 60) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as e:
        return f"<no log: {e}>"
    return "\n".join(text.splitlines()[-lines:])


@dataclass
class JupyterLab:
    """A running ``jupyter lab`` process."""

    url: str
    root_dir: Path
    pid: int
    process: subprocess.Popen[bytes]
    log_path: Path
    _log_file: IO[bytes] | None = field(default=None, repr=False)

    def api(self, method: str, path: str, body: Any = None, timeout: float = 10.0) -> Any:
        """Call the server's REST API (no token, no XSRF check); returns decoded JSON or None."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.url}{path}", data=data, method=method)
        request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read()
        return json.loads(raw) if raw else None

    def alive(self) -> bool:
        return self.process.poll() is None

    def log_tail(self, lines: int = 60) -> str:
        return _log_tail(self.log_path, lines)

    def start_session(self, path: str, kernel: str = "python3") -> None:
        """Start a kernel session for notebook ``path`` now (the server starts the kernel in the
        background); the page that opens ``path`` then connects to it instead of starting its own."""
        body = {"path": path, "name": path, "type": "notebook", "kernel": {"name": kernel}}
        self.api("POST", "/api/sessions", body)

    def shutdown_sessions(self, path: str) -> None:
        """Delete the server's sessions for ``path`` (this shuts their kernels down)."""
        with contextlib.suppress(OSError, ValueError):
            for session in self.api("GET", "/api/sessions") or []:
                if session.get("path") == path:
                    with contextlib.suppress(OSError):
                        self.api("DELETE", f"/api/sessions/{session['id']}")

    def stop(self) -> None:
        """SIGTERM by pid (the server then shuts its kernels down), wait, then SIGKILL. Idempotent."""
        try:
            if self.process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.pid, signal.SIGTERM)
                try:
                    self.process.wait(timeout=LAB_STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(self.pid, signal.SIGKILL)
                    self.process.wait(timeout=LAB_STOP_TIMEOUT)
        finally:
            if self._log_file is not None:
                self._log_file.close()
                self._log_file = None


def _lab_command(port: int, root_dir: Path, workdir: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        "--allow-root",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        "--IdentityProvider.token=",
        "--ServerApp.password=",
        "--ServerApp.disable_check_xsrf=True",
        "--ServerApp.open_browser=False",
        f"--ServerApp.root_dir={root_dir}",
        "--ServerApp.terminals_enabled=False",
        # A safety net if the test process is killed: the server leaves by itself after 30 idle min.
        "--ServerApp.shutdown_no_activity_timeout=1800",
        # Offline: no news feed, no update check, no PyPI-backed extension manager.
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
        # window.jupyterapp, to read cell outputs from the model (see CELL_OUTPUTS_JS).
        "--LabApp.expose_app_in_browser=True",
        # Nothing read from or written to ~/.jupyter: settings and workspaces live in the tmp dir.
        f"--LabApp.user_settings_dir={workdir / 'user-settings'}",
        f"--LabApp.workspaces_dir={workdir / 'workspaces'}",
    ]


def _lab_env(workdir: Path) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("JUPYTER_TOKEN", "JUPYTER_PASSWORD", "JUPYTER_CONFIG_PATH", "JUPYTER_PATH"):
        env.pop(name, None)
    env["JUPYTER_CONFIG_DIR"] = str(workdir / "config")
    env["JUPYTER_RUNTIME_DIR"] = str(workdir / "runtime")
    env["IPYTHONDIR"] = str(workdir / "ipython")
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    # Kernels import this checkout of agentnb even where it is not installed in development mode.
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _write_user_settings(settings_dir: Path) -> None:
    for plugin, values in LAB_USER_SETTINGS.items():
        path = settings_dir / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values, indent=2), encoding="utf-8")


def start_jupyter_lab(workdir: Path, attempts: int = 3) -> JupyterLab:
    """Start JupyterLab in ``workdir`` and wait until ``/api/status`` answers."""
    root_dir = workdir / "root"
    root_dir.mkdir(parents=True, exist_ok=True)
    _write_user_settings(workdir / "user-settings")
    log_path = workdir / "jupyter-lab.log"
    env = _lab_env(workdir)
    last_error = ""
    for attempt in range(1, attempts + 1):
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        log_file = log_path.open("ab")
        log_file.write(f"\n===== attempt {attempt}: port {port} =====\n".encode())
        log_file.flush()
        process = subprocess.Popen(
            _lab_command(port, root_dir, workdir),
            cwd=root_dir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        lab = JupyterLab(url, root_dir, process.pid, process, log_path, log_file)
        deadline = time.monotonic() + LAB_STARTUP_TIMEOUT
        while time.monotonic() < deadline and lab.alive():
            try:
                lab.api("GET", "/api/status", timeout=2.0)
                return lab
            except (OSError, ValueError):
                time.sleep(0.1)
        last_error = "exited" if not lab.alive() else f"no /api/status after {LAB_STARTUP_TIMEOUT:.0f} s"
        lab.stop()
    raise RuntimeError(f"JupyterLab did not start ({last_error}); log {log_path}:\n{_log_tail(log_path)}")


# --------------------------------------------------------------------------- notebooks


def notebook_json(sources: Sequence[str]) -> dict[str, Any]:
    """An nbformat 4.5 notebook of code cells with the ``python3`` kernel."""
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"},
            "language_info": {"name": "python"},
        },
        "cells": [
            {
                "cell_type": "code",
                "id": f"cell-{i}",
                "metadata": {},
                "execution_count": None,
                "outputs": [],
                "source": source,
            }
            for i, source in enumerate(sources)
        ],
    }


class Notebook:
    """One notebook open in its own page (and its own JupyterLab workspace)."""

    def __init__(self, page: Page, lab: JupyterLab, path: Path) -> None:
        self.page = page
        self.lab = lab
        self.path = path
        self.console: list[str] = []
        page.on("console", lambda message: self.console.append(f"{message.type}: {message.text}"))
        page.on("pageerror", lambda error: self.console.append(f"pageerror: {error}"))

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def panel(self) -> Locator:
        return self.page.locator(NOTEBOOK_PANEL)

    @property
    def kernel_status(self) -> Locator:
        """The status bar's kernel item, e.g. "Python 3 (ipykernel) | Idle"."""
        return self.page.locator(KERNEL_STATUS).filter(has_text=re.compile(r"\|\s*\w+\s*$"))

    def open(self) -> Notebook:
        # A workspace of its own: the default workspace would also restore notebooks that earlier tests
        # opened (starting or reconnecting their kernels), and the status bar could show *their* "Idle".
        workspace = f"{self.path.stem}-{uuid.uuid4().hex[:8]}"
        # The kernel starts while the page loads its ~4 s of JavaScript (about 1.5 s saved per notebook).
        with contextlib.suppress(OSError, ValueError):
            self.lab.start_session(self.name)
        self.page.goto(f"{self.lab.url}/lab/workspaces/{workspace}/tree/{self.name}")
        expect(self.panel).to_be_visible(timeout=KERNEL_IDLE_TIMEOUT_MS)
        self.wait_for_idle()
        return self

    def wait_for_idle(self, timeout_ms: int = KERNEL_IDLE_TIMEOUT_MS, settle_s: float = 0.3) -> None:
        """Wait until the status bar reads "... | Idle", and still does ``settle_s`` later.

        Shift+Enter before the kernel is connected is silently dropped; right after the first "Idle" a
        new kernel briefly goes "Busy" again (comm_info / debug requests of the front end), hence the
        second look.
        """
        idle = self.page.locator(KERNEL_STATUS).filter(has_text=KERNEL_IDLE_TEXT)
        deadline = time.monotonic() + timeout_ms / 1000
        while True:
            remaining_ms = max(1_000, int((deadline - time.monotonic()) * 1000))
            expect(idle, "kernel status never read Idle").to_be_visible(timeout=remaining_ms)
            time.sleep(settle_s)
            if idle.is_visible() or time.monotonic() > deadline:
                expect(idle).to_be_visible(timeout=1_000)
                return

    # ---------------------------------------------------------------- cells

    def cell(self, index: int) -> Locator:
        return self.page.locator(CELL).nth(index)

    def prompt(self, index: int) -> Locator:
        return self.cell(index).locator(INPUT_PROMPT)

    def output(self, index: int) -> Locator:
        """The output area of cell ``index`` (outputs, rendered widgets)."""
        return self.cell(index).locator(OUTPUT_AREA)

    def outputs(self, index: int) -> list[dict[str, Any]]:
        """Cell ``index``'s outputs as nbformat JSON, read from the notebook model in the page."""
        result = self.page.evaluate(CELL_OUTPUTS_JS, [self.name, index])
        if result is None:
            raise LookupError(f"no cell {index} in {self.name}")
        return list(result)

    def _check_no_error(self, index: int) -> None:
        for output in self.outputs(index):
            if output.get("output_type") == "error":
                traceback = "\n".join(output.get("traceback", []))
                traceback = re.sub(r"\x1b\[[0-9;]*m", "", traceback)  # ANSI colours
                raise AssertionError(
                    f"cell {index} of {self.name} raised {output.get('ename')}:\n{traceback}"
                )

    def run_cell(
        self, index: int, *, timeout_ms: int = CELL_TIMEOUT_MS, allow_error: bool = False
    ) -> Locator:
        """Click into cell ``index``, press Shift+Enter, wait for its prompt to show a new ``[n]:``.

        Returns the cell's output area. Raises if the cell's output holds a traceback, unless
        ``allow_error``.
        """
        prompt = self.prompt(index)
        before = prompt.inner_text().strip()
        self.cell(index).locator(EDITOR).click()
        self.page.keyboard.press("Shift+Enter")
        # A fast cell can go "[ ]:" -> "[*]:" -> "[1]:" between two looks, so wait for "different from
        # before" first, then for a number (execution counts only grow, so re-runs differ too).
        expect(prompt, f"cell {index} never started").not_to_have_text(before, timeout=timeout_ms)
        expect(prompt, f"cell {index} never finished").to_have_text(DONE_PROMPT, timeout=timeout_ms)
        if not allow_error:
            self._check_no_error(index)
        return self.output(index)

    def run_all(self, *, timeout_ms: int = CELL_TIMEOUT_MS * 2, allow_error: bool = False) -> None:
        """Run > Run All Cells from the menu bar, then wait for every non-empty code cell to finish.

        JupyterLab stops a run-all at the first cell that raises: with ``allow_error`` the wait ends
        there, without it that cell's traceback is raised as an AssertionError.
        """
        states: list[list[Any]] = self.page.locator(CELL).evaluate_all(
            """cells => cells.map(c => [
                c.classList.contains("jp-CodeCell"),
                (c.querySelector(".jp-InputArea-prompt") || {}).textContent || "",
                (c.querySelector(".cm-content") || {}).textContent || "",
            ])"""
        )
        # Empty code cells are not sent to the kernel and keep their "[ ]:" prompt.
        to_wait = [
            (i, prompt.strip()) for i, (code, prompt, source) in enumerate(states) if code and source.strip()
        ]
        self.page.locator(".lm-MenuBar-item", has_text=re.compile(r"^Run$")).click()
        self.page.locator(".lm-Menu-item:not(.lm-mod-hidden)", has_text=re.compile(r"^Run All Cells")).click()
        for i, before in to_wait:
            prompt = self.prompt(i)
            expect(prompt, f"cell {i} never started").not_to_have_text(before, timeout=timeout_ms)
            expect(prompt, f"cell {i} never finished").to_have_text(DONE_PROMPT, timeout=timeout_ms)
            if any(output.get("output_type") == "error" for output in self.outputs(i)):
                if allow_error:
                    return
                self._check_no_error(i)

    def screenshot(self, path: str | Path) -> Path:
        """Full-page PNG of this notebook's page; returns the path."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(target), full_page=True)
        return target

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.page.close()
        self.lab.shutdown_sessions(self.name)


class NotebookFactory:
    """``notebook(["code", ...], name="x")``: write ``x.ipynb``, open it, wait for an idle kernel."""

    def __init__(self, lab: JupyterLab, context: BrowserContext, test_name: str) -> None:
        self.lab = lab
        self.context = context
        self.test_name = test_name
        self.opened: list[Notebook] = []

    def __call__(self, sources: Sequence[str], name: str | None = None) -> Notebook:
        if isinstance(sources, str):
            raise TypeError("pass a list of cell sources, not one string")
        stem = name or f"{safe_name(self.test_name)}-{len(self.opened) + 1}"
        path = self.lab.root_dir / f"{stem}.ipynb"
        path.write_text(json.dumps(notebook_json(sources), indent=1), encoding="utf-8")
        notebook = Notebook(self.context.new_page(), self.lab, path)
        self.opened.append(notebook)
        return notebook.open()

    def close(self) -> None:
        for notebook in self.opened:
            notebook.close()


def safe_name(name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", name).strip("_") or "test"
