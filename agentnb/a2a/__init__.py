"""A2A: a client for every A2A peer, versions 0.3 and 1.0, JSON-RPC and REST, negotiated from the card."""

from agentnb.a2a.client import A2AClient, TaskList
from agentnb.a2a.models import (
    A2AMessage,
    AgentCard,
    AgentInterface,
    Artifact,
    Part,
    StreamEvent,
    Task,
    TaskResult,
    TaskState,
)
from agentnb.a2a.stream import A2AStream

__all__ = [
    "A2AClient",
    "A2AMessage",
    "A2AStream",
    "AgentCard",
    "AgentInterface",
    "Artifact",
    "Part",
    "StreamEvent",
    "Task",
    "TaskList",
    "TaskResult",
    "TaskState",
]
