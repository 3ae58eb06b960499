"""agno's RunRequirement: one paused tool awaiting a decision, and how the two JSON copies AgentOS
sends of every paused tool are made one object (``link_requirements``). No I/O."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from agentnb._model import WireModel
from agentnb.runs.messages import ToolExecution, UserInputField

__all__ = ["PauseType", "RunRequirement", "link_requirements"]

PauseType = Literal["confirmation", "user_input", "user_feedback", "external_execution"]


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
