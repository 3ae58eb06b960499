"""a2a-sdk 0.3.x test peer: A2A v0.3 JSON-RPC (``POST /``) and REST (``/v1/...``) on one port.

Run: ``python tests/peers/a2a_server_v03.py --port 9104 [--host 127.0.0.1]``

Card at ``/.well-known/agent-card.json`` (also the deprecated ``/.well-known/agent.json``):
``url`` = JSON-RPC endpoint, ``preferredTransport`` JSONRPC, ``additionalInterfaces`` = the
HTTP+JSON base URL. Behaviour: see ``a2a_executor_v03.py``. Push notifications are on
(``capabilities.pushNotifications``): the SDK's in-memory config store and BasePushNotificationSender,
which POSTs the whole v0.3 Task to each registered URL with the config's token. The authenticated
extended card (``supportsAuthenticatedExtendedCard``) adds one skill, ``EXTENDED_SKILL_V03``, for a
caller with ``Authorization: Bearer V03_TOKEN``; anyone else gets the SDK's own error answer, which
(as some servers do) says HTTP 401 inside it rather than in the status line.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx
import uvicorn
from a2a.server.apps import A2ARESTFastAPIApplication, A2AStarletteApplication
from a2a.server.context import ServerCallContext
from a2a.server.request_handlers import DefaultRequestHandler
from a2a.server.tasks import (
    BasePushNotificationSender,
    InMemoryPushNotificationConfigStore,
    InMemoryTaskStore,
)
from a2a.types import (
    AgentCapabilities,
    AgentCard,
    AgentInterface,
    AgentSkill,
    InvalidRequestError,
    TransportProtocol,
)
from a2a.utils.errors import ServerError
from a2a_executor_v03 import ScriptedExecutorV03
from fastapi import FastAPI

V03_TOKEN = "v03-peer-token-5d2a"
EXTENDED_SKILL_V03 = "Admin report (v0.3)"


def build_card(host: str, port: int) -> AgentCard:
    base = f"http://{host}:{port}"
    return AgentCard(
        name="agentnb-a2a-v03-peer",
        description="Deterministic a2a-sdk 0.3 test peer (keywords: file, input, slow, fail, direct).",
        url=f"{base}/",
        version="1.0.0",
        preferred_transport=TransportProtocol.jsonrpc.value,
        additional_interfaces=[
            AgentInterface(transport=TransportProtocol.http_json.value, url=base),
        ],
        capabilities=AgentCapabilities(streaming=True, push_notifications=True),
        supports_authenticated_extended_card=True,
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


def only_with_token(card: AgentCard, context: ServerCallContext) -> AgentCard:
    """The extended card for the right bearer token; otherwise an A2A error naming HTTP 401."""
    if context.state.get("headers", {}).get("authorization") != f"Bearer {V03_TOKEN}":
        raise ServerError(
            error=InvalidRequestError(message="Unauthenticated: bearer token required", data={"httpStatus": 401})
        )
    return card


def build_app(host: str, port: int) -> FastAPI:
    card = build_card(host, port)
    extended = card.model_copy(deep=True)
    extended.skills.append(
        AgentSkill(id="admin", name=EXTENDED_SKILL_V03, description="Only for callers with a token.", tags=["x"])
    )
    store = InMemoryPushNotificationConfigStore()
    handler = DefaultRequestHandler(
        agent_executor=ScriptedExecutorV03(),
        task_store=InMemoryTaskStore(),
        push_config_store=store,
        push_sender=BasePushNotificationSender(httpx.AsyncClient(trust_env=False, timeout=10), store),
    )
    # REST (HTTP+JSON) routes under /v1 plus the card, then the JSON-RPC endpoint at POST /.
    cards = {"agent_card": card, "extended_agent_card": extended, "extended_card_modifier": only_with_token}
    app = A2ARESTFastAPIApplication(http_handler=handler, **cards).build(title="agentnb a2a-sdk 0.3 peer")
    A2AStarletteApplication(http_handler=handler, **cards).add_routes_to_app(app)
    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    uvicorn.run(
        build_app(args.host, args.port),
        host=args.host,
        port=args.port,
        log_level="warning",
        timeout_graceful_shutdown=2,
    )


if __name__ == "__main__":
    main()
