"""A refused connection in a notebook cell shows agentnb's one-line message, not a traceback of
chained httpx/anyio errors (issue 16, item 12); the full traceback is one switch away."""

from __future__ import annotations

import subprocess
import sys

from tests.peers.agentos import free_port

CELL = """
from agentnb import RemoteAgent
agent = RemoteAgent("http://127.0.0.1:{port}", agent_id="a", prefetch_config=False, max_retries=0)
agent.run("hi")
"""

SCRIPT = """
import sys
from IPython.core.interactiveshell import InteractiveShell
import agentnb.errors
agentnb.errors.FULL_TRACEBACKS = {full}
shell = InteractiveShell.instance(colors="NoColor")
result = shell.run_cell(sys.argv[1])
print("ERROR-TYPE:", type(result.error_in_exec).__name__)
"""


def run_cell(full: bool) -> list[str]:
    code = CELL.format(port=free_port())
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(full=full), code], capture_output=True, text=True, timeout=120
    )
    return [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]


def test_a_refused_connection_shows_one_short_message() -> None:
    lines = run_cell(full=False)
    assert lines[-1] == "ERROR-TYPE: RemoteServerUnavailableError", lines
    shown = lines[:-1]
    assert len(shown) <= 3, shown
    assert "RemoteServerUnavailableError" in shown[0] and "connection refused" in shown[0]
    assert not any("Traceback" in line or "httpx" in line for line in shown)


def test_the_full_traceback_is_one_switch_away() -> None:
    lines = run_cell(full=True)
    text = "\n".join(lines)
    assert lines[-1] == "ERROR-TYPE: RemoteServerUnavailableError"
    assert len(lines) > 20 and "ConnectError" in text and "RemoteServerUnavailableError" in text
