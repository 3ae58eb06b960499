"""agentnb: talk to remote AI agents (Agno AgentOS and A2A servers) from Jupyter notebooks."""

from __future__ import annotations

__version__ = "0.1.0"

from agentnb import events as _events
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
from agentnb.a2a.push import PushConfig, PushInbox
from agentnb.a2a.signing import UnverifiedCardError
from agentnb.agentos.client import AgentOSClient
from agentnb.agentos.components import TeamConfig, WorkflowConfig
from agentnb.agentos.models import (
    AgentConfig,
    AgentResponse,
    OSConfig,
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
from agentnb.events import *  # noqa: F403 - every run event class, listed once in agentnb.events
from agentnb.media import Audio, File, Image, Message, Video
from agentnb.remote import AgentOS, RemoteAgent, RemoteTeam, RemoteWorkflow
from agentnb.remote.db import RemoteDb
from agentnb.remote.knowledge import RemoteKnowledge
from agentnb.runs import (
    RunOutput,
    RunRequirement,
    RunStatus,
    RunStream,
    StepOutput,
    StepRequirement,
    TeamRunOutput,
    ToolExecution,
    UserInputField,
    WorkflowRunOutput,
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
    "AgentOS",
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
    "KnowledgePanel",
    "MemoriesEditor",
    "Message",
    "NotFoundError",
    "OSConfig",
    "Part",
    "ProtocolError",
    "PushConfig",
    "PushInbox",
    "PushView",
    "RateLimitError",
    "RemoteAgent",
    "RemoteDb",
    "RemoteHTTPError",
    "RemoteKnowledge",
    "RemoteServerUnavailableError",
    "RemoteTeam",
    "RemoteTimeoutError",
    "RemoteWorkflow",
    "RequestValidationError",
    "RunAlreadyContinuedError",
    "RunOutput",
    "RunRecord",
    "RunRequirement",
    "RunStatus",
    "RunStream",
    "ServerError",
    "SessionDetail",
    "SessionPage",
    "SessionSummary",
    "StepOutput",
    "StepRequirement",
    "StreamEvent",
    "StreamInterruptedError",
    "StreamView",
    "TaskResult",
    "TaskState",
    "TeamConfig",
    "TeamRunOutput",
    "ToolExecution",
    "TraceView",
    "UnresolvedToolsError",
    "UnverifiedCardError",
    "UserInputField",
    "Video",
    "WorkflowConfig",
    "WorkflowRunOutput",
    "__version__",
    "agent_cards_table",
    "artifacts_table",
    "directory_table",
    "evals_table",
    "knowledge_table",
    "memories_table",
    "metrics_plot",
    "metrics_table",
    "register_executor",
    "runs_table",
    "search_table",
    "sessions_table",
    "stream",
    "tasks_table",
    "traces_table",
    *_events.__all__,
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
    "directory_table": "agentnb.tables",
    "artifacts_table": "agentnb.tables",
    "runs_table": "agentnb.tables",
    "sessions_table": "agentnb.tables",
    "TraceView": "agentnb.widgets",
    "KnowledgePanel": "agentnb.widgets",
    "MemoriesEditor": "agentnb.widgets",
    "PushView": "agentnb.widgets",
    "memories_table": "agentnb.tables",
    "knowledge_table": "agentnb.tables",
    "search_table": "agentnb.tables",
    "traces_table": "agentnb.tables",
    "tasks_table": "agentnb.tables",
    "evals_table": "agentnb.tables",
    "metrics_table": "agentnb.tables",
    "metrics_plot": "agentnb.tables",
}


def load_ipython_extension(ipython: object) -> None:
    """``%load_ext agentnb``: registers the ``%agent`` / ``%%agent`` magics (agentnb.magics)."""
    from agentnb.magics import load_ipython_extension as load

    load(ipython)


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'agentnb' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
