"""The A2A dialects: how each (version, binding) pair names its calls and wraps its answers.

| dialect | calls | objects |
|---|---|---|
| v0.3 JSON-RPC | POST url, ``message/send`` … | ``kind`` JSON (_kind_json) |
| v0.3 REST | ``/v1/message:send`` … | proto-JSON v0.3 (_proto_json) |
| Agno | JSON-RPC envelopes POSTed to ``{agent}/v1/message:send`` … | ``kind`` JSON |
| v1.0 JSON-RPC | POST url, ``SendMessage`` …, header ``A2A-Version: 1.0`` | proto-JSON v1.0 |
| v1.0 REST | ``/message:send`` … (optional tenant prefix), same header | proto-JSON v1.0 |
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import ValidationError

from agentnb.a2a import _kind_json, _proto_json
from agentnb.a2a.models import A2AMessage, AgentCard, ArtifactUpdate, StatusUpdate, Task, TaskState
from agentnb.errors import A2AError, ProtocolError

__all__ = ["Call", "Codec", "codec_for"]

Item = Task | A2AMessage | StatusUpdate | ArtifactUpdate
T = TypeVar("T")

_ids = itertools.count(1)

#: v1.0 ErrorInfo reasons → JSON-RPC codes, so REST errors carry the same ``code``.
REASON_CODES = {
    "TASK_NOT_FOUND": -32001,
    "TASK_NOT_CANCELABLE": -32002,
    "PUSH_NOTIFICATION_NOT_SUPPORTED": -32003,
    "UNSUPPORTED_OPERATION": -32004,
    "CONTENT_TYPE_NOT_SUPPORTED": -32005,
    "INVALID_AGENT_RESPONSE": -32006,
    "EXTENDED_AGENT_CARD_NOT_CONFIGURED": -32007,
    "EXTENSION_SUPPORT_REQUIRED": -32008,
    "VERSION_NOT_SUPPORTED": -32009,
    "METHOD_NOT_FOUND": -32601,
    "INVALID_PARAMS": -32602,
    "INVALID_REQUEST": -32600,
    "INTERNAL_ERROR": -32603,
}


#: The spec's standard error messages, for peers whose REST errors carry only a message
#: (a2a-sdk 0.3.26: ``{"message": "Task not found"}``; Agno: ``{"detail": "Task not found"}``).
MESSAGE_CODES = {
    "task not found": -32001,
    "task cannot be canceled": -32002,
    "push notification is not supported": -32003,
    "this operation is not supported": -32004,
    "incompatible content types": -32005,
    "invalid agent response": -32006,
    "method not found": -32601,
}


def code_from_message(message: Any) -> int | None:
    text = str(message or "").strip().lower()
    return next((code for prefix, code in MESSAGE_CODES.items() if text.startswith(prefix)), None)


@dataclass(frozen=True)
class Call:
    """One HTTP request a dialect wants sent."""

    method: str
    url: str
    json: Any = None
    params: dict[str, Any] | None = None


def error_reason(data: Any) -> str | None:
    """The ``reason`` of a google.rpc.ErrorInfo in v1.0 error details, if any."""
    if isinstance(data, list):
        for detail in data:
            if isinstance(detail, dict) and detail.get("reason"):
                return str(detail["reason"])
    return None


class Codec:
    """Base of the dialects; subclasses fill in names and shapes."""

    version = "0.3"
    binding = "JSONRPC"
    label = "A2A"

    def __init__(self, url: str, *, tenant: str | None = None) -> None:
        self.url = url.rstrip("/") if self.binding != "JSONRPC" else url
        self.tenant = tenant

    def __repr__(self) -> str:
        return f"<{self.label} at {self.url}>"

    @property
    def headers(self) -> dict[str, str]:
        return {"A2A-Version": "1.0"} if self.version.startswith("1") else {}

    # -- requests ------------------------------------------------------------------------------

    def send(
        self,
        message: A2AMessage,
        *,
        stream: bool,
        blocking: bool = True,
        metadata: dict[str, Any] | None = None,
    ) -> Call:
        raise NotImplementedError

    def get_task(
        self, task_id: str, *, history_length: int | None = None, context_id: str | None = None
    ) -> Call:
        raise NotImplementedError

    def cancel_task(self, task_id: str, *, context_id: str | None = None) -> Call:
        raise NotImplementedError

    def subscribe(self, task_id: str) -> Call:
        raise self.unsupported("resubscribing to a task")

    def list_tasks(self, filters: dict[str, Any]) -> Call:
        raise self.unsupported("listing tasks (a v1.0 operation)")

    def extended_card(self) -> Call:
        raise self.unsupported("the extended agent card")

    def unsupported(self, what: str) -> A2AError:
        return A2AError(f"{self.label} at {self.url} does not support {what}", code=-32004, url=self.url)

    # -- answers -------------------------------------------------------------------------------

    def unwrap(self, payload: Any) -> Any:
        """The result inside the answer (JSON-RPC: ``result``; raises A2AError for ``error``)."""
        return payload

    def decode(self, payload: Any) -> Item:
        """A send/get/cancel answer; anything that does not fit the protocol is a ProtocolError."""
        return self._guard(self._decode, payload)

    def decode_stream(self, payload: Any) -> Item:
        return self.decode(payload)

    def decode_list(self, payload: Any) -> tuple[list[Task], str | None]:
        return self._guard(self._decode_list, payload)

    def _decode(self, payload: Any) -> Item:
        raise NotImplementedError

    def _decode_list(self, payload: Any) -> tuple[list[Task], str | None]:
        raise self.unsupported("listing tasks")

    def _guard(self, decode: Callable[[Any], T], payload: Any) -> T:
        try:
            return decode(payload)
        except (ProtocolError, A2AError):
            raise
        except (ValidationError, TypeError, AttributeError, KeyError, ValueError) as exc:
            # A peer's answer of the wrong shape (a list where a string belongs, ...).
            raise ProtocolError(
                f"{self.label} at {self.url}: an answer that does not fit the protocol "
                f"({type(exc).__name__}: {str(exc)[:200]})",
                raw=str(payload)[:500],
                url=self.url,
            ) from exc

    def decode_card(self, payload: Any) -> dict[str, Any]:
        result = self.unwrap(payload)
        if not isinstance(result, dict):
            raise ProtocolError(
                f"{self.label}: the extended card is not a JSON object", raw=str(result)[:500]
            )
        return result


class _JsonRpc(Codec):
    """JSON-RPC 2.0 envelope handling shared by the JSON-RPC dialects."""

    def rpc(self, method: str, params: dict[str, Any], url: str | None = None) -> Call:
        body = {"jsonrpc": "2.0", "id": str(next(_ids)), "method": method, "params": params}
        return Call("POST", url or self.url, json=body)

    def unwrap(self, payload: Any) -> Any:
        if not isinstance(payload, dict):
            raise ProtocolError(f"{self.label}: expected a JSON-RPC response object", raw=str(payload)[:500])
        error = payload.get("error")
        if error is not None:
            if not isinstance(error, dict):
                raise A2AError(f"{self.label} at {self.url}: JSON-RPC error {error!r}", url=self.url)
            code = error.get("code")
            data = error.get("data")
            raise A2AError(
                f"{self.label} at {self.url}: JSON-RPC error {code}: {error.get('message')}",
                code=code if isinstance(code, int) else None,
                data=data,
                reason=error_reason(data),
                url=self.url,
            )
        if "result" not in payload:
            raise ProtocolError(
                f"{self.label}: JSON-RPC response with neither result nor error", raw=str(payload)[:500]
            )
        return payload["result"]


# --------------------------------------------------------------------------- v0.3


class V03JsonRpc(_JsonRpc):
    version, binding, label = "0.3", "JSONRPC", "A2A v0.3 JSON-RPC"

    def _params(self, message: A2AMessage, blocking: bool, metadata: dict[str, Any] | None) -> dict[str, Any]:
        params: dict[str, Any] = {"message": _kind_json.encode_message(message)}
        if not blocking:
            params["configuration"] = {"blocking": False, "acceptedOutputModes": []}
        if metadata:
            params["metadata"] = metadata
        return params

    def send(
        self,
        message: A2AMessage,
        *,
        stream: bool,
        blocking: bool = True,
        metadata: dict[str, Any] | None = None,
    ) -> Call:
        return self.rpc(
            "message/stream" if stream else "message/send", self._params(message, blocking, metadata)
        )

    def get_task(
        self, task_id: str, *, history_length: int | None = None, context_id: str | None = None
    ) -> Call:
        params: dict[str, Any] = {"id": task_id}
        if history_length is not None:
            params["historyLength"] = history_length
        return self.rpc("tasks/get", params)

    def cancel_task(self, task_id: str, *, context_id: str | None = None) -> Call:
        return self.rpc("tasks/cancel", {"id": task_id})

    def subscribe(self, task_id: str) -> Call:
        return self.rpc("tasks/resubscribe", {"id": task_id})

    def extended_card(self) -> Call:
        return self.rpc("agent/getAuthenticatedExtendedCard", {})

    def _decode(self, payload: Any) -> Item:
        return _kind_json.decode_item(self.unwrap(payload))


class AgnoDialect(V03JsonRpc):
    """Agno AgentOS's A2A interface: v0.3 JSON-RPC envelopes POSTed to REST-looking paths."""

    version, binding, label = "0.3", "AGNO", "Agno A2A"

    def send(
        self,
        message: A2AMessage,
        *,
        stream: bool,
        blocking: bool = True,
        metadata: dict[str, Any] | None = None,
    ) -> Call:
        method, path = (
            ("message/stream", "/v1/message:stream") if stream else ("message/send", "/v1/message:send")
        )
        return self.rpc(method, self._params(message, True, metadata), self.url + path)

    def get_task(
        self, task_id: str, *, history_length: int | None = None, context_id: str | None = None
    ) -> Call:
        params: dict[str, Any] = {"id": task_id}
        if context_id:
            params["contextId"] = context_id
        if history_length is not None:
            params["historyLength"] = history_length
        return self.rpc("tasks/get", params, self.url + "/v1/tasks:get")

    def cancel_task(self, task_id: str, *, context_id: str | None = None) -> Call:
        params: dict[str, Any] = {"id": task_id}
        if context_id:
            params["contextId"] = context_id
        return self.rpc("tasks/cancel", params, self.url + "/v1/tasks:cancel")

    def subscribe(self, task_id: str) -> Call:
        raise self.unsupported("resubscribing to a task")

    def extended_card(self) -> Call:
        raise self.unsupported("the extended agent card")


