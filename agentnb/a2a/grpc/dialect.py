"""The A2A v1.0 gRPC dialect: the v1.0 JSON-RPC calls, carried by a gRPC channel instead of HTTP.

The v1.0 JSON-RPC method names are a2a.proto's ``A2AService`` method names and its params are
the ProtoJSON of the request messages, so this dialect builds calls and decodes answers exactly
as ``V10JsonRpc`` does (tenant in the request's ``tenant`` field, as a2a-sdk reads it); only
``invoke`` / ``open_stream`` differ, and A2AClient routes its calls through them.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import httpx

from agentnb._http import HTTPClient
from agentnb.a2a.dialects.base import Call
from agentnb.a2a.dialects.jsonrpc import V10JsonRpc
from agentnb.errors import ConfigurationError

if TYPE_CHECKING:
    from agentnb.a2a.grpc.transport import GrpcChannels

__all__ = ["GRPC_EXTRA_HINT", "V10Grpc", "grpc_available"]

GRPC_EXTRA_HINT = "pip install agentnb[grpc]"


def grpc_available() -> bool:
    """Whether the ``grpc`` extra (grpcio + protobuf) is installed."""
    try:
        return all(importlib.util.find_spec(name) is not None for name in ("grpc", "google.protobuf"))
    except (ImportError, ValueError):  # ValueError: blocked with sys.modules[name] = None
        return False


class V10Grpc(V10JsonRpc):
    version, binding, label = "1.0", "GRPC", "A2A v1.0 gRPC"

    def __init__(self, url: str, *, tenant: str | None = None) -> None:
        super().__init__(url, tenant=tenant)
        self._channels: GrpcChannels | None = None

    @property
    def channels(self) -> GrpcChannels:
        if self._channels is None:
            try:
                from agentnb.a2a.grpc.transport import GrpcChannels
            except ImportError as exc:
                raise ConfigurationError(
                    f"{self.label} at {self.url} needs grpcio and protobuf ({GRPC_EXTRA_HINT}): {exc}"
                ) from exc
            self._channels = GrpcChannels(self.url)
        return self._channels

    async def invoke(self, call: Call, http: HTTPClient, headers: Mapping[str, str]) -> Any:
        """Send a unary call; its answer as the JSON-RPC envelope the v1.0 decoder reads.

        The client's headers, its bearer token and ``headers`` (A2A-Version, A2A-Extensions, the
        call's own) travel as gRPC metadata; the client's timeout is the call's deadline.
        """
        return await self.channels.unary(call.json, self._metadata(http, headers), http.timeout)

    async def open_stream(self, call: Call, http: HTTPClient, headers: Mapping[str, str]) -> httpx.Response:
        """Open a streaming call as an SSE response for the shared stream engine.

        The client's timeout bounds each wait for the next message, as httpx's read timeout does.
        """
        return await self.channels.open_stream(call.json, self._metadata(http, headers), http.timeout)

    def _metadata(self, http: HTTPClient, headers: Mapping[str, str]) -> dict[str, str]:
        """The client's headers, ``A2A-Version``, the call's headers and the bearer token."""
        out = {**http.headers, **self.headers, **headers}
        if http.auth_token and not any(k.lower() == "authorization" for k in out):
            out["Authorization"] = f"Bearer {http.auth_token}"
        return out

    async def aclose(self) -> None:
        """Close this loop's gRPC channel (others close when their loops shut down)."""
        if self._channels is not None:
            await self._channels.close()
