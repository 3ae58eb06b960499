"""a2a-sdk 1.x test peer: A2A v1.0 JSON-RPC (``POST /``) + HTTP+JSON (REST, no prefix) on one port.

Run inside the a2a-v1 virtualenv (see ``a2a_peers.ensure_a2a_v1_venv``)::

    .peers/a2a-v1-venv/bin/python tests/peers/a2a_server_v1.py --port 9101 [--compat]

``--compat`` passes ``enable_v0_3_compat=True`` to the SDK's JSON-RPC and REST route factories
(v0.3 method names on ``POST /`` and the v0.3 REST routes under ``/v1/...``) and adds the two
``protocolVersion: "0.3"`` interfaces to the card, which makes the SDK also emit the legacy v0.3
card keys (``url``, ``preferredTransport``, ``additionalInterfaces``, ``protocolVersion``).
Without it the peer is v1.0 only. Behaviour: see ``a2a_executor_v1.py``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import uvicorn
from a2a.server.request_handlers import DefaultRequestHandler
from a2a.server.routes import (
    create_agent_card_routes,
    create_jsonrpc_routes,
    create_rest_routes,
)
from a2a.server.tasks import InMemoryTaskStore
from a2a.types import (
    AgentCapabilities,
    AgentCard,
    AgentInterface,
    AgentSkill,
)
from a2a_executor_v1 import ScriptedExecutorV1
from starlette.applications import Starlette
from starlette.routing import BaseRoute


def build_card(host: str, port: int, *, compat: bool) -> AgentCard:
    base = f"http://{host}:{port}"
    versions = ["1.0", "0.3"] if compat else ["1.0"]
    interfaces = [
        AgentInterface(url=url, protocol_binding=binding, protocol_version=version)
        for version in versions
        for binding, url in (("JSONRPC", f"{base}/"), ("HTTP+JSON", base))
    ]
    return AgentCard(
        name="agentnb-a2a-v1-peer" + ("-compat" if compat else ""),
        description="Deterministic a2a-sdk 1.x test peer (keywords: file, input, slow, fail, direct).",
        supported_interfaces=interfaces,
        version="1.0.0",
        capabilities=AgentCapabilities(streaming=True, push_notifications=False),
        default_input_modes=["text/plain"],
        default_output_modes=["text/plain", "application/json"],
        skills=[
            AgentSkill(
                id="scripted",
                name="Scripted replies",
                description="Streams an artifact; keywords select files, input-required, slow, failure.",
                tags=["test"],
                examples=["hello", "send me a file", "ask me for input", "slow", "fail"],
            )
        ],
    )


def build_app(host: str, port: int, *, compat: bool) -> Starlette:
    card = build_card(host, port, compat=compat)
    handler = DefaultRequestHandler(
        agent_executor=ScriptedExecutorV1(),
        task_store=InMemoryTaskStore(),
        agent_card=card,
    )
    # Order matters: the REST routes end with a catch-all ``/{tenant}`` mount.
    routes: list[BaseRoute] = [
        *create_agent_card_routes(card),
        *create_jsonrpc_routes(handler, rpc_url="/", enable_v0_3_compat=compat),
        *create_rest_routes(handler, enable_v0_3_compat=compat),
    ]
    return Starlette(routes=routes)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument(
        "--compat", action="store_true", help="also serve A2A v0.3 (a2a-sdk enable_v0_3_compat)"
    )
    args = parser.parse_args(argv)
    uvicorn.run(
        build_app(args.host, args.port, compat=args.compat),
        host=args.host,
        port=args.port,
        log_level="warning",
        timeout_graceful_shutdown=2,
    )


if __name__ == "__main__":
    main()
