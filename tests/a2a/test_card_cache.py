"""Card caching (issue 14, item 7): ETag / Cache-Control on the agent card, against a2a-sdk 1.3.0.

The features peer sends a weak ETag and ``Cache-Control: public, max-age=60``.
"""

from __future__ import annotations

import httpx
import pytest

from agentnb.a2a import A2AClient
from agentnb.a2a.card_cache import CardCache
from tests.a2a.features import FEATURE_COMBOS, FEATURE_IDS, RecordingTransport
from tests.a2a.test_matrix import Combo
from tests.peers.a2a_peers import A2APeer

pytestmark = pytest.mark.peer


def card_gets(transport: RecordingTransport) -> list[tuple[int, str | None]]:
    return [
        (status, headers.get("if-none-match"))
        for method, path, status, headers in transport.seen
        if method == "GET" and path.endswith("agent-card.json")
    ]


@pytest.mark.parametrize("combo", FEATURE_COMBOS, ids=FEATURE_IDS)
async def test_card_cache(combo: Combo, features_peer: A2APeer) -> None:
    transport = RecordingTransport()
    client = A2AClient(
        features_peer.base_url,
        protocol=combo.protocol,  # type: ignore[arg-type]
        a2a_version=combo.version,
        transport=transport,
    )
    first = await client.aget_agent_card()
    assert first is not None and client.card_cache.etag and client.card_cache.etag.startswith('W/"')
    # Fresh for max-age=60: no request at all.
    assert await client.aget_agent_card() is first
    await client.anegotiate()
    assert len(card_gets(transport)) == 1
    # refresh=True revalidates: the unchanged card costs a 304, and the same card (and its
    # already checked signature) stays.
    for _ in range(3):
        assert await client.aget_agent_card(refresh=True) is first
    assert card_gets(transport) == [(200, None)] + [(304, client.card_cache.etag)] * 3
    assert client.card_cache.not_modified == 3 and client.card_cache.downloads == 1
    assert first.signature_status == "verified"
    assert (await client.send_message("hello cache")).is_completed


async def test_a_stale_card_is_revalidated_and_a_changed_one_replaces_it() -> None:
    # MockTransport: a card that changes between two requests is not something the peer does.
    versions = iter(["1", "2"])
    seen: list[str | None] = []

    def serve(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("if-none-match"))
        version = next(versions)
        return httpx.Response(
            200,
            json={"name": f"v{version}", "url": "http://agent.invalid/"},
            headers={"ETag": f'"{version}"', "Cache-Control": "no-cache"},
        )

    client = A2AClient("http://agent.invalid", transport=httpx.MockTransport(serve))
    first = await client.aget_agent_card()
    second = await client.aget_agent_card()  # no-cache: ask every time, with the validator
    assert first is not None and second is not None
    assert (first.name, second.name) == ("v1", "v2") and seen == [None, '"1"']


def test_cache_control_is_read_as_rfc_9111_says() -> None:
    cache = CardCache()
    request = httpx.Request("GET", "http://x.invalid/")
    cache._remember(
        httpx.Response(200, headers={"Cache-Control": "max-age=600", "ETag": '"a"'}, request=request), "u"
    )
    assert cache.is_fresh() and cache.etag == '"a"'
    cache._remember(httpx.Response(304, headers={"Cache-Control": "max-age=0"}, request=request), "u")
    assert not cache.is_fresh() and cache.etag == '"a"'  # a 304 without an ETag keeps ours
    cache._remember(
        httpx.Response(200, headers={"Cache-Control": "no-store", "ETag": '"b"'}, request=request), "u"
    )
    assert cache.etag is None and not cache.is_fresh()
    cache._remember(httpx.Response(200, headers={"ETag": '"c"'}, request=request), "u")
    assert cache.is_fresh() and cache.etag == '"c"'  # no Cache-Control: kept until refresh=True
