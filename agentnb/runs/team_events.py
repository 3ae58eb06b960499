"""A team run's own events, under agno's names (``TeamRunContent`` ... in ``agno/run/team.py``).

Each team event subclasses the agent event it mirrors (``TeamRunContentEvent`` is a
``RunContentEvent``), so code and views written for an agent's stream read a team's too: the
team leader's text is ``RunContent``, its end is ``RunCompleted``. The events of a member agent
inside a team run keep their agent classes; they carry the member's ``agent_id`` and its own
``run_id``, with ``parent_run_id`` the team run's.
"""

from __future__ import annotations

from typing import Any

from agentnb.runs.agno_events import OTHER_EVENTS, CustomEvent, event_name
from agentnb.runs.events import (
    IntermediateRunContentEvent,
    RunCancelledEvent,
    RunCompletedEvent,
    RunContentCompletedEvent,
    RunContentEvent,
    RunContinuedEvent,
    RunErrorEvent,
    RunEvent,
    RunPausedEvent,
    RunStartedEvent,
    ToolCallCompletedEvent,
    ToolCallErrorEvent,
    ToolCallStartedEvent,
)

__all__ = [
    "TEAM_EVENT_CLASSES",
    "TeamEvent",
    "TeamRunCancelledEvent",
    "TeamRunCompletedEvent",
    "TeamRunContentCompletedEvent",
    "TeamRunContentEvent",
    "TeamRunContinuedEvent",
    "TeamRunErrorEvent",
    "TeamRunIntermediateContentEvent",
    "TeamRunPausedEvent",
    "TeamRunStartedEvent",
    "TeamToolCallCompletedEvent",
    "TeamToolCallErrorEvent",
    "TeamToolCallStartedEvent",
]


class TeamEvent(RunEvent):
    """What every team event adds to a run event: the team's id and name."""

    team_id: str | None = None
    team_name: str | None = None


class TeamRunStartedEvent(RunStartedEvent, TeamEvent):
    event: str = "TeamRunStarted"


class TeamRunContentEvent(RunContentEvent, TeamEvent):
    """A delta of the team leader's own text (members' text comes as their ``RunContent``)."""

    event: str = "TeamRunContent"


class TeamRunContentCompletedEvent(RunContentCompletedEvent, TeamEvent):
    event: str = "TeamRunContentCompleted"


class TeamRunIntermediateContentEvent(IntermediateRunContentEvent, TeamEvent):
    event: str = "TeamRunIntermediateContent"


class TeamToolCallStartedEvent(ToolCallStartedEvent, TeamEvent):
    event: str = "TeamToolCallStarted"


class TeamToolCallCompletedEvent(ToolCallCompletedEvent, TeamEvent):
    event: str = "TeamToolCallCompleted"


class TeamToolCallErrorEvent(ToolCallErrorEvent, TeamEvent):
    event: str = "TeamToolCallError"


class TeamRunPausedEvent(RunPausedEvent, TeamEvent):
    """The team waits: ``requirements`` name the member (``member_agent_id``) that asks, if any."""

    event: str = "TeamRunPaused"


class TeamRunContinuedEvent(RunContinuedEvent, TeamEvent):
    event: str = "TeamRunContinued"


class TeamRunCompletedEvent(RunCompletedEvent, TeamEvent):
    event: str = "TeamRunCompleted"
    member_responses: list[dict[str, Any]] | None = None


class TeamRunErrorEvent(RunErrorEvent, TeamEvent):
    event: str = "TeamRunError"


class TeamRunCancelledEvent(RunCancelledEvent, TeamEvent):
    event: str = "TeamRunCancelled"


class TeamTaskIterationStartedEvent(TeamEvent):
    """A task-mode team starts another round of its task loop."""

    event: str = "TeamTaskIterationStarted"
    iteration: int = 0
    max_iterations: int = 0


class TeamTaskIterationCompletedEvent(TeamEvent):
    event: str = "TeamTaskIterationCompleted"
    iteration: int = 0
    max_iterations: int = 0
    task_summary: str | None = None


class TeamTaskStateUpdatedEvent(TeamEvent):
    event: str = "TeamTaskStateUpdated"
    task_summary: str | None = None
    goal_complete: bool = False
    tasks: list[dict[str, Any]] | None = None
    completion_summary: str | None = None


class TeamTaskCreatedEvent(TeamEvent):
    event: str = "TeamTaskCreated"
    task_id: str = ""
    title: str = ""
    description: str = ""
    assignee: str | None = None
    status: str = "pending"
    dependencies: list[str] | None = None


class TeamTaskUpdatedEvent(TeamEvent):
    event: str = "TeamTaskUpdated"
    task_id: str = ""
    title: str = ""
    status: str = ""
    previous_status: str | None = None
    result: str | None = None
    assignee: str | None = None


_CORE: tuple[type[RunEvent], ...] = (
    TeamRunStartedEvent,
    TeamRunContentEvent,
    TeamRunContentCompletedEvent,
    TeamRunIntermediateContentEvent,
    TeamToolCallStartedEvent,
    TeamToolCallCompletedEvent,
    TeamToolCallErrorEvent,
    TeamRunPausedEvent,
    TeamRunContinuedEvent,
    TeamRunCompletedEvent,
    TeamRunErrorEvent,
    TeamRunCancelledEvent,
    TeamTaskIterationStartedEvent,
    TeamTaskIterationCompletedEvent,
    TeamTaskStateUpdatedEvent,
    TeamTaskCreatedEvent,
    TeamTaskUpdatedEvent,
)


def _team_twin(cls: type[RunEvent]) -> type[RunEvent]:
    """``TeamModelRequestStartedEvent`` from ``ModelRequestStartedEvent``: agno prefixes the name."""
    name = "Team" + event_name(cls)
    return type(
        "Team" + cls.__name__,
        (cls, TeamEvent),
        {"__module__": __name__, "__annotations__": {"event": "str"}, "event": name},
    )


#: agno's team event names to their classes (the core ones above, the rest made from the agent
#: classes; ``CustomEvent`` keeps its name in a team's stream too).
TEAM_EVENT_CLASSES: dict[str, type[RunEvent]] = {event_name(cls): cls for cls in _CORE}
TEAM_EVENT_CLASSES.update(
    {event_name(twin): twin for twin in (_team_twin(c) for c in OTHER_EVENTS if c is not CustomEvent)}
)
