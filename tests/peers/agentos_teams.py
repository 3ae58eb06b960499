"""The test AgentOS's team and workflows, on the same scripted ``keywords`` model as its agents.

* team ``ops-team`` (leader's own tool ``publish_report``, ``requires_confirmation=True``;
  ``publish`` calls it) with two members: ``researcher`` (``get_weather``; ``weather`` is
  delegated to it) and ``janitor`` (``delete_file``, needs confirmation; ``delete`` goes to it)
* workflow ``cleanup-workflow``: one step ``cleanup`` whose agent has ``delete_file`` (needs
  confirmation): ``delete ...`` pauses inside the step
* workflow ``publish-workflow``: step ``draft`` (an agent answers) then step ``publish``
  (a function) that asks for confirmation before it runs
"""

from __future__ import annotations

from typing import Any

from agno.agent import Agent
from agno.db.sqlite import SqliteDb
from agno.team import Team
from agno.tools import tool
from agno.tools.function import Function
from agno.workflow import HumanReview, Step, StepInput, StepOutput, Workflow

from agentnb.demo.plans import KEYWORDS, KEYWORDS_MODEL_ID
from agentnb.demo.scripted import ScriptedModel

PUBLISHED = "Published the draft."


@tool(requires_confirmation=True)
def publish_report(title: str) -> str:
    """Publish a report (needs the user's confirmation)."""
    return f"Published {title}."


def _agent(agent_id: str, name: str, role: str, tools: list[Function], db: SqliteDb) -> Agent:
    return Agent(
        id=agent_id,
        name=name,
        role=role,
        model=ScriptedModel(id=KEYWORDS_MODEL_ID, script=KEYWORDS),
        tools=list(tools),
        db=db,
        telemetry=False,
        markdown=False,
    )


def build_teams(db: SqliteDb, get_weather: Function, delete_file: Function) -> list[Team]:
    members = [
        _agent("researcher", "Researcher", "Looks up the weather", [get_weather], db),
        _agent("janitor", "Janitor", "Deletes files after confirmation", [delete_file], db),
    ]
    team = Team(
        id="ops-team",
        name="Ops Team",
        description="A scripted team: a researcher, a janitor, and a leader that publishes.",
        members=list(members),
        model=ScriptedModel(id=KEYWORDS_MODEL_ID, script=KEYWORDS),
        tools=[publish_report],
        db=db,
        telemetry=False,
        markdown=False,
    )
    return [team]


def _publish(step_input: StepInput) -> StepOutput:
    return StepOutput(content=PUBLISHED)


def build_workflows(db: SqliteDb, delete_file: Function) -> list[Workflow]:
    cleanup = Workflow(
        id="cleanup-workflow",
        name="Cleanup Workflow",
        description="One step whose agent deletes files after confirmation.",
        steps=[
            Step(name="cleanup", agent=_agent("cleanup-agent", "Cleanup Agent", "Cleaner", [delete_file], db))
        ],
        db=db,
        telemetry=False,
    )
    review = HumanReview(requires_confirmation=True, confirmation_message="Publish the draft?")
    publish = Workflow(
        id="publish-workflow",
        name="Publish Workflow",
        description="Drafts an answer, then asks before publishing it.",
        steps=[
            Step(name="draft", agent=_agent("writer", "Writer", "Drafts answers", [], db)),
            Step(name="publish", executor=_publish, human_review=review),
        ],
        db=db,
        telemetry=False,
    )
    return [cleanup, publish]


def extra_components(db: SqliteDb, get_weather: Function, delete_file: Function) -> dict[str, Any]:
    """AgentOS keyword arguments adding the teams and workflows."""
    return {
        "teams": build_teams(db, get_weather, delete_file),
        "workflows": build_workflows(db, delete_file),
    }