class V03Rest(Codec):
    version, binding, label = "0.3", "HTTP+JSON", "A2A v0.3 REST"

    def send(
        self,
        message: A2AMessage,
        *,
        stream: bool,
        blocking: bool = True,
        metadata: dict[str, Any] | None = None,
    ) -> Call:
        # a2a-sdk 0.3.26's REST send is non-blocking unless told otherwise (proto3 bool default).
        body: dict[str, Any] = {
            "message": _proto_json.encode_message(message, v03=True),
            "configuration": {"blocking": blocking},
        }
        if metadata:
            body["metadata"] = metadata
        return Call("POST", self.url + ("/v1/message:stream" if stream else "/v1/message:send"), json=body)

    def get_task(
        self, task_id: str, *, history_length: int | None = None, context_id: str | None = None
    ) -> Call:
        params = {"historyLength": history_length} if history_length is not None else None
        return Call("GET", f"{self.url}/v1/tasks/{task_id}", params=params)

    def cancel_task(self, task_id: str, *, context_id: str | None = None) -> Call:
        return Call("POST", f"{self.url}/v1/tasks/{task_id}:cancel", json={})

    def subscribe(self, task_id: str) -> Call:
        return Call("GET", f"{self.url}/v1/tasks/{task_id}:subscribe")

    def extended_card(self) -> Call:
        return Call("GET", f"{self.url}/v1/card")

    def _decode(self, payload: Any) -> Item:
        return _proto_json.decode_item(payload, v03=True)


