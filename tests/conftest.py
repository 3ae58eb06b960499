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
