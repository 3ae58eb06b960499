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
  description; ``/unsigned/`` has no signature;
* push notifications: the SDK's in-memory push config store and ``BasePushNotificationSender``;
* gRPC (``--grpc-port``): the same handler behind the SDK's ``GrpcHandler`` on 127.0.0.1, and its
  v0.3 ``CompatGrpcHandler`` on the same port; the card lists v1.0 gRPC after the HTTP interfaces
  (tenant ``FEATURES_TENANT``; a v0.3 interface would make the SDK add v0.3 fields to the served
  card after signing it), ``/grpc/`` lists it first, ``/grpc-only/`` only it
  (no tenant), ``/grpc-dead/`` only a gRPC interface nothing listens on, ``/grpc-v03/`` only the
  SDK's v0.3 compat gRPC service (same port). ``GetExtendedAgentCard``
  without the bearer token is UNAUTHENTICATED; metadata ``x-test-fault: unimplemented`` makes any
  call UNIMPLEMENTED and ``x-test-fault: stall`` delays it by ``STALL_S`` (for client timeouts).
  ``GET /grpc-calls`` counts the streaming calls open now, finished, and cancelled by the client.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import grpc
import grpc.aio
import httpx
import uvicorn
from a2a.compat.v0_3 import a2a_v0_3_pb2_grpc
from a2a.compat.v0_3.grpc_handler import CompatGrpcHandler
from a2a.helpers import new_text_part
from a2a.server.agent_execution import RequestContext
from a2a.server.events import EventQueue
from a2a.server.request_handlers import DefaultRequestHandler, GrpcHandler
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
    a2a_pb2_grpc,
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
    free_port,
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


STALL_S = 20.0
#: Streaming gRPC calls: open now, and ended by the client (cancelled or disconnected).
GRPC_CALLS = {"open": 0, "cancelled": 0, "finished": 0}


class GrpcGate(grpc.aio.ServerInterceptor):
    """UNAUTHENTICATED for GetExtendedAgentCard without the bearer token; counts streaming calls."""

    async def intercept_service(self, continuation: Any, details: Any) -> Any:
        metadata = {k: v for k, v in details.invocation_metadata or ()}
        fault = metadata.get("x-test-fault")
        if fault == "unimplemented":

            async def unimplemented(request: Any, context: grpc.aio.ServicerContext) -> None:
                await context.abort(grpc.StatusCode.UNIMPLEMENTED, "not served here (x-test-fault)")

            return grpc.unary_unary_rpc_method_handler(unimplemented)
        if fault == "stall":
            await asyncio.sleep(STALL_S)
        if details.method.endswith("/GetExtendedAgentCard") and metadata.get("authorization") != (
            f"Bearer {FEATURES_TOKEN}"
        ):

            async def deny(request: Any, context: grpc.aio.ServicerContext) -> None:
                await context.abort(grpc.StatusCode.UNAUTHENTICATED, "bearer token required")

            return grpc.unary_unary_rpc_method_handler(deny)
        handler = await continuation(details)
        if handler is None or handler.unary_stream is None:
            return handler
        behaviour = handler.unary_stream

        async def counted(request: Any, context: grpc.aio.ServicerContext) -> Any:
            GRPC_CALLS["open"] += 1
            task = asyncio.current_task()
            completed = False
            try:
                async for item in behaviour(request, context):
                    yield item
                completed = True
            finally:
                # gRPC cancels the handler's task when the client cancels or goes away; a2a-sdk's
                # stream may swallow that CancelledError and end quietly, so ask the task.
                cancelled = not completed or (task is not None and task.cancelling() > 0)
                GRPC_CALLS["open"] -= 1
                GRPC_CALLS["cancelled" if cancelled else "finished"] += 1

        return grpc.unary_stream_rpc_method_handler(
            counted,
            request_deserializer=handler.request_deserializer,
            response_serializer=handler.response_serializer,
        )


