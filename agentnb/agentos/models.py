"""AgentOS data models beyond runs: agent and OS config, sessions, stored runs.

Decoded once at the edge from AgentOS JSON; runs themselves are ``runs.RunOutput``.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from pydantic import Field, field_validator, model_validator

from agentnb._model import WireModel
from agentnb.runs.metrics import DictAccess
from agentnb.runs.models import RunStatus, ToolExecution

__all__ = [
    "AgentConfig",
    "AgentResponse",
    "ModelConfig",
    "OSConfig",
    "PageMeta",
    "RunPreview",
    "RunRecord",
    "SessionDetail",
    "SessionPage",
    "SessionSummary",
    "TeamConfig",
    "WorkflowConfig",
]

# --------------------------------------------------------------------------- config


def _tools_as_list(value: Any) -> list[dict[str, Any]] | None:
    """AgentOS sends ``tools`` as ``{"tools": [...]}``; older servers as a JSON string. Accept both."""
    if value is None:
        return None
    if isinstance(value, dict) and "tools" in value:
        value = value["tools"]
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    if isinstance(value, dict):
        value = [value]
    if isinstance(value, list):
        return [t for t in value if isinstance(t, dict)]
    return None


class ModelConfig(DictAccess):
    """The model an agent runs on (agno's ``os.schema.ModelResponse``): ``model`` is the model id.

    ``config.model.name`` / ``.provider`` / ``.id`` read it; so does ``config.model["provider"]``.
    """

    name: str | None = None
    model: str | None = None
    provider: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _bare_id(cls, value: Any) -> Any:
        return {"model": value} if isinstance(value, str) else value

    @property
    def id(self) -> str | None:
        """The model id (agno's ``Model.id``), sent as ``model``."""
        return self.model


class AgentConfig(WireModel):
    """An agent's configuration (``GET /agents/{id}``), agno's ``AgentResponse``."""

    id: str | None = None
    name: str | None = None
    db_id: str | None = None
    description: str | None = None
    role: str | None = None
    model: ModelConfig | None = None
    tools: Any = None
    sessions: dict[str, Any] | None = None
    knowledge: dict[str, Any] | None = None
    memory: dict[str, Any] | None = None
    metadata: dict[str, Any] | None = None
    introduction: str | None = None

    @property
    def tool_list(self) -> list[dict[str, Any]] | None:
        """``tools`` as a list of dicts, whether the server sent a list or a JSON string."""
        return _tools_as_list(self.tools)


AgentResponse = AgentConfig


class OSConfig(WireModel):
    """``GET /config``: the OS and the agents, teams and workflows it serves."""

    os_id: str | None = None
    name: str | None = None
    description: str | None = None
    agents: list[AgentConfig] = Field(default_factory=list)
    teams: list[dict[str, Any]] = Field(default_factory=list)
    workflows: list[dict[str, Any]] = Field(default_factory=list)
    interfaces: list[dict[str, Any]] = Field(default_factory=list)
    databases: list[Any] | None = None


# --------------------------------------------------------------------------- sessions


class TeamConfig(AgentConfig):
    """A team's configuration (``GET /teams/{id}``): an agent's fields, its mode and members."""

    mode: str | None = None
    members: list[dict[str, Any]] | None = None


class WorkflowConfig(AgentConfig):
    """A workflow's configuration (``GET /workflows/{id}``): its steps as the server lists them."""

    steps: list[dict[str, Any]] = Field(default_factory=list)


class PageMeta(WireModel):
    page: int = 1
    limit: int = 20
    total_pages: int = 1
    total_count: int = 0
    search_time_ms: float | None = None


class SessionSummary(WireModel):
    """One row of ``GET /sessions``."""

    session_id: str
    session_name: str | None = None
    session_state: dict[str, Any] | None = None
    session_type: str | None = None
    agent_id: str | None = None
    user_id: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    metrics: dict[str, Any] | None = None
    total_tokens: int | None = None


class SessionPage(WireModel):
    data: list[SessionSummary] = Field(default_factory=list)
    meta: PageMeta = Field(default_factory=PageMeta)


class SessionDetail(WireModel):
    """``GET /sessions/{id}``: a session with its chat history."""

    session_id: str
    session_name: str | None = None
    session_state: dict[str, Any] | None = None
    agent_id: str | None = None
    user_id: str | None = None
    agent_session_id: str | None = None
    total_tokens: int | None = None
    agent_data: dict[str, Any] | None = None
    metrics: dict[str, Any] | None = None
    chat_history: list[dict[str, Any]] | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class RunRecord(WireModel):
    """A stored run (``GET /sessions/{id}/runs``, ``GET /agents/{id}/runs/{run_id}``)."""

    run_id: str
    parent_run_id: str | None = None
    agent_id: str | None = None
    user_id: str | None = None
    session_id: str | None = None
    status: RunStatus | None = None
    run_input: Any = None
    content: Any = None
    reasoning_content: Any = None
    metrics: dict[str, Any] | None = None
    messages: list[dict[str, Any]] | None = None
    tools: list[ToolExecution] | None = None
    events: list[dict[str, Any]] | None = Field(default=None, repr=False)
    created_at: datetime | None = None

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value: Any) -> RunStatus | None:
        return None if value is None else RunStatus.parse(value)

    @field_validator("created_at", mode="before")
    @classmethod
    def _created(cls, value: Any) -> Any:
        if isinstance(value, (int, float)):
            return datetime.fromtimestamp(value).astimezone()
        return value


class RunPreview(WireModel):
    """A stored run in brief (``GET /sessions/{id}/run-previews``): ids, status, cut input/output."""

    run_id: str
    parent_run_id: str | None = None
    agent_id: str | None = None
    team_id: str | None = None
    workflow_id: str | None = None
    user_id: str | None = None
    status: RunStatus | None = None
    run_input: str | None = None
    content_preview: str | None = None
    created_at: datetime | None = None

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value: Any) -> RunStatus | None:
        return None if value is None else RunStatus.parse(value)
