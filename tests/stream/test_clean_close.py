"""Leaving a stream early closes it cleanly: no stray task errors, warnings or open responses.

Every way out (``break``, an exception in the loop body, cancelling the consuming task, dropping a
half-read stream, reading to the end, a half-read stream when the loop ends) is tried on every
stream (AgentOS ``arun(stream=True)``, ``A2AClient.stream_message`` and ``RemoteAgent(protocol="a2a")``
on the a2a-sdk 0.3 and 1.x peers and on Agno's A2A interface), in two loop styles:

* a fresh ``asyncio.run()`` in a subprocess, whose stderr must stay empty;
* a long-lived loop in a background thread (like a Jupyter kernel's), with its exception handler,
  warnings, unraisable exceptions, logging and stderr all recorded and required to stay empty,
  first while the loop keeps running after the exit, then when it shuts down.

Each test leaves ``ROUNDS`` streams in a row: a broken close shows or not depending on the order the
loop finalizes generators in (memory layout), and a few rounds keep that from hiding it.

An observing wrapper around ``httpx.AsyncHTTPTransport`` checks that every response stream opened
was closed. For AgentOS the server's own record is checked too: a run left early is stored
CANCELLED (it saw the disconnect), a run read to the end COMPLETED.
"""

from __future__ import annotations

import contextlib
import gc
import json
import logging
import os
import subprocess
import sys
import time
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.peers.a2a_peers import A2APeer
from tests.peers.agentos import AgentOSPeer
from tests.stream._harness import (
    ROUNDS,
    TARGETS,
    WAYS,
    KernelLoop,
    ObservingTransport,
    Stream,
    Target,
    leave,
    recorded_unraisables,
    settle,
    stream_factory,
)

pytestmark = pytest.mark.peer

REPO_ROOT = Path(__file__).resolve().parents[2]
SUBPROCESS_TIMEOUT_S = 60.0
SERVER_RECORD_TIMEOUT_S = 6.0
#: What a broken close looks like on stderr; stderr must be empty anyway, these make failures readable.
SYMPTOMS = (
    "Task exception was never retrieved",
    "generator didn't stop",
    "already running",
    "ResourceWarning",
    "Traceback",
    "error occurred",
)

SCRIPT = """
import json, sys
from tests.stream._harness import run_in_fresh_loops
print(json.dumps(run_in_fresh_loops(*sys.argv[1:])))
"""


@pytest.fixture(params=TARGETS, ids=lambda t: t.id)
def target(request: pytest.FixtureRequest) -> Target:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def url(target: Target, request: pytest.FixtureRequest) -> str:
    """The peer's URL; peers are started lazily, so only the ones a selected test needs run."""
    if target.peer in ("agentos", "agno"):
        agentos: AgentOSPeer = request.getfixturevalue("agentos")
        return agentos.base_url if target.peer == "agentos" else f"{agentos.base_url}/a2a/agents/assistant"
    peers: dict[str, A2APeer] = request.getfixturevalue("a2a_peers")
    return peers[target.peer].base_url


@pytest.fixture
def session_id() -> str:
    return f"clean-close-{uuid.uuid4().hex[:12]}"


def _stored_status(base_url: str, session_id: str) -> str | None:
    """The status AgentOS stored for the session's run (stored once the run ends), or None."""
    deadline = time.monotonic() + SERVER_RECORD_TIMEOUT_S
    with httpx.Client(timeout=2.0) as client:
        while time.monotonic() < deadline:
            response = client.get(f"{base_url}/sessions/{session_id}/runs", params={"type": "agent"})
            if response.status_code == 200 and response.json():
                return str(response.json()[0]["status"])
            time.sleep(0.1)
    return None


def _assert_server_saw_the_exits(target: Target, url: str, session_id: str, way: str) -> None:
    if target.api != "agentos":
        return  # a2a-sdk peers and Agno's A2A interface keep no record to check a disconnect against
    expected = "COMPLETED" if way == "end" else "CANCELLED"
    stored = [_stored_status(url, f"{session_id}-{round_}") for round_ in range(ROUNDS)]
    assert stored == [expected] * ROUNDS, f"AgentOS did not store the runs as {expected}"


