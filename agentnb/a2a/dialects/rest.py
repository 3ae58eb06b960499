"""The REST (HTTP+JSON) dialects: A2A v0.3 and v1.0 (with its optional tenant prefix)."""

from __future__ import annotations

from typing import Any

from agentnb.a2a import v10_objects
from agentnb.a2a.dialects.base import Call, Dialect, Item, push_config_v03
from agentnb.a2a.models import A2AMessage, Task

__all__ = ["V03Rest", "V10Rest"]


class V03Rest(Dialect):
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
            "message": v10_objects.encode_message(message, v03=True),
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

    # a2a-sdk 0.3.26 routes only create and get here; list and delete get the spec's requests.
    def create_push_config(self, task_id: str, config: dict[str, Any]) -> Call:
        inner = push_config_v03(config)
        # The v0.3 proto's CreateTaskPushNotificationConfigRequest, its config named like the route.
        name = f"tasks/{task_id}/pushNotificationConfigs/{inner.get('id', '')}"
        body = {"parent": f"tasks/{task_id}", "config": {"name": name, "pushNotificationConfig": inner}}
        body.update({"configId": inner["id"]} if "id" in inner else {})
        return Call("POST", self._push_root(task_id), json=body)

    def get_push_config(self, task_id: str, config_id: str | None) -> Call:
        return Call("GET", f"{self._push_root(task_id)}/{config_id}")

    def list_push_configs(self, task_id: str) -> Call:
        return Call("GET", self._push_root(task_id))

    def delete_push_config(self, task_id: str, config_id: str | None) -> Call:
        return Call("DELETE", f"{self._push_root(task_id)}/{config_id}")

    def with_push(self, call: Call, config: dict[str, Any]) -> Call:
        return self._configure_send(call, "pushNotification", push_config_v03(config))

    def _push_root(self, task_id: str) -> str:
        return f"{self.url}/v1/tasks/{task_id}/pushNotificationConfigs"

    def _decode(self, payload: Any) -> Item:
        return v10_objects.decode_item(payload, v03=True)


class V10Rest(Dialect):
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
        return Call("POST", self.base + path, json=v10_objects.send_params(message, blocking, metadata))

    def get_task(
        self, task_id: str, *, history_length: int | None = None, context_id: str | None = None
    ) -> Call:
        params = {"historyLength": history_length} if history_length is not None else None
        return Call("GET", f"{self.base}/tasks/{task_id}", params=params)

    def cancel_task(self, task_id: str, *, context_id: str | None = None) -> Call:
        return Call("POST", f"{self.base}/tasks/{task_id}:cancel", json={})

    def subscribe(self, task_id: str) -> Call:
        # GET, as the v1.0 proto's HTTP rule says (a2a-sdk 1.x also takes POST; stricter servers don't).
        return Call("GET", f"{self.base}/tasks/{task_id}:subscribe")

    def list_tasks(self, filters: dict[str, Any]) -> Call:
        return Call("GET", f"{self.base}/tasks", params=v10_objects.list_params(filters))

    def extended_card(self) -> Call:
        return Call("GET", f"{self.base}/extendedAgentCard")

    def create_push_config(self, task_id: str, config: dict[str, Any]) -> Call:
        return Call("POST", self._push_root(task_id), json=config)

    def get_push_config(self, task_id: str, config_id: str | None) -> Call:
        return Call("GET", f"{self._push_root(task_id)}/{config_id}")

    def list_push_configs(self, task_id: str) -> Call:
        return Call("GET", self._push_root(task_id))

    def delete_push_config(self, task_id: str, config_id: str | None) -> Call:
        return Call("DELETE", f"{self._push_root(task_id)}/{config_id}")

    def with_push(self, call: Call, config: dict[str, Any]) -> Call:
        return self._configure_send(call, "taskPushNotificationConfig", config)

    def _push_root(self, task_id: str) -> str:
        return f"{self.base}/tasks/{task_id}/pushNotificationConfigs"

    def _decode(self, payload: Any) -> Item:
        return v10_objects.decode_item(payload, v03=False)

    def _decode_list(self, payload: Any) -> tuple[list[Task], str | None]:
        return v10_objects.decode_list(payload)

    def _list_page(self, payload: Any) -> tuple[list[Any], str | None]:
        return v10_objects.list_page(payload)
