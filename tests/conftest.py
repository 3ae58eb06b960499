"""Shared fixtures: real peers started once per test session on free 127.0.0.1 ports."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.peers.agentos import AgentOSPeer, start_agentos

SECURITY_KEY = "test-secret-key-4f9a"


@pytest.fixture(scope="session")
def agentos(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AgentOSPeer]:
    """The scripted AgentOS (no auth), shared by the whole run."""
    peer = start_agentos(tmp_path_factory.mktemp("agentos"))
    yield peer
    peer.stop()


@pytest.fixture(scope="session")
def agentos_secured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AgentOSPeer]:
    """The scripted AgentOS behind a security key (``SECURITY_KEY``)."""
    peer = start_agentos(tmp_path_factory.mktemp("agentos-secured"), security_key=SECURITY_KEY)
    yield peer
    peer.stop()
