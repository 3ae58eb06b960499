"""What a team's or a workflow's continue sends: the paused requirements, the user's decisions in.

A team pauses on RunRequirements (its own tools', or a member's: ``member_agent_id`` says whose);
a workflow on StepRequirements (a step that asks before it runs, or a step whose agent paused on
tools). As for agents, a decision names what it decides by ``tool_call_id`` (a step's own
question is the requirement ``step:<step_id>``), and anything still undecided is refused with
UnresolvedToolsError before a byte is sent: AgentOS would take it as a rejection.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from agentnb.agentos.forms import as_tool_execution
from agentnb.errors import ConfigurationError, UnresolvedToolsError
from agentnb.remote._decisions import merge_decision
from agentnb.runs.models import RunOutput, RunRequirement
from agentnb.runs.workflow import StepRequirement, WorkflowRunOutput, flat_requirements

__all__ = ["requirements_to_send", "step_requirements_to_send"]


def _decide(run_id: str, requirements: list[RunRequirement], given: Sequence[Any]) -> None:
    """Merge each decision into the requirement whose tool it names (in place)."""
    by_id = {r.tool_execution.tool_call_id: r for r in requirements if r.tool_execution.tool_call_id}
    for item in given:
        decision = as_tool_execution(item)
        target = by_id.get(decision.tool_call_id) if decision.tool_call_id else None
        if target is None:
            known = ", ".join(f"{k} ({r.tool_execution.tool_name})" for k, r in by_id.items()) or "none"
            raise ConfigurationError(
                f"run {run_id!r}: nothing paused has tool_call_id {decision.tool_call_id!r}; "
                f"what is paused: {known}"
            )
        target.tool_execution = merge_decision(target.tool_execution, decision)


def _refuse_pending(run_id: str, requirements: list[RunRequirement]) -> None:
    pending = [r for r in requirements if not r.is_resolved()]
    if pending:
        names = ", ".join(
            f"{r.tool_execution.tool_name} ({r.member_agent_name or r.member_agent_id or 'team'}): "
            f"{r.tool_execution.pending_reason()}"
            for r in pending
        )
        raise UnresolvedToolsError(
            f"run {run_id!r} still has undecided requirements: {names}. "
            "AgentOS would treat them as rejected.",
            pending=[r.tool_execution for r in pending],
        )


def requirements_to_send(
    run_id: str, given: Sequence[Any] | None, paused: RunOutput | None
) -> list[dict[str, Any]]:
    """A team's continue form: every requirement of the pause, decided."""
    if paused is not None and paused.requirements:
        # Copies: a refused continue must leave the paused run as it was.
        requirements = [r.model_copy(deep=True) for r in paused.requirements]
        if given:
            _decide(run_id, requirements, given)
    else:
        requirements = [
            g if isinstance(g, RunRequirement) else RunRequirement(tool_execution=as_tool_execution(g))
            for g in given or []
        ]
    if not requirements:
        raise UnresolvedToolsError(
            f"nothing to continue run {run_id!r} with: pass requirements= with the paused "
            "requirements and your decisions",
            pending=[],
        )
    _refuse_pending(run_id, requirements)
    return [r.to_dict() for r in requirements]


def step_requirements_to_send(
    run_id: str, given: Sequence[Any] | None, paused: RunOutput | None
) -> list[dict[str, Any]]:
    """A workflow's continue form: every step requirement of the pause, decided."""
    steps: list[StepRequirement]
    known = paused.step_requirements if isinstance(paused, WorkflowRunOutput) else None
    if given is not None and all(isinstance(g, (StepRequirement, dict)) for g in given):
        steps = [g if isinstance(g, StepRequirement) else StepRequirement.from_wire(g) for g in given]
    elif known:
        # Fresh copies with the decisions made so far (a refused continue changes nothing).
        steps = [StepRequirement.from_wire(s.to_dict()) for s in known]
        if given:
            _decide(run_id, flat_requirements(steps), given)
    else:
        steps = []
    if not steps:
        raise UnresolvedToolsError(
            f"nothing to continue workflow run {run_id!r} with: pass step_requirements= (the paused "
            "run's, decided)",
            pending=[],
        )
    _refuse_pending(run_id, flat_requirements(steps))
    for step in steps:
        if not step.is_resolved():
            raise UnresolvedToolsError(f"run {run_id!r}: {step.pending_reason()}", pending=[step])
    return [s.to_dict() for s in steps]
