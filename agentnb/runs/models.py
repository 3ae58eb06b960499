"""The neutral model of a run, whatever protocol the peer spoke: agno's RunOutput, ToolExecution,
RunRequirement and RunStatus.

AgentOS JSON validates straight into these; A2A tasks are mapped into them by ``remote/``. No I/O.
"""

from __future__ import annotations

import json
from enum import Enum
from typing import Any

from pydantic import Field, field_validator

from agentnb._model import WireModel
from agentnb._repr import html_card, markdown_card

__all__ = [
    "RunOutput",
    "RunRequirement",
    "RunStatus",
    "ToolExecution",
    "UserInputField",
    "link_requirements",
]


class RunStatus(str, Enum):
    """State of a run; same values as agno's ``RunStatus``."""

    pending = "PENDING"
    running = "RUNNING"
    completed = "COMPLETED"
    paused = "PAUSED"
    cancelled = "CANCELLED"
    error = "ERROR"

    @classmethod
    def parse(cls, value: Any) -> RunStatus:
        if isinstance(value, RunStatus):
            return value
        text = str(value or "").upper()
        for member in cls:
            if member.value == text:
                return member
        return cls.running


# --------------------------------------------------------------------------- paused tools


class UserInputField(WireModel):
    """One field a user-input pause asks for; ``field_type`` is agno's name ("str", "int", …)."""

    name: str
    field_type: str = "str"
    description: str | None = None
    value: Any = None

    def to_wire(self) -> dict[str, Any]:
        # AgentOS indexes all four keys directly; a missing one is a 400.
        return {
            "name": self.name,
            "field_type": self.field_type,
            "description": self.description,
            "value": self.value,
        }


class ToolExecution(WireModel):
    """A tool call as AgentOS reports it, and the object a continue sends back."""

    tool_call_id: str | None = None
    tool_name: str | None = None
    tool_args: dict[str, Any] | None = None
    tool_call_error: bool | None = None
    result: Any = None
    metrics: dict[str, Any] | None = None
    child_run_id: str | None = None
    stop_after_tool_call: bool = False
    created_at: int | None = None
    requires_confirmation: bool | None = None
    confirmed: bool | None = None
    confirmation_note: str | None = None
    requires_user_input: bool | None = None
    user_input_schema: list[UserInputField] | None = None
    user_feedback_schema: list[dict[str, Any]] | None = None
    answered: bool | None = None
    external_execution_required: bool | None = None
    external_execution_silent: bool | None = None
    approval_type: str | None = None
    approval_id: str | None = None
    parent_tool_call_id: str | None = None

    @property
    def pause_kind(self) -> str | None:
        """ "confirmation", "user_input", "external_execution", "user_feedback", or None."""
        if self.user_feedback_schema and not self.answered:
            return "user_feedback"
        if self.external_execution_required:
            return "external_execution"
        if self.requires_user_input:
            return "user_input"
        if self.requires_confirmation:
            return "confirmation"
        return None

    @property
    def is_pending(self) -> bool:
        """True while a paused tool still needs a decision from the user."""
        if self.requires_confirmation and self.confirmed is None:
            return True
        if self.requires_user_input and not self.answered:
            return True
        if self.external_execution_required and self.result is None:
            return True
        return bool(self.user_feedback_schema) and not self.answered

    def pending_reason(self) -> str | None:
        if self.requires_confirmation and self.confirmed is None:
            return "needs confirm() or reject()"
        if self.requires_user_input and not self.answered:
            return "needs provide_user_input({...})"
        if self.external_execution_required and self.result is None:
            return "needs set_external_execution_result(...)"
        if self.user_feedback_schema and not self.answered:
            return "needs an answer to its feedback questions"
        return None

    def confirm(self, note: str | None = None) -> None:
        self.confirmed = True
        if note is not None:
            self.confirmation_note = note

    def reject(self, note: str | None = None) -> None:
        self.confirmed = False
        if note is not None:
            self.confirmation_note = note

    def provide_user_input(self, values: dict[str, Any]) -> None:
        """Fill the user-input fields; names the schema doesn't list are refused."""
        fields = {f.name: f for f in self.user_input_schema or []}
        unknown = sorted(set(values) - set(fields))
        if fields and unknown:
            raise ValueError(f"{self.tool_name}: unknown input field(s) {unknown}; expected {sorted(fields)}")
        for name, value in values.items():
            if name in fields:
                fields[name].value = value
        self.tool_args = {**(self.tool_args or {}), **values}
        self.answered = True

    def set_external_execution_result(self, result: Any) -> None:
        self.result = result if isinstance(result, str) else json.dumps(result, default=str)

    def to_wire(self) -> dict[str, Any]:
        """The dict AgentOS expects in a continue's ``tools`` array (every key present)."""
        payload = self.model_dump(mode="json", exclude={"raw", "user_input_schema"})
        payload["user_input_schema"] = (
            [f.to_wire() for f in self.user_input_schema] if self.user_input_schema is not None else None
        )
        return payload


