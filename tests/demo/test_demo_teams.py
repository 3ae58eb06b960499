"""The demo server's team and workflows, walked through as the notebook does (real demo process)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agentnb import AgentOS, RunStatus, TeamRunOutput, WorkflowRunOutput
from agentnb.demo.teams import PUBLISHED
from tests.demo.test_demo_server import Demo, start_demo

pytestmark = pytest.mark.peer


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    running = start_demo(tmp_path_factory.mktemp("demo-teams"))
    yield running
    running.process.terminate()


def test_demo_serves_the_team_and_workflows_next_to_its_agents(demo: Demo) -> None:
    os = AgentOS(demo.url)
    assert [t.id for t in os.teams] == ["ops-team"]
    assert sorted(w.id for w in os.workflows) == ["cleanup-workflow", "publish-workflow"]
    assert "chat" in [a.id for a in os.agents]


def test_team_member_approval_and_workflow_step_approval(demo: Demo, tmp_path: Path) -> None:
    os = AgentOS(demo.url)
    team = os.team("ops-team")
    paused = team.run("please delete the old log")
    assert isinstance(paused, TeamRunOutput) and paused.is_paused
    (req,) = paused.active_requirements
    assert req.member_agent_id == "janitor"
    req.confirm()
    done = team.continue_run(paused)
    assert done.status is RunStatus.completed and "Deleted /tmp/important.txt" in done.content
    # the demo's janitor only pretends: the sandbox keeps its files
    assert (demo.data_dir / "sandbox" / "old.log").is_file()

    wf = os.workflow("publish-workflow")
    paused_wf = wf.run("a note for the team")
    assert isinstance(paused_wf, WorkflowRunOutput) and paused_wf.paused_step_name == "publish"
    paused_wf.step_requirements[0].confirm()  # type: ignore[index]
    assert wf.continue_run(paused_wf).content == PUBLISHED
