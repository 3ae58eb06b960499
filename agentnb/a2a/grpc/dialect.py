"""The A2A gRPC dialects: the calls the HTTP dialects already build, carried by a gRPC channel.

- v1.0: the JSON-RPC method names are a2a.proto's ``A2AService`` method names and the params are
  the ProtoJSON of the request messages, so ``V10Grpc`` builds calls and decodes answers exactly
  as ``V10JsonRpc`` does (tenant in the request's ``tenant`` field, as a2a-sdk reads it).
- v0.3: the REST bodies are the ProtoJSON of the v0.3 request messages and the answers the same
  objects, so ``V03Grpc`` reuses ``V03Rest``'s bodies and decoder, naming tasks ``tasks/{id}``.

Only ``invoke`` / ``open_stream`` differ from their HTTP parents; A2AClient routes its calls
through them for any ``GrpcDialect``.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import httpx

from agentnb._http import HTTPClient
from agentnb.a2a.dialects.base import Call, Dialect
from agentnb.a2a.dialects.jsonrpc import V10JsonRpc
from agentnb.a2a.dialects.rest import V03Rest
from agentnb.a2a.models import A2AMessage
from agentnb.errors import ConfigurationError

if TYPE_CHECKING:
    from agentnb.a2a.grpc.services import Service
    from agentnb.a2a.grpc.transport import GrpcChannels

__all__ = ["GRPC_EXTRA_HINT", "GrpcDialect", "V03Grpc", "V10Grpc", "grpc_available"]

GRPC_EXTRA_HINT = "pip install agentnb[grpc]"


def grpc_available() -> bool:
    """Whether the ``grpc`` extra (grpcio + protobuf) is installed."""
    try:
        return all(importlib.util.find_spec(name) is not None for name in ("grpc", "google.protobuf"))
    except (ImportError, ValueError):  # ValueError: blocked with sys.modules[name] = None
        return False


class GrpcDialect(Dialect):
    """What every gRPC dialect adds to its HTTP parent: the channel, and sending a Call over it."""

    _channels: GrpcChannels | None = None

    def _service(self) -> Service:
        raise NotImplementedError

    def _rpc(self, call: Call) -> tuple[str, Any]:
        """The gRPC method name and the request's ProtoJSON of a Call."""
        raise NotImplementedError

    def _wrap(self, answer: dict[str, Any], call: Call) -> Any:
        """An answer's ProtoJSON as this dialect's decoder reads it."""
        return answer

    @property
    def channels(self) -> GrpcChannels:
        if self._channels is None:
            try:
                from agentnb.a2a.grpc.transport import GrpcChannels
            except Exception as exc:  # ImportError, or protobuf's VersionError for an old runtime
                raise ConfigurationError(
                    f"{self.label} at {self.url} needs grpcio and protobuf 7.x ({GRPC_EXTRA_HINT}): {exc}"
                ) from exc
            self._channels = GrpcChannels(self.url)
        return self._channels

    async def invoke(self, call: Call, http: HTTPClient, headers: Mapping[str, str]) -> Any:
        """Send a unary call; its answer as this dialect's decoder reads it.

        The client's headers, its bearer token and ``headers`` (A2A-Version, A2A-Extensions, the
        call's own) travel as gRPC metadata; the client's timeout is the call's deadline.
        """
        channels = self.channels  # first: a missing extra is a ConfigurationError
        name, params = self._rpc(call)
        metadata = self._metadata(http, headers)
        answer = await channels.unary(self._service(), name, params, metadata, http.timeout)
        return self._wrap(answer, call)

    async def open_stream(self, call: Call, http: HTTPClient, headers: Mapping[str, str]) -> httpx.Response:
        """Open a streaming call as an SSE response for the shared stream engine.

        The client's timeout bounds each wait for the next message, as httpx's read timeout does.
        """
        channels = self.channels
        name, params = self._rpc(call)
        metadata = self._metadata(http, headers)
        return await channels.open_stream(
            self._service(), name, params, metadata, http.timeout, lambda answer: self._wrap(answer, call)
        )

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


class V10Grpc(GrpcDialect, V10JsonRpc):
    version, binding, label = "1.0", "GRPC", "A2A v1.0 gRPC"

    def _service(self) -> Service:
        from agentnb.a2a.grpc.services import V10_SERVICE

        return V10_SERVICE

    def _rpc(self, call: Call) -> tuple[str, Any]:
        return str(call.json["method"]), call.json.get("params") or {}

    def _wrap(self, answer: dict[str, Any], call: Call) -> Any:
        # The JSON-RPC envelope V10JsonRpc's decoders unwrap.
        return {"jsonrpc": "2.0", "id": call.json.get("id"), "result": answer}


class V03Grpc(GrpcDialect, V03Rest):
    version, binding, label = "0.3", "GRPC", "A2A v0.3 gRPC"

    def _service(self) -> Service:
        from agentnb.a2a.grpc.services import V03_SERVICE

        return V03_SERVICE

    def _rpc(self, call: Call) -> tuple[str, Any]:
        return call.method, call.json or {}

    def send(
        self,
        message: A2AMessage,
        *,
        stream: bool,
        blocking: bool = True,
        metadata: dict[str, Any] | None = None,
    ) -> Call:
        body = super().send(message, stream=stream, blocking=blocking, metadata=metadata).json
        return Call("SendStreamingMessage" if stream else "SendMessage", self.url, json=body)

    def get_task(
        self, task_id: str, *, history_length: int | None = None, context_id: str | None = None
    ) -> Call:
        body: dict[str, Any] = {"name": f"tasks/{task_id}"}
        if history_length is not None:
            body["historyLength"] = history_length
        return Call("GetTask", self.url, json=body)

    def cancel_task(self, task_id: str, *, context_id: str | None = None) -> Call:
        return Call("CancelTask", self.url, json={"name": f"tasks/{task_id}"})

    def subscribe(self, task_id: str) -> Call:
        return Call("TaskSubscription", self.url, json={"name": f"tasks/{task_id}"})

    def extended_card(self) -> Call:
        raise self.unsupported("the extended agent card over v0.3 gRPC (agentnb reads it over HTTP only)")

    # The v0.3 service's request messages are the REST bodies, the config named ``tasks/{t}/...``.
    def create_push_config(self, task_id: str, config: dict[str, Any]) -> Call:
        body = super().create_push_config(task_id, config).json
        return Call("CreateTaskPushNotificationConfig", self.url, json=body)

    def get_push_config(self, task_id: str, config_id: str | None) -> Call:
        body = {"name": self._config_name(task_id, config_id)}
        return Call("GetTaskPushNotificationConfig", self.url, json=body)

    def list_push_configs(self, task_id: str) -> Call:
        return Call("ListTaskPushNotificationConfig", self.url, json={"parent": f"tasks/{task_id}"})

    def delete_push_config(self, task_id: str, config_id: str | None) -> Call:
        body = {"name": self._config_name(task_id, config_id)}
        return Call("DeleteTaskPushNotificationConfig", self.url, json=body)

    @staticmethod
    def _config_name(task_id: str, config_id: str | None) -> str:
        return f"tasks/{task_id}/pushNotificationConfigs/{config_id}"
