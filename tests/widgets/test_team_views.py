"""StreamView, ApprovalForm, ChatPane and stream() with a RemoteTeam and a RemoteWorkflow, through
their buttons, against the real scripted AgentOS (its ``ops-team`` and workflows)."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest

from agentnb import RemoteTeam, RemoteWorkflow, RunStatus, TeamRunOutput
from agentnb.runs.workflow_events import StepStartedEvent
from agentnb.widgets import ApprovalForm, ChatPane, StreamView
from agentnb.widgets.activity import RunActivity
from tests.peers.agentos import AgentOSPeer
from tests.peers.agentos_teams import PUBLISHED
from tests.widgets.conftest import updates

pytestmark = pytest.mark.peer

DELETED = "Tool said: Deleted /tmp/important.txt. Done."
WEATHER = "Tool said: It is 21C and sunny in Berlin. Done."


def sid() -> str:
    return f"tv-{uuid.uuid4().hex[:10]}"


def team(peer: AgentOSPeer) -> RemoteTeam:
    return RemoteTeam(peer.base_url, "ops-team", prefetch_config=False)


def workflow(peer: AgentOSPeer, workflow_id: str) -> RemoteWorkflow:
    return RemoteWorkflow(peer.base_url, workflow_id, prefetch_config=False)


async def until(predicate: Any, timeout: float = 20.0) -> None:
    for _ in range(int(timeout / 0.02)):
        if predicate():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("timed out waiting for the widget")


def states(view: StreamView) -> list[tuple[str, str]]:
    return [(row.name, row.state) for row in view.activity.steps.ordered()]


# --------------------------------------------------------------------------- teams


async def test_team_stream_view_nests_the_member_with_its_tool_card(agentos: AgentOSPeer) -> None:
    t = team(agentos)
    view = StreamView()
    out = await view.run(t.arun("what is the weather", stream=True, session_id=sid()), agent=t)
    assert isinstance(out, TeamRunOutput) and out.is_completed
    # the member's RunStarted / RunCompleted did not become the team's run id, text or state
    assert view.state == "completed" and view.run_id == out.run_id and view.text == out.content
    (member,) = view.activity.members.runs.values()
    assert (member.name, member.state, member.text) == ("Researcher", "done", WEATHER)
    assert [(tool.tool_name, state) for tool, state in member.tools.values()] == [("get_weather", "done")]
    html = view.html.value
    assert "member <b>Researcher</b>" in html and "<code>get_weather</code>" in html
    # the member's section sits before the leader's answer, folded once it is done
    assert html.index("agentnb-member") < html.index('class="agentnb-text"')
    assert 'data-state="done" open' not in html


async def test_team_member_approval_through_the_form_buttons(agentos: AgentOSPeer) -> None:
    t = team(agentos)
    view = StreamView()
    paused = await view.run(t.arun("please delete the file", stream=True, session_id=sid()), agent=t)
    # the member's RunPaused came first; the view waits on the team's, with the member shown waiting
    assert view.state == "paused" and paused.is_paused
    (janitor,) = view.activity.members.runs.values()
    assert janitor.state == "paused"
    assert [(tool.tool_name, state) for tool, state in janitor.tools.values()] == [("delete_file", "waiting")]
    assert paused.paused_tools == []  # the member's tool is only on requirements
    form = ApprovalForm(t, paused)
    (card,) = form.cards
    assert card.tool.tool_name == "delete_file" and "member Janitor asks" in card.widget.children[0].value
    assert "The team is waiting" in form.title.value and form.submit_button.disabled
    card.approve.click()
    form.submit_button.click()
    done = await form.wait()
    assert done.status is RunStatus.completed and DELETED in done.text
    assert form.continuation is not None
    (again,) = form.continuation.activity.members.runs.values()
    assert again.state == "done" and again.text == DELETED
    assert [(tool.tool_name, state) for tool, state in again.tools.values()] == [("delete_file", "done")]
    assert form.continuation.state == "completed" and form.continuation.text == done.text


async def test_team_member_rejection_not_streamed(agentos: AgentOSPeer) -> None:
    t = team(agentos)
    paused = await t.arun("please delete the file", session_id=sid())
    form = ApprovalForm(t, paused, stream=False)
    (card,) = form.cards
    card.note.value = "keep it"
    card.reject.click()
    form.submit_button.click()
    done = await form.wait()
    assert done.is_completed and "keep it" in done.text and "Deleted" not in done.text


async def test_team_leaders_own_tool_is_not_labelled_as_a_member(agentos: AgentOSPeer) -> None:
    t = team(agentos)
    paused = await t.arun("publish the weekly report", session_id=sid())
    form = ApprovalForm(t, paused)
    (card,) = form.cards
    assert card.tool.tool_name == "publish_report"
    assert not any("agentnb-asker" in getattr(w, "value", "") for w in card.widget.children)


async def test_chat_pane_with_a_team_approves_a_members_tool(agentos: AgentOSPeer) -> None:
    pane = ChatPane(team(agentos))
    task = pane.send("please delete the file")
    assert task is not None
    await until(lambda: any(isinstance(c, ApprovalForm) for c in pane.history.children))
    form = next(c for c in pane.history.children if isinstance(c, ApprovalForm))
    assert "member Janitor asks" in form.cards[0].widget.children[0].value
    assert form.one_click  # one paused tool: Approve sends at once, there is no Submit to press
    form.cards[0].approve.click()
    await task
    assert pane.transcript[-1]["status"] == "COMPLETED" and DELETED in pane.transcript[-1]["text"]
    views = [getattr(c, "content", None) for c in pane.history.children]
    view = next(v for v in views if isinstance(v, StreamView))
    assert "member <b>Janitor</b>" in view.html.value


# --------------------------------------------------------------------------- workflows


async def test_workflow_step_list_shows_pending_then_running_steps(agentos: AgentOSPeer) -> None:
    wf = workflow(agentos, "publish-workflow")
    view = StreamView()
    view.activity.attach(wf, view.coalescer.touch)
    await until(lambda: view.activity.steps.expected)
    assert states(view) == [("draft", "pending"), ("publish", "pending")]
    seen: list[list[tuple[str, str]]] = []
    async with wf.arun("write a note", stream=True, session_id=sid()) as stream:
        async for event in stream:
            view.handle(event)
            if isinstance(event, StepStartedEvent):
                seen.append(states(view))
    assert seen == [[("draft", "running"), ("publish", "pending")]]
    assert states(view) == [("draft", "done"), ("publish", "paused")]
    assert 'data-step="publish" data-state="paused"' in view.render_html()


async def test_workflow_step_approval_through_the_form(agentos: AgentOSPeer) -> None:
    wf = workflow(agentos, "publish-workflow")
    view = StreamView()
    paused = await view.run(wf.arun("write a note", stream=True, session_id=sid()), agent=wf)
    assert view.state == "paused" and states(view) == [("draft", "done"), ("publish", "paused")]
    draft = view.activity.steps.rows["draft"]
    assert draft.server_duration is not None  # the step agent's own measure, not our clock
    assert "Publish the draft?" in view.html.value
    # the step's agent is folded inside its row, not shown as a team member
    assert "member <b>Writer</b>" in view.activity.steps.render(view.activity.members)
    assert view.activity.members.render() == ""
    form = ApprovalForm(wf, paused)
    (card,) = form.cards
    label = card.widget.children[0].value
    assert "step publish asks before it runs: Publish the draft?" in label
    assert "The workflow is waiting" in form.title.value
    card.approve.click()
    form.submit_button.click()
    done = await form.wait()
    assert done.is_completed and done.text == PUBLISHED
    view = form.continuation
    assert view is not None
    await until(lambda: view.activity.steps.expected)
    # the continued stream starts at "publish"; its end lists the whole run's steps
    assert states(view) == [("draft", "done"), ("publish", "done")]


async def test_workflow_step_rejected_shows_skipped(agentos: AgentOSPeer) -> None:
    wf = workflow(agentos, "publish-workflow")
    paused = await wf.arun("write a note", session_id=sid())
    form = ApprovalForm(wf, paused)
    (card,) = form.cards  # a non-streamed pause lists the step on step_requirements only
    card.reject.click()
    form.submit_button.click()
    done = await form.wait()
    assert done.is_completed and PUBLISHED not in done.text
    view = form.continuation
    assert view is not None
    await until(lambda: view.activity.steps.expected)
    assert ("publish", "skipped") in states(view) and ("draft", "done") in states(view)


async def test_workflow_step_agents_tool_names_the_step_and_agent(agentos: AgentOSPeer) -> None:
    wf = workflow(agentos, "cleanup-workflow")
    view = StreamView()
    paused = await view.run(wf.arun("please delete the file", stream=True, session_id=sid()), agent=wf)
    assert states(view) == [("cleanup", "paused")]
    (agent_run,) = view.activity.members.runs.values()
    assert (agent_run.name, agent_run.step_name, agent_run.state) == ("Cleanup Agent", "cleanup", "paused")
    form = ApprovalForm(wf, paused)
    (card,) = form.cards
    assert "step cleanup · agent Cleanup Agent asks" in card.widget.children[0].value
    card.approve.click()
    form.submit_button.click()
    done = await form.wait()
    assert done.is_completed and done.text == DELETED
    assert form.continuation is not None and states(form.continuation)[-1] == ("cleanup", "done")
    # member events change the head (the activity sections): coalesced, not one per event
    flushes = len(updates(form.continuation.head, "value"))
    assert 1 <= flushes < 40


# --------------------------------------------------------------------------- outputs, escaping


async def test_activity_from_a_team_output_not_streamed(agentos: AgentOSPeer) -> None:
    out = await team(agentos).arun("what is the weather", session_id=sid())
    html = RunActivity.from_output(out).render_html()
    assert "member <b>Researcher</b>" in html and "<code>get_weather</code>" in html and "21C" in html


def test_hostile_member_and_step_names_are_escaped() -> None:
    from agentnb import StepOutput, WorkflowRunOutput
    from agentnb.runs.models import RunOutput

    evil = '<img src=x onerror="alert(1)">'
    out = TeamRunOutput(
        run_id="t1",
        status="COMPLETED",
        member_responses=[RunOutput(run_id="m1", agent_name=evil, content=f"hi {evil}", status="COMPLETED")],
    )
    html = RunActivity.from_output(out).render_html()
    assert "<img" not in html and "&lt;img src=x" in html
    wf = WorkflowRunOutput(run_id="w1", step_results=[StepOutput(step_name=evil, status="done")])
    html = RunActivity.from_output(wf).render_html()
    assert "<img" not in html and "&lt;img" in html
