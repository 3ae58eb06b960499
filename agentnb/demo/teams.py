"""The demo's team and workflows, on the scripted ``keywords`` model (``agentnb.demo.plans``).

* team ``ops-team``: the leader publishes reports itself (``publish_report``, needs confirmation;
  say "publish ...") and hands the rest to its members: ``researcher`` looks up the weather
  ("... weather ..."), ``janitor`` deletes files after confirmation ("delete ...")
* workflow ``cleanup-workflow``: one step, ``cleanup``, whose agent deletes files after
  confirmation ("delete ..." pauses inside the step)
* workflow ``publish-workflow``: step ``draft`` (an agent writes) then step ``publish``, which
  asks for confirmation before it runs

agentnb's test AgentOS builds the same components with its own tools (``tests/peers``). Nothing
here touches the demo's sandbox: the janitor's ``delete_file`` only says what it would delete.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from agno.agent import Agent
from agno.db.base import BaseDb
from agno.models.base import Model
from agno.team import Team
from agno.tools import tool
from agno.tools.function import Function
from agno.workflow import HumanReview, Step, StepInput, StepOutput, Workflow

from agentnb.demo.plans import KEYWORDS, KEYWORDS_MODEL_ID
from agentnb.demo.scripted import ScriptedModel

__all__ = ["PUBLISHED", "build_team", "build_workflows", "demo_components", "keywords_model"]

PUBLISHED = "Published the draft."


def keywords_model() -> Model:
    return ScriptedModel(id=KEYWORDS_MODEL_ID, script=KEYWORDS)


@tool(requires_confirmation=True)
def publish_report(title: str) -> str:
    """Publish a report (needs the user's confirmation)."""
    return f"Published {title}."


@tool
def get_weather(city: str) -> str:
    """Get the current weather for a city."""
    return "It is 21C and sunny in Berlin." if city.strip().lower() == "berlin" else f"It is 15C in {city}."


@tool(requires_confirmation=True)
def delete_file(path: str) -> str:
    """Delete a file (needs the user's confirmation; the demo only pretends)."""
    return f"Deleted {path}."


def _agent(agent_id: str, name: str, role: str, tools: list[Function], db: BaseDb, model: Model) -> Agent:
    return Agent(
        id=agent_id,
        name=name,
        role=role,
        model=model,
        tools=list(tools),
        db=db,
        telemetry=False,
        markdown=False,
    )


def build_team(
    db: BaseDb,
    *,
    weather_tool: Function,
    delete_tool: Function,
    model: Callable[[], Model] = keywords_model,
) -> Team:
    """``ops-team``: a leader with its own confirmed tool, a researcher and a janitor."""
    members = [
        _agent("researcher", "Researcher", "Looks up the weather", [weather_tool], db, model()),
        _agent("janitor", "Janitor", "Deletes files after confirmation", [delete_tool], db, model()),
    ]
    return Team(
        id="ops-team",
        name="Ops Team",
        description="A scripted team: a researcher, a janitor, and a leader that publishes.",
        members=list(members),
        model=model(),
        tools=[publish_report],
        db=db,
        telemetry=False,
        markdown=False,
    )


def _publish(step_input: StepInput) -> StepOutput:
    return StepOutput(content=PUBLISHED)


def build_workflows(
    db: BaseDb, *, delete_tool: Function, model: Callable[[], Model] = keywords_model
) -> list[Workflow]:
    """``cleanup-workflow`` (a step's agent asks) and ``publish-workflow`` (a step asks)."""
    cleanup_agent = _agent("cleanup-agent", "Cleanup Agent", "Cleaner", [delete_tool], db, model())
    cleanup = Workflow(
        id="cleanup-workflow",
        name="Cleanup Workflow",
        description="One step whose agent deletes files after confirmation.",
        steps=[Step(name="cleanup", agent=cleanup_agent)],
        db=db,
        telemetry=False,
    )
    review = HumanReview(requires_confirmation=True, confirmation_message="Publish the draft?")
    publish = Workflow(
        id="publish-workflow",
        name="Publish Workflow",
        description="Drafts an answer, then asks before publishing it.",
        steps=[
            Step(name="draft", agent=_agent("writer", "Writer", "Drafts answers", [], db, model())),
            Step(name="publish", executor=_publish, human_review=review),
        ],
        db=db,
        telemetry=False,
    )
    return [cleanup, publish]


def demo_components(db: BaseDb) -> dict[str, Any]:
    """The demo AgentOS's ``teams=`` and ``workflows=`` arguments."""
    return {
        "teams": [build_team(db, weather_tool=get_weather, delete_tool=delete_file)],
        "workflows": build_workflows(db, delete_tool=delete_file),
    }