# --------------------------------------------------------------------------- v1.0


def _v10_send_params(message: A2AMessage, blocking: bool, metadata: dict[str, Any] | None) -> dict[str, Any]:
    params: dict[str, Any] = {"message": _proto_json.encode_message(message, v03=False)}
    if not blocking:
        params["configuration"] = {"returnImmediately": True}
    if metadata:
        params["metadata"] = metadata
    return params


def _v10_list_params(filters: dict[str, Any]) -> dict[str, Any]:
    names = {
        "context_id": "contextId",
        "status": "status",
        "page_size": "pageSize",
        "page_token": "pageToken",
        "history_length": "historyLength",
        "include_artifacts": "includeArtifacts",
    }
    out: dict[str, Any] = {}
    for key, value in filters.items():
        if value is None:
            continue
        if key == "status":
            value = "TASK_STATE_" + TaskState.parse(value).value.upper().replace("-", "_")
        out[names.get(key, key)] = value
    return out


def _v10_list(payload: Any) -> tuple[list[Task], str | None]:
    if not isinstance(payload, dict):
        raise ProtocolError("A2A v1.0: ListTasks answer is not a JSON object", raw=str(payload)[:500])
    tasks = [_proto_json.decode_task(t, v03=False) for t in payload.get("tasks") or []]
    return tasks, payload.get("nextPageToken") or None


