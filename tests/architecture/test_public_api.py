"""The public face: what ``from agentnb import *`` gives, and the core's import discipline."""

from __future__ import annotations

import subprocess
import sys

import agentnb

EXPECTED = {
    "A2AClient", "A2AError", "A2AHTTPError", "A2AMessage", "A2AStream", "AgentCard", "Artifact", "Part",
    "StreamEvent", "TaskResult", "TaskState", "ApprovalForm", "ChatPane", "StreamView", "register_executor",
    "stream", "agent_cards_table", "artifacts_table", "runs_table", "sessions_table",
    "TraceView", "KnowledgePanel", "memories_table", "knowledge_table", "search_table", "traces_table",
    "evals_table", "metrics_table", "metrics_plot",
    "AgentConfig", "AgentNBError", "AgentOSClient", "AgentResponse", "Audio", "AuthenticationError",
    "ConfigurationError", "File", "Image", "Message", "NotFoundError", "OSConfig", "ProtocolError",
    "RateLimitError", "RemoteAgent", "RemoteDb", "RemoteHTTPError", "RemoteKnowledge",
    "RemoteServerUnavailableError", "RemoteTimeoutError", "RequestValidationError",
    "RunAlreadyContinuedError", "RunCancelled", "RunCompleted", "RunContent", "RunContentCompleted",
    "RunContinued", "RunError", "RunEvent", "RunOutput", "RunPaused", "RunRecord", "RunRequirement",
    "RunStarted", "RunStatus", "RunStream", "ServerError", "SessionDetail", "SessionPage",
    "SessionSummary", "StreamInterruptedError", "ToolCallCompleted", "ToolCallError", "ToolCallStarted",
    "ToolExecution", "UnknownEvent", "UnresolvedToolsError", "UserInputField", "Video", "__version__",
    # agno's event class names (agentnb.events), and the short name of IntermediateRunContentEvent
    "RunIntermediateContent",
    # issue 14: push notifications and signed cards
    "PushConfig", "PushInbox", "UnverifiedCardError", "tasks_table", "MemoriesEditor", "PushView",
    "BaseAgentRunEvent", "CompactionCompletedEvent", "CompactionStartedEvent", "CompressionCompletedEvent",
    "CompressionStartedEvent", "CustomEvent", "FollowupsCompletedEvent", "FollowupsStartedEvent",
    "IntermediateRunContentEvent", "MemoryUpdateCompletedEvent", "MemoryUpdateStartedEvent",
    "ModelRequestCompletedEvent", "ModelRequestStartedEvent", "OutputModelResponseCompletedEvent",
    "OutputModelResponseStartedEvent", "ParserModelResponseCompletedEvent",
    "ParserModelResponseStartedEvent", "PostHookCompletedEvent", "PostHookStartedEvent",
    "PreHookCompletedEvent", "PreHookStartedEvent", "ReasoningCompletedEvent",
    "ReasoningContentDeltaEvent", "ReasoningStartedEvent", "ReasoningStepEvent", "RunCancelledEvent",
    "RunCompletedEvent", "RunContentCompletedEvent", "RunContentEvent", "RunContinuedEvent",
    "RunErrorEvent", "RunPausedEvent", "RunStartedEvent", "SessionSummaryCompletedEvent",
    "SessionSummaryStartedEvent", "ToolCallCompletedEvent", "ToolCallErrorEvent", "ToolCallStartedEvent",
    # teams and workflows: the facades, the directory, their outputs and agno's event names
    "AgentOS", "RemoteTeam", "RemoteWorkflow", "TeamRunOutput", "WorkflowRunOutput", "StepOutput",
    "StepRequirement", "TeamConfig", "WorkflowConfig", "directory_table",
    "TeamRunCancelledEvent", "TeamRunCompletedEvent", "TeamRunContentCompletedEvent", "TeamRunContentEvent",
    "TeamRunContinuedEvent", "TeamRunErrorEvent", "TeamRunIntermediateContentEvent", "TeamRunPausedEvent",
    "TeamRunStartedEvent", "TeamToolCallCompletedEvent", "TeamToolCallErrorEvent", "TeamToolCallStartedEvent",
    "StepCompletedEvent", "StepContinuedEvent", "StepErrorEvent", "StepExecutorContinuedEvent",
    "StepExecutorPausedEvent", "StepOutputEvent", "StepPausedEvent", "StepProgressEvent", "StepStartedEvent",
    "WorkflowCancelledEvent", "WorkflowCompletedEvent", "WorkflowErrorEvent", "WorkflowPausedEvent",
    "WorkflowStartedEvent",
}  # fmt: skip


def test_all_is_pinned_and_every_name_exists() -> None:
    assert set(agentnb.__all__) == EXPECTED
    for name in agentnb.__all__:
        assert getattr(agentnb, name) is not None


def test_core_imports_no_widget_or_dataframe_libraries() -> None:
    code = (
        "import sys, agentnb; "
        "bad = [m for m in ('ipywidgets', 'IPython', 'pandas') if m in sys.modules]; "
        "print(','.join(bad))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
