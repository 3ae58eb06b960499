"""a2a-sdk 1.x peer with the protocol's optional features switched on, built from the SDK's own parts.

Run inside the a2a-v1 virtualenv with a2a-sdk's ``signing`` extra on top
(``a2a_peers.ensure_a2a_v1_features_venv``)::

    .peers/a2a-v1-venv/bin/python tests/peers/a2a_server_v1_features.py --port 9107

What it adds to ``a2a_server_v1.py`` (same scripted executor, v1.0 JSON-RPC + REST):

* tenant: both interfaces carry ``tenant: FEATURES_TENANT``; the SDK reads it from JSON-RPC params
  and from the REST ``/{tenant}/`` prefix;
* authenticated extended card: ``capabilities.extendedAgentCard``, the handler's
  ``extended_agent_card`` with one more skill; without ``Authorization: Bearer FEATURES_TOKEN`` the
  extended card call (JSON-RPC ``GetExtendedAgentCard`` or ``GET /extendedAgentCard``) is HTTP 401;
* extensions: the card declares ``EXT_ECHO`` (optional); ``/strict/`` serves the same card with
  ``EXT_REQUIRED`` marked required; a message containing ``whoami`` gets a direct reply naming the
  tenant and the extensions the server saw (``A2A-Extensions``);
* card caching: the SDK's weak ``ETag`` and ``Cache-Control: FEATURES_CACHE_CONTROL``;
* signed cards: the public card is signed per request with the SDK's ``create_agent_card_signer``
  (ES256, ``kid`` ``FEATURES_KID``, ``jku`` ``/jwks.json``); ``/tampered/`` signs and then edits the
  description; ``/unsigned/`` has no signature; ``/grpc-only/`` lists only a gRPC interface (nothing serves it);
* push notifications: the SDK's in-memory push config store and ``BasePushNotificationSender``.
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx
import uvicorn
from a2a.helpers import new_text_part
from a2a.server.agent_execution import RequestContext
from a2a.server.events import EventQueue
from a2a.server.request_handlers import DefaultRequestHandler
from a2a.server.routes import create_agent_card_routes, create_jsonrpc_routes, create_rest_routes
from a2a.server.tasks import (
    BasePushNotificationSender,
    InMemoryPushNotificationConfigStore,
    InMemoryTaskStore,
)
from a2a.types import (
    AgentCapabilities,
    AgentCard,
    AgentExtension,
    AgentInterface,
    AgentSkill,
    Message,
    Role,
)
from a2a.utils.signing import create_agent_card_signer
from a2a_executor_v1 import ScriptedExecutorV1
from a2a_peers import (
    EXT_ECHO,
    EXT_REQUIRED,
    EXTENDED_SKILL,
    FEATURES_CACHE_CONTROL,
    FEATURES_KID,
    FEATURES_TENANT,
    FEATURES_TOKEN,
)
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.types import Message as ASGIMessage

_EXTENDED_METHODS = (b'"GetExtendedAgentCard"', b'"agent/getAuthenticatedExtendedCard"')


class FeaturesExecutor(ScriptedExecutorV1):
    """The scripted executor, plus ``whoami``: a direct reply naming the tenant and extensions seen."""

    async def execute(self, context: RequestContext, event_queue: EventQueue) -> None:
        if "whoami" in context.get_user_input().lower():
            extensions = ",".join(sorted(context.requested_extensions)) or "-"
            await event_queue.enqueue_event(
                Message(
                    role=Role.ROLE_AGENT,
                    message_id=str(uuid.uuid4()),
                    context_id=context.context_id or str(uuid.uuid4()),
                    parts=[new_text_part(f"tenant={context.tenant or '-'} extensions={extensions}")],
                )
            )
            return
        await super().execute(context, event_queue)


class ExtendedCardAuth:
    """HTTP 401 for an extended-card call without the right bearer token (pure ASGI: it must read
    a JSON-RPC body to see the method, then hand the same bytes on)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        more = True
        while more:
            message = await receive()
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        wants_card = scope["path"].rstrip("/").endswith(("/extendedAgentCard", "/v1/card")) or any(
            m in body for m in _EXTENDED_METHODS
        )
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        if wants_card and headers.get("authorization") != f"Bearer {FEATURES_TOKEN}":
            response = JSONResponse(
                {"error": {"code": 401, "status": "UNAUTHENTICATED", "message": "bearer token required"}},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
            await response(scope, receive, send)
            return
        replayed = False

        async def replay() -> ASGIMessage:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def build_card(base: str, *, required: bool = False) -> AgentCard:
    extensions = [AgentExtension(uri=EXT_ECHO, description="Echo the extensions back.", required=False)]
    if required:
        extensions.append(AgentExtension(uri=EXT_REQUIRED, description="Must be on.", required=True))
    return AgentCard(
        name="agentnb-a2a-v1-features-peer",
        description="a2a-sdk 1.x peer with tenants, extended and signed cards, extensions, push.",
        supported_interfaces=[
            AgentInterface(
                url=f"{base}/", protocol_binding="JSONRPC", protocol_version="1.0", tenant=FEATURES_TENANT
            ),
            AgentInterface(
                url=base, protocol_binding="HTTP+JSON", protocol_version="1.0", tenant=FEATURES_TENANT
            ),
        ],
        version="1.0.0",
        capabilities=AgentCapabilities(
            streaming=True, push_notifications=True, extended_agent_card=True, extensions=extensions
        ),
        default_input_modes=["text/plain"],
        default_output_modes=["text/plain", "application/json"],
        skills=[
            AgentSkill(
                id="scripted",
                name="Scripted replies",
                description="Streams an artifact; keywords select files, input-required, slow, failure.",
                tags=["test"],
            )
        ],
    )


def build_app(host: str, port: int) -> Starlette:
    base = f"http://{host}:{port}"
    card = build_card(base)
    extended = AgentCard()
    extended.CopyFrom(card)
    extended.skills.append(
        AgentSkill(id="admin", name=EXTENDED_SKILL, description="Only for callers with a token.", tags=["x"])
    )
    key = ec.generate_private_key(ec.SECP256R1())
    jwk = ECAlgorithm.to_jwk(key.public_key(), as_dict=True)
    jwk.update({"kid": FEATURES_KID, "alg": "ES256", "use": "sig"})
    sign = create_agent_card_signer(
        key, {"kid": FEATURES_KID, "alg": "ES256", "jku": f"{base}/jwks.json", "typ": "JOSE"}
    )

    async def signed(served: AgentCard) -> AgentCard:
        copy = AgentCard()
        copy.CopyFrom(served)
        return sign(copy)

    async def tampered(served: AgentCard) -> AgentCard:
        copy = await signed(served)
        copy.description = "Trust me, I am someone else."
        return copy

    grpc_only = AgentCard()
    grpc_only.CopyFrom(card)
    del grpc_only.supported_interfaces[:]
    grpc_only.supported_interfaces.append(
        AgentInterface(url=f"{host}:{port + 1}", protocol_binding="GRPC", protocol_version="1.0")
    )
    store = InMemoryPushNotificationConfigStore()
    handler = DefaultRequestHandler(
        agent_executor=FeaturesExecutor(),
        task_store=InMemoryTaskStore(),
        agent_card=card,
        push_config_store=store,
        push_sender=BasePushNotificationSender(httpx.AsyncClient(trust_env=False, timeout=10), store),
        extended_agent_card=extended,
    )

    async def jwks(_: Request) -> JSONResponse:
        return JSONResponse({"keys": [json.loads(json.dumps(jwk))]})

    cards: list[Any] = [
        *create_agent_card_routes(card, card_modifier=signed, cache_control=FEATURES_CACHE_CONTROL),
        *create_agent_card_routes(
            card, card_modifier=tampered, card_url="/tampered/.well-known/agent-card.json"
        ),
        *create_agent_card_routes(card, card_url="/unsigned/.well-known/agent-card.json"),
        *create_agent_card_routes(
            build_card(base, required=True), card_url="/strict/.well-known/agent-card.json"
        ),
        *create_agent_card_routes(grpc_only, card_url="/grpc-only/.well-known/agent-card.json"),
    ]
    routes: list[BaseRoute] = [
        *cards,
        Route("/jwks.json", jwks, methods=["GET"]),
        *create_jsonrpc_routes(handler, rpc_url="/"),
        # Last: the REST routes end with a catch-all ``/{tenant}`` mount.
        *create_rest_routes(handler),
    ]
    app = Starlette(routes=routes)
    app.add_middleware(ExtendedCardAuth)
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
