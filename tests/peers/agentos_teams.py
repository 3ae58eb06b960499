"""The test AgentOS's team and workflows: the demo's (``agentnb/demo/teams.py``) with the
peer's own tools, on the same scripted ``keywords`` model as its agents.

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

from agno.db.sqlite import SqliteDb
from agno.tools.function import Function

from agentnb.demo.teams import PUBLISHED, build_team, build_workflows

__all__ = ["PUBLISHED", "extra_components"]


def extra_components(db: SqliteDb, get_weather: Function, delete_file: Function) -> dict[str, Any]:
    """AgentOS keyword arguments adding the team and the workflows."""
    return {
        "teams": [build_team(db, weather_tool=get_weather, delete_tool=delete_file)],
        "workflows": build_workflows(db, delete_tool=delete_file),
    }