class V10JsonRpc(_JsonRpc):
    version, binding, label = "1.0", "JSONRPC", "A2A v1.0 JSON-RPC"

    def send(
        self,
        message: A2AMessage,
        *,
        stream: bool,
        blocking: bool = True,
        metadata: dict[str, Any] | None = None,
    ) -> Call:
        method = "SendStreamingMessage" if stream else "SendMessage"
        params = _v10_send_params(message, blocking, metadata)
        if self.tenant:
            params["tenant"] = self.tenant
        return self.rpc(method, params)

    def _with_tenant(self, params: dict[str, Any]) -> dict[str, Any]:
        return {**params, "tenant": self.tenant} if self.tenant else params

    def get_task(
        self, task_id: str, *, history_length: int | None = None, context_id: str | None = None
    ) -> Call:
        params: dict[str, Any] = {"id": task_id}
        if history_length is not None:
            params["historyLength"] = history_length
        return self.rpc("GetTask", self._with_tenant(params))

    def cancel_task(self, task_id: str, *, context_id: str | None = None) -> Call:
        return self.rpc("CancelTask", self._with_tenant({"id": task_id}))

    def subscribe(self, task_id: str) -> Call:
        return self.rpc("SubscribeToTask", self._with_tenant({"id": task_id}))

    def list_tasks(self, filters: dict[str, Any]) -> Call:
        return self.rpc("ListTasks", self._with_tenant(_v10_list_params(filters)))

    def extended_card(self) -> Call:
        return self.rpc("GetExtendedAgentCard", self._with_tenant({}))

    def _decode(self, payload: Any) -> Item:
        return _proto_json.decode_item(self.unwrap(payload), v03=False)

    def _decode_list(self, payload: Any) -> tuple[list[Task], str | None]:
        return _v10_list(self.unwrap(payload))


class V10Rest(Codec):
    version, binding, label = "1.0", "HTTP+JSON", "A2A v1.0 REST"

    @property
    def base(self) -> str:
        return f"{self.url}/{self.tenant}" if self.tenant else self.url

    def send(
        self,
        message: A2AMessage,
        *,
        stream: bool,
        blocking: bool = True,
        metadata: dict[str, Any] | None = None,
    ) -> Call:
        path = "/message:stream" if stream else "/message:send"
        return Call("POST", self.base + path, json=_v10_send_params(message, blocking, metadata))

    def get_task(
        self, task_id: str, *, history_length: int | None = None, context_id: str | None = None
    ) -> Call:
        params = {"historyLength": history_length} if history_length is not None else None
        return Call("GET", f"{self.base}/tasks/{task_id}", params=params)

    def cancel_task(self, task_id: str, *, context_id: str | None = None) -> Call:
        return Call("POST", f"{self.base}/tasks/{task_id}:cancel", json={})

    def subscribe(self, task_id: str) -> Call:
        return Call("POST", f"{self.base}/tasks/{task_id}:subscribe", json={})

    def list_tasks(self, filters: dict[str, Any]) -> Call:
        return Call("GET", f"{self.base}/tasks", params=_v10_list_params(filters))

    def extended_card(self) -> Call:
        return Call("GET", f"{self.base}/extendedAgentCard")

    def _decode(self, payload: Any) -> Item:
        return _proto_json.decode_item(payload, v03=False)

    def _decode_list(self, payload: Any) -> tuple[list[Task], str | None]:
        return _v10_list(payload)


