"""A workflow's steps as a list: each with its state (pending / running / done / paused / skipped /
error) and duration, and the agent that ran it folded inside.

Fed by the workflow's ``Step…`` events (and observing its ``WorkflowPaused`` / ``WorkflowCompleted``),
or built from a WorkflowRunOutput's ``step_results``. Steps the workflow has not reached yet show
as pending once the workflow's configuration (its list of steps) is known. The duration is the
server's when it sent one (a step agent's metrics), else the time between the step's start and end
events as they reached us.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from agentnb.runs.events import RunEvent
from agentnb.runs.models import RunOutput
from agentnb.runs.workflow_events import (
    StepCompletedEvent,
    StepContinuedEvent,
    StepErrorEvent,
    StepExecutorContinuedEvent,
    StepExecutorPausedEvent,
    StepPausedEvent,
    StepStartedEvent,
    WorkflowCancelledEvent,
    WorkflowCompletedEvent,
    WorkflowErrorEvent,
    WorkflowEvent,
    WorkflowPausedEvent,
)
from agentnb.widgets.members_view import MemberRuns, badge
from agentnb.widgets.render import escape

__all__ = ["StepList", "StepRow"]

#: Steps shown at most (a loop can run a step many times; each run is one row).
MAX_STEPS = 100


@dataclass
class StepRow:
    name: str
    step_id: str | None = None
    state: str = "pending"
    started: float | None = None
    ended: float | None = None
    #: The server's own measure, in seconds, when it sent one.
    server_duration: float | None = None
    message: str | None = None

    @property
    def duration(self) -> float | None:
        if self.server_duration is not None:
            return self.server_duration
        if self.started is not None:
            return (self.ended or time.monotonic()) - self.started
        return None


def _seconds(metrics: Any) -> float | None:
    value = metrics.get("duration") if isinstance(metrics, dict) else None
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


class StepList:
    """The rows of one workflow run, in the order the steps were reached."""

    def __init__(self) -> None:
        self.rows: dict[str, StepRow] = {}
        #: Step names in the workflow's order, from its configuration (empty until known).
        self.expected: list[str] = []
        #: The workflow completed: a step it never reached was skipped, not pending.
        self.completed = False

    def __len__(self) -> int:
        return len(self.rows)

    def row(self, name: Any, step_id: Any = None) -> StepRow | None:
        label = name if isinstance(name, str) and name else (step_id if isinstance(step_id, str) else "step")
        row = self.rows.get(label)
        if row is None:
            if len(self.rows) >= MAX_STEPS:
                return None
            row = self.rows[label] = StepRow(
                name=label, step_id=step_id if isinstance(step_id, str) else None
            )
        return row

    def expect(self, names: list[str]) -> None:
        self.expected = [n for n in names if isinstance(n, str)][:MAX_STEPS]

    def absorb(self, event: RunEvent) -> bool:
        """Fold a workflow event; True when it is a step's (the view has nothing else to do with it)."""
        if not isinstance(event, WorkflowEvent):
            return False
        if isinstance(event, WorkflowPausedEvent):
            if (row := self.rows.get(str(event.paused_step_name))) is not None:
                row.state = "paused"
            return False
        if isinstance(event, WorkflowCompletedEvent):
            self._completed(event.step_results or [])
            return False
        if isinstance(event, WorkflowCancelledEvent | WorkflowErrorEvent):
            for row in self.rows.values():
                if row.state == "running":
                    row.state, row.ended = (
                        ("error" if isinstance(event, WorkflowErrorEvent) else "cancelled"),
                        time.monotonic(),
                    )
            return False
        steps = (
            StepStartedEvent,
            StepContinuedEvent,
            StepExecutorContinuedEvent,
            StepCompletedEvent,
            StepPausedEvent,
            StepExecutorPausedEvent,
            StepErrorEvent,
        )
        if not isinstance(event, steps):
            return event.step_name is not None  # a step's progress or output: nothing to show yet
        row = self.row(event.step_name, event.step_id)
        if row is None:
            return True
        now = time.monotonic()
        if isinstance(event, StepStartedEvent | StepContinuedEvent | StepExecutorContinuedEvent):
            row.state, row.message = "running", None
            row.started = row.started or now
        elif isinstance(event, StepCompletedEvent):
            row.state, row.ended = "done", now
            row.server_duration = _seconds((event.step_response or {}).get("metrics"))
        elif isinstance(event, StepPausedEvent):
            row.state = "paused"
            row.message = event.confirmation_message or event.user_input_message or "asks before it runs"
        elif isinstance(event, StepExecutorPausedEvent):
            row.state = "paused"
            row.message = f"{event.executor_name or 'its agent'} waits for your decision"
        elif isinstance(event, StepErrorEvent):
            row.state, row.ended, row.message = "error", now, event.error
        return True

    def _completed(self, results: list[Any]) -> None:
        self.completed = True
        # The server's list is the whole run's (a continued stream starts after the pause).
        for item in results:
            for step in item if isinstance(item, list) else [item]:
                data = step if isinstance(step, dict) else getattr(step, "__dict__", {})
                row = self.row(data.get("step_name"), data.get("step_id"))
                if row is not None:
                    row.state = "done" if data.get("success", True) else "error"
                    row.server_duration = _seconds(data.get("metrics")) or row.server_duration
                    row.ended = row.ended or time.monotonic()
        for row in self.rows.values():
            # Reached but never run (rejected with on_reject="skip"): the workflow went on without it.
            if row.state == "paused":
                row.state = "skipped"
            elif row.state == "running":
                row.state = "done"

    def add_output(self, output: RunOutput) -> None:
        """Rows from a WorkflowRunOutput's ``step_results`` (and its pause)."""
        for step in getattr(output, "step_results", None) or []:
            row = self.row(step.step_name, step.step_id)
            if row is not None:
                row.state = step.status
                row.server_duration = _seconds(step.metrics)
        for req in getattr(output, "active_step_requirements", None) or []:
            row = self.row(req.step_name, req.step_id)
            if row is not None:
                row.state = "paused"
                row.message = req.confirmation_message or req.pending_reason()

    # -- rendering ---------------------------------------------------------------------------

    def ordered(self) -> list[StepRow]:
        """Rows in the workflow's order; expected steps not reached yet as pending ones."""
        if not self.expected:
            return list(self.rows.values())
        reached = [i for i, name in enumerate(self.expected) if name in self.rows]
        # A continued run streams only the steps after its pause: steps before the first one seen
        # are not "pending", they are simply not part of this stream.
        first = min(reached) if reached else 0
        unseen = "skipped" if self.completed else "pending"
        out = [self.rows.get(n) or StepRow(name=n, state=unseen) for n in self.expected[first:]]
        out += [r for name, r in self.rows.items() if name not in self.expected]
        return out

    def render(self, members: MemberRuns | None = None, redact: Callable[[str], str] | None = None) -> str:
        if not self.rows and not self.expected:
            return ""
        items = []
        for row in self.ordered():
            took = row.duration
            bits = [f"<b>{escape(row.name)}</b>", badge(row.state)]
            if took is not None:
                bits.append(f"{took:.2f} s")
            if row.message:
                bits.append(f"<i>{escape(row.message)}</i>")
            head = " · ".join(bits)
            inner = members.render(redact, step_name=row.name, top_level=False) if members is not None else ""
            body = f"<details open><summary>{head}</summary>{inner}</details>" if inner else head
            items.append(
                f'<li class="agentnb-step" data-step="{escape(row.name)}" data-state="{escape(row.state)}">'
                f"{body}</li>"
            )
        return (
            '<div class="agentnb-steps" style="margin:4px 0"><div style="color:#6b7280;font-size:0.85em">'
            f'workflow steps</div><ol style="margin:2px 0;padding-left:22px">{"".join(items)}</ol></div>'
        )
