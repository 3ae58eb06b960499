"""The neutral model of a run, whatever protocol the peer spoke: agno's RunOutput, ToolExecution,
RunRequirement and RunStatus.

AgentOS JSON validates straight into these; A2A tasks are mapped into them by ``remote/``. No I/O.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from enum import Enum
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field, field_validator

from agentnb._model import WireModel
from agentnb._repr import html_card, markdown_card
from agentnb.runs.messages import Message, RunInput, ToolExecution, UserInputField
from agentnb.runs.metrics import RunMetrics

# RunRequirement lives in requirements.py (this module was at the size limit); it is re-exported
# here, where agentnb's own code and its users have always imported it from.
from agentnb.runs.requirements import PauseType, RunRequirement, link_requirements

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
    # agno's fields a run rarely carries, kept as AgentOS sends them (its JSON, not agno's objects).
    reasoning_steps: list[Any] | None = None
    reasoning_messages: list[Any] | None = None
    additional_input: list[Any] | None = None
    model_provider_data: dict[str, Any] | None = None
    response_audio: Any = None
    followups: list[str] | None = None
    compaction: Any = None
    cancellation_stage: str | None = None
    queue_attempt: int | None = None
    last_checkpoint_at_message_index: int | None = None
    forked_from_run_id: str | None = None
    forked_from_message_index: int | None = None
    forked_from_session_id: str | None = None
    regenerated_from: str | None = None
    workflow_step_id: str | None = None
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