_DIALECTS: dict[tuple[str, str], type[Codec]] = {
    ("0.3", "JSONRPC"): V03JsonRpc,
    ("0.3", "HTTP+JSON"): V03Rest,
    ("0.3", "AGNO"): AgnoDialect,
    ("1.0", "JSONRPC"): V10JsonRpc,
    ("1.0", "HTTP+JSON"): V10Rest,
}


def codec_for(version: str, binding: str, url: str, *, tenant: str | None = None) -> Codec:
    """The dialect for a protocol version ("0.3", "1.0", "1.x") and a binding name."""
    major = "1.0" if version.startswith("1") else "0.3"
    cls = _DIALECTS.get((major, binding.upper()))
    if cls is None:
        raise A2AError(
            f"no A2A dialect for version {version!r} over binding {binding!r}", code=-32004, url=url
        )
    return cls(url, tenant=tenant)


def card_from_wire(payload: Any, card_url: str) -> AgentCard:
    """Decode a v0.3 or v1.0 agent card (or a v1.0 card carrying the v0.3 compat fields)."""
    from agentnb.a2a.models import AgentInterface

    if not isinstance(payload, dict):
        raise ProtocolError(f"agent card at {card_url} is not a JSON object", raw=str(payload)[:500])
    interfaces: list[AgentInterface] = []
    for entry in payload.get("supportedInterfaces") or []:
        if isinstance(entry, dict) and isinstance(entry.get("url"), str):
            interfaces.append(
                AgentInterface(
                    url=entry["url"],
                    binding=str(entry.get("protocolBinding") or "JSONRPC").upper(),
                    protocol_version=str(entry.get("protocolVersion") or "1.0"),
                    tenant=entry.get("tenant") or None,
                )
            )
    legacy_version = str(payload.get("protocolVersion") or "0.3")
    if isinstance(payload.get("url"), str) and payload["url"]:
        interfaces.append(
            AgentInterface(
                url=payload["url"],
                binding=str(payload.get("preferredTransport") or "JSONRPC").upper(),
                protocol_version=legacy_version,
            )
        )
    for entry in payload.get("additionalInterfaces") or []:
        if isinstance(entry, dict) and isinstance(entry.get("url"), str):
            interfaces.append(
                AgentInterface(
                    url=entry["url"],
                    binding=str(entry.get("transport") or "JSONRPC").upper(),
                    protocol_version=legacy_version,
                )
            )
    capabilities = payload.get("capabilities")
    skills = payload.get("skills")
    card = AgentCard(
        name=str(payload.get("name") or ""),
        url=str(payload.get("url") or (interfaces[0].url if interfaces else "")),
        description=payload.get("description"),
        version=payload.get("version"),
        capabilities=capabilities if isinstance(capabilities, dict) else {},
        metadata=payload.get("metadata") if isinstance(payload.get("metadata"), dict) else None,
        skills=[s for s in skills if isinstance(s, dict)] if isinstance(skills, list) else [],
        protocol_version=payload.get("protocolVersion")
        or next((i.protocol_version for i in interfaces if i.protocol_version.startswith("1")), None),
        preferred_transport=payload.get("preferredTransport"),
        interfaces=interfaces,
        default_input_modes=list(payload.get("defaultInputModes") or []),
        default_output_modes=list(payload.get("defaultOutputModes") or []),
        card_url=card_url,
    )
    card.raw = payload
    return card
