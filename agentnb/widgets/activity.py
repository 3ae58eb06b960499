"""What a team's or workflow's run does besides the leader's own text: member runs and steps.

StreamView hands every event to ``RunActivity.absorb`` first. A member's event (a team member's,
``parent_run_id`` set; a workflow step's agent, ``step_name`` set) belongs to a nested section and
must not reach the leader's text, state or footer: a member's RunCompleted is not the team's, and
its RunStarted must not replace the team's run id. Step events go to the step list. Everything
else (an agent's whole stream, a team leader's, a workflow's start and end) is the view's own.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

from agentnb.runs.events import RunEvent
from agentnb.runs.models import RunOutput
from agentnb.runs.workflow_events import WorkflowEvent
from agentnb.widgets.members_view import MemberRuns
from agentnb.widgets.steps_view import StepList

__all__ = ["RunActivity", "is_nested"]


def is_nested(event: RunEvent, leader_run_id: str | None) -> bool:
    """True for an event of a run inside the leader's (a member's, or a step's agent's)."""
    run_id = event.run_id
    if leader_run_id is not None and run_id is not None and run_id == leader_run_id:
        return False
    if event.parent_run_id:
        return True
    # A step's agent carries its step's name; the workflow's own step events do too, but they
    # are the workflow's (WorkflowEvent).
    return bool(event.step_name) and not isinstance(event, WorkflowEvent)


class RunActivity:
    """The member sections and step list of one run, fed by events or built from an output."""

    def __init__(self) -> None:
        self.members = MemberRuns()
        self.steps = StepList()
        self._config_task: asyncio.Future[Any] | None = None

    @property
    def empty(self) -> bool:
        return not self.members and not self.steps and not self.steps.expected

    def absorb(self, event: RunEvent, leader_run_id: str | None) -> bool:
        """Fold ``event`` if it is a member's or a step's; False leaves it to the view."""
        if is_nested(event, leader_run_id):
            self.members.absorb(event)
            return True
        return self.steps.absorb(event)

    def attach(self, agent: Any, on_change: Callable[[], None]) -> None:
        """Learn a workflow's steps (to show the ones not reached yet as pending), in the background.

        Never waits: the stream starts at once, and the pending rows appear when the config does.
        A failed fetch only means no pending rows.
        """
        fetch = getattr(agent, "get_workflow_config", None)
        if fetch is None or not callable(fetch):
            return
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return

        def done(task: asyncio.Future[Any]) -> None:
            if task.cancelled() or task.exception() is not None:
                return  # retrieved: no "Task exception was never retrieved"
            steps = getattr(task.result(), "steps", None) or []
            self.steps.expect(
                [s["name"] for s in steps if isinstance(s, dict) and isinstance(s.get("name"), str)]
            )
            with contextlib.suppress(Exception):
                on_change()

        self._config_task = asyncio.ensure_future(fetch())
        self._config_task.add_done_callback(done)

    @classmethod
    def from_output(cls, output: RunOutput) -> RunActivity:
        """The sections of a finished or paused TeamRunOutput / WorkflowRunOutput (no events)."""
        activity = cls()
        for member in getattr(output, "member_responses", None) or []:
            activity.members.add_output(member)
        for step in getattr(output, "step_results", None) or []:
            if step.executor_run is not None:
                activity.members.add_output(step.executor_run, step_name=step.step_name)
        activity.steps.add_output(output)
        return activity

    def render_html(self, redact: Callable[[str], str] | None = None) -> str:
        """Members' sections, then the step list (each step's agent inside its row); "" if none."""
        if self.empty:
            return ""
        members = self.members.render(redact)
        steps = self.steps.render(self.members, redact)
        return f'<div class="agentnb-activity">{members}{steps}</div>'
