"""``agentnb demo --lab``: JupyterLab on the notebooks folder, started and stopped with the demo."""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import os
import signal
import subprocess
import sys
from pathlib import Path

STOP_TIMEOUT_S = 10.0


def notebooks_dir(cwd: Path | None = None) -> Path | None:
    """``notebooks/`` next to the package (a source checkout), else in the current folder, else None."""
    here = Path(__file__).resolve().parents[2] / "notebooks"
    there = (cwd or Path.cwd()) / "notebooks"
    return next((d for d in (here, there) if d.is_dir()), None)


def lab_available() -> bool:
    return importlib.util.find_spec("jupyterlab") is not None


def running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def lab_command(notebook_dir: Path | None, *, no_browser: bool, extra: list[str]) -> list[str]:
    """The command line that starts JupyterLab: our options, then ``extra`` (added, never replacing).

    As root it adds ``--allow-root`` (JupyterLab refuses to start as root without it).
    """
    cmd = [sys.executable, "-m", "jupyterlab"]
    if notebook_dir is not None:
        cmd.append(f"--notebook-dir={notebook_dir}")
    if no_browser:
        cmd.append("--no-browser")
    if running_as_root() and "--allow-root" not in extra:
        cmd.append("--allow-root")
    return cmd + extra


async def start_lab(cmd: list[str], env: dict[str, str]) -> asyncio.subprocess.Process:
    """Start JupyterLab in its own process group, so a terminal Ctrl-C reaches only the demo.

    The demo then stops Lab itself, which avoids Jupyter's "Shutdown this server (y/[n])?" prompt.
    """
    if sys.platform == "win32":
        return await asyncio.create_subprocess_exec(
            *cmd, env=env, creationflags=subprocess.CREATE_NEW_PROCESS_GROUP
        )
    return await asyncio.create_subprocess_exec(*cmd, env=env, start_new_session=True)


async def stop_lab(process: asyncio.subprocess.Process) -> int:
    """Ask Lab to shut down (SIGTERM, or CTRL_BREAK on Windows); kill it after a timeout."""
    if process.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            if sys.platform == "win32":
                process.send_signal(signal.CTRL_BREAK_EVENT)
            else:
                process.terminate()
        try:
            await asyncio.wait_for(process.wait(), STOP_TIMEOUT_S)
        except asyncio.TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()
    return process.returncode or 0
