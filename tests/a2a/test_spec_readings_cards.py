"""Agent cards a spec-following server may serve that the test peers never do.

Relative interface URLs, only the legacy ``/.well-known/agent.json``, several interfaces with
unknown bindings first, binding names in other spellings, old or missing protocol versions, and
hostile field values (huge, markup) that a notebook repr must escape and cap.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from agentnb.a2a import A2AClient
from agentnb.a2a.card import card_from_wire, choose_dialect
from tests.a2a.test_wire import BASE, rpc

DONE_V03 = {"kind": "task", "id": "t1", "contextId": "c1", "status": {"state": "completed"}}
DONE_V10 = {"task": {"id": "t1", "contextId": "c1", "status": {"state": "TASK_STATE_COMPLETED"}}}


def serve(
    card: dict[str, Any], *, path: str = "/.well-known/agent-card.json"
) -> tuple[A2AClient, list[httpx.Request]]:
    """A peer serving ``card`` at ``path`` only (404 elsewhere) and answering every call."""
    seen: list[httpx.Request] = []

    def route(request: httpx.Request) -> httpx.Response:
        if "/.well-known/" in request.url.path:
            return httpx.Response(200, json=card) if request.url.path.endswith(path) else httpx.Response(404)
        seen.append(request)
        if request.headers.get("A2A-Version") == "1.0":
            return httpx.Response(200, json=rpc(DONE_V10))
        return httpx.Response(200, json=rpc(DONE_V03))

    return A2AClient(f"{BASE}/agent", transport=httpx.MockTransport(route)), seen


@pytest.mark.parametrize(
    ("card", "posted_to", "method"),
    [
        (
            {"name": "rel03", "url": "/agent/rpc", "protocolVersion": "0.3.0"},
            f"{BASE}/agent/rpc",
            "message/send",
        ),
        (
            {"name": "rel03-dot", "url": "./rpc", "protocolVersion": "0.3.0"},
            f"{BASE}/agent/.well-known/rpc",
            None,
        ),
        (
            {
                "name": "rel10",
                "supportedInterfaces": [
                    {"url": "/agent/v1", "protocolBinding": "JSONRPC", "protocolVersion": "1.0"}
                ],
            },
            f"{BASE}/agent/v1",
            "SendMessage",
        ),
    ],
    ids=["v0.3-absolute-path", "v0.3-relative-path", "v1.0-absolute-path"],
)
async def test_relative_interface_urls_resolve_against_the_card_url(
    card: dict[str, Any], posted_to: str, method: str | None
) -> None:
    client, seen = serve(card)
    if method is None:
        # RFC 3986 resolution of "./rpc" against .../.well-known/agent-card.json
        fetched = await client.aget_agent_card()
        assert fetched is not None and fetched.interfaces[0].url == posted_to
        return
    assert (await client.send_message("hi")).is_completed
    assert str(seen[0].url) == posted_to and json.loads(seen[0].content)["method"] == method


async def test_a_card_served_only_at_the_legacy_path() -> None:
    card = {
        "name": "legacy",
        "url": f"{BASE}/agent/",
        "protocolVersion": "0.2.5",
        "preferredTransport": "JSONRPC",
    }
    client, seen = serve(card, path="/.well-known/agent.json")
    fetched = await client.aget_agent_card()
    assert fetched is not None and fetched.name == "legacy"
    assert fetched.card_url is not None and fetched.card_url.endswith("/.well-known/agent.json")
    assert client.negotiate().label == "A2A v0.3 JSON-RPC"  # 0.2.x speaks v0.3's methods
    assert (await client.send_message("hi")).is_completed
    assert json.loads(seen[0].content)["method"] == "message/send"


@pytest.mark.parametrize(
    ("interfaces", "label", "url"),
    [
        (  # unknown bindings listed first are passed over, the card's order kept otherwise
            [
                {"url": "kafka://x", "protocolBinding": "KAFKA", "protocolVersion": "1.0"},
                {"url": f"{BASE}/ws", "protocolBinding": "WEBSOCKET", "protocolVersion": "1.0"},
                {"url": f"{BASE}/rest", "protocolBinding": "HTTP+JSON", "protocolVersion": "1.0"},
                {"url": f"{BASE}/rpc", "protocolBinding": "JSONRPC", "protocolVersion": "1.0"},
            ],
            "A2A v1.0 REST",
            f"{BASE}/rest",
        ),
        (
            [{"url": f"{BASE}/rpc", "protocolBinding": "jsonrpc", "protocolVersion": "1.0"}],
            "A2A v1.0 JSON-RPC",
            f"{BASE}/rpc",
        ),
        (
            [{"url": f"{BASE}/rpc", "protocolBinding": "JSON-RPC", "protocolVersion": "1.0.0"}],
            "A2A v1.0 JSON-RPC",
            f"{BASE}/rpc",
        ),
        (
            [{"url": f"{BASE}/rpc", "protocolBinding": "JSON_RPC", "protocolVersion": "1.0"}],
            "A2A v1.0 JSON-RPC",
            f"{BASE}/rpc",
        ),
        (
            [{"url": f"{BASE}/r", "protocolBinding": "http+json", "protocolVersion": "1.0"}],
            "A2A v1.0 REST",
            f"{BASE}/r",
        ),
        # an interface naming its binding ``transport`` (v0.3's AgentInterface field)
        (
            [{"url": f"{BASE}/r", "transport": "HTTP+JSON", "protocolVersion": "1.0"}],
            "A2A v1.0 REST",
            f"{BASE}/r",
        ),
        # no protocolVersion on a v1.0 interface: v1.0 (the field is the v1.0 card's)
        ([{"url": f"{BASE}/rpc", "protocolBinding": "JSONRPC"}], "A2A v1.0 JSON-RPC", f"{BASE}/rpc"),
    ],
)
def test_supported_interfaces_readings(interfaces: list[dict[str, Any]], label: str, url: str) -> None:
    dialect = choose_dialect(card_from_wire({"name": "x", "supportedInterfaces": interfaces}, "u"), BASE)
    assert dialect.label == label and dialect.url.rstrip("/") == url


@pytest.mark.parametrize(
    ("card", "label"),
    [
        ({"url": f"{BASE}/", "preferredTransport": "json-rpc"}, "A2A v0.3 JSON-RPC"),  # no protocolVersion
        ({"url": f"{BASE}/", "protocolVersion": "0.2.6"}, "A2A v0.3 JSON-RPC"),
        (
            {
                "url": "grpc://x:50051",
                "preferredTransport": "SMOKE-SIGNALS",
                "additionalInterfaces": [
                    {"url": "mqtt://x", "transport": "MQTT"},
                    {"url": f"{BASE}/", "transport": "JSONRPC"},
                ],
            },
            "A2A v0.3 JSON-RPC",
        ),
    ],
)
def test_v03_cards_with_old_missing_or_unknown_fields(card: dict[str, Any], label: str) -> None:
    assert choose_dialect(card_from_wire({"name": "x", **card}, "u"), BASE).label == label


def test_a_hostile_card_is_escaped_and_capped_in_its_reprs() -> None:
    evil = "<script>alert(1)</script>"
    card = card_from_wire(
        {
            "name": evil + "N" * 200_000,
            "description": evil + "D" * 200_000,
            "url": f"{BASE}/",
            "version": evil,
            "skills": [{"name": evil + str(i), "description": "S" * 100_000} for i in range(1000)],
            "capabilities": {"extensions": [{"uri": f"{evil}{i}", "required": True} for i in range(1000)]},
        },
        "u",
    )
    for text in (card._repr_html_(), card._repr_markdown_()):
        assert "<script>" not in text
        assert len(text) < 200_000  # bounded, whatever the card holds
    assert len(repr(card)) < 200_000


@pytest.mark.parametrize(
    ("advertised", "reached"),
    [
        ("http://0.0.0.0:9999/", "http://peer.test:9999/"),
        ("http://[::]:9999/rpc", "http://peer.test:9999/rpc"),
        ("http://0.0.0.0/", "http://peer.test/"),
        ("http://127.0.0.1:9999/", "http://127.0.0.1:9999/"),  # a real address is kept as it is
    ],
)
async def test_a_card_advertising_the_unspecified_address(advertised: str, reached: str) -> None:
    """Servers bound to every address often advertise it (``0.0.0.0``); nobody is there to call."""
    client, seen = serve({"name": "any", "url": advertised, "protocolVersion": "0.3.0"})
    assert (await client.send_message("hi")).is_completed
    assert str(seen[0].url) == reached


def test_a_grpc_target_is_not_taken_for_a_relative_url() -> None:
    card = card_from_wire(
        {"name": "g", "supportedInterfaces": [{"url": "127.0.0.1:50051", "protocolBinding": "GRPC"}]},
        f"{BASE}/.well-known/agent-card.json",
    )
    assert [i.url for i in card.interfaces] == ["127.0.0.1:50051"]
