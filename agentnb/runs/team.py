"""A team run: agno's TeamRunOutput, and the assembler that folds a team's stream into one.

A team's stream interleaves the leader's events (``Team…`` names, the team run's ``run_id``) with
each member's (agent events with the member's own ``run_id`` and ``parent_run_id`` the team
run's). The leader's fold into the TeamRunOutput as an agent's do into a RunOutput; each
member's fold into a RunOutput of its own, kept in ``member_responses`` in the order the members
started. Only the leader's terminal event ends the stream: a member's RunPaused or RunCompleted
does not.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator

from agentnb.runs.assembler import RunAssembler
from agentnb.runs.events import RunEvent
from agentnb.runs.models import RunOutput, RunRequirement
from agentnb.runs.team_events import TeamRunCompletedEvent

__all__ = ["TeamRunAssembler", "TeamRunOutput", "member_output"]


class TeamRunOutput(RunOutput):
    """The result of a team run (agno's ``TeamRunOutput``): the leader's answer and its members'."""

    team_id: str | None = None
    team_name: str | None = None
    member_responses: list[RunOutput] = Field(default_factory=list)

    @field_validator("member_responses", mode="before")
    @classmethod
    def _members(cls, value: Any) -> list[RunOutput]:
        return [member_output(v) for v in value or []]

    def member(self, agent_id: str) -> RunOutput | None:
        """The (last) run of the member ``agent_id`` in this team run, if it took part."""
        for response in reversed(self.member_responses):
            if agent_id in (response.agent_id, getattr(response, "team_id", None)):
                return response
        return None

    def requirements_of(self, agent_id: str) -> list[RunRequirement]:
        """The paused tools the member ``agent_id`` waits on (the leader's own: ``agent_id=""``)."""
        return [r for r in self.requirements or [] if (r.member_agent_id or "") == agent_id]

    def _repr_fields(self) -> list[tuple[str, Any]]:
        fields = super()._repr_fields()
        fields[1] = ("team", self.team_name or self.team_id)
        fields += [(f"member: {m.agent_name or m.agent_id}", m.status.value) for m in self.member_responses]
        fields += [
            (f"paused: {r.member_agent_name or 'team'} / {r.tool_execution.tool_name}", r.pause_type)
            for r in self.active_requirements
        ]
        return fields


def member_output(value: Any) -> RunOutput:
    """A member's run from JSON: a sub-team's as a TeamRunOutput, an agent's as a RunOutput."""
    if isinstance(value, RunOutput):
        return value
    if isinstance(value, dict):
        return (TeamRunOutput if value.get("team_id") else RunOutput).from_wire(value)
    return RunOutput()


class TeamRunAssembler(RunAssembler):
    """Folds a team's stream: the leader's events into ``output``, each member's into its own."""

    output: TeamRunOutput

    def __init__(self, output: TeamRunOutput, *, keep_events: bool = False) -> None:
        super().__init__(output, keep_events=keep_events)
        self.members: dict[str, RunAssembler] = {}

    def absorb(self, event: RunEvent) -> bool:
        fields = event.__dict__
        run_id = fields["run_id"]
        team_run = self.output.run_id
        if run_id is None or team_run is None or run_id == team_run:
            done = super().absorb(event)
            team_id, team_name = fields.get("team_id"), fields.get("team_name")
            if team_id and not self.output.team_id:
                self.output.team_id = team_id
            if team_name and not self.output.team_name:
                self.output.team_name = team_name
            if isinstance(event, TeamRunCompletedEvent) and not self.members and event.member_responses:
                self.output.member_responses = [member_output(m) for m in event.member_responses]
            return done
        # A member's event (or a sub-team's): its own run, never the end of the team's.
        self.event_count += 1
        if self.keep_events:
            self.events.append(event)
        member = self.members.get(run_id)
        if member is None:
            start = RunOutput(
                run_id=run_id,
                agent_id=fields["agent_id"],
                agent_name=fields["agent_name"],
                parent_run_id=fields["parent_run_id"] or team_run,
                session_id=fields["session_id"],
            )
            member = self.members[run_id] = RunAssembler(start)
            self.output.member_responses.append(start)
        member.absorb(event)
        if event.is_terminal:
            member.finish()
        return False

    def finish(self) -> RunOutput:
        for member in self.members.values():
            member.finish()
        return super().finish()
