"""A2A extensions (issue 14, item 5) against the a2a-sdk 1.x features peer.

The peer's ``whoami`` reply names the extensions the server saw in ``A2A-Extensions``.
"""

from __future__ import annotations

import pytest

from agentnb import A2AError, ConfigurationError
from agentnb.a2a import A2AClient
from agentnb.a2a.extensions import extensions_header
from tests.a2a.features import FEATURE_COMBOS, FEATURE_IDS, RecordingTransport
from tests.a2a.test_matrix import Combo
from tests.peers.a2a_peers import EXT_ECHO, EXT_REQUIRED, A2APeer

pytestmark = pytest.mark.peer

OTHER = "https://agentnb.test/extensions/other/v1"


def client_for(combo: Combo, peer: A2APeer, **kwargs: object) -> A2AClient:
    return A2AClient(peer.base_url, protocol=combo.protocol, a2a_version=combo.version, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("combo", FEATURE_COMBOS, ids=FEATURE_IDS)
async def test_extensions(combo: Combo, features_peer: A2APeer) -> None:
    client = client_for(combo, features_peer, extensions=[EXT_ECHO])
    card = await client.aget_agent_card()
    assert card is not None and [e["uri"] for e in card.extensions] == [EXT_ECHO]
    assert card.required_extensions == [] and f"extension: {EXT_ECHO}" in card._repr_markdown_()
    # Client-wide, then client-wide plus per call, each once; a streamed call sends them too.
    assert (await client.send_message("whoami")).content.endswith(f"extensions={EXT_ECHO}")
    both = await client.send_message("whoami", extensions=[OTHER, EXT_ECHO])
    assert both.content.endswith("extensions=" + ",".join(sorted([EXT_ECHO, OTHER])))
    stream = client.stream_message("whoami", extensions=[OTHER])
    events = [e async for e in stream]
    assert events and stream.result.content.endswith("extensions=" + ",".join(sorted([EXT_ECHO, OTHER])))
    # None activated: the server sees none.
    plain = client_for(combo, features_peer)
    assert (await plain.send_message("whoami")).content.endswith("extensions=-")


@pytest.mark.parametrize("combo", FEATURE_COMBOS, ids=FEATURE_IDS)
async def test_required_extension(combo: Combo, features_peer: A2APeer) -> None:
    strict_card = features_peer.base_url + "/strict/.well-known/agent-card.json"
    transport = RecordingTransport()
    client = client_for(combo, features_peer, card_url=strict_card, transport=transport)
    with pytest.raises(A2AError) as info:
        await client.send_message("whoami")
    assert info.value.code == -32008 and info.value.reason == "EXTENSION_SUPPORT_REQUIRED"
    assert EXT_REQUIRED in str(info.value) and "nothing was sent" in str(info.value)
    with pytest.raises(A2AError):
        [e async for e in client.stream_message("whoami")]
    # Only the card was fetched: no message left the client.
    assert [(m, p) for m, p, *_ in transport.seen] == [("GET", "/strict/.well-known/agent-card.json")]
    # Activated per call, or on the client: sent, and the server saw it.
    answer = await client.send_message("whoami", extensions=[EXT_REQUIRED])
    assert answer.content.endswith(f"extensions={EXT_REQUIRED}")
    on_client = client_for(combo, features_peer, card_url=strict_card, extensions=[EXT_REQUIRED])
    assert (await on_client.send_message("whoami")).content.endswith(f"extensions={EXT_REQUIRED}")


def test_the_header_name_follows_the_protocol_version() -> None:
    assert extensions_header("1.0", [EXT_ECHO, OTHER]) == {"A2A-Extensions": f"{EXT_ECHO}, {OTHER}"}
    assert extensions_header("0.3", [EXT_ECHO]) == {"X-A2A-Extensions": EXT_ECHO}
    assert extensions_header("1.0", []) == {}


@pytest.mark.parametrize("bad", ["", "a,b", "uri with space", "x\r\nInjected: 1", 42])
def test_unusable_extension_uris_are_refused(bad: object) -> None:
    with pytest.raises(ConfigurationError):
        A2AClient("http://127.0.0.1:9", extensions=[bad])  # type: ignore[list-item]