class RunRequirement(WireModel):
    """A paused tool that needs a decision: agno 3.x's ``RunRequirement``.

    Unlike agno's, ``confirmation`` and ``external_execution_result`` write through to the wrapped
    ToolExecution, so setting them directly is not silently lost on continue.
    """

    id: str | None = None
    created_at: str | None = None
    tool_execution: ToolExecution
    member_agent_id: str | None = None

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.tool_execution.requires_confirmation) and self.tool_execution.confirmed is None

    @property
    def needs_user_input(self) -> bool:
        return bool(self.tool_execution.requires_user_input) and not self.tool_execution.answered

    @property
    def needs_external_execution(self) -> bool:
        return bool(self.tool_execution.external_execution_required) and self.tool_execution.result is None

    @property
    def user_input_schema(self) -> list[UserInputField] | None:
        return self.tool_execution.user_input_schema

    @property
    def confirmation(self) -> bool | None:
        return self.tool_execution.confirmed

    @confirmation.setter
    def confirmation(self, value: bool | None) -> None:
        self.tool_execution.confirmed = value

    @property
    def confirmation_note(self) -> str | None:
        return self.tool_execution.confirmation_note

    @confirmation_note.setter
    def confirmation_note(self, value: str | None) -> None:
        self.tool_execution.confirmation_note = value

    @property
    def external_execution_result(self) -> Any:
        return self.tool_execution.result

    @external_execution_result.setter
    def external_execution_result(self, value: Any) -> None:
        self.tool_execution.set_external_execution_result(value)

    def is_resolved(self) -> bool:
        return not self.tool_execution.is_pending

    def confirm(self, note: str | None = None) -> None:
        self.tool_execution.confirm(note)

    def reject(self, note: str | None = None) -> None:
        self.tool_execution.reject(note)

    def provide_user_input(self, values: dict[str, Any]) -> None:
        self.tool_execution.provide_user_input(values)

    def set_external_execution_result(self, result: Any) -> None:
        self.tool_execution.set_external_execution_result(result)


def link_requirements(
    tools: list[ToolExecution] | None, requirements: list[RunRequirement] | None
) -> list[RunRequirement] | None:
    """Make each requirement wrap the very ToolExecution object listed in ``tools``.

    AgentOS sends two JSON copies of every paused tool; sharing one object means a decision made
    through either view is the one that gets sent.
    """
    if not tools:
        return requirements
    by_id = {t.tool_call_id: t for t in tools if t.tool_call_id}
    if requirements is None:
        return [RunRequirement(tool_execution=t) for t in tools if t.pause_kind is not None]
    for req in requirements:
        call_id = req.tool_execution.tool_call_id
        shared = by_id.get(call_id) if call_id else None
        if shared is not None:
            req.tool_execution = shared
    return requirements


# --------------------------------------------------------------------------- runs


