"""Push configs are the dialects' business: push.py asks them, and a dialect without push refuses.

The shapes each dialect sends are checked against real peers (test_push.py, test_push_v03.py,
test_grpc_v03.py); here, what stays on our side of the wire: Agno's refusal before any request,
a send asking for pushes left untouched, and push.py free of branches on binding or version.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from agentnb import A2AClient
from agentnb.a2a import push
from agentnb.a2a.dialects import AgnoDialect, dialect_for
from agentnb.a2a.models import A2AMessage
from agentnb.a2a.push import PushConfig, PushInbox
from agentnb.errors import A2AError
from tests.peers.agentos import AgentOSPeer

PUSH_PY = Path(push.__file__)


def test_push_py_does_not_branch_on_binding_or_version() -> None:
    tree = ast.parse(PUSH_PY.read_text(encoding="utf-8"))
    asked = sorted(
        f"line {node.lineno}: .{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in ("binding", "version")
    )
    assert asked == [], "push.py decides by a dialect's binding or version; move that onto the dialect"


@pytest.mark.parametrize(
    ("version", "binding"),
    [
        ("0.3", "JSONRPC"),
        ("0.3", "HTTP+JSON"),
        ("0.3", "GRPC"),
        ("1.0", "JSONRPC"),
        ("1.0", "HTTP+JSON"),
        ("1.0", "GRPC"),
    ],
)
def test_asking_a_send_for_pushes_leaves_the_send_as_it_was(version: str, binding: str) -> None:
    dialect = dialect_for(version, binding, "http://127.0.0.1:9/a2a", tenant="acme")
    send = dialect.send(A2AMessage(role="user", parts=[]), stream=False, blocking=False)
    before = repr(send.json)
    asked = push.with_push(dialect, send, PushConfig(url="http://127.0.0.1:9/hook", token="tok"))
    assert repr(send.json) == before and asked.json != send.json
    assert (asked.method, asked.url) == (send.method, send.url)


def test_agnos_dialect_refuses_every_push_call_and_send() -> None:
    dialect = AgnoDialect("http://127.0.0.1:9/a2a/agents/assistant")
    send = dialect.send(A2AMessage(role="user", parts=[]), stream=False)
    attempts: list[Callable[[], object]] = [
        lambda: push.config_call(dialect, "create", "t1", config=PushConfig(url="http://127.0.0.1:9/h")),
        lambda: push.config_call(dialect, "get", "t1", config_id="c1"),
        lambda: push.config_call(dialect, "list", "t1"),
        lambda: push.config_call(dialect, "delete", "t1", config_id="c1"),
        lambda: push.with_push(dialect, send, PushConfig(url="http://127.0.0.1:9/h")),
    ]
    for attempt in attempts:
        with pytest.raises(A2AError, match="does not support push notification configs") as refused:
            attempt()
        assert refused.value.code == -32004


def test_an_unknown_push_config_operation_is_named() -> None:
    dialect = dialect_for("1.0", "JSONRPC", "http://127.0.0.1:9/a2a")
    with pytest.raises(ValueError, match="'patch'"):
        push.config_call(dialect, "patch", "t1")


@pytest.mark.peer
async def test_agentos_a2a_refuses_push_before_asking_the_server(agentos: AgentOSPeer) -> None:
    sent: list[str] = []

    class Log(httpx.AsyncBaseTransport):
        def __init__(self) -> None:
            self.inner = httpx.AsyncHTTPTransport()

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            sent.append(f"{request.method} {request.url.path}")
            return await self.inner.handle_async_request(request)

    client = A2AClient(f"{agentos.base_url}/a2a/agents/assistant", transport=Log())
    assert (await client.anegotiate()).label == client.dialect == "Agno A2A"
    before = list(sent)
    with pytest.raises(A2AError, match="does not support push notification configs"):
        await client.acreate_push_config("t1", PushConfig(url="http://127.0.0.1:9/hook"))
    with pytest.raises(A2AError, match="does not support push notification configs"):
        await client.alist_push_configs("t1")
    async with PushInbox() as inbox:
        with pytest.raises(A2AError, match="does not support push notification configs"):
            await client.send_message("hello", push=inbox)
    assert sent == before  # refused on our side: no request reached the server
