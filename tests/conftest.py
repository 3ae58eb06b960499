"""Shared fixtures: real peers started once per test session on free 127.0.0.1 ports."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.peers.a2a_peers import A2APeer, start_a2a_v03, start_a2a_v1
from tests.peers.agentos import AgentOSPeer, start_agentos

SECURITY_KEY = "test-secret-key-4f9a"


@pytest.fixture(scope="session")
def agentos(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AgentOSPeer]:
    """The scripted AgentOS (no auth, A2A interface on), shared by the whole run."""
    peer = start_agentos(tmp_path_factory.mktemp("agentos"), a2a=True)
    yield peer
    peer.stop()


@pytest.fixture(scope="session")
def agentos_secured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AgentOSPeer]:
    """The scripted AgentOS behind a security key (``SECURITY_KEY``)."""
    peer = start_agentos(tmp_path_factory.mktemp("agentos-secured"), security_key=SECURITY_KEY, a2a=True)
    yield peer
    peer.stop()


class _LazyPeers(dict[str, A2APeer]):
    """A2A peers started on first use: "v03" (a2a-sdk 0.3), "v1" and "compat" (a2a-sdk 1.x)."""

    def __init__(self, workdir: object) -> None:
        super().__init__()
        self.workdir = workdir

    def __missing__(self, kind: str) -> A2APeer:
        from pathlib import Path

        workdir = Path(str(self.workdir))
        peer = start_a2a_v03(workdir) if kind == "v03" else start_a2a_v1(workdir, compat=kind == "compat")
        self[kind] = peer
        return peer


@pytest.fixture(scope="session")
def a2a_peers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, A2APeer]]:
    """The a2a-sdk peers, each started once per run when a test first asks for it."""
    peers = _LazyPeers(tmp_path_factory.mktemp("a2a-peers"))
    yield peers
    for peer in peers.values():
        peer.stop()


# --------------------------------------------------------------------------- compatibility matrix

_matrix: dict[tuple[str, str], dict[str, str]] = {}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    combo = getattr(getattr(item, "callspec", None), "params", {}).get("combo")
    if combo is None or not hasattr(combo, "dialect"):
        return
    from tests.a2a.test_matrix import PEER_NAMES

    operation = item.name.split("[")[0].removeprefix("test_")
    row = _matrix.setdefault((PEER_NAMES[combo.peer], combo.dialect), {})
    if report.when == "call" or (report.when == "setup" and not report.passed):
        row[operation] = "pass" if report.passed else ("skip" if report.skipped else "FAIL")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    from tests.reliability_report import REPORT

    if REPORT:
        terminalreporter.section("reliability and security figures")
        for topic, figure in REPORT.items():
            terminalreporter.write_line(f"{topic}: {figure}")
    if not _matrix:
        return
    operations: list[str] = []
    for row in _matrix.values():
        operations += [op for op in row if op not in operations]
    header = ["peer", "dialect", *operations]
    rows = [
        [peer, dialect, *(results.get(op, "n/a") for op in operations)]
        for (peer, dialect), results in _matrix.items()
    ]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    terminalreporter.section("A2A compatibility matrix (peer x dialect x operation)")
    for line in [header, ["-" * w for w in widths], *rows]:
        terminalreporter.write_line(
            "  ".join(str(cell).ljust(w) for cell, w in zip(line, widths, strict=True))
        )
    failed = sum(cell == "FAIL" for r in rows for cell in r)
    passed = sum(cell == "pass" for r in rows for cell in r)
    terminalreporter.write_line(f"matrix: {passed} passed, {failed} failed")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # Close the widgets the tests made while their modules still exist; otherwise ipywidgets'
    # __del__ runs during interpreter shutdown and prints a traceback after pytest's summary.
    import sys

    widgets = sys.modules.get("ipywidgets")
    if widgets is not None:
        widgets.Widget.close_all()
