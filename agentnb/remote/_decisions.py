"""What a continue sends AgentOS: the paused run's tools with the user's decisions merged in.

agno's documented call passes partial ToolExecutions (``ToolExecution(tool_call_id=tid,
result="total 0")``); AgentOS needs each paused tool whole, so a decision is merged into the paused
tool it names. A decision naming no paused tool is an error that lists the known ids, and a tool
still undecided is refused before anything is sent (AgentOS would treat it as rejected).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from agentnb.agentos.forms import as_tool_execution
from agentnb.errors import ConfigurationError, UnresolvedToolsError
from agentnb.runs.models import RunOutput, ToolExecution

__all__ = ["merge_decision", "tools_to_send"]

#: Fields a decision never overrides: the identity of the call and our own bookkeeping.
_IDENTITY = frozenset({"tool_call_id", "raw", "user_input_schema", "result"})


def merge_decision(paused: ToolExecution, decision: ToolExecution) -> ToolExecution:
    """A copy of the paused tool with the fields the decision set (a decision on the paused
    object itself is that object)."""
    if decision is paused:
        return paused
    merged = paused.model_copy(deep=True)
    for name in decision.model_fields_set - _IDENTITY:
        value = getattr(decision, name)
        if value is not None:
            setattr(merged, name, value)
    if "result" in decision.model_fields_set and decision.result is not None:
        merged.set_external_execution_result(decision.result)
    values = {f.name: f.value for f in decision.user_input_schema or [] if f.value is not None}
    if values:
        merged.provide_user_input(values)  # unknown field names are refused there
    return merged


def tools_to_send(run_id: str, given: Sequence[Any] | None, paused: RunOutput | None) -> list[ToolExecution]:
    """The tools for AgentOS's continue form; raises before anything is sent when it cannot work."""
    decisions = [as_tool_execution(item) for item in given] if given is not None else []
    paused_tools = paused.paused_tools if paused is not None else []
    if paused_tools:
        by_id = {t.tool_call_id: t for t in paused_tools if t.tool_call_id}
        merged: dict[str, ToolExecution] = {}
        for decision in decisions:
            target = by_id.get(decision.tool_call_id) if decision.tool_call_id else None
            if target is None:
                known = ", ".join(f"{t.tool_call_id} ({t.tool_name})" for t in paused_tools) or "none"
                raise ConfigurationError(
                    f"run {run_id!r}: no paused tool has tool_call_id {decision.tool_call_id!r}; "
                    f"its paused tools are: {known}"
                )
            merged[target.tool_call_id or ""] = merge_decision(target, decision)
        tools = [merged.get(t.tool_call_id or "", t) for t in paused_tools]
    else:
        tools = decisions
    if not tools:
        raise UnresolvedToolsError(
            f"nothing to continue run {run_id!r} with: pass updated_tools= (or requirements=) with the "
            "paused tools and your decisions",
            pending=[],
        )
    pending = [t for t in tools if t.is_pending]
    if pending:
        names = ", ".join(f"{t.tool_name} ({t.tool_call_id}): {t.pending_reason()}" for t in pending)
        raise UnresolvedToolsError(
            f"run {run_id!r} still has undecided tools: {names}. AgentOS would treat them as rejected.",
            pending=pending,
        )
    return tools