def build_card(
    base: str, *, required: bool = False, grpc_url: str | None = None, grpc_first: bool = False
) -> AgentCard:
    extensions = [AgentExtension(uri=EXT_ECHO, description="Echo the extensions back.", required=False)]
    if required:
        extensions.append(AgentExtension(uri=EXT_REQUIRED, description="Must be on.", required=True))
    interfaces = [
        AgentInterface(
            url=f"{base}/", protocol_binding="JSONRPC", protocol_version="1.0", tenant=FEATURES_TENANT
        ),
        AgentInterface(
            url=base, protocol_binding="HTTP+JSON", protocol_version="1.0", tenant=FEATURES_TENANT
        ),
    ]
    if grpc_url is not None:
        grpc_interface = AgentInterface(
            url=grpc_url, protocol_binding="GRPC", protocol_version="1.0", tenant=FEATURES_TENANT
        )
        interfaces.insert(0 if grpc_first else len(interfaces), grpc_interface)
    return AgentCard(
        name="agentnb-a2a-v1-features-peer",
        description="a2a-sdk 1.x peer with tenants, extended and signed cards, extensions, push.",
        supported_interfaces=interfaces,
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


def build_app(host: str, port: int, grpc_port: int) -> tuple[Starlette, DefaultRequestHandler]:
    base = f"http://{host}:{port}"
    grpc_url = f"{host}:{grpc_port}"
    card = build_card(base, grpc_url=grpc_url)
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
        AgentInterface(url=grpc_url, protocol_binding="GRPC", protocol_version="1.0")
    )
    grpc_dead = AgentCard()
    grpc_dead.CopyFrom(grpc_only)
    grpc_dead.supported_interfaces[0].url = f"{host}:{free_port(host)}"  # nothing listens there
    grpc_v03 = AgentCard()
    grpc_v03.CopyFrom(grpc_only)
    grpc_v03.supported_interfaces[0].protocol_version = "0.3"
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
            build_card(base, required=True, grpc_url=grpc_url), card_url="/strict/.well-known/agent-card.json"
        ),
        *create_agent_card_routes(grpc_only, card_url="/grpc-only/.well-known/agent-card.json"),
        *create_agent_card_routes(
            build_card(base, grpc_url=grpc_url, grpc_first=True), card_url="/grpc/.well-known/agent-card.json"
        ),
        *create_agent_card_routes(grpc_dead, card_url="/grpc-dead/.well-known/agent-card.json"),
        *create_agent_card_routes(grpc_v03, card_url="/grpc-v03/.well-known/agent-card.json"),
    ]

    async def grpc_calls(_: Request) -> JSONResponse:
        return JSONResponse(dict(GRPC_CALLS))

    routes: list[BaseRoute] = [
        *cards,
        Route("/jwks.json", jwks, methods=["GET"]),
        Route("/grpc-calls", grpc_calls, methods=["GET"]),
        *create_jsonrpc_routes(handler, rpc_url="/"),
        # Last: the REST routes end with a catch-all ``/{tenant}`` mount.
        *create_rest_routes(handler),
    ]
    app = Starlette(routes=routes)
    app.add_middleware(ExtendedCardAuth)
    return app, handler


async def serve(host: str, port: int, grpc_port: int) -> None:
    """HTTP (uvicorn) and gRPC on one loop, sharing one request handler (and so one task store)."""
    app, handler = build_app(host, port, grpc_port)
    server = grpc.aio.server(interceptors=[GrpcGate()])
    a2a_pb2_grpc.add_A2AServiceServicer_to_server(GrpcHandler(handler), server)
    # The SDK's v0.3 compat service (a2a.v1.A2AService) beside the v1.0 one, on the same port.
    a2a_v0_3_pb2_grpc.add_A2AServiceServicer_to_server(CompatGrpcHandler(handler), server)
    server.add_insecure_port(f"{host}:{grpc_port}")
    await server.start()
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=2)
    try:
        await uvicorn.Server(config).serve()
    finally:
        await server.stop(grace=1)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--grpc-port", type=int, required=True)
    args = parser.parse_args(argv)
    asyncio.run(serve(args.host, args.port, args.grpc_port))


if __name__ == "__main__":
    main()
