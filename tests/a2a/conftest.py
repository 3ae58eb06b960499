"""Fixtures of the A2A tests: the a2a-sdk 1.x peer with the optional protocol features on."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.peers.a2a_peers import A2APeer, start_a2a_v1_features


@pytest.fixture(scope="session")
def features_peer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[A2APeer]:
    """a2a_server_v1_features.py: tenant "acme", extended/signed cards, extensions, push."""
    peer = start_a2a_v1_features(tmp_path_factory.mktemp("a2a-features"))
    yield peer
    peer.stop()
