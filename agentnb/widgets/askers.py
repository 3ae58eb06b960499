"""Who is asking, in an ApprovalForm: the team member, the workflow step, or the step's agent.

A paused team lists its members' paused tools only as ``requirements`` (naming the member), and a
paused workflow its steps' as ``step_requirements``; ``pending_tools`` gives the form every tool
that waits, and ``name_askers`` labels each card with who asks, and the title with what waits.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from agentnb.runs.models import RunOutput, RunRequirement, ToolExecution
from agentnb.runs.team import TeamRunOutput
from agentnb.runs.workflow import WorkflowRunOutput
from agentnb.widgets.render import escape

__all__ = ["asker_of", "name_askers", "pending_tools"]

#: The tool_call_id prefix of a workflow step's own confirmation (runs/workflow.py).
STEP_PREFIX = "step:"


def pending_tools(paused: RunOutput) -> list[ToolExecution]:
    """The paused tools of the run itself, then those only its requirements list (members', steps')."""
    tools = list(paused.paused_tools)
    for req in paused.active_requirements:
        tool = req.tool_execution
        if not any(_same(tool, known) for known in tools):
            tools.append(tool)
    return tools


def _same(a: ToolExecution, b: ToolExecution) -> bool:
    return a is b or (bool(a.tool_call_id) and a.tool_call_id == b.tool_call_id)


def _requirement(paused: RunOutput, tool: ToolExecution) -> RunRequirement | None:
    return next((r for r in paused.requirements or [] if _same(r.tool_execution, tool)), None)


def asker_of(paused: RunOutput, tool: ToolExecution) -> str | None:
    """Who asks for ``tool`` ("member Janitor asks", "step publish asks ..."); None: the run itself."""
    for step in getattr(paused, "step_requirements", None) or []:
        if tool.tool_call_id == STEP_PREFIX + step.step_id:
            message = f": {step.confirmation_message}" if step.confirmation_message else ""
            return f"step {step.step_name or step.step_id} asks before it runs{message}"
        if any(_same(r.tool_execution, tool) for r in step.executor_requirements or []):
            who = step.executor_name or step.executor_id or "its agent"
            return f"step {step.step_name or step.step_id} · agent {who} asks"
    req = _requirement(paused, tool)
    if req is not None and (req.member_agent_name or req.member_agent_id):
        return f"member {req.member_agent_name or req.member_agent_id} asks"
    return None


def _what(paused: RunOutput) -> str:
    if isinstance(paused, WorkflowRunOutput):
        return "workflow"
    return "team" if isinstance(paused, TeamRunOutput) else "agent"


def name_askers(form: Any) -> None:
    """Label ``form``'s cards with who asks, and its title with what waits (a team, a workflow)."""
    paused: RunOutput = form.paused
    what = _what(paused)
    if what != "agent" and not form.asks_for_reply:
        form.title.value = f"<b>The {what} is waiting for your decision</b>"
    for card in form.cards:
        label = asker_of(paused, card.tool)
        if label is not None:
            tag = widgets.HTML(
                value=f'<div class="agentnb-asker" style="color:#92400e">{escape(label)}</div>'
            )
            card.widget.children = (tag, *card.widget.children)