# --------------------------------------------------------------------------- (a) fresh asyncio.run()


@pytest.mark.parametrize("way", WAYS)
def test_fresh_asyncio_run_in_a_subprocess(target: Target, url: str, session_id: str, way: str) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDEVMODE", "PYTHONASYNCIODEBUG")}
    env["PYTHONWARNINGS"] = "always::ResourceWarning"
    done = subprocess.run(
        [sys.executable, "-W", "always::ResourceWarning", "-c", SCRIPT, target.id, url, way, session_id],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT_S,
        check=False,
    )
    symptoms = [s for s in SYMPTOMS if s in done.stderr]
    assert done.stderr == "", f"stderr not empty (symptoms: {symptoms}):\n{done.stderr}"
    assert done.returncode == 0, done.stdout
    reports = json.loads(done.stdout)
    assert len(reports) == ROUNDS
    for report in reports:
        assert report["events"] >= 1 and report["opened"] >= 1, report
        assert report.get("open_after_exit", []) == [], f"response still open after the exit: {report}"
        assert report["open_after_run"] == [], f"response still open after asyncio.run(): {report}"
    _assert_server_saw_the_exits(target, url, session_id, way)


# --------------------------------------------------------------------------- (b) long-lived loop


@contextlib.contextmanager
def _everything_recorded(
    kernel: KernelLoop, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> Iterator[dict[str, list[str]]]:
    """Exception-handler calls, warnings, unraisable exceptions, log records >= WARNING and stderr."""
    found: dict[str, list[str]] = {}
    capfd.readouterr()
    caplog.clear()
    start = len(kernel.reports)
    with (
        warnings.catch_warnings(record=True) as caught,
        recorded_unraisables() as unraisables,
        caplog.at_level(logging.WARNING),
    ):
        warnings.simplefilter("always")
        yield found
        gc.collect()
        found["exception handler"] = [_describe(context) for context in kernel.reports[start:]]
        found["warnings"] = [f"{w.category.__name__}: {w.message}" for w in caught]
        found["unraisable"] = list(unraisables)
        found["log"] = [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.levelno >= logging.WARNING]
    err = capfd.readouterr().err
    found["stderr"] = [err] if err else []


def _describe(context: dict[str, object]) -> str:
    exc = context.get("exception")
    return f"{context.get('message')}" + (f" ({type(exc).__name__}: {exc})" if exc is not None else "")


def _assert_clean(found: dict[str, list[str]], when: str) -> None:
    reported = {channel: items for channel, items in found.items() if items}
    assert not reported, f"reported {when}: {json.dumps(reported, indent=1)}"


@pytest.mark.parametrize("way", WAYS)
def test_long_lived_loop_like_a_kernel(
    target: Target,
    url: str,
    session_id: str,
    way: str,
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    transport = ObservingTransport()
    open_stream = stream_factory(target, url, transport)  # no running loop here
    keep: list[Stream] = []
    still_open: list[str] = []
    kernel = KernelLoop()
    try:
        with _everything_recorded(kernel, capfd, caplog) as while_running:
            for round_ in range(ROUNDS):  # like running the same cell again
                assert kernel.run(leave(way, open_stream, f"{session_id}-{round_}", keep)) >= 1
                if way != "loop-end":
                    still_open += kernel.run(settle(transport))
        assert transport.opened >= ROUNDS
        # The loop keeps running, as a kernel's does: the exits alone must have closed everything.
        _assert_clean(while_running, "with the loop still running")
        assert still_open == [], "response still open after the exit"
        with _everything_recorded(kernel, capfd, caplog) as at_shutdown:
            kernel.close()
        _assert_clean(at_shutdown, "when the loop shut down")
        assert transport.still_open == [], "response still open after the loop shut down"
    finally:
        keep.clear()
        kernel.close()
    _assert_server_saw_the_exits(target, url, session_id, way)
