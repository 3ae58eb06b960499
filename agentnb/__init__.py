"""agentnb: talk to remote AI agents (Agno AgentOS and A2A servers) from Jupyter notebooks."""

from __future__ import annotations

__version__ = "0.1.0"

from agentnb.a2a import (
    A2AClient,
    A2AMessage,
    A2AStream,
    AgentCard,
    Artifact,
    Part,
    StreamEvent,
    TaskResult,
    TaskState,
)
from agentnb.agentos.client import AgentOSClient
from agentnb.agentos.models import (
    AgentConfig,
    AgentResponse,
    OSConfig,
    RemoteDb,
    RemoteKnowledge,
    RunRecord,
    SessionDetail,
    SessionPage,
    SessionSummary,
)
from agentnb.errors import (
    A2AError,
    A2AHTTPError,
    AgentNBError,
    AuthenticationError,
    ConfigurationError,
    NotFoundError,
    ProtocolError,
    RateLimitError,
    RemoteHTTPError,
    RemoteServerUnavailableError,
    RemoteTimeoutError,
    RequestValidationError,
    RunAlreadyContinuedError,
    ServerError,
    StreamInterruptedError,
    UnresolvedToolsError,
)
from agentnb.media import Audio, File, Image, Message, Video
from agentnb.remote import RemoteAgent
from agentnb.runs import (
    RunCancelled,
    RunCompleted,
    RunContent,
    RunContentCompleted,
    RunContinued,
    RunError,
    RunEvent,
    RunOutput,
    RunPaused,
    RunRequirement,
    RunStarted,
    RunStatus,
    RunStream,
    ToolCallCompleted,
    ToolCallError,
    ToolCallStarted,
    ToolExecution,
    UnknownEvent,
    UserInputField,
)

__all__ = [
    "A2AClient",
    "A2AError",
    "A2AHTTPError",
    "A2AMessage",
    "A2AStream",
    "AgentCard",
    "AgentConfig",
    "AgentNBError",
    "AgentOSClient",
    "AgentResponse",
    "ApprovalForm",
    "Artifact",
    "Audio",
    "AuthenticationError",
    "ChatPane",
    "ConfigurationError",
    "File",
    "Image",
    "Message",
    "NotFoundError",
    "OSConfig",
    "Part",
    "ProtocolError",
    "RateLimitError",
    "RemoteAgent",
    "RemoteDb",
    "RemoteHTTPError",
    "RemoteKnowledge",
    "RemoteServerUnavailableError",
    "RemoteTimeoutError",
    "RequestValidationError",
    "RunAlreadyContinuedError",
    "RunCancelled",
    "RunCompleted",
    "RunContent",
    "RunContentCompleted",
    "RunContinued",
    "RunError",
    "RunEvent",
    "RunOutput",
    "RunPaused",
    "RunRecord",
    "RunRequirement",
    "RunStarted",
    "RunStatus",
    "RunStream",
    "ServerError",
    "SessionDetail",
    "SessionPage",
    "SessionSummary",
    "StreamEvent",
    "StreamInterruptedError",
    "StreamView",
    "TaskResult",
    "TaskState",
    "ToolCallCompleted",
    "ToolCallError",
    "ToolCallStarted",
    "ToolExecution",
    "UnknownEvent",
    "UnresolvedToolsError",
    "UserInputField",
    "Video",
    "__version__",
    "agent_cards_table",
    "artifacts_table",
    "register_executor",
    "runs_table",
    "sessions_table",
    "stream",
]


# Widgets and tables need the "widgets" extra (ipywidgets, pandas); they load on first use so
# that ``import agentnb`` stays light and works without them.
_LAZY = {
    "ApprovalForm": "agentnb.widgets",
    "ChatPane": "agentnb.widgets",
    "StreamView": "agentnb.widgets",
    "register_executor": "agentnb.widgets",
    "stream": "agentnb.widgets",
    "agent_cards_table": "agentnb.tables",
    "artifacts_table": "agentnb.tables",
    "runs_table": "agentnb.tables",
    "sessions_table": "agentnb.tables",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'agentnb' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
