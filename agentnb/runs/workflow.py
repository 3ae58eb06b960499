"""A workflow run: agno's WorkflowRunOutput, StepOutput and StepRequirement, and the assembler.

A workflow's stream interleaves its own events (``Workflow…`` and ``Step…``, the workflow run's
``run_id``) with those of the agent running each step (agent events with the agent's own
``run_id``, and the step's ``step_id`` / ``step_name``). The workflow's fold into the
WorkflowRunOutput; each step becomes a StepOutput in ``step_results`` (with its state) and the
agent run inside it a RunOutput (``StepOutput.executor_run`` and ``step_executor_runs``).

A pause is a list of StepRequirements: a step that asks before it runs (``requires_confirmation``)
or a step whose agent paused on a tool (``executor_requirements``). Both are also offered as
ordinary RunRequirements in ``requirements``, so whatever confirms an agent's tool confirms a step.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from agentnb._model import WireModel
from agentnb.runs.assembler import RunAssembler
from agentnb.runs.events import RunEvent
from agentnb.runs.models import RunOutput, RunRequirement, ToolExecution
from agentnb.runs.team import member_output
from agentnb.runs.workflow_events import (
    StepCompletedEvent,
    StepErrorEvent,
    StepExecutorPausedEvent,
    StepPausedEvent,
    StepStartedEvent,
    WorkflowCompletedEvent,
    WorkflowErrorEvent,
    WorkflowPausedEvent,
)

__all__ = ["StepOutput", "StepRequirement", "StepState", "WorkflowRunAssembler", "WorkflowRunOutput"]

StepState = Literal["pending", "running", "done", "paused", "skipped", "error"]

#: The tool_call_id prefix of the RunRequirement that stands for a step's own confirmation.
STEP_CALL_PREFIX = "step:"


class StepOutput(WireModel):
    """One step of a workflow run (agno's ``StepOutput``), with its state while it streams."""

    step_name: str | None = None
    step_id: str | None = None
    step_index: Any = None
    step_type: str | None = None
    executor_type: str | None = None
    executor_name: str | None = None
    step_run_id: str | None = None
    content: Any = None
    metrics: dict[str, Any] | None = None
    success: bool = True
    error: str | None = None
    stop: bool = False
    is_paused: bool = False
    steps: list[StepOutput] | None = None
    #: pending / running / done / paused / skipped / error (agentnb's; agno keeps it implicit).
    status: StepState = "done"
    #: The run of the agent that executed the step, assembled from the stream.
    executor_run: RunOutput | None = Field(default=None, exclude=True, repr=False)


class StepRequirement(WireModel):
    """What a paused workflow waits for at one step (agno's ``StepRequirement``).

    ``confirm()`` / ``reject()`` decide a step that asks before it runs; ``executor_requirements``
    are the paused tools of the step's agent, decided like an agent's.
    """

    step_id: str
    step_name: str | None = None
    step_index: Any = None
    step_type: str | None = None
    requires_confirmation: bool = False
    confirmation_message: str | None = None
    confirmed: bool | None = None
    on_reject: str | None = None
    requires_user_input: bool = False
    user_input_message: str | None = None
    user_input: dict[str, Any] | None = None
    rejection_feedback: str | None = None
    requires_executor_input: bool = False
    executor_requirements: list[RunRequirement] | None = None
    executor_id: str | None = None
    executor_name: str | None = None
    executor_run_id: str | None = None
    executor_type: str | None = None

    def model_post_init(self, __context: Any) -> None:
        if self.requires_confirmation:
            # The step's own question as a confirmation "tool", so views that decide paused
            # tools decide steps too; to_dict() reads the decision back from it.
            tool = ToolExecution(
                tool_call_id=STEP_CALL_PREFIX + self.step_id,
                tool_name=self.step_name or "step",
                tool_args={"confirmation_message": self.confirmation_message}
                if self.confirmation_message
                else {},
                requires_confirmation=True,
                confirmed=self.confirmed,
            )
            self.__dict__["_as_requirement"] = RunRequirement(
                tool_execution=tool, member_agent_name=self.step_name, member_agent_id=None
            )

    @property
    def as_requirement(self) -> RunRequirement | None:
        """The step's own confirmation as a RunRequirement (None when the step does not ask)."""
        req: RunRequirement | None = self.__dict__.get("_as_requirement")
        return req

    @property
    def decision(self) -> bool | None:
        req = self.as_requirement
        return req.confirmation if req is not None and req.confirmation is not None else self.confirmed

    def confirm(self) -> None:
        self.confirmed = True
        if self.as_requirement is not None:
            self.as_requirement.confirm()

    def reject(self, feedback: str | None = None) -> None:
        self.confirmed = False
        if feedback is not None:
            self.rejection_feedback = feedback
        if self.as_requirement is not None:
            self.as_requirement.reject(feedback)

    def set_user_input(self, **values: Any) -> None:
        self.user_input = {**(self.user_input or {}), **values}

    def is_resolved(self) -> bool:
        if self.requires_confirmation and self.decision is None:
            return False
        if self.requires_user_input and not self.user_input:
            return False
        return all(r.is_resolved() for r in self.executor_requirements or [])

    def pending_reason(self) -> str:
        if self.requires_confirmation and self.decision is None:
            return f"step {self.step_name!r} waits for confirmation"
        if self.requires_user_input and not self.user_input:
            return f"step {self.step_name!r} waits for input"
        tools = [r.tool_execution.tool_name for r in self.executor_requirements or [] if not r.is_resolved()]
        who = self.executor_name or "its agent"
        return f"step {self.step_name!r}: {who} waits on {', '.join(map(str, tools))}"

    def to_dict(self) -> dict[str, Any]:
        """The form AgentOS's continue takes: the step as it was sent, with the decisions in."""
        out: dict[str, Any] = dict(self.raw or {})
        out.update(self.model_dump(mode="json", exclude={"raw", "executor_requirements"}, exclude_none=True))
        if self.requires_confirmation:
            out["confirmed"] = self.decision
        if self.executor_requirements is not None:
            out["executor_requirements"] = [r.to_dict() for r in self.executor_requirements]
        return out


class WorkflowRunOutput(RunOutput):
    """The result of a workflow run (agno's ``WorkflowRunOutput``)."""

    workflow_name: str | None = None
    step_results: list[StepOutput] = Field(default_factory=list)
    step_executor_runs: list[RunOutput] = Field(default_factory=list)
    step_requirements: list[StepRequirement] | None = None
    paused_step_index: Any = None
    paused_step_name: str | None = None
    pause_kind: str | None = None
    #: agno's: the agent run of a workflow run by its agent (as sent), and errors awaiting a decision.
    workflow_agent_run: Any = None
    error_requirements: list[Any] | None = None

    @field_validator("step_results", mode="before")
    @classmethod
    def _steps(cls, value: Any) -> list[Any]:
        # agno nests parallel steps as a list inside the list: flatten them, in order.
        flat: list[Any] = []
        for item in value or []:
            flat.extend(item if isinstance(item, list) else [item])
        return flat

    @field_validator("step_executor_runs", mode="before")
    @classmethod
    def _runs(cls, value: Any) -> list[RunOutput]:
        return [member_output(v) for v in value or []]

    def model_post_init(self, __context: Any) -> None:
        super().model_post_init(__context)
        if self.step_requirements is not None and not self.requirements and not self.is_completed:
            self.requirements = flat_requirements(self.step_requirements) or None
        if self.is_completed:
            # A step rejected with on_reject="skip" never ran: say so rather than leave it out.
            ran = {s.step_id for s in self.step_results}
            for req in self.step_requirements or []:
                if req.decision is False and req.step_id not in ran and req.on_reject in (None, "skip"):
                    skipped = StepOutput(step_id=req.step_id, step_name=req.step_name, status="skipped")
                    skipped.step_index = req.step_index
                    self.step_results.append(skipped)

    @property
    def active_step_requirements(self) -> list[StepRequirement]:
        return [r for r in self.step_requirements or [] if not r.is_resolved()]

    def step(self, name: str) -> StepOutput | None:
        """The step called ``name`` (the last one, when a loop ran it more than once)."""
        for result in reversed(self.step_results):
            if result.step_name == name:
                return result
        return None

    def _repr_fields(self) -> list[tuple[str, Any]]:
        fields = super()._repr_fields()
        fields[1] = ("workflow", self.workflow_name or self.workflow_id)
        fields += [(f"step {s.step_name}", s.status) for s in self.step_results]
        fields += [("paused", r.pending_reason()) for r in self.active_step_requirements]
        return fields


def flat_requirements(steps: list[StepRequirement]) -> list[RunRequirement]:
    """Every decision a paused workflow waits for, as RunRequirements naming their step's agent."""
    out: list[RunRequirement] = []
    for step in steps:
        if step.as_requirement is not None:
            out.append(step.as_requirement)
        for req in step.executor_requirements or []:
            req.member_agent_id = req.member_agent_id or step.executor_id
            req.member_agent_name = req.member_agent_name or step.executor_name
            req.member_run_id = req.member_run_id or step.executor_run_id
            out.append(req)
    return out


class WorkflowRunAssembler(RunAssembler):
    """Folds a workflow's stream: its own events into ``output``, each step's agent into its own."""

    output: WorkflowRunOutput

    def __init__(self, output: WorkflowRunOutput, *, keep_events: bool = False) -> None:
        super().__init__(output, keep_events=keep_events)
        self.executors: dict[str, RunAssembler] = {}

    def _step(self, event: RunEvent) -> StepOutput:
        out = self.output
        step_id, name = event.step_id, event.step_name
        for result in reversed(out.step_results):
            if (step_id and result.step_id == step_id) or (not step_id and result.step_name == name):
                return result
        result = StepOutput(step_id=step_id, step_name=name, step_index=event.step_index, status="running")
        out.step_results.append(result)
        return result

    def absorb(self, event: RunEvent) -> bool:
        fields = event.__dict__
        run_id, own = fields["run_id"], self.output.run_id
        if run_id is not None and own is not None and run_id != own:
            return self._executor_event(event, run_id)
        if isinstance(event, WorkflowErrorEvent) and event.content is None:
            event.content = event.error
        done = super().absorb(event)
        out = self.output
        if not out.workflow_name and isinstance(fields.get("workflow_name"), str):
            out.workflow_name = fields["workflow_name"]
        if not out.workflow_id and isinstance(event.workflow_id, str):
            out.workflow_id = event.workflow_id
        if isinstance(event, StepStartedEvent):
            self._step(event).status = "running"
        elif isinstance(event, StepCompletedEvent):
            step = self._step(event)
            step.status, step.content = "done", event.content
            for key, value in (event.step_response or {}).items():
                if key in StepOutput.model_fields and key not in ("status", "content", "steps"):
                    setattr(step, key, value)
        elif isinstance(event, (StepPausedEvent, StepExecutorPausedEvent)):
            step = self._step(event)
            step.status, step.is_paused = "paused", True
        elif isinstance(event, StepErrorEvent):
            step = self._step(event)
            step.status, step.error, step.success = "error", event.error, False
        elif isinstance(event, WorkflowPausedEvent):
            self._paused(event)
        elif isinstance(event, WorkflowCompletedEvent):
            self._completed(event)
        return done

    def _executor_event(self, event: RunEvent, run_id: str) -> bool:
        self.event_count += 1
        if self.keep_events:
            self.events.append(event)
        executor = self.executors.get(run_id)
        if executor is None:
            fields = event.__dict__
            run = RunOutput(
                run_id=run_id,
                agent_id=fields["agent_id"],
                agent_name=fields["agent_name"],
                session_id=fields["session_id"],
                workflow_id=self.output.workflow_id,
            )
            executor = self.executors[run_id] = RunAssembler(run)
            self.output.step_executor_runs.append(run)
            step = self._step(event)
            step.executor_run, step.step_run_id = run, run_id
            step.executor_name = step.executor_name or fields["agent_name"]
        executor.absorb(event)
        if event.is_terminal:
            executor.finish()
        return False

    def _paused(self, event: WorkflowPausedEvent) -> None:
        out = self.output
        out.paused_step_index, out.paused_step_name = event.paused_step_index, event.paused_step_name
        out.pause_kind = event.pause_kind
        out.step_requirements = [StepRequirement.from_wire(r) for r in event.step_requirements or []]
        out.requirements = flat_requirements(out.step_requirements) or None
        out.tools = [r.tool_execution for r in out.requirements or []] or None
        if event.content is None:
            asks = [r.pending_reason() for r in out.step_requirements if not r.is_resolved()]
            out.content = out.content or ("; ".join(asks) or None)

    def _completed(self, event: WorkflowCompletedEvent) -> None:
        streamed = {s.step_id: s for s in self.output.step_results if s.step_id}
        if event.step_results:
            # The server's list is the whole run's (a continue streams only the steps after the
            # pause); the streamed steps keep their agent runs.
            steps: list[StepOutput] = []
            for item in WorkflowRunOutput._steps(event.step_results):
                step = item if isinstance(item, StepOutput) else StepOutput.from_wire(item)
                known = streamed.get(step.step_id) if step.step_id else None
                if known is not None:
                    known.content = step.content if step.content is not None else known.content
                    step = known
                steps.append(step)
            self.output.step_results = steps
        for step in self.output.step_results:
            if step.status in ("running", "paused", "pending"):
                step.status = "done"

    def finish(self) -> RunOutput:
        for executor in self.executors.values():
            executor.finish()
        return super().finish()
