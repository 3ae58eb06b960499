"""The neutral model of a run, whatever protocol the peer spoke: agno's RunOutput, ToolExecution,
RunRequirement and RunStatus.

AgentOS JSON validates straight into these; A2A tasks are mapped into them by ``remote/``. No I/O.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from enum import Enum
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field, field_validator

from agentnb._model import WireModel
from agentnb._repr import html_card, markdown_card
from agentnb.runs.messages import Message, RunInput, ToolExecution, UserInputField
from agentnb.runs.metrics import RunMetrics

__all__ = [
    "Message",
    "PauseType",
    "RunInput",
    "RunMetrics",
    "RunOutput",
    "RunRequirement",
    "RunStatus",
    "ToolExecution",
    "UserInputField",
    "link_requirements",
]


PauseType = Literal["confirmation", "user_input", "user_feedback", "external_execution"]


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


class RunRequirement(WireModel):
    """A paused tool that needs a decision: agno 3.x's ``RunRequirement``.

    Unlike agno's, ``confirmation`` and ``external_execution_result`` write through to the wrapped
    ToolExecution, so setting them directly is not silently lost on continue.
    """

    id: str | None = None
    created_at: str | None = None
    tool_execution: ToolExecution
    member_agent_id: str | None = None
    member_agent_name: str | None = None
    member_run_id: str | None = None

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
    def needs_user_feedback(self) -> bool:
        """True while some feedback question has no ``selected_options`` yet (agno's rule)."""
        questions = self.tool_execution.user_feedback_schema
        if self.tool_execution.answered is True or not questions:
            return False
        return not all(q.get("selected_options") is not None for q in questions)

    @property
    def pause_type(self) -> PauseType:
        """What the tool waits for; feedback > external execution > user input > confirmation."""
        tool = self.tool_execution
        if tool.user_feedback_schema:
            return "user_feedback"
        if tool.external_execution_required:
            return "external_execution"
        if tool.requires_user_input:
            return "user_input"
        return "confirmation"

    @property
    def user_feedback_schema(self) -> list[dict[str, Any]] | None:
        return self.tool_execution.user_feedback_schema

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

    def provide_user_feedback(self, selections: Mapping[str, list[str]]) -> None:
        """Answer feedback questions: question text -> the option labels picked (agno's signature)."""
        if not self.needs_user_feedback:
            raise ValueError("This requirement does not require user feedback")
        questions = self.tool_execution.user_feedback_schema or []
        for question in questions:
            picked = selections.get(str(question.get("question")))
            if picked is None:
                continue
            question["selected_options"] = list(picked)
            for option in question.get("options") or []:
                if isinstance(option, dict):
                    option["selected"] = option.get("label") in picked
        if all(q.get("selected_options") is not None for q in questions):
            self.tool_execution.answered = True

    def to_dict(self) -> dict[str, Any]:
        """agno's ``RunRequirement.to_dict``: the stored form, None values left out."""
        schema = self.user_input_schema
        out: dict[str, Any] = {
            "id": self.id,
            "created_at": self.created_at,
            "confirmation": self.confirmation,
            "confirmation_note": self.confirmation_note,
            "external_execution_result": self.external_execution_result,
            "member_agent_id": self.member_agent_id,
            "member_agent_name": self.member_agent_name,
            "member_run_id": self.member_run_id,
            "tool_execution": self.tool_execution.to_dict(),
            "user_input_schema": [f.to_wire() for f in schema] if schema is not None else None,
            "user_feedback_schema": self.user_feedback_schema,
        }
        return {k: v for k, v in out.items() if v is not None}


def link_requirements(
    tools: list[ToolExecution] | None, requirements: list[RunRequirement] | None
) -> list[RunRequirement] | None:
    """Make each requirement wrap the very ToolExecution object listed in ``tools``.

    AgentOS sends two JSON copies of every paused tool; sharing one object means a decision made
    through either view is the one that gets sent. No requirement at all is None, as in agno.
    """
    if not tools or requirements == []:
        return requirements or None
    by_id = {t.tool_call_id: t for t in tools if t.tool_call_id}
    if requirements is None:
        return [RunRequirement(tool_execution=t) for t in tools if t.pause_kind is not None] or None
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
    input: RunInput | None = None
    content: Any = None
    content_type: str = "str"
    reasoning_content: str | None = None
    model: str | None = None
    model_provider: str | None = None
    messages: list[Message] | None = None
    if TYPE_CHECKING:  # reads typed; a plain dict may be assigned (it is validated, see __setattr__)

        @property
        def metrics(self) -> RunMetrics | None: ...
        @metrics.setter
        def metrics(self, value: RunMetrics | Mapping[str, Any] | None) -> None: ...

    else:
        metrics: RunMetrics | None = None
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

    def __setattr__(self, name: str, value: Any) -> None:
        # Assigned dicts (the stream assembler's metrics, say) become the typed models they replace.
        if value is not None and name in _TYPED:
            value = _TYPED[name](value)
        super().__setattr__(name, value)

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

    def get_content_as_string(self, **kwargs: Any) -> str:
        """agno's: ``content`` itself when text, else its JSON (``kwargs`` go to the dumper)."""
        if isinstance(self.content, str):
            return self.content
        if isinstance(self.content, BaseModel):
            return self.content.model_dump_json(exclude_none=True, **kwargs)
        kwargs.setdefault("ensure_ascii", False)
        return json.dumps(self.content, **kwargs)

    def to_dict(self) -> dict[str, Any]:
        """agno's ``RunOutput.to_dict``: None values left out, nested objects as their ``to_dict``."""
        out = {
            k: v for k, v in self.model_dump(mode="json", exclude=_HAND_SERIALIZED).items() if v is not None
        }
        if not self.interrupted:
            out.pop("interrupted", None)
        if isinstance(self.content, BaseModel):
            out["content"] = self.content.model_dump(exclude_none=True, mode="json")
        if self.metrics is not None:
            out["metrics"] = self.metrics.to_dict()
        if self.messages is not None:
            out["messages"] = [m.to_dict() for m in self.messages]
        if self.tools:  # agno reads an empty list as None
            out["tools"] = [t.to_dict() for t in self.tools]
        if self.requirements is not None:
            out["requirements"] = [r.to_dict() for r in self.requirements]
        if self.input is not None:
            out["input"] = self.input.to_dict()
        if self.events is not None:
            out["events"] = [_event_dict(e) for e in self.events]
        return out

    def to_json(self, separators: tuple[str, str] = (", ", ": "), indent: int | None = 2) -> str:
        """``to_dict`` as JSON, with agno's defaults."""
        return json.dumps(self.to_dict(), indent=indent, separators=separators, default=str)

    @property
    def text(self) -> str:
        """``content`` as text ("" when there is none)."""
        if self.content is None:
            return ""
        return self.content if isinstance(self.content, str) else json.dumps(self.content, default=str)


def _typed_messages(value: Any) -> list[Message]:
    return [m if isinstance(m, Message) else Message.model_validate(m) for m in value]


def _event_dict(event: Any) -> Any:
    if hasattr(event, "to_dict"):
        return event.to_dict()
    return event.model_dump(mode="json") if isinstance(event, BaseModel) else event


_TYPED: dict[str, Any] = {
    "metrics": lambda v: v if isinstance(v, RunMetrics) else RunMetrics.model_validate(v),
    "input": lambda v: v if isinstance(v, RunInput) else RunInput.model_validate(v),
    "messages": _typed_messages,
}
_HAND_SERIALIZED = {"raw", "a2a", "events", "metrics", "messages", "tools", "requirements", "input"}
