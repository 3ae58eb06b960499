"""gRPC (issue 14, item 1) is not built yet: a card that offers only gRPC is a clear error, not a
guess over HTTP. The features peer serves such a card at ``/grpc-only/``."""

from __future__ import annotations

import pytest

from agentnb import ConfigurationError
from agentnb.a2a import A2AClient
from tests.a2a.features import RecordingTransport
from tests.peers.a2a_peers import A2APeer

pytestmark = pytest.mark.peer


async def test_a_grpc_only_card_is_a_clear_error(features_peer: A2APeer) -> None:
    transport = RecordingTransport()
    client = A2AClient(
        features_peer.base_url,
        card_url=features_peer.base_url + "/grpc-only/.well-known/agent-card.json",
        transport=transport,
    )
    with pytest.raises(ConfigurationError, match=r"only the gRPC binding.*agentnb\[grpc\]"):
        await client.send_message("hello")
    assert [m for m, *_ in transport.seen] == ["GET"]  # the card, and nothing else
