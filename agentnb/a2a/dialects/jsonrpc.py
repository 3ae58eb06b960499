"""The JSON-RPC dialects: A2A v0.3 (and Agno's variant of it) and v1.0."""

from __future__ import annotations

import itertools
from typing import Any

from agentnb.a2a import v03_objects, v10_objects
from agentnb.a2a.dialects.base import CODE_REASONS, Call, Dialect, Item, error_reason, push_config_v03
from agentnb.a2a.models import A2AMessage, Task
from agentnb.errors import A2AError, ProtocolError

__all__ = ["AgnoDialect", "JsonRpcDialect", "V03JsonRpc", "V10JsonRpc"]

_ids = itertools.count(1)


class JsonRpcDialect(Dialect):
    """JSON-RPC 2.0 envelope handling shared by the JSON-RPC dialects."""

    request_in_params = True

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
                reason=error_reason(data) or CODE_REASONS.get(code if isinstance(code, int) else 0),
                url=self.url,
            )
        if "result" not in payload:
            raise ProtocolError(
                f"{self.label}: JSON-RPC response with neither result nor error", raw=str(payload)[:500]
            )
        return payload["result"]


class V03JsonRpc(JsonRpcDialect):
    version, binding, label = "0.3", "JSONRPC", "A2A v0.3 JSON-RPC"

    def _params(self, message: A2AMessage, blocking: bool, metadata: dict[str, Any] | None) -> dict[str, Any]:
        params: dict[str, Any] = {"message": v03_objects.encode_message(message)}
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

    # v0.3 names the task ``id`` and wraps the config as ``pushNotificationConfig`` (no task id in it).
    def create_push_config(self, task_id: str, config: dict[str, Any]) -> Call:
        params = {"taskId": task_id, "pushNotificationConfig": push_config_v03(config)}
        return self.rpc("tasks/pushNotificationConfig/set", params)

    def get_push_config(self, task_id: str, config_id: str | None) -> Call:
        params = {"id": task_id, "pushNotificationConfigId": config_id}
        return self.rpc("tasks/pushNotificationConfig/get", params)

    def list_push_configs(self, task_id: str) -> Call:
        return self.rpc("tasks/pushNotificationConfig/list", {"id": task_id})

    def delete_push_config(self, task_id: str, config_id: str | None) -> Call:
        params = {"id": task_id, "pushNotificationConfigId": config_id}
        return self.rpc("tasks/pushNotificationConfig/delete", params)

    def with_push(self, call: Call, config: dict[str, Any]) -> Call:
        return self._configure_send(call, "pushNotificationConfig", push_config_v03(config))

    def _decode(self, payload: Any) -> Item:
        return v03_objects.decode_item(self.unwrap(payload))


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

    # Agno's interface routes no push configs: the base's refusals, not V03JsonRpc's calls.
    create_push_config = Dialect.create_push_config
    get_push_config = Dialect.get_push_config
    list_push_configs = Dialect.list_push_configs
    delete_push_config = Dialect.delete_push_config
    with_push = Dialect.with_push


class V10JsonRpc(JsonRpcDialect):
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
        params = v10_objects.send_params(message, blocking, metadata)
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
        return self.rpc("ListTasks", self._with_tenant(v10_objects.list_params(filters)))

    def extended_card(self) -> Call:
        return self.rpc("GetExtendedAgentCard", self._with_tenant({}))

    # v1.0 (and its gRPC service, same names and messages): a flat config naming its task.
    def create_push_config(self, task_id: str, config: dict[str, Any]) -> Call:
        return self.rpc("CreateTaskPushNotificationConfig", self._with_tenant({**config, "taskId": task_id}))

    def get_push_config(self, task_id: str, config_id: str | None) -> Call:
        params = self._with_tenant({"taskId": task_id, "id": config_id})
        return self.rpc("GetTaskPushNotificationConfig", params)

    def list_push_configs(self, task_id: str) -> Call:
        return self.rpc("ListTaskPushNotificationConfigs", self._with_tenant({"taskId": task_id}))

    def delete_push_config(self, task_id: str, config_id: str | None) -> Call:
        params = self._with_tenant({"taskId": task_id, "id": config_id})
        return self.rpc("DeleteTaskPushNotificationConfig", params)

    def with_push(self, call: Call, config: dict[str, Any]) -> Call:
        return self._configure_send(call, "taskPushNotificationConfig", config)

    def _decode(self, payload: Any) -> Item:
        return v10_objects.decode_item(self.unwrap(payload), v03=False)

    def _decode_list(self, payload: Any) -> tuple[list[Task], str | None]:
        return v10_objects.decode_list(self.unwrap(payload))

    def _list_page(self, payload: Any) -> tuple[list[Any], str | None]:
        return v10_objects.list_page(self.unwrap(payload))