class RunOutput(WireModel):
    """The result of a run (agno's ``RunOutput``), from a JSON answer or assembled from a stream."""

    run_id: str | None = None
    agent_id: str | None = None
    agent_name: str | None = None
    session_id: str | None = None
    parent_run_id: str | None = None
    workflow_id: str | None = None
    user_id: str | None = None
    input: Any = None
    content: Any = None
    content_type: str = "str"
    reasoning_content: str | None = None
    model: str | None = None
    model_provider: str | None = None
    messages: list[dict[str, Any]] | None = None
    metrics: dict[str, Any] | None = None
    tools: list[ToolExecution] | None = None
    images: list[Any] | None = None
    videos: list[Any] | None = None
    audio: list[Any] | None = None
    files: list[Any] | None = None
    citations: Any = None
    references: list[Any] | None = None
    metadata: dict[str, Any] | None = None
    session_state: dict[str, Any] | None = None
    created_at: int | None = None
    status: RunStatus = RunStatus.running
    requirements: list[RunRequirement] | None = None
    error_type: str | None = None
    #: True when the stream was cut (or stopped) before its terminal event: ``content`` is partial.
    interrupted: bool = False
    #: Events of a streamed run, kept only when the stream was asked to keep them.
    events: list[Any] | None = Field(default=None, repr=False)
    #: What the agent asks when the run waits for a free-text answer rather than for decisions on
    #: tools (an A2A input-required or auth-required task); continue it with ``input=``.
    question: str | None = None
    #: Over A2A: the TaskResult this run was read from (artifacts, the task, the prompt).
    a2a: Any = Field(default=None, repr=False)

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value: Any) -> RunStatus:
        return RunStatus.parse(value)

    def model_post_init(self, __context: Any) -> None:
        self.requirements = link_requirements(self.tools, self.requirements)

    @property
    def is_paused(self) -> bool:
        return self.status == RunStatus.paused

    @property
    def is_completed(self) -> bool:
        return self.status == RunStatus.completed

    @property
    def is_cancelled(self) -> bool:
        return self.status == RunStatus.cancelled

    @property
    def is_error(self) -> bool:
        return self.status == RunStatus.error

    @property
    def awaiting_reply(self) -> bool:
        """True when the paused run waits for a free-text answer (see ``question``)."""
        return self.is_paused and self.question is not None

    @property
    def active_requirements(self) -> list[RunRequirement]:
        """Requirements still waiting for a decision."""
        return [r for r in self.requirements or [] if not r.is_resolved()]

    @property
    def paused_tools(self) -> list[ToolExecution]:
        return [t for t in self.tools or [] if t.pause_kind is not None]

    @property
    def tools_requiring_confirmation(self) -> list[ToolExecution]:
        return [t for t in self.tools or [] if t.requires_confirmation and t.confirmed is None]

    @property
    def tools_requiring_user_input(self) -> list[ToolExecution]:
        return [t for t in self.tools or [] if t.requires_user_input and not t.answered]

    @property
    def tools_awaiting_external_execution(self) -> list[ToolExecution]:
        return [t for t in self.tools or [] if t.external_execution_required and t.result is None]

    def _repr_fields(self) -> list[tuple[str, Any]]:
        fields: list[tuple[str, Any]] = [
            ("status", self.status.value + (" (interrupted)" if self.interrupted else "")),
            ("agent", self.agent_name or self.agent_id),
            ("run", self.run_id),
            ("session", self.session_id),
        ]
        fields += [(f"paused: {t.tool_name}", t.pending_reason()) for t in self.paused_tools if t.is_pending]
        if self.metrics:
            fields.append(("tokens", self.metrics.get("total_tokens")))
        return fields

    def _repr_html_(self) -> str:
        return html_card("RunOutput", self._repr_fields(), self.text)

    def _repr_markdown_(self) -> str:
        return markdown_card("RunOutput", self._repr_fields(), self.text)

    @property
    def text(self) -> str:
        """``content`` as text ("" when there is none)."""
        if self.content is None:
            return ""
        return self.content if isinstance(self.content, str) else json.dumps(self.content, default=str)
