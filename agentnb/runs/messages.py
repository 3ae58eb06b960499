"""What a run carries besides its text, as AgentOS sends it: agno's ``Message`` and ``RunInput``
(typed models) and the tool calls (``ToolExecution``, with the ``UserInputField``s a pause asks for).

Messages and inputs also read like the dicts agentnb used to hand out (``message["role"]``,
``.get("content")``); unknown keys are kept. Media stay as the JSON the server sent.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import Field, model_validator

from agentnb._model import WireModel
from agentnb.runs.metrics import DictAccess, MessageMetrics, compact

__all__ = ["Message", "RunInput", "ToolExecution", "UserInputField"]


_MESSAGE_KEYS = (
    *("id", "content", "reasoning_content", "from_history", "compressed_content", "stop_after_tool_call"),
    *("role", "name", "tool_call_id", "tool_name", "tool_args", "tool_call_error", "tool_calls"),
    *("redacted_reasoning_content", "provider_data", "checkpoint_status", "checkpoint_created_at"),
)


class Message(DictAccess):
    """One message of a run (agno's ``Message``): ``role`` is system, user, assistant or tool."""

    id: str | None = None
    role: str = ""
    content: Any = None
    compressed_content: str | None = None
    name: str | None = None
    tool_call_id: str | None = None
    tool_calls: list[dict[str, Any]] | None = None
    audio: list[Any] | None = None
    images: list[Any] | None = None
    videos: list[Any] | None = None
    files: list[Any] | None = None
    audio_output: Any = None
    image_output: Any = None
    video_output: Any = None
    file_output: Any = None
    redacted_reasoning_content: str | None = None
    provider_data: dict[str, Any] | None = None
    citations: Any = None
    reasoning_content: str | None = None
    tool_name: str | None = None
    tool_args: Any = None
    tool_call_error: bool | None = None
    stop_after_tool_call: bool = False
    add_to_agent_memory: bool = True
    from_history: bool = False
    metrics: MessageMetrics = Field(default_factory=MessageMetrics)
    references: Any = None
    created_at: int | None = None
    temporary: bool = False
    checkpoint_status: str | None = None
    checkpoint_created_at: int | None = None

    def get_content_string(self) -> str:
        """``content`` as text, as agno's ``Message.get_content_string``."""
        if isinstance(self.content, str):
            return self.content
        if isinstance(self.content, list):
            if not self.content:
                return ""
            first = self.content[0]
            if isinstance(first, dict) and "text" in first:
                return str(first.get("text", ""))
            return json.dumps(self.content, ensure_ascii=False)
        return ""

    def to_dict(self) -> dict[str, Any]:
        """As agno's ``Message.to_dict``: no None or empty values; media and metrics when present."""
        out = {k: v for k, v in ((k, getattr(self, k)) for k in _MESSAGE_KEYS) if v is not None}
        out = {k: v for k, v in out.items() if not (isinstance(v, (list, dict)) and len(v) == 0)}
        for media in ("images", "audio", "videos", "files"):
            if getattr(self, media):
                out[media] = getattr(self, media)
        if self.audio_output:
            out["audio_output"] = self.audio_output
        if self.references:
            out["references"] = self.references
        metrics = self.metrics.to_dict() if isinstance(self.metrics, MessageMetrics) else self.metrics
        if metrics:
            out["metrics"] = metrics
        out["created_at"] = self.created_at
        return out


class RunInput(DictAccess):
    """What the run was asked (agno's ``RunInput``): ``input_content`` and any media passed in."""

    input_content: Any = None
    images: list[Any] | None = None
    videos: list[Any] | None = None
    audios: list[Any] | None = None
    files: list[Any] | None = None

    @model_validator(mode="before")
    @classmethod
    def _bare(cls, value: Any) -> Any:
        """A bare prompt (``RunOutput(input="hi")``) is its ``input_content``."""
        if isinstance(value, (dict, RunInput)):
            return value
        return {"input_content": value}

    def input_content_string(self) -> str:
        """``input_content`` as text, as agno's."""
        if isinstance(self.input_content, str):
            return self.input_content
        if isinstance(self.input_content, (list, dict)):
            try:
                return json.dumps(self.input_content, ensure_ascii=False)
            except (TypeError, ValueError):
                return str(self.input_content)
        return str(self.input_content)

    def to_dict(self) -> dict[str, Any]:
        """As agno's ``RunInput.to_dict``: ``input_content`` and the non-empty media lists."""
        out: dict[str, Any] = {}
        if self.input_content is not None:
            out["input_content"] = self.input_content
        out.update(compact({k: getattr(self, k) for k in ("images", "videos", "audios", "files")}))
        return out


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
    def is_paused(self) -> bool:
        """agno's: the tool asked for confirmation, user input or external execution."""
        return bool(
            self.requires_confirmation or self.requires_user_input or self.external_execution_required
        )

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

    def to_dict(self) -> dict[str, Any]:
        """agno's ``ToolExecution.to_dict``: every field, the same dict a continue sends."""
        return self.to_wire()
