"""The A2A gRPC services agentnb calls: each method's path and request / answer message classes.

v1.0 is a2a.proto's ``lf.a2a.v1.A2AService``; v0.3 is ``a2a.v1.A2AService`` (send, stream, get,
cancel, resubscribe, push configs). The message classes are protoc's, from our own ``.proto``
subsets; they are built at import time, so no type checker sees them (typed as Any here). Needs protobuf only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from agentnb.a2a.grpc import a2a_v03_pb2, a2a_v1_pb2

__all__ = ["V03_SERVICE", "V10_SERVICE", "Method", "Service"]

v1: Any = a2a_v1_pb2
v03: Any = a2a_v03_pb2


@dataclass(frozen=True)
class Method:
    request: Any
    answer: Any
    streaming: bool = False


@dataclass(frozen=True)
class Service:
    """One gRPC service: ``path`` is ``/package.Service/``; ``label`` names it in errors."""

    label: str
    path: str
    methods: dict[str, Method]


V10_SERVICE = Service(
    "A2A v1.0 gRPC",
    "/lf.a2a.v1.A2AService/",
    {
        "SendMessage": Method(v1.SendMessageRequest, v1.SendMessageResponse),
        "SendStreamingMessage": Method(v1.SendMessageRequest, v1.StreamResponse, streaming=True),
        "GetTask": Method(v1.GetTaskRequest, v1.Task),
        "ListTasks": Method(v1.ListTasksRequest, v1.ListTasksResponse),
        "CancelTask": Method(v1.CancelTaskRequest, v1.Task),
        "SubscribeToTask": Method(v1.SubscribeToTaskRequest, v1.StreamResponse, streaming=True),
        "CreateTaskPushNotificationConfig": Method(
            v1.TaskPushNotificationConfig, v1.TaskPushNotificationConfig
        ),
        "GetTaskPushNotificationConfig": Method(
            v1.GetTaskPushNotificationConfigRequest, v1.TaskPushNotificationConfig
        ),
        "ListTaskPushNotificationConfigs": Method(
            v1.ListTaskPushNotificationConfigsRequest, v1.ListTaskPushNotificationConfigsResponse
        ),
        "DeleteTaskPushNotificationConfig": Method(v1.DeleteTaskPushNotificationConfigRequest, v1.Empty),
        "GetExtendedAgentCard": Method(v1.GetExtendedAgentCardRequest, v1.AgentCard),
    },
)

V03_SERVICE = Service(
    "A2A v0.3 gRPC",
    "/a2a.v1.A2AService/",
    {
        "SendMessage": Method(v03.SendMessageRequest, v03.SendMessageResponse),
        "SendStreamingMessage": Method(v03.SendMessageRequest, v03.StreamResponse, streaming=True),
        "GetTask": Method(v03.GetTaskRequest, v03.Task),
        "CancelTask": Method(v03.CancelTaskRequest, v03.Task),
        "TaskSubscription": Method(v03.TaskSubscriptionRequest, v03.StreamResponse, streaming=True),
        "CreateTaskPushNotificationConfig": Method(
            v03.CreateTaskPushNotificationConfigRequest, v03.TaskPushNotificationConfig
        ),
        "GetTaskPushNotificationConfig": Method(
            v03.GetTaskPushNotificationConfigRequest, v03.TaskPushNotificationConfig
        ),
        "ListTaskPushNotificationConfig": Method(
            v03.ListTaskPushNotificationConfigRequest, v03.ListTaskPushNotificationConfigResponse
        ),
        "DeleteTaskPushNotificationConfig": Method(v03.DeleteTaskPushNotificationConfigRequest, v03.Empty),
    },
)

#: The error-details messages (see a2a_v1.proto's RpcStatus / RpcErrorInfo).
RpcStatus: Any = v1.RpcStatus
RpcErrorInfo: Any = v1.RpcErrorInfo
